// Built-in objects: .Files, .Capabilities, the methods of .Values
import { GoStruct, int, sortedKeys, fmtV, goTypeOf, isMap, typed, type GoMember } from './values.js';
import { goQuote } from './gofmt.js';
import { toYamlString } from './yaml.js';
import type { ChartFile } from './chart.js';
import { climbsOut } from '../../load/sandbox.js';
import { compileGlob, type Glob, type GlobDialect } from '../../util/glob.js';

/** Told when a template asks `.Files` for a path outside the chart (absolute, or climbing out with `..`). */
export interface FilesGuard {
  refuse(method: string, path: string): void;
}

/**
 * `.Files.Glob` patterns: gobwas/glob with '/' as separator (`*` within a segment, `**` across, `?`, `[..]`,
 * `{a,b}`, `\` escapes), matched in linear time (src/util/glob.ts): the pattern is the chart's.
 */
const GOBWAS: GlobDialect = { globstar: 'anywhere', classes: true, braces: true, escapes: true };

/** A pattern gobwas cannot compile (an unclosed '[' or '{') matches every file: Helm's Glob falls back to `**`. */
export function filesGlob(p: string): Glob {
  const g = compileGlob(p, GOBWAS);
  return g.wellFormed ? g : compileGlob('**', GOBWAS);
}

export class FilesObj extends GoStruct {
  readonly goType = 'engine.files';
  constructor(readonly files: Map<string, Buffer>, readonly guard?: FilesGuard) {
    super();
  }
  /** `.Files` holds the chart's own files only, so such a path finds nothing (as in Helm); it is reported. */
  private check(method: string, p: unknown): void {
    if (this.guard && typeof p === 'string' && climbsOut(p)) this.guard.refuse(method, p);
  }
  mapEntries(): Record<string, unknown> {
    const o: Record<string, unknown> = {};
    for (const [k, v] of this.files) o[k] = new Uint8Array(v);
    return o;
  }
  goLen(): number {
    return this.files.size;
  }
  toJSONValue(): Record<string, unknown> {
    return this.mapEntries();
  }
  override goString(): string {
    return 'map[' + [...this.files.keys()].sort().map((k) => `${k}:[${[...this.files.get(k)!].join(' ')}]`).join(' ') + ']';
  }
  override goField(name: string) {
    switch (name) {
      case 'Get': return { method: (p: unknown) => { this.check(name, p); const b = this.files.get(String(p)); return b ? b.toString('utf8') : ''; } };
      case 'GetBytes': return { method: (p: unknown) => { this.check(name, p); const b = this.files.get(String(p)); return b ? new Uint8Array(b) : new Uint8Array(); } };
      case 'Glob': return {
        method: (p: unknown) => {
          this.check(name, p);
          const re = filesGlob(String(p));
          const m = new Map<string, Buffer>();
          for (const [k, v] of this.files) if (re.test(k)) m.set(k, v);
          return new FilesObj(m, this.guard);
        },
      };
      case 'Lines': return {
        method: (p: unknown) => {
          this.check(name, p);
          const b = this.files.get(String(p));
          if (!b) return [];
          let s = b.toString('utf8');
          if (s.endsWith('\n')) s = s.slice(0, -1);
          return s.split('\n');
        },
      };
      case 'AsConfig': return {
        method: () => {
          const m: Record<string, unknown> = {};
          for (const [k, v] of this.files) m[k.slice(k.lastIndexOf('/') + 1)] = v.toString('utf8');
          return toYamlString(m).replace(/\n$/, '');
        },
      };
      case 'AsSecrets': return {
        method: () => {
          const m: Record<string, unknown> = {};
          for (const [k, v] of this.files) m[k.slice(k.lastIndexOf('/') + 1)] = v.toString('base64');
          return toYamlString(m).replace(/\n$/, '');
        },
      };
    }
    return undefined;
  }
}

export function makeFiles(files: ChartFile[], guard?: FilesGuard): FilesObj {
  const m = new Map<string, Buffer>();
  for (const f of files) m.set(f.name, f.data);
  return new FilesObj(m, guard);
}

export const DEFAULT_API_VERSIONS = [
  'v1', 'admissionregistration.k8s.io/v1', 'admissionregistration.k8s.io/v1alpha1', 'admissionregistration.k8s.io/v1beta1', 'internal.apiserver.k8s.io/v1alpha1',
  'apps/v1', 'apps/v1beta1', 'apps/v1beta2', 'authentication.k8s.io/v1', 'authentication.k8s.io/v1alpha1', 'authentication.k8s.io/v1beta1',
  'authorization.k8s.io/v1', 'authorization.k8s.io/v1beta1', 'autoscaling/v1', 'autoscaling/v2', 'autoscaling/v2beta1', 'autoscaling/v2beta2',
  'batch/v1', 'batch/v1beta1', 'certificates.k8s.io/v1', 'certificates.k8s.io/v1beta1', 'certificates.k8s.io/v1alpha1', 'coordination.k8s.io/v1alpha2',
  'coordination.k8s.io/v1beta1', 'coordination.k8s.io/v1', 'discovery.k8s.io/v1', 'discovery.k8s.io/v1beta1', 'events.k8s.io/v1', 'events.k8s.io/v1beta1',
  'extensions/v1beta1', 'flowcontrol.apiserver.k8s.io/v1', 'flowcontrol.apiserver.k8s.io/v1beta1', 'flowcontrol.apiserver.k8s.io/v1beta2',
  'flowcontrol.apiserver.k8s.io/v1beta3', 'networking.k8s.io/v1', 'networking.k8s.io/v1beta1', 'node.k8s.io/v1', 'node.k8s.io/v1alpha1', 'node.k8s.io/v1beta1',
  'policy/v1', 'policy/v1beta1', 'rbac.authorization.k8s.io/v1', 'rbac.authorization.k8s.io/v1beta1', 'rbac.authorization.k8s.io/v1alpha1',
  'resource.k8s.io/v1', 'resource.k8s.io/v1beta2', 'resource.k8s.io/v1beta1', 'resource.k8s.io/v1alpha3', 'scheduling.k8s.io/v1alpha1',
  'scheduling.k8s.io/v1beta1', 'scheduling.k8s.io/v1', 'storage.k8s.io/v1beta1', 'storage.k8s.io/v1', 'storage.k8s.io/v1alpha1',
  'storagemigration.k8s.io/v1beta1', 'apiextensions.k8s.io/v1beta1', 'apiextensions.k8s.io/v1',
];

export class KubeVersionObj extends GoStruct {
  readonly goType = 'common.KubeVersion';
  constructor(readonly version: string, readonly major: string, readonly minor: string) {
    super();
  }
  override goField(name: string) {
    switch (name) {
      case 'Version': case 'GitVersion': return { value: this.version };
      case 'Major': return { value: this.major };
      case 'Minor': return { value: this.minor };
      case 'String': return { method: () => this.goString() };
    }
    return undefined;
  }
  override goString(nested = false): string {
    if (nested) return `{${this.version} ${this.version} ${this.major} ${this.minor}}`;
    return this.version.replace(/[-+].*$/, '');
  }
}

export class APIVersionsObj extends GoStruct {
  readonly goType = 'common.VersionSet';
  constructor(readonly list: string[]) {
    super();
  }
  override goField(name: string) {
    if (name === 'Has') return { method: (v: unknown) => this.list.includes(String(v)) };
    return undefined;
  }
  goLen(): number {
    return this.list.length;
  }
  /** A VersionSet is a []string: list functions (has, first, ...) and range take it as one. */
  goList(): string[] {
    return this.list;
  }
  override goString(): string {
    return '[' + this.list.join(' ') + ']';
  }
}

export class SimpleStruct extends GoStruct {
  constructor(readonly goType: string, readonly fields: Record<string, unknown>, readonly order: string[] = Object.keys(fields)) {
    super();
  }
  override goField(name: string) {
    if (Object.prototype.hasOwnProperty.call(this.fields, name)) return { value: this.fields[name] };
    return undefined;
  }
  override goString(nested = false): string {
    const body = '{' + this.order.map((k) => fmtV(this.fields[k], false)).join(' ') + '}';
    return !nested && this.goType.startsWith('*') ? '&' + body : body;
  }
}

export function makeCapabilities(kubeVersion?: string, extraApis: string[] = []): GoStruct {
  let major = '1', minor = '35', full = 'v1.35.0';
  if (kubeVersion) {
    const m = /^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?(.*)$/.exec(kubeVersion.trim());
    if (m) {
      major = m[1];
      minor = m[2] ?? '0';
      full = 'v' + kubeVersion.trim().replace(/^v/, '');
    }
  }
  const kv = new KubeVersionObj(full, major, minor);
  const apis = new APIVersionsObj([...DEFAULT_API_VERSIONS, ...extraApis]);
  const hv = new SimpleStruct('common.BuildInfo', { Version: 'v4.1.4', GitCommit: '05fa37973dc9e42b76e1d2883494c87174b6074f', GitTreeState: 'clean', GoVersion: 'go1.25.9', KubeClientVersion: 'v1.35' });
  return new SimpleStruct('*common.Capabilities', { KubeVersion: kv, APIVersions: apis, HelmVersion: hv }, ['KubeVersion', 'APIVersions', 'HelmVersion']);
}

void int; void sortedKeys;

type Dict = Record<string, unknown>;

const VALUES_METHODS = new Set(['AsMap', 'YAML', 'Table', 'PathValue']);

/**
 * The methods of helm's Values type (common.Values: .Values, .Template, what Table returns), or undefined for
 * any other map. AsMap gives the same map as a plain map[string]interface {} (a Proxy: one storage, so `set`
 * through either is seen by both, but not typed, so `dig` takes it); Table a sub-map, typed again.
 */
export function valuesMethod(m: Dict, name: string): GoMember | undefined {
  // every field access on a map asks: the name is compared before the type is looked up
  if (!VALUES_METHODS.has(name) || goTypeOf.get(m) !== 'common.Values') return undefined;
  switch (name) {
    case 'AsMap': return { method: () => new Proxy(m, {}), params: [] };
    case 'YAML': return { method: () => toYamlString(m), params: [] };
    case 'Table': return { method: (path) => typed(new Proxy(valuesTable(m, path as string), {}), 'common.Values'), params: ['string'] };
    case 'PathValue': return { method: (path) => valuesPathValue(m, path as string), params: ['string'] };
  }
  return undefined;
}

/** Values.Table: walk the dotted path, every step a map ("x" is not a table, naming the step that is not). */
function valuesTable(m: Dict, path: string): Dict {
  let cur = m;
  for (const part of path.split('.')) {
    const next = Object.prototype.hasOwnProperty.call(cur, part) ? cur[part] : undefined;
    if (!isMap(next)) throw new Error(`${goQuote(part)} is not a table`);
    cur = next;
  }
  return cur;
}

/** Values.PathValue: the value at a dotted path, which must be present and not a map. */
function valuesPathValue(m: Dict, path: string): unknown {
  if (path === '') throw new Error('YAML path cannot be empty');
  const parts = path.split('.');
  const key = parts.pop()!;
  let table = m;
  if (parts.length) {
    try { table = valuesTable(m, parts.join('.')); } catch { throw new Error(`${goQuote(key)} is not a value`); }
  }
  if (!Object.prototype.hasOwnProperty.call(table, key) || isMap(table[key])) throw new Error(`${goQuote(key)} is not a value`);
  return table[key];
}
