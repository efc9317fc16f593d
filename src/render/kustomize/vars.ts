/**
 * `vars:` (kustomize's deprecated forerunner of replacements), as kustomize v5 resolves them. At the end of
 * each kustomization's accumulation a var is bound to the one object its `objref` names (exact
 * group/version/kind, the name it had at any point of the build, the namespace when given); at the end of the
 * whole build, after name references are fixed, `$(NAME)` in the fields of the varReference field specs
 * (kustomize's built-in ones plus those of `configurations:`) becomes the value at the var's `fieldref`
 * (default `metadata.name`) of that object. A field that is exactly `$(NAME)` takes the value's type; `$$`
 * writes one `$`. A var that names no object, or an object without the field, fails the build.
 */
import { isObj, setKey, type Obj, type Origin } from './nodes.js';
import { splitDotted } from './fieldspecs.js';
import { configSpecApplies, fieldOf, type ConfigFieldSpec } from './transformer-configs.js';

interface Ident {
  name: string;
  namespace: string;
}

export interface VarTarget {
  obj: Obj;
  ids: Ident[];
}

export interface BoundVar {
  name: string;
  fieldPath: string;
  /** The object it names, when exactly one did where the var was declared. */
  target?: VarTarget;
  at: Origin | undefined;
  /** The kustomization that declared it (for the problem's file). */
  display: string;
  /** kustomize's way of printing the var in its errors: {NAME Kind.version.group {fieldpath}}. */
  shown: string;
}

export type Report = (kind: 'error' | 'unsupported', at: Origin | undefined, file: string, message: string) => void;

const s = (v: unknown) => (v === undefined || v === null ? '' : String(v));

/** Pod-template places kustomize substitutes vars in, and where each workload keeps its pod spec. */
const CONTAINER_FIELDS = ['args', 'command', 'env/value', 'volumeMounts/mountPath'];
const POD_SPECS: [string, string][] = [
  ['CronJob', 'spec/jobTemplate/spec/template/spec'],
  ['DaemonSet', 'spec/template/spec'],
  ['Deployment', 'spec/template/spec'],
  ['Job', 'spec/template/spec'],
  ['Pod', 'spec'],
  ['ReplicaSet', 'spec/template/spec'],
  ['StatefulSet', 'spec/template/spec'],
];

/** kustomize's built-in varReference field specs (api/internal/konfig/builtinpluginconsts). */
export const DEFAULT_VAR_REFERENCES: ConfigFieldSpec[] = [
  ...POD_SPECS.flatMap(([kind, spec]) => ['containers', 'initContainers'].flatMap((c) => CONTAINER_FIELDS.map((f) => ({ kind, path: `${spec}/${c}/${f}` })))),
  // kustomize's own table: the CronJob's nfs path misses `spec`, the StatefulSet's is under volumeClaimTemplates
  { kind: 'CronJob', path: 'spec/jobTemplate/spec/template/volumes/nfs/server' },
  ...['DaemonSet', 'Deployment', 'Job', 'ReplicaSet'].map((kind) => ({ kind, path: 'spec/template/spec/volumes/nfs/server' })),
  { kind: 'Pod', path: 'spec/volumes/nfs/server' },
  { kind: 'StatefulSet', path: 'spec/volumeClaimTemplates/spec/nfs/server' },
  { kind: 'Deployment', path: 'spec/template/metadata/annotations' },
  { kind: 'Ingress', path: 'spec/rules/host' },
  { kind: 'Ingress', path: 'spec/tls/hosts' },
  { kind: 'Ingress', path: 'spec/tls/secretName' },
  { kind: 'Service', path: 'spec/ports/port' },
  { kind: 'Service', path: 'spec/ports/targetPort' },
  { kind: 'PersistentVolume', path: 'spec/nfs/server' },
  { path: 'metadata/labels' },
  { path: 'metadata/annotations' },
];

function gvkOfApiVersion(apiVersion: string): { group: string; version: string } {
  const i = apiVersion.indexOf('/');
  return i >= 0 ? { group: apiVersion.slice(0, i), version: apiVersion.slice(i + 1) } : { group: '', version: apiVersion };
}

const effectiveNs = (ns: string, cluster: boolean) => (cluster ? '' : ns || 'default');

/**
 * Bind the vars a kustomization declares to the objects accumulated so far (kustomize's MergeVars).
 * `known` holds the vars of the whole build so far: a name declared twice fails the build.
 */
export function bindVars(vars: unknown, display: string, originOf: (i: number) => Origin | undefined, res: VarTarget[], isCluster: (o: Obj) => boolean, known: BoundVar[], report: Report): void {
  if (!Array.isArray(vars)) return;
  vars.forEach((v, i) => {
    const at = originOf(i);
    if (!isObj(v)) return;
    const name = s(fieldOf(v, 'name'));
    const ref = isObj(fieldOf(v, 'objref')) ? (fieldOf(v, 'objref') as Obj) : {};
    const fieldref = isObj(fieldOf(v, 'fieldref')) ? (fieldOf(v, 'fieldref') as Obj) : {};
    const fieldPath = s(fieldOf(fieldref, 'fieldPath')) || 'metadata.name';
    const apiVersion = s(fieldOf(ref, 'apiVersion'));
    const gv = apiVersion ? gvkOfApiVersion(apiVersion) : { group: s(fieldOf(ref, 'group')), version: s(fieldOf(ref, 'version')) };
    const kind = s(fieldOf(ref, 'kind'));
    const refName = s(fieldOf(ref, 'name'));
    const refNs = s(fieldOf(ref, 'namespace'));
    const shown = `{${name} ${kind}.${gv.version || '[noVer]'}.${gv.group || '[noGrp]'} {${fieldPath}}}`;
    const matched = res.filter((b) => {
      const g = gvkOfApiVersion(s(b.obj.apiVersion));
      if (s(b.obj.kind) !== kind || g.group !== gv.group || g.version !== gv.version) return false;
      const cluster = isCluster(b.obj);
      return b.ids.some((id) => id.name === refName && (!refNs && !cluster ? true : effectiveNs(id.namespace, cluster) === effectiveNs(refNs, cluster)));
    });
    if (matched.length > 1) return report('error', at, display, `found ${matched.length} resId matches for var ${shown} (unable to disambiguate); kustomize build fails here`);
    if (known.some((k) => k.name === name)) return report('error', at, display, `var '${name}' already encountered; kustomize build fails here`);
    known.push({ name, fieldPath, target: matched[0], at, display, shown });
  });
}

/** A var's fieldref path: `spec.ports[0].port`, `metadata.annotations.[a.b/c]`, `spec.containers.[name=app].image`. */
function pathSegments(fp: string): string[] {
  // `name[0]` is the field `name`, then its item 0
  return splitDotted(fp).flatMap((seg) => {
    const m = /^(.*)\[(\d+)\]$/.exec(seg);
    if (m) return m[1] ? [m[1], m[2]] : [m[2]];
    return [/^\[[^=\]]*\]$/.test(seg) ? seg.slice(1, -1) : seg];
  });
}

function lookup(node: unknown, segs: string[]): unknown {
  let cur = node;
  for (const seg of segs) {
    if (Array.isArray(cur)) {
      const sel = /^\[([^=\]]+)=([^\]]*)\]$/.exec(seg);
      if (sel) cur = cur.find((x) => isObj(x) && s(x[sel[1]]) === sel[2]);
      else if (/^\d+$/.test(seg)) cur = cur[Number(seg)];
      else return undefined;
    } else if (isObj(cur)) cur = cur[seg];
    else return undefined;
    if (cur === undefined) return undefined;
  }
  return cur;
}

/** kustomize's DoReplacements: `$(NAME)` replaced, `$$` written `$`; a field that is exactly `$(NAME)` takes the value as is. */
export function expandVars(input: string, value: (name: string) => unknown): unknown {
  let out = '';
  let checkpoint = 0;
  for (let cursor = 0; cursor < input.length; cursor++) {
    if (input[cursor] !== '$' || cursor + 1 >= input.length) continue;
    out += input.slice(checkpoint, cursor);
    const rest = input.slice(cursor + 1);
    let read: string;
    let isVar = false;
    let advance: number;
    if (rest[0] === '$') {
      read = '$';
      advance = 1;
    } else if (rest[0] === '(') {
      const close = rest.indexOf(')', 1);
      if (close >= 0) {
        read = rest.slice(1, close);
        isVar = true;
        advance = close + 1;
      } else {
        read = '$(';
        advance = 1;
      }
    } else {
      read = `$${rest[0]}`;
      advance = 1;
    }
    if (isVar) {
      const mapped = value(read);
      if (input === `$(${read})`) return mapped;
      out += String(mapped);
    } else out += read;
    cursor += advance;
    checkpoint = cursor + 1;
  }
  return out + input.slice(checkpoint);
}

/**
 * Resolve the build's vars (kustomize's ResolveVars, at the end of the top-level build). `present` is the
 * set of objects still in the build: a var bound to one a patch deleted names nothing.
 */
export function resolveVars(objects: Obj[], vars: BoundVar[], configured: ConfigFieldSpec[], report: Report): void {
  if (!vars.length) return;
  const present = new Set(objects);
  const values = new Map<string, unknown>();
  for (const v of vars) {
    if (!v.target || !present.has(v.target.obj)) {
      report('error', v.at, v.display, `var '${v.shown}' cannot be mapped to a field in the set of known resources; kustomize build fails here`);
      return;
    }
    const val = lookup(v.target.obj, pathSegments(v.fieldPath));
    if (val === undefined || val === null) {
      report('error', v.at, v.display, `field specified in var '${v.shown}' not found in corresponding resource; kustomize build fails here`);
      return;
    }
    values.set(v.name, val);
  }
  // only primitive values replace; anything else leaves `$(NAME)` as written
  const mapping = (name: string): unknown => {
    const val = values.get(name);
    return typeof val === 'string' || typeof val === 'number' || typeof val === 'boolean' ? val : `$(${name})`;
  };
  const specs = [...DEFAULT_VAR_REFERENCES, ...configured];
  for (const o of objects) {
    for (const f of specs) {
      if (!configSpecApplies(f, o)) continue;
      const segs = f.path.split('/');
      walk(o, segs, (holder, key) => {
        const cur = holder[key];
        if (typeof cur === 'string') setKey(holder, key, expandVars(cur, mapping));
        else if (Array.isArray(cur)) cur.forEach((item, i) => typeof item === 'string' && (cur[i] = expandVars(item, mapping)));
        else if (isObj(cur)) for (const k of Object.keys(cur)) if (typeof cur[k] === 'string') setKey(cur, k, expandVars(cur[k] as string, mapping));
      });
    }
  }
}

/** Visit the map holding the last segment of `segs` below `node`, lists along the way traversed. */
function walk(node: unknown, segs: string[], fn: (holder: Obj, key: string) => void): void {
  if (Array.isArray(node)) {
    for (const item of node) walk(item, segs, fn);
    return;
  }
  if (!isObj(node) || !segs.length) return;
  const [head, ...rest] = segs;
  if (!rest.length) {
    if (node[head] !== undefined && node[head] !== null) fn(node, head);
    return;
  }
  walk(node[head], rest, fn);
}
