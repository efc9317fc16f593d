/**
 * What every part of the built-in kustomize build shares: the objects being built (with the names they had),
 * the kustomization being accumulated, and the build's context (problems, files read, the scanned tree's
 * boundary, configurations, vars, buildMetadata), plus the small readers of an object's identity.
 */
import path from 'node:path';
import { isObj, originOfKey, originOfNode, setKey, type Obj, type Origin } from './nodes.js';
import { type CustomSchema } from './schema.js';
import { isInside, realpathOfMissing, realpathOrUndefined } from '../../load/sandbox.js';
import { readBytes, lenientText, mib } from '../../load/read.js';
import { ConfigStack } from './transformer-configs.js';
import { type BoundVar } from './vars.js';
import { kustomizeClusterScoped } from './scope.js';
import { joinOriginPath, recordTransformer, type BuildMetadata, type OriginRecord } from './build-metadata.js';

export type ProblemKind = 'error' | 'unsafe' | 'unsupported';

export interface KustomizeProblem {
  kind: ProblemKind;
  file: string;
  line: number;
  column: number;
  message: string;
}

export interface Id {
  name: string;
  namespace: string;
}

export interface Built {
  obj: Obj;
  /** Names it had, oldest first (the last is the current one). */
  ids: Id[];
  /** A generated ConfigMap/Secret whose name takes the content hash at the end of the build. */
  hash?: boolean;
  /** The generator's behavior (create, merge, replace) while it is merged into the resources. */
  behavior?: string;
}

export interface BuildHost {
  /** Real path of the scanned tree: nothing outside it is read. */
  root: string;
  /** Display path of a file (relative to the working directory). */
  display(abs: string): string;
  /** Render a local Helm chart (helmCharts); undefined when the renderer is not wanted. */
  renderHelm?: (chartDir: string, opts: HelmChartOptions) => { docs: Obj[]; errors: { file: string; line: number; message: string }[] };
}

export interface HelmChartOptions {
  releaseName: string;
  namespace?: string;
  valuesFiles: string[];
  valuesInline?: Obj;
  includeCrds: boolean;
  kubeVersion?: string;
  /** The Kubernetes version helm assumes when `kubeVersion` is not given (kustomize's helm v3). */
  defaultKubeVersion?: string;
  apiVersions?: string[];
}

export interface BuildResult {
  objects: Built[];
  problems: KustomizeProblem[];
  /** Every file the build read (kustomizations, resources, patches, generator inputs), real paths. */
  files: Set<string>;
}

export interface Kust {
  dir: string;
  file: string;
  display: string;
  k: Obj;
}

export class Ctx {
  problems: KustomizeProblem[] = [];
  files = new Set<string>();
  stack: string[] = [];
  /** The kustomization the build started from (sortOptions is read there only). */
  top?: Kust;
  /** Custom kinds' merge metadata from the kustomizations' `openapi:` documents. */
  customSchema: CustomSchema | undefined;
  /** `configurations:` of the kustomizations being accumulated, and of the whole build once done. */
  cfg = new ConfigStack();
  /** The build's vars, bound to their objects. */
  vars: BoundVar[] = [];
  /** The starting kustomization's `buildMetadata` (kustomize hands it down to every base); undefined: none. */
  meta: BuildMetadata | undefined;
  /** kustomize's origin path: the resource and component paths, as written, that led to the kustomization being accumulated. */
  originPath = '';
  /**
   * Per kustomization being accumulated: whether what it accumulated lacks what k8s-audit did not build (a
   * remote base, a plugin). A patch, var or replacement that finds nothing there may be aimed at what that
   * part adds: unknowable, not an error.
   */
  private partial: boolean[] = [];
  private partialAtEnd = false;
  constructor(readonly host: BuildHost) {}

  enter(): void {
    this.partial.push(false);
  }

  leave(): void {
    const was = this.partial.pop() ?? false;
    if (this.partial.length) this.partial[this.partial.length - 1] ||= was;
    else this.partialAtEnd = was;
  }

  /** A target that is not found: kustomize's error, or unknowable when part of the build is missing. */
  notFound(at: Origin | undefined, fallbackFile: string, message: string): void {
    const partial = this.partial.length ? this.partial[this.partial.length - 1] : this.partialAtEnd;
    if (partial) this.problem('unsupported', at, fallbackFile, `${message.replace(/; kustomize build fails here.*$/, '')}; it may be aimed at what the parts of this build k8s-audit did not build or read (remote bases, plugins, files outside the tree) add, so whether kustomize builds it is not known`);
    else this.problem('error', at, fallbackFile, message);
  }

  problem(kind: ProblemKind, at: Origin | undefined, fallbackFile: string, message: string): void {
    // what was not fetched, not run or not read (outside the tree) is as unknown as a remote base
    if ((kind === 'unsupported' || kind === 'unsafe') && this.partial.length) this.partial[this.partial.length - 1] = true;
    this.problems.push({ kind, file: at?.file ?? fallbackFile, line: at?.line ?? 1, column: at?.column ?? 1, message });
  }

  /** Accumulate below `rel` (a base, a component) with the origin path kustomize would have there. */
  within<T>(rel: string, fn: () => T): T {
    const was = this.originPath;
    this.originPath = joinOriginPath(was, rel);
    try {
      return fn();
    } finally {
      this.originPath = was;
    }
  }

  /** The origin of what a built-in generator or transformer of `k` makes or changes. */
  builtinOrigin(k: Kust, kind: string): OriginRecord {
    return { configuredIn: joinOriginPath(this.originPath, path.basename(k.file)), configuredBy: { apiVersion: 'builtin', kind } };
  }

  /** After one transformer instance ran over `res`: recorded on each resource when buildMetadata is on. */
  transformed(res: Built[], origin: OriginRecord): void {
    if (this.meta) recordTransformer(res.map((b) => b.obj), origin, this.meta.at);
  }

  /** A path named in a kustomization: resolved, inside the scanned tree, or a problem (undefined). */
  resolve(k: Kust, rel: string, at: Origin | undefined, what: string): string | undefined {
    const abs = path.resolve(k.dir, rel);
    const real = realpathOrUndefined(abs);
    const target = real ?? realpathOfMissing(abs);
    if (!isInside(this.host.root, target)) {
      this.problem('unsafe', at, k.display, `the ${what} "${rel}" leads outside the scanned tree (${target}); it was not read`);
      return undefined;
    }
    if (real === undefined) {
      this.problem('error', at, k.display, `the ${what} "${rel}" does not exist (${this.host.display(abs)}); kustomize build fails here`);
      return undefined;
    }
    return real;
  }

  /** Files a generator or patch reads must be inside the kustomization's own directory (kustomize's load restrictor). */
  resolveLocal(k: Kust, rel: string, at: Origin | undefined, what: string): string | undefined {
    const real = this.resolve(k, rel, at, what);
    if (!real) return undefined;
    const dirReal = realpathOrUndefined(k.dir) ?? k.dir;
    if (!isInside(dirReal, real)) {
      this.problem('error', at, k.display, `the ${what} "${rel}" is not in or below ${this.host.display(k.dir) || '.'}; kustomize's load restrictor refuses it`);
      return undefined;
    }
    return real;
  }

  readText(abs: string, k: Kust, at: Origin | undefined, what: string): string | undefined {
    const buf = this.readBytes(abs, k, at, what);
    return buf === undefined ? undefined : lenientText(buf);
  }

  /** A file the build reads, through the one read path: a FIFO or a device is reported (kustomize build blocks on a FIFO forever). */
  readBytes(abs: string, k: Kust, at: Origin | undefined, what: string): Buffer | undefined {
    const r = readBytes(abs, { cap: MAX_KUSTOMIZE_FILE, tooLarge: (cap) => `is over ${mib(cap)} MiB; it was not read` });
    if ('buf' in r) {
      this.files.add(abs);
      return r.buf;
    }
    const f = r.failure;
    const shown = this.host.display(abs);
    if (f.kind === 'special') this.problem('error', at, k.display, `the ${what} ${shown} is ${f.message}; it was not read (kustomize build would wait on a FIFO forever)`);
    else if (f.kind === 'too-large') this.problem('error', at, k.display, `the ${what} ${shown} ${f.message}`);
    else this.problem('error', at, k.display, `cannot read the ${what} ${shown}: ${f.message.replace(/^cannot read the file: /, '')}`);
    return undefined;
  }
}

/** The largest file a build reads (a kustomization, a resource, a patch, a generator input). */
const MAX_KUSTOMIZE_FILE = 16 * 1024 * 1024;

export const str = (v: unknown): string => (v === null || v === undefined ? '' : String(v));

export const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

export function gvkOf(o: Obj): { group: string; version: string; kind: string } {
  const av = str(o.apiVersion);
  const slash = av.indexOf('/');
  return { group: slash >= 0 ? av.slice(0, slash) : '', version: slash >= 0 ? av.slice(slash + 1) : av, kind: str(o.kind) };
}

export function meta(o: Obj): Obj {
  if (!isObj(o.metadata)) setKey(o, 'metadata', {}, originOfNode(o));
  return o.metadata as Obj;
}

export function nameOf(o: Obj): string {
  return str(isObj(o.metadata) ? o.metadata.name : '');
}

export function nsOf(o: Obj): string {
  return str(isObj(o.metadata) ? o.metadata.namespace : '');
}

/** Cluster-scoped as kustomize sees it (its compiled-in OpenAPI data, by apiVersion and kind). */
export function isCluster(o: Obj): boolean {
  return kustomizeClusterScoped(str(o.apiVersion), str(o.kind));
}

export const nsEq = (a: string, b: string) => (a || 'default') === (b || 'default');

/** kustomize's ResId: group, version, kind, namespace and name (the same kind and name in v1 and v2 are two). */
export function idKey(b: Built): string {
  const g = gvkOf(b.obj);
  return `${g.group}/${g.version}/${g.kind}/${isCluster(b.obj) ? '' : nsOf(b.obj) || 'default'}/${nameOf(b.obj)}`;
}

export function rename(b: Built, name: string, origin?: Origin): void {
  const m = meta(b.obj);
  setKey(m, 'name', name, origin ?? originOfKey(m, 'name'));
  b.ids.push({ name, namespace: nsOf(b.obj) });
}

export function isRemote(s: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(s) || /^(git@|github\.com\/|gitlab\.com\/|bitbucket\.org\/)/.test(s) || /\?(ref|version|timeout|submodules)=/.test(s);
}
