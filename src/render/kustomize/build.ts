/**
 * A built-in `kustomize build` (kustomize v5, as `kubectl kustomize` runs it) for what real repositories
 * use: resources (files, directories, nested kustomizations), components, generators with content-hash
 * names, patches, the built-in transformers in kustomize's order, replacements, helmCharts (the built-in
 * Helm renderer), and the name references that follow renamed objects. Every built value keeps the file
 * line that produced it. Nothing outside the scanned tree is read, nothing remote is fetched, nothing runs:
 * each refusal, and every error kustomize would stop at, is a problem at the kustomization line; the rest
 * of the build goes on.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { clone, deleteKey, isObj, loadDocuments, originOfItem, originOfKey, originOfNode, setItems, setKey, setSelfOrigin, stamp, YamlLoadError, type Obj, type Origin } from './nodes.js';
import { jsonPatch, strategicMerge } from './merge.js';
import { asKyaml, timestampsAsText, type ScalarRules } from './kyaml.js';
import { readCustomSchema, schemaOf, type CustomSchema } from './schema.js';
import {
  BUILTIN_GROUPS, COMMON_ANNOTATIONS, COMMON_LABELS, IMAGE_VOLUMES, NAME_REFERENCES, REPLICAS, TEMPLATE_LABELS,
  VOLUME_CLAIM_TEMPLATE_LABELS, pathSegments, splitDotted, type FieldSpec,
} from './fieldspecs.js';
import { isInside, realpathOfMissing, realpathOrUndefined } from '../../load/sandbox.js';
import { readBytes, readTextLenient, lenientText, mib } from '../../load/read.js';
import { tryCompileGo, type GoRegexp } from '../../util/re2.js';
import { sortChoice, sortResources } from './order.js';
import { asFieldSpecs, configFromCrds, ConfigStack, configuredNameRefs, mergeConfig, parseConfig, toFieldSpecs } from './transformer-configs.js';
import { bindVars, resolveVars, type BoundVar } from './vars.js';
import { isEmptyKustomization, normalizeFieldNames, typeErrors } from './kustomization-fields.js';
import { applyPrefixSuffix } from './prefix-suffix.js';
import { applyValueAdd } from './value-add.js';
import { kustomizeClusterScoped } from './scope.js';
import { combinedValues, HELM_V3_KUBE_VERSION, HELM_V3_ONLY_API_VERSIONS, VALUES_MERGE, type ValuesMerge } from './helm-values.js';
import { finishBuildMetadata, hasOrigin, joinOriginPath, ORIGIN_ANNOTATION, readBuildMetadata, recordTransformer, setOrigin, type BuildMetadata, type OriginRecord } from './build-metadata.js';

export const KUSTOMIZATION_FILES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];

/** Fields a kustomization may have (kustomize v5's types.Kustomization). */
const KNOWN_FIELDS = new Set([
  'apiVersion', 'kind', 'metadata', 'openapi', 'namePrefix', 'nameSuffix', 'namespace', 'commonLabels', 'labels', 'commonAnnotations',
  'patchesStrategicMerge', 'patches', 'patchesJson6902', 'images', 'imageTags', 'replacements', 'replicas', 'vars', 'sortOptions', 'resources',
  'components', 'crds', 'bases', 'configMapGenerator', 'secretGenerator', 'helmGlobals', 'helmCharts', 'helmChartInflationGenerator',
  'generatorOptions', 'configurations', 'generators', 'transformers', 'validators', 'buildMetadata',
]);

export type ProblemKind = 'error' | 'unsafe' | 'unsupported';

export interface KustomizeProblem {
  kind: ProblemKind;
  file: string;
  line: number;
  column: number;
  message: string;
}

interface Id {
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

interface Kust {
  dir: string;
  file: string;
  display: string;
  k: Obj;
}

class Ctx {
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

export function findKustomizationFile(dir: string): string | undefined {
  for (const n of KUSTOMIZATION_FILES) {
    const p = path.join(dir, n);
    try {
      if (fs.statSync(p).isFile()) return p;
    } catch {
      /* next */
    }
  }
  return undefined;
}

const str = (v: unknown): string => (v === null || v === undefined ? '' : String(v));
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

function gvkOf(o: Obj): { group: string; version: string; kind: string } {
  const av = str(o.apiVersion);
  const slash = av.indexOf('/');
  return { group: slash >= 0 ? av.slice(0, slash) : '', version: slash >= 0 ? av.slice(slash + 1) : av, kind: str(o.kind) };
}

function meta(o: Obj): Obj {
  if (!isObj(o.metadata)) setKey(o, 'metadata', {}, originOfNode(o));
  return o.metadata as Obj;
}

function nameOf(o: Obj): string {
  return str(isObj(o.metadata) ? o.metadata.name : '');
}

function nsOf(o: Obj): string {
  return str(isObj(o.metadata) ? o.metadata.namespace : '');
}

/** Cluster-scoped as kustomize sees it (its compiled-in OpenAPI data, by apiVersion and kind). */
function isCluster(o: Obj): boolean {
  return kustomizeClusterScoped(str(o.apiVersion), str(o.kind));
}

const nsEq = (a: string, b: string) => (a || 'default') === (b || 'default');

/** kustomize's ResId: group, version, kind, namespace and name (the same kind and name in v1 and v2 are two). */
function idKey(b: Built): string {
  const g = gvkOf(b.obj);
  return `${g.group}/${g.version}/${g.kind}/${isCluster(b.obj) ? '' : nsOf(b.obj) || 'default'}/${nameOf(b.obj)}`;
}

function rename(b: Built, name: string, origin?: Origin): void {
  const m = meta(b.obj);
  setKey(m, 'name', name, origin ?? originOfKey(m, 'name'));
  b.ids.push({ name, namespace: nsOf(b.obj) });
}

function isRemote(s: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(s) || /^(git@|github\.com\/|gitlab\.com\/|bitbucket\.org\/)/.test(s) || /\?(ref|version|timeout|submodules)=/.test(s);
}

/** Build the kustomization in `dir` (a directory holding kustomization.yaml). */
export function buildKustomization(dir: string, host: BuildHost): BuildResult {
  const ctx = new Ctx(host);
  const objects = accumulate(path.resolve(dir), ctx, false, undefined) ?? [];
  // At the top of the build only: content hashes on generated names, then the references that follow renames.
  addHashes(objects);
  fixNameReferences(objects, configuredNameRefs(ctx.cfg.final, objects.map((b) => b.obj)));
  // vars resolve after the name references are fixed, as in kustomize
  resolveVars(
    objects.map((b) => b.obj),
    ctx.vars,
    ctx.cfg.final.varReference,
    (kind, at, file, message) => (kind === 'error' && /cannot be mapped/.test(message) ? ctx.notFound(at, file, message) : ctx.problem(kind, at, file, message)),
  );
  // the build metadata asked for stays (the rest goes, as kustomize's own internal annotations do)
  finishBuildMetadata(objects.map((b) => b.obj), ctx.meta);
  dropEmptyAnnotations(objects);
  return { objects: inOutputOrder(objects, ctx), problems: ctx.problems, files: ctx.files };
}

/** The top kustomization's sortOptions (kustomize's legacy kind order when it has none). */
function inOutputOrder(objects: Built[], ctx: Ctx): Built[] {
  const top = ctx.top;
  const choice = sortChoice(top?.k.sortOptions);
  if ('error' in choice) {
    ctx.problem('error', top ? originOfKey(top.k, 'sortOptions') : undefined, top?.display ?? '.', `${choice.error}; kustomize build fails here`);
    return objects;
  }
  return sortResources(objects, (b) => b.obj, choice);
}

/**
 * kustomize ends a build by removing its internal annotations from every object and writes the annotations
 * back only when some are left: an empty or null `metadata.annotations` is gone from the output (an empty
 * `labels` is not).
 */
function dropEmptyAnnotations(objects: Built[]): void {
  for (const b of objects) {
    const m = b.obj.metadata;
    if (isObj(m) && 'annotations' in m && (m.annotations === null || (isObj(m.annotations) && !Object.keys(m.annotations).length))) deleteKey(m, 'annotations');
  }
}

/**
 * The files a component reads (its resources, patches, generator inputs): a component no build in the scan
 * uses is not linted, but its partial objects must not be linted as objects either.
 */
export function componentFiles(dir: string, host: BuildHost): Set<string> {
  const ctx = new Ctx(host);
  accumulate(path.resolve(dir), ctx, true, []);
  return ctx.files;
}

function loadKustomization(dir: string, ctx: Ctx, from: { k?: Kust; at?: Origin; rel?: string }): Kust | undefined {
  const file = findKustomizationFile(dir);
  const display = ctx.host.display(dir) || '.';
  if (!file) {
    ctx.problem('error', from.at, from.k?.display ?? display, `"${from.rel ?? dir}" is a directory without kustomization.yaml, kustomization.yml or Kustomization; kustomize build fails here`);
    return undefined;
  }
  const fileDisplay = ctx.host.display(file);
  // the kustomization file itself may be a link: it too must stay inside the scanned tree
  const real = realpathOrUndefined(file);
  if (!real || !isInside(ctx.host.root, real)) {
    ctx.problem('unsafe', from.at, from.k?.display ?? fileDisplay, `${fileDisplay} leads outside the scanned tree (${real ?? file}); it was not read`);
    return undefined;
  }
  const text = ctx.readText(file, { dir, file, display: fileDisplay, k: {} }, undefined, 'kustomization');
  if (text === undefined) return undefined;
  let docs;
  try {
    docs = loadDocuments(text, fileDisplay);
  } catch (e) {
    const at = e instanceof YamlLoadError ? { file: fileDisplay, line: e.line, column: e.column } : undefined;
    ctx.problem('error', at, fileDisplay, `${path.basename(file)} is not valid YAML: ${(e as Error).message}`);
    return undefined;
  }
  const k = (docs[0]?.value ?? {}) as Obj;
  if (!isObj(k)) {
    ctx.problem('error', { file: fileDisplay, line: 1, column: 1 }, fileDisplay, `${path.basename(file)} is not a mapping`);
    return undefined;
  }
  const kust: Kust = { dir, file, display: fileDisplay, k };
  if (!ctx.stack.length && !ctx.top) {
    ctx.top = kust;
    ctx.meta = readBuildMetadata(k.buildMetadata, originOfKey(k, 'buildMetadata'));
  }
  // as kustomize decodes it: field names in any case, values of the field's type, not empty
  normalizeFieldNames(k);
  for (const e of typeErrors(k)) ctx.problem('error', originOfKey(k, e.key), fileDisplay, `${path.basename(file)}: ${e.message}; kustomize build fails here`);
  if (isEmptyKustomization(k)) ctx.problem('error', { file: fileDisplay, line: 1, column: 1 }, fileDisplay, `${path.basename(file)} has nothing but its kind and apiVersion; kustomize refuses it (kustomization.yaml is empty)`);
  for (const key of Object.keys(k)) {
    if (!KNOWN_FIELDS.has(key)) ctx.problem('error', originOfKey(k, key), fileDisplay, `${path.basename(file)} has an unknown field "${key}"; kustomize refuses it (invalid Kustomization: json: unknown field "${key}")`);
  }
  if (k.kind !== undefined && k.kind !== 'Kustomization' && k.kind !== 'Component') {
    ctx.problem('error', originOfKey(k, 'kind'), fileDisplay, `the kind of a kustomization is Kustomization or Component, not "${str(k.kind)}"`);
  }
  timestampsAsText(k);
  return kust;
}

/**
 * Accumulate a kustomization: resources, generators, components, transformers (kustomize's
 * accumulateTarget). A component accumulates onto `into` (the resources of the kustomization using it).
 */
function accumulate(dir: string, ctx: Ctx, asComponent: boolean, into: Built[] | undefined, from: { k?: Kust; at?: Origin; rel?: string } = {}): Built[] | undefined {
  const real = realpathOrUndefined(dir) ?? dir;
  if (ctx.stack.includes(real)) {
    ctx.problem('error', from.at, from.k?.display ?? ctx.host.display(dir), `"${from.rel ?? dir}" is already being built (a cycle: ${[...ctx.stack.slice(ctx.stack.indexOf(real)), real].map((d) => ctx.host.display(d) || '.').join(' -> ')}); kustomize build fails here`);
    return undefined;
  }
  const kust = loadKustomization(dir, ctx, from);
  if (!kust) return undefined;
  const k = kust.k;
  if (asComponent && k.kind !== 'Component') ctx.problem('error', from.at, from.k?.display ?? kust.display, `"${from.rel}" is listed as a component but its kind is ${str(k.kind) || 'Kustomization'}, not Component`);
  if (!asComponent && k.kind === 'Component' && from.k) ctx.problem('error', from.at, from.k.display, `"${from.rel}" is a Component: list it under components, not resources`);
  ctx.stack.push(real);
  // a component adds to the configuration of the kustomization using it; a kustomization has its own
  if (!asComponent) {
    ctx.cfg.push();
    ctx.enter();
  }
  try {
    const res: Built[] = into ?? [];
    readOpenApi(kust, ctx);
    // 1. resources (bases are resources)
    const resources = [...list(k.resources).map((r, i) => ({ r, at: originOfItem(k.resources as unknown[], i) })), ...list(k.bases).map((r, i) => ({ r, at: originOfItem(k.bases as unknown[], i) }))];
    for (const { r, at } of resources) addResource(kust, str(r), at, res, ctx);
    readConfigurations(kust, ctx);
    // 2. generators
    runGenerators(kust, res, ctx);
    // 3. components
    list(k.components).forEach((c, i) => {
      const at = originOfItem(k.components as unknown[], i);
      const rel = str(c);
      if (isRemote(rel)) return ctx.problem('unsupported', at, kust.display, `the remote component "${rel}" was not fetched (k8s-audit reads only the scanned tree); what it adds is not linted`);
      const abs = ctx.resolve(kust, rel, at, 'component');
      if (!abs) return;
      ctx.within(rel, () => accumulate(abs, ctx, true, res, { k: kust, at, rel }));
    });
    // 4. transformers, in kustomize's built-in order, then the kustomization's own
    runTransformers(kust, res, ctx);
    // 5. vars: bound to the objects accumulated so far, resolved at the end of the build
    bindVars(k.vars, kust.display, (i) => originOfItem(k.vars as unknown[], i) ?? originOfKey(k, 'vars'), res, isCluster, ctx.vars, (kind, at, file, message) => ctx.problem(kind, at, file, message));
    return res;
  } finally {
    if (!asComponent) {
      ctx.cfg.pop();
      ctx.leave();
    }
    ctx.stack.pop();
  }
}

/** The ids of a resource list as resources are added to it (a scan per added resource is quadratic in their number). */
const idIndexes = new WeakMap<Built[], { count: number; byKey: Map<string, Built> }>();

function idIndexOf(res: Built[]): Map<string, Built> {
  let ix = idIndexes.get(res);
  // rebuilt when the list changed other than through addBuilt
  if (!ix || ix.count !== res.length) {
    ix = { count: res.length, byKey: new Map() };
    for (const x of res) {
      const key = idKey(x);
      if (!ix.byKey.has(key)) ix.byKey.set(key, x);
    }
    idIndexes.set(res, ix);
  }
  return ix.byKey;
}

/**
 * `configurations:` (field specs for the transformers and the name references), and the files `openapi:`
 * names: kustomize reads them, so a missing one fails the build.
 */
function readConfigurations(kust: Kust, ctx: Ctx): void {
  const k = kust.k;
  list(k.configurations).forEach((c, i) => {
    const at = originOfItem(k.configurations as unknown[], i);
    const abs = ctx.resolveLocal(kust, str(c), at, 'configuration file');
    if (!abs) return;
    const text = ctx.readText(abs, kust, at, 'configuration file');
    if (text === undefined) return;
    try {
      for (const d of loadDocuments(text, ctx.host.display(abs))) if (isObj(d.value)) mergeConfig(ctx.cfg.current(), parseConfig(d.value));
    } catch (e) {
      ctx.problem('error', at, kust.display, `the configuration file ${ctx.host.display(abs)} is not valid YAML: ${(e as Error).message}; kustomize build fails here`);
    }
  });
  list(k.crds).forEach((c, i) => {
    const at = originOfItem(k.crds as unknown[], i);
    const abs = ctx.resolveLocal(kust, str(c), at, 'CRD OpenAPI definitions file');
    const text = abs && ctx.readText(abs, kust, at, 'CRD OpenAPI definitions file');
    if (!text) return;
    try {
      const d = loadDocuments(text, ctx.host.display(abs!))[0]?.value;
      if (isObj(d)) mergeConfig(ctx.cfg.current(), configFromCrds(d));
    } catch (e) {
      ctx.problem('error', at, kust.display, `unable to parse open API definition from '${str(c)}': ${(e as Error).message}; kustomize build fails here`);
    }
  });
  if (isObj(k.openapi) && k.openapi.path !== undefined) ctx.resolveLocal(kust, str(k.openapi.path), originOfKey(k.openapi, 'path'), 'OpenAPI schema file');
}


/**
 * `openapi: {path}`: an OpenAPI document whose definitions give custom kinds the merge keys a strategic-merge
 * patch uses (kustomize reads it for the whole build).
 */
function readOpenApi(kust: Kust, ctx: Ctx): void {
  const o = kust.k.openapi;
  if (!isObj(o) || o.path === undefined) return;
  const at = originOfKey(o, 'path');
  // (a path that is missing or leaves the kustomization's directory is reported where configurations: and
  // openapi: files are resolved; here it only adds nothing)
  const abs = realpathOrUndefined(path.resolve(kust.dir, str(o.path)));
  if (!abs || !isInside(realpathOrUndefined(kust.dir) ?? kust.dir, abs)) return;
  const text = ctx.readText(abs, kust, at, 'openapi file');
  if (text === undefined) return;
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    try {
      doc = loadDocuments(text, ctx.host.display(abs))[0]?.value;
    } catch (e) {
      ctx.problem('error', at, kust.display, `the openapi file ${ctx.host.display(abs)} is not valid JSON or YAML: ${(e as Error).message}; kustomize build fails here`);
      return;
    }
  }
  const custom = readCustomSchema(doc);
  if (!ctx.customSchema) ctx.customSchema = custom;
  else {
    for (const [k, v] of custom.roots) ctx.customSchema.roots.set(k, v);
    Object.assign(ctx.customSchema.types, custom.types);
  }
}

function addBuilt(res: Built[], b: Built, ctx: Ctx, k: Kust, at: Origin | undefined): void {
  const key = idKey(b);
  const byKey = idIndexOf(res);
  let clash = byKey.get(key);
  // an object renamed since it was indexed: look again the slow way
  if (clash && idKey(clash) !== key) clash = res.find((x) => idKey(x) === key);
  if (clash) {
    if (b.behavior === 'merge' || b.behavior === 'replace') return;
    ctx.problem('error', at, k.display, `${str(b.obj.kind)} "${nameOf(b.obj)}"${nsOf(b.obj) ? ` in namespace ${nsOf(b.obj)}` : ''} is defined twice in this build; kustomize refuses it (may not add resource with an already registered id)`);
    return;
  }
  res.push(b);
  byKey.set(key, b);
  idIndexes.get(res)!.count = res.length;
}

function objectsOfFile(abs: string, kust: Kust, at: Origin | undefined, ctx: Ctx): Obj[] {
  const text = ctx.readText(abs, kust, at, 'resource');
  if (text === undefined) return [];
  const display = ctx.host.display(abs);
  let docs;
  try {
    docs = asKyaml(loadDocuments(text, display, { uniqueKeys: true }), text);
  } catch (e) {
    const where = e instanceof YamlLoadError ? { file: display, line: e.line, column: e.column } : at;
    ctx.problem('error', where, kust.display, `${display} is not valid YAML: ${(e as Error).message}; kustomize build fails here`);
    return [];
  }
  const out: Obj[] = [];
  for (const d of docs) {
    const v = d.value;
    if (v === null || v === undefined) continue;
    if (!isObj(v)) {
      ctx.problem('error', { file: display, line: d.line, column: 1 }, kust.display, `a document of ${display} is not a mapping; kustomize build fails here`);
      continue;
    }
    if (/List$/.test(str(v.kind)) && Array.isArray(v.items)) {
      for (const it of v.items) if (isObj(it)) out.push(it);
      continue;
    }
    if (!v.kind || !isObj(v.metadata) || v.metadata.name === undefined) {
      if (v.kind === 'Kustomization' || v.kind === 'Component') ctx.problem('error', { file: display, line: d.line, column: 1 }, kust.display, `${display} is a kustomization, listed as a resource file: list its directory instead`);
      else ctx.problem('error', { file: display, line: d.line, column: 1 }, kust.display, `a document of ${display} has no ${!v.kind ? 'kind' : 'metadata.name'}; kustomize build fails here (missing metadata.name or kind)`);
      continue;
    }
    out.push(v);
  }
  return out;
}

function addResource(kust: Kust, rel: string, at: Origin | undefined, res: Built[], ctx: Ctx): void {
  if (!rel) return;
  if (isRemote(rel)) return ctx.problem('unsupported', at, kust.display, `the remote resource "${rel}" was not fetched (k8s-audit reads only the scanned tree); what it adds is not linted`);
  const abs = ctx.resolve(kust, rel, at, 'resource');
  if (!abs) return;
  let st: fs.Stats;
  try {
    st = fs.statSync(abs);
  } catch {
    return;
  }
  if (st.isDirectory()) {
    const sub = ctx.within(rel, () => accumulate(abs, ctx, false, undefined, { k: kust, at, rel }));
    for (const b of sub ?? []) addBuilt(res, b, ctx, kust, at);
    return;
  }
  // A resource file, like every file a kustomization reads, must be in or below its directory.
  const dirReal = realpathOrUndefined(kust.dir) ?? kust.dir;
  if (!isInside(dirReal, abs)) {
    ctx.problem('error', at, kust.display, `the resource file "${rel}" is not in or below ${ctx.host.display(kust.dir) || '.'}; kustomize's load restrictor refuses it (list the directory that holds it, as a kustomization)`);
    return;
  }
  for (const o of objectsOfFile(abs, kust, at, ctx)) {
    if (ctx.meta) setOrigin(o, { path: joinOriginPath(ctx.originPath, rel) }, ctx.meta.at);
    addBuilt(res, { obj: o, ids: [{ name: nameOf(o), namespace: nsOf(o) }] }, ctx, kust, at);
  }
}

// ------------------------------------------------------------------ generators

interface GenOptions {
  labels?: Obj;
  annotations?: Obj;
  disableNameSuffixHash?: boolean;
  immutable?: boolean;
}

function runGenerators(kust: Kust, res: Built[], ctx: Ctx): void {
  const k = kust.k;
  const global = (isObj(k.generatorOptions) ? k.generatorOptions : {}) as GenOptions;
  for (const [field, kind] of [['configMapGenerator', 'ConfigMap'], ['secretGenerator', 'Secret']] as const) {
    list(k[field]).forEach((g, i) => {
      if (!isObj(g)) return;
      const at = originOfItem(k[field] as unknown[], i);
      const made = generate(kust, kind, g, global, at, ctx);
      if (made) generatedBy(made.obj, ctx.builtinOrigin(kust, `${kind}Generator`), ctx);
      if (made) mergeGenerated(res, made, str(g.behavior) || 'create', ctx, kust, at);
    });
  }
  list(k.helmCharts).forEach((h, i) => {
    if (!isObj(h)) return;
    const at = originOfItem(k.helmCharts as unknown[], i);
    for (const o of inflateHelm(kust, h, at, ctx)) {
      generatedBy(o, ctx.builtinOrigin(kust, 'HelmChartInflationGenerator'), ctx);
      addBuilt(res, { obj: o, ids: [{ name: nameOf(o), namespace: nsOf(o) }] }, ctx, kust, at);
    }
  });
  // `generators:` entries: the built-in generators' configs; anything else is a plugin, never run.
  list(k.generators).forEach((g, i) =>
    builtinPluginConfigs(kust, g, originOfItem(k.generators as unknown[], i), 'generator', ctx).forEach((cfg) => {
      const kind = str(cfg.obj.kind);
      if (kind === 'ConfigMapGenerator' || kind === 'SecretGenerator') {
        const made = generate(kust, kind === 'ConfigMapGenerator' ? 'ConfigMap' : 'Secret', { ...cfg.obj, name: nameOf(cfg.obj) || cfg.obj.name, namespace: nsOf(cfg.obj) || cfg.obj.namespace }, global, cfg.at, ctx);
        if (made) generatedBy(made.obj, pluginOrigin(cfg), ctx);
        if (made) mergeGenerated(res, made, str(cfg.obj.behavior) || 'create', ctx, kust, cfg.at);
      } else ctx.problem('unsupported', cfg.at, kust.display, `the generator ${kind} is a plugin; k8s-audit runs no plugins, so what it generates is not linted`);
    }),
  );
}

/** A generated object's origin (kustomize's AddOriginAnnotation: kept when it already has one). */
function generatedBy(o: Obj, origin: OriginRecord, ctx: Ctx): void {
  if (ctx.meta && !hasOrigin(o)) setOrigin(o, origin, ctx.meta.at);
}

/** The origin of a generator or transformer given as a config in `generators:` / `transformers:` (OriginFromCustomPlugin). */
function pluginOrigin(cfg: { obj: Obj; from: string }): OriginRecord {
  return { configuredIn: cfg.from, configuredBy: { apiVersion: str(cfg.obj.apiVersion), kind: str(cfg.obj.kind), name: nameOf(cfg.obj), namespace: nsOf(cfg.obj) } };
}

/** Base64 the way kyaml writes generated data: 70-character lines, each ending in a newline, once over 70. */
function base64Lines(buf: Buffer): string {
  const enc = buf.toString('base64');
  if (enc.length < 70) return enc;
  let out = '';
  for (let i = 0; i < enc.length; i += 70) out += enc.slice(i, i + 70) + '\n';
  return out;
}

/** kustomize's env file: KEY=VALUE lines, '#' comments; a bare KEY would read the environment, which is refused. */
function parseEnvFile(text: string, display: string, ctx: Ctx, kust: Kust): [string, string, Origin][] {
  const out: [string, string, Origin][] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.replace(/\r$/, '');
    const t = line.trim();
    if (!t || t.startsWith('#')) return;
    const at = { file: display, line: i + 1, column: line.length - line.trimStart().length + 1 };
    const eq = line.indexOf('=');
    if (eq < 0) {
      ctx.problem('unsafe', at, kust.display, `"${t}" in ${display} asks for the value of the environment variable ${t}; k8s-audit does not read its environment into a build, so the key is left empty`);
      out.push([t, '', at]);
      return;
    }
    out.push([line.slice(0, eq).trimStart(), line.slice(eq + 1), at]);
  });
  return out;
}

function generate(kust: Kust, kind: 'ConfigMap' | 'Secret', g: Obj, global: GenOptions, at: Origin | undefined, ctx: Ctx): Built | undefined {
  const name = str(g.name);
  if (!name) {
    ctx.problem('error', at, kust.display, `a ${kind === 'ConfigMap' ? 'configMapGenerator' : 'secretGenerator'} entry has no name; kustomize build fails here`);
    return undefined;
  }
  const entries: { key: string; value: string; binary?: boolean; at: Origin | undefined }[] = [];
  const add = (key: string, value: Buffer | string, where: Origin | undefined) => {
    const buf = Buffer.isBuffer(value) ? value : Buffer.from(value, 'utf8');
    const isText = (() => {
      try {
        new TextDecoder('utf-8', { fatal: true }).decode(buf);
        return true;
      } catch {
        return false;
      }
    })();
    if (entries.some((e) => e.key === key)) ctx.problem('error', where, kust.display, `the key "${key}" is set twice in the ${kind} generator "${name}"; kustomize build fails here`);
    entries.push({ key, value: isText ? buf.toString('utf8') : base64Lines(buf), binary: !isText, at: where });
  };
  list(g.literals).forEach((l, i) => {
    const s = str(l);
    const where = originOfItem(g.literals as unknown[], i);
    const eq = s.indexOf('=');
    if (eq < 0) return ctx.problem('error', where, kust.display, `the literal "${s}" is not key=value; kustomize build fails here`);
    let v = s.slice(eq + 1);
    if (v.length >= 2 && ((v.startsWith('"') && v.endsWith('"')) || (v.startsWith("'") && v.endsWith("'")))) v = v.slice(1, -1);
    add(s.slice(0, eq), v, where);
  });
  list(g.files).forEach((f, i) => {
    const s = str(f);
    const where = originOfItem(g.files as unknown[], i);
    const eq = s.indexOf('=');
    const key = eq >= 0 ? s.slice(0, eq) : path.basename(s);
    const rel = eq >= 0 ? s.slice(eq + 1) : s;
    const abs = ctx.resolveLocal(kust, rel, where, 'generator file');
    if (!abs) return;
    try {
      if (fs.statSync(abs).isDirectory()) {
        for (const n of fs.readdirSync(abs).sort()) {
          const p = path.join(abs, n);
          if (!isInside(ctx.host.root, realpathOrUndefined(p) ?? p) || fs.statSync(p).isDirectory()) continue;
          const buf = ctx.readBytes(p, kust, where, 'generator file');
          if (buf) add(n, buf, where);
        }
        return;
      }
    } catch (e) {
      return ctx.problem('error', where, kust.display, `cannot read the generator file "${rel}": ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
    const buf = ctx.readBytes(abs, kust, where, 'generator file');
    if (buf) add(key, buf, where);
  });
  const envs = [...list(g.envs), ...(g.env !== undefined ? [g.env] : [])];
  envs.forEach((e, i) => {
    const where = Array.isArray(g.envs) && i < g.envs.length ? originOfItem(g.envs, i) : originOfKey(g, 'env');
    const abs = ctx.resolveLocal(kust, str(e), where, 'env file');
    if (!abs) return;
    const text = ctx.readText(abs, kust, where, 'env file');
    if (text === undefined) return;
    for (const [key, value, lineAt] of parseEnvFile(text, ctx.host.display(abs), ctx, kust)) add(key, value, lineAt);
  });
  const local = (isObj(g.options) ? g.options : {}) as GenOptions;
  // kustomize ORs the global switches into each generator's own
  const opts: GenOptions = { disableNameSuffixHash: global.disableNameSuffixHash === true || local.disableNameSuffixHash === true, immutable: global.immutable === true || local.immutable === true };
  const labels = { ...(isObj(global.labels) ? global.labels : {}), ...(isObj(g.options) && isObj((g.options as Obj).labels) ? ((g.options as Obj).labels as Obj) : {}) };
  const annotations = { ...(isObj(global.annotations) ? global.annotations : {}), ...(isObj(g.options) && isObj((g.options as Obj).annotations) ? ((g.options as Obj).annotations as Obj) : {}) };
  const origin = at ?? { file: kust.display, line: 1, column: 1 };
  const m: Obj = { name };
  if (g.namespace) m.namespace = str(g.namespace);
  if (Object.keys(labels).length) m.labels = Object.fromEntries(Object.entries(labels).map(([a, b]) => [a, str(b)]));
  if (Object.keys(annotations).length) m.annotations = Object.fromEntries(Object.entries(annotations).map(([a, b]) => [a, str(b)]));
  const obj: Obj = { apiVersion: 'v1', kind, metadata: m };
  if (kind === 'Secret') obj.type = str(g.type) || 'Opaque';
  const data: Obj = {};
  const binaryData: Obj = {};
  for (const e of entries) {
    if (kind === 'Secret') data[e.key] = e.binary ? e.value : base64Lines(Buffer.from(e.value, 'utf8'));
    else if (e.binary) binaryData[e.key] = e.value;
    else data[e.key] = e.value;
  }
  // kustomize makes a Secret with its data map always (empty when nothing is given), a ConfigMap without one
  if (Object.keys(data).length || kind === 'Secret') obj.data = data;
  if (Object.keys(binaryData).length) obj.binaryData = binaryData;
  if (opts.immutable) obj.immutable = true;
  stamp(obj, origin);
  // each key points at its own literal, file or env line
  for (const e of entries) {
    const holder = (kind === 'ConfigMap' && e.binary ? obj.binaryData : obj.data) as Obj | undefined;
    if (holder && e.at) setKey(holder, e.key, holder[e.key], e.at);
  }
  return { obj, ids: [{ name, namespace: str(g.namespace) }], hash: !opts.disableNameSuffixHash, behavior: str(g.behavior) || 'create' };
}

function mergeGenerated(res: Built[], b: Built, asked: string, ctx: Ctx, kust: Kust, at: Origin | undefined): void {
  const g = gvkOf(b.obj);
  // kustomize reads any other behavior as unspecified, which acts as create
  const behavior = asked === 'merge' || asked === 'replace' ? asked : 'create';
  const match = res.find((x) => gvkOf(x.obj).kind === g.kind && x.ids.some((id) => id.name === nameOf(b.obj) && nsEq(id.namespace, nsOf(b.obj))));
  if (behavior === 'create') {
    if (match) return ctx.problem('error', at, kust.display, `the ${g.kind} "${nameOf(b.obj)}" already exists; a generator with behavior create may not add it again (use behavior: merge or replace)`);
    res.push(b);
    return;
  }
  if (!match) return ctx.notFound(at, kust.display, `the ${g.kind} "${nameOf(b.obj)}" to ${behavior} is not in the resources; kustomize build fails here`);
  if (behavior === 'replace') {
    for (const key of ['data', 'binaryData', 'type', 'immutable']) {
      if (b.obj[key] !== undefined) setKey(match.obj, key, b.obj[key], originOfKey(b.obj, key));
      else if (key !== 'type') deleteKey(match.obj, key);
    }
  } else {
    for (const key of ['data', 'binaryData']) {
      const src = b.obj[key];
      if (!isObj(src)) continue;
      if (!isObj(match.obj[key])) setKey(match.obj, key, {}, originOfKey(b.obj, key));
      const dst = match.obj[key] as Obj;
      for (const dk of Object.keys(src)) setKey(dst, dk, src[dk], originOfKey(src, dk));
    }
  }
  const bm = b.obj.metadata as Obj;
  const mm = meta(match.obj);
  // with behavior merge the object keeps where it came from; replace takes the generator's origin
  const keepOrigin = behavior === 'merge' && hasOrigin(match.obj);
  for (const key of ['labels', 'annotations']) {
    if (!isObj(bm[key])) continue;
    if (!isObj(mm[key])) setKey(mm, key, {}, originOfKey(bm, key));
    for (const [lk, lv] of Object.entries(bm[key] as Obj)) if (!(keepOrigin && key === 'annotations' && lk === ORIGIN_ANNOTATION)) setKey(mm[key] as Obj, lk, lv, originOfKey(bm[key] as Obj, lk));
  }
  // the hash suffix stays only when both generators ask for it (kustomize keeps its build annotation from the
  // base's object and drops it when the overlay's generator does not set it)
  match.hash = (match.hash ?? false) && (b.hash ?? false);
}

function inflateHelm(kust: Kust, h: Obj, at: Origin | undefined, ctx: Ctx): Obj[] {
  const name = str(h.name);
  const globals = isObj(kust.k.helmGlobals) ? kust.k.helmGlobals : {};
  const home = str(globals.chartHome) || 'charts';
  const candidates = [path.join(home, name), ...(h.version ? [path.join(home, `${name}-${str(h.version)}`, name)] : [])];
  let chartDir: string | undefined;
  for (const c of candidates) {
    const abs = path.resolve(kust.dir, c);
    if (fs.existsSync(path.join(abs, 'Chart.yaml'))) {
      chartDir = ctx.resolve(kust, c, at, 'chart');
      break;
    }
  }
  if (!chartDir) {
    ctx.problem('unsupported', at, kust.display, `the chart "${name}" is not under ${home}/ ${h.repo ? `(it would be pulled from ${str(h.repo)}; nothing is fetched)` : ''}; what it renders is not linted`);
    return [];
  }
  if (!ctx.host.renderHelm) return [];
  const mode = (str(h.valuesMerge) || 'override') as ValuesMerge;
  if (!VALUES_MERGE.includes(mode)) {
    ctx.problem('error', originOfKey(h, 'valuesMerge') ?? at, kust.display, `helmCharts "${name}": valuesMerge must be one of [${VALUES_MERGE.join(' ')}]; kustomize build fails here`);
    return [];
  }
  // the values file kustomize passes: the one named, or the chart's values.yaml; either must exist
  const valuesFile = h.valuesFile ? ctx.resolveLocal(kust, str(h.valuesFile), originOfKey(h, 'valuesFile') ?? at, 'values file') : ctx.resolve(kust, path.relative(kust.dir, path.join(chartDir, 'values.yaml')), at, "chart's values file");
  if (!valuesFile) return [];
  const additional: string[] = [];
  list(h.additionalValuesFiles).forEach((v, i) => {
    const abs = ctx.resolveLocal(kust, str(v), originOfItem(h.additionalValuesFiles as unknown[], i) ?? at, 'additional values file');
    if (abs) additional.push(abs);
  });
  let fileValues: unknown;
  const inline = isObj(h.valuesInline) ? h.valuesInline : undefined;
  if (inline && Object.keys(inline).length && mode !== 'replace') {
    const text = ctx.readText(valuesFile, kust, at, 'values file');
    try {
      fileValues = text === undefined ? {} : loadDocuments(text, ctx.host.display(valuesFile))[0]?.value;
    } catch (e) {
      ctx.problem('error', originOfKey(h, 'valuesFile') ?? at, kust.display, `helmCharts "${name}": could not parse values file into rnode: ${(e as Error).message}; kustomize build fails here`);
      return [];
    }
  }
  const combined = combinedValues(mode, fileValues, inline);
  const r = ctx.host.renderHelm(chartDir, {
    releaseName: str(h.releaseName) || 'release-name',
    namespace: h.namespace ? str(h.namespace) : undefined,
    // combined values replace the file; the additional files come after it (here, before the inline values
    // the renderer applies last: the same unless both set one key)
    valuesFiles: combined ? additional : [valuesFile, ...additional],
    valuesInline: combined,
    includeCrds: h.includeCRDs === true,
    kubeVersion: h.kubeVersion ? str(h.kubeVersion) : undefined,
    defaultKubeVersion: HELM_V3_KUBE_VERSION,
    apiVersions: [...HELM_V3_ONLY_API_VERSIONS, ...list(h.apiVersions).map(str)],
  });
  for (const e of r.errors) ctx.problem('error', { file: e.file, line: e.line, column: 1 }, kust.display, `helmCharts "${name}": ${e.message}`);
  return r.docs;
}

// ------------------------------------------------------------------ selection

interface Selector {
  group?: string;
  version?: string;
  kind?: string;
  name?: string;
  namespace?: string;
  labelSelector?: string;
  annotationSelector?: string;
}

/**
 * A selector field as kustomize reads it: a Go regexp, anchored `^(?:...)$`. Compiled with RE2 (src/util/re2.ts):
 * the pattern is the kustomization's, and a backtracking RegExp would hang on `(a+)+b`.
 */
function anchored(pattern: string): GoRegexp | undefined {
  return tryCompileGo(`^(?:${pattern})$`);
}

function matchesLabelSelector(labels: Obj, sel: string): boolean {
  for (const part of sel.split(',').map((s) => s.trim()).filter(Boolean)) {
    let m;
    if ((m = /^([^!=\s]+)\s*(==|=|!=)\s*(.*)$/.exec(part))) {
      const v = labels[m[1]];
      const eq = v !== undefined && str(v) === m[3];
      if (m[2] === '!=' ? eq : !eq) return false;
    } else if ((m = /^([^\s]+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(part))) {
      const vals = m[3].split(',').map((s) => s.trim());
      const has = labels[m[1]] !== undefined && vals.includes(str(labels[m[1]]));
      if (m[2] === 'in' ? !has : has) return false;
    } else if (part.startsWith('!')) {
      if (labels[part.slice(1)] !== undefined) return false;
    } else if (labels[part] === undefined) return false;
  }
  return true;
}

function selects(sel: Selector, b: Built): boolean {
  const g = gvkOf(b.obj);
  const test = (pat: string | undefined, v: string) => pat === undefined || pat === '' || (anchored(pat)?.test(v) ?? false);
  if (!test(sel.group, g.group) || !test(sel.version, g.version) || !test(sel.kind, g.kind)) return false;
  if (sel.name && !b.ids.some((id) => test(sel.name, id.name))) return false;
  if (sel.namespace && !test(sel.namespace, nsOf(b.obj)) && !b.ids.some((id) => test(sel.namespace, id.namespace))) return false;
  const md = isObj(b.obj.metadata) ? b.obj.metadata : {};
  if (sel.labelSelector && !matchesLabelSelector(isObj(md.labels) ? md.labels : {}, sel.labelSelector)) return false;
  if (sel.annotationSelector && !matchesLabelSelector(isObj(md.annotations) ? md.annotations : {}, sel.annotationSelector)) return false;
  return true;
}

function selectorOf(v: unknown): Selector {
  if (!isObj(v)) return {};
  const s: Selector = {};
  for (const k of ['group', 'version', 'kind', 'name', 'namespace', 'labelSelector', 'annotationSelector'] as const) if (v[k] !== undefined) s[k] = str(v[k]);
  return s;
}

// ------------------------------------------------------------------ field specs

function specApplies(fs: FieldSpec, o: Obj): boolean {
  const g = gvkOf(o);
  if (fs.kinds && !fs.kinds.includes(g.kind)) return false;
  if (fs.group !== undefined && fs.group !== g.group) return false;
  return true;
}

/** Visit the map that holds the last segment of `segs` below `node`, creating maps when asked. */
function visitField(node: unknown, segs: string[], create: boolean, origin: Origin | undefined, fn: (holder: Obj, key: string) => void): void {
  if (Array.isArray(node)) {
    for (const item of node) visitField(item, segs, create, origin, fn);
    return;
  }
  if (!isObj(node) || !segs.length) return;
  const [seg, ...rest] = segs;
  // `name[]` (kustomize's sequence hint): a list, looked up but never created
  const seq = seg.endsWith('[]');
  const head = seq ? seg.slice(0, -2) : seg;
  if (!rest.length) {
    fn(node, head);
    return;
  }
  let next = node[head];
  if ((next === undefined || next === null) && create && !seq) {
    next = {};
    setKey(node, head, next, origin);
  }
  visitField(next, rest, create, origin, fn);
}

function applyMapField(res: Built[], specs: FieldSpec[], pairs: Obj, origins: Obj, skip?: (b: Built) => boolean): void {
  for (const b of res) {
    if (skip?.(b)) continue;
    for (const spec of specs) {
      if (!specApplies(spec, b.obj)) continue;
      const segs = pathSegments(spec.path);
      visitField(b.obj, segs, !!spec.create, originOfNode(pairs), (holder, key) => {
        let m = holder[key];
        if (m === undefined || m === null) {
          if (!spec.create) return;
          m = {};
          setKey(holder, key, m, originOfNode(pairs));
        }
        if (!isObj(m)) return;
        for (const [k, v] of Object.entries(pairs)) setKey(m, k, str(v), originOfKey(origins, k));
      });
    }
  }
}

// ------------------------------------------------------------------ transformers

function patchOrigins(kust: Kust, entry: Obj, key: 'patch' | 'path', ctx: Ctx): { text: string; file: string; lineOffset: number; colOffset: number } | undefined {
  if (key === 'path') {
    const abs = ctx.resolveLocal(kust, str(entry.path), originOfKey(entry, 'path'), 'patch');
    if (!abs) return undefined;
    const text = ctx.readText(abs, kust, originOfKey(entry, 'path'), 'patch');
    return text === undefined ? undefined : { text, file: ctx.host.display(abs), lineOffset: 0, colOffset: 0 };
  }
  return inlineText(kust, entry, 'patch');
}

/** An inline YAML string of a kustomization (`patch: |-`): its text and where its lines sit in the file. */
function inlineText(kust: Kust, holder: Obj, key: string): { text: string; file: string; lineOffset: number; colOffset: number } {
  const text = str(holder[key]);
  const at = originOfKey(holder, key);
  let lineOffset = at ? at.line : 0;
  let colOffset = 0;
  try {
    const read = readTextLenient(kust.file);
    if (!('text' in read)) throw new Error(read.failure.message);
    const lines = read.text.split('\n');
    const keyLine = lines[(at?.line ?? 1) - 1] ?? '';
    const after = keyLine.slice(keyLine.indexOf(':') + 1).trim();
    if (/^[|>]/.test(after)) {
      // a block scalar: its content starts on the next line, indented
      const first = text.split('\n')[0];
      for (let i = at?.line ?? 0; i < lines.length; i++) {
        if (lines[i].trim() === '') continue;
        const idx = lines[i].indexOf(first);
        if (idx >= 0) {
          lineOffset = i;
          colOffset = idx;
        }
        break;
      }
    } else lineOffset = (at?.line ?? 1) - 1;
  } catch {
    /* keep */
  }
  return { text, file: kust.display, lineOffset, colOffset };
}

/** Move the origins of a value parsed from an inline string to where that string sits in its file. */
function shiftOrigins(v: unknown, file: string, dl: number, dc: number, seen = new Set<unknown>()): void {
  if (seen.has(v)) return;
  const shift = (o: Origin | undefined): Origin | undefined => (o ? { ...o, file, line: o.line + dl, column: o.column + dc } : o);
  if (Array.isArray(v)) {
    seen.add(v);
    setItems(v, [...v], v.map((_, i) => shift(originOfItem(v, i))));
    v.forEach((x) => shiftOrigins(x, file, dl, dc, seen));
  } else if (isObj(v)) {
    seen.add(v);
    setSelfOrigin(v, shift(originOfNode(v)));
    for (const k of Object.keys(v)) {
      setKey(v, k, v[k], shift(originOfKey(v, k)));
      shiftOrigins(v[k], file, dl, dc, seen);
    }
  }
}

/** A patch's documents; `rules` null leaves plain scalars unread (the caller reads them with asKyaml). */
function parsePatch(src: { text: string; file: string; lineOffset: number; colOffset: number }, kust: Kust, at: Origin | undefined, ctx: Ctx, rules: ScalarRules | null = 'kyaml'): unknown[] | undefined {
  try {
    const loaded = loadDocuments(src.text, src.file, { uniqueKeys: true });
    const docs = (rules ? asKyaml(loaded, src.text, rules) : loaded).map((d) => d.value);
    if (src.lineOffset || src.colOffset) for (const d of docs) shiftOrigins(d, src.file, src.lineOffset, src.colOffset);
    return docs;
  } catch (e) {
    ctx.problem('error', e instanceof YamlLoadError ? { file: src.file, line: e.line + src.lineOffset, column: e.column + src.colOffset } : at, kust.display, `the patch is not valid YAML: ${(e as Error).message}; kustomize build fails here`);
    return undefined;
  }
}


function applyStrategic(res: Built[], patch: Obj, targets: Built[] | undefined, kust: Kust, at: Origin | undefined, ctx: Ctx, allowNameChange = false): void {
  const pm = isObj(patch.metadata) ? patch.metadata : {};
  const matched =
    targets ??
    res.filter((b) => {
      const g = gvkOf(b.obj);
      const pg = gvkOf(patch);
      // kustomize looks the patch's own id up: group, version and kind must all be the target's
      if (g.kind !== pg.kind || (str(patch.apiVersion) && (g.group !== pg.group || g.version !== pg.version))) return false;
      return b.ids.some((id) => id.name === str(pm.name) && (pm.namespace === undefined ? true : nsEq(id.namespace, str(pm.namespace))));
    });
  if (!matched.length) {
    ctx.notFound(at, kust.display, `the patch for ${str(patch.kind)} "${str(pm.name)}" matches no resource of this build; kustomize build fails here (no matches for Id)`);
    return;
  }
  for (const b of matched) {
    const p = clone(patch);
    if (targets) {
      // a targeted patch keeps the target's identity
      const m = isObj(p.metadata) ? p.metadata : undefined;
      if (m && !allowNameChange) {
        deleteKey(m, 'name');
        deleteKey(m, 'namespace');
      }
      deleteKey(p, 'apiVersion');
      deleteKey(p, 'kind');
    } else if (isObj(p.metadata)) deleteKey(p.metadata, 'name');
    const before = nameOf(b.obj);
    const m0 = meta(b.obj);
    const ns0 = 'namespace' in m0 ? { v: m0.namespace, o: originOfKey(m0, 'namespace') } : undefined;
    const keep = strategicMerge(b.obj, p, { schema: schemaOf(str(b.obj.apiVersion), str(b.obj.kind), ctx.customSchema) });
    if (!keep) {
      res.splice(res.indexOf(b), 1);
      continue;
    }
    // kustomize gives the patched object its namespace back whatever the patch says (a patch written against
    // the base's `namespace: system` does not move the object out of the namespace the base put it in)
    const m = meta(b.obj);
    if (ns0) setKey(m, 'namespace', ns0.v, ns0.o);
    else deleteKey(m, 'namespace');
    if (nameOf(b.obj) !== before) b.ids.push({ name: nameOf(b.obj), namespace: nsOf(b.obj) });
  }
}

function applyJson6902(res: Built[], ops: unknown[], targets: Built[], kust: Kust, at: Origin | undefined, ctx: Ctx): void {
  for (const b of targets) {
    const before = nameOf(b.obj);
    // Inside kustomize every object carries annotations (its internal previous-id ones, removed when the build
    // ends), so a patch may add under /metadata/annotations of an object that shows none.
    const m = isObj(b.obj.metadata) ? b.obj.metadata : undefined;
    const lent = m !== undefined && !isObj(m.annotations);
    if (lent) setKey(m, 'annotations', {}, originOfKey(m, 'annotations'));
    try {
      jsonPatch(b.obj, ops);
    } catch (e) {
      ctx.problem('error', at, kust.display, `the JSON patch cannot be applied to ${str(b.obj.kind)} "${nameOf(b.obj)}": ${(e as Error).message}; kustomize build fails here`);
    }
    if (lent && isObj(b.obj.metadata) && isObj(b.obj.metadata.annotations) && !Object.keys(b.obj.metadata.annotations).length) deleteKey(b.obj.metadata, 'annotations');
    if (nameOf(b.obj) !== before) b.ids.push({ name: nameOf(b.obj), namespace: nsOf(b.obj) });
  }
  void res;
}

function runPatch(res: Built[], entry: Obj, kust: Kust, at: Origin | undefined, ctx: Ctx, kind: 'patches' | 'strategic' | 'json6902'): void {
  const src = entry.path !== undefined ? patchOrigins(kust, entry, 'path', ctx) : entry.patch !== undefined ? patchOrigins(kust, entry, 'patch', ctx) : undefined;
  if (!src) {
    if (entry.path === undefined && entry.patch === undefined) ctx.problem('error', at, kust.display, 'a patch needs a path or an inline patch; kustomize build fails here');
    return;
  }
  const loaded = parsePatch(src, kust, at, ctx, null);
  if (!loaded) return;
  const target = entry.target !== undefined ? selectorOf(entry.target) : undefined;
  const targets = target ? res.filter((b) => selects(target, b)) : undefined;
  // a target that selects nothing: kustomize applies the patch to nothing, silently
  if (target && !targets!.length) return;
  const options = isObj(entry.options) ? entry.options : {};
  const isJson = kind === 'json6902' || (loaded.length === 1 && Array.isArray(loaded[0]));
  // a JSON 6902 patch is read by go-yaml v2 (YAMLToJSON), a strategic-merge patch by kyaml
  const docs = asKyaml(loaded.map((value) => ({ value })), src.text, isJson ? 'json-patch' : 'kyaml').map((d) => d.value);
  if (isJson) {
    const ops = Array.isArray(docs[0]) ? docs[0] : [];
    if (!targets) return ctx.problem('error', at, kust.display, 'a JSON 6902 patch needs a target; kustomize build fails here');
    applyJson6902(res, ops, targets, kust, at, ctx);
    return;
  }
  for (const d of docs) {
    if (d === null || d === undefined) continue;
    if (!isObj(d)) {
      ctx.problem('error', at, kust.display, 'a strategic-merge patch must be a mapping; kustomize build fails here');
      continue;
    }
    applyStrategic(res, d, targets, kust, at, ctx, options.allowNameChange === true);
  }
}

function runTransformers(kust: Kust, res: Built[], ctx: Ctx): void {
  const k = kust.k;
  // patchesStrategicMerge
  list(k.patchesStrategicMerge).forEach((p, i) => {
    const at = originOfItem(k.patchesStrategicMerge as unknown[], i);
    const s = str(p);
    const looksInline = s.includes('\n') || /^\s*(apiVersion|kind)\s*:/.test(s);
    if (looksInline) {
      const holder: Obj = {};
      setKey(holder, 'patch', s, at);
      runPatch(res, holder, kust, at, ctx, 'strategic');
    } else {
      const holder: Obj = {};
      setKey(holder, 'path', s, at);
      runPatch(res, holder, kust, at, ctx, 'strategic');
    }
  });
  // (buildMetadata: each transformer instance kustomize configures is recorded once it has run)
  const ran = (kind: string) => ctx.transformed(res, ctx.builtinOrigin(kust, kind));
  if (list(k.patchesStrategicMerge).length) ran('PatchStrategicMergeTransformer');
  // patches
  list(k.patches).forEach((p, i) => {
    const at = originOfItem(k.patches as unknown[], i);
    if (isObj(p)) runPatch(res, p, kust, at, ctx, 'patches');
    ran('PatchTransformer');
  });
  // namespace
  if (k.namespace !== undefined && str(k.namespace)) {
    applyNamespace(res, str(k.namespace), originOfKey(k, 'namespace'));
    applyConfiguredNamespace(res, str(k.namespace), ctx, originOfKey(k, 'namespace'));
    ran('NamespaceTransformer');
  }
  // namePrefix, nameSuffix
  if (str(k.namePrefix) || str(k.nameSuffix)) {
    const pre = str(k.namePrefix);
    const suf = str(k.nameSuffix);
    for (const b of res) {
      if (['CustomResourceDefinition', 'APIService', 'Namespace'].includes(str(b.obj.kind))) continue;
      const origin = originOfKey(k, pre ? 'namePrefix' : 'nameSuffix');
      rename(b, `${pre}${nameOf(b.obj)}${suf}`, originOfKey(meta(b.obj), 'name') ?? origin);
    }
    if (pre) ran('PrefixTransformer');
    if (suf) ran('SuffixTransformer');
  }
  // labels and commonLabels
  list(k.labels).forEach((l) => {
    if (!isObj(l) || !isObj(l.pairs)) return;
    let specs: FieldSpec[];
    if (l.includeSelectors === true) specs = [...COMMON_LABELS, ...toFieldSpecs(ctx.cfg.current().commonLabels)];
    else {
      specs = [{ path: 'metadata/labels', create: true }];
      if (l.includeTemplates === true) specs = [...TEMPLATE_LABELS, ...specs];
      if (l.includeVolumeClaimTemplates === true) specs = [...specs, ...VOLUME_CLAIM_TEMPLATE_LABELS];
    }
    for (const f of list(l.fields)) if (isObj(f) && f.path) specs = [...specs, { path: str(f.path), kinds: f.kind ? [str(f.kind)] : undefined, group: f.group !== undefined ? str(f.group) : undefined, create: f.create === true }];
    applyMapField(res, specs, l.pairs, l.pairs);
    ran('LabelTransformer');
  });
  const hasCommonLabels = isObj(k.commonLabels) && Object.keys(k.commonLabels).length > 0;
  if (hasCommonLabels) applyMapField(res, [...COMMON_LABELS, ...toFieldSpecs(ctx.cfg.current().commonLabels)], k.commonLabels as Obj, k.commonLabels as Obj);
  // kustomize configures its commonLabels transformer whenever labels or commonLabels has something
  if (hasCommonLabels || list(k.labels).length) ran('LabelTransformer');
  // commonAnnotations
  if (isObj(k.commonAnnotations) && Object.keys(k.commonAnnotations).length) {
    applyMapField(res, [...COMMON_ANNOTATIONS, ...toFieldSpecs(ctx.cfg.current().commonAnnotations)], k.commonAnnotations, k.commonAnnotations);
    ran('AnnotationsTransformer');
  }
  // patchesJson6902
  list(k.patchesJson6902).forEach((p, i) => {
    const at = originOfItem(k.patchesJson6902 as unknown[], i);
    if (isObj(p)) runPatch(res, p, kust, at, ctx, 'json6902');
    ran('PatchJson6902Transformer');
  });
  // replicas
  list(k.replicas).forEach((r, i) => {
    if (!isObj(r)) return;
    const at = originOfItem(k.replicas as unknown[], i);
    const count = Number(r.count);
    let hit = false;
    for (const b of res) {
      if (!REPLICAS.some((s) => specApplies(s, b.obj)) || !b.ids.some((id) => id.name === str(r.name))) continue;
      hit = true;
      if (!isObj(b.obj.spec)) setKey(b.obj, 'spec', {}, at);
      setKey(b.obj.spec as Obj, 'replicas', count, originOfKey(r, 'count') ?? at);
    }
    if (!hit) ctx.problem('error', at, kust.display, `replicas for "${str(r.name)}" matches no Deployment, ReplicaSet, StatefulSet or ReplicationController of this build`);
    ran('ReplicaCountTransformer');
  });
  // images
  const images = [...list(k.images), ...list(k.imageTags)];
  images.forEach((img, i) => {
    if (!isObj(img)) return;
    const at = originOfItem((Array.isArray(k.images) && i < k.images.length ? k.images : k.imageTags) as unknown[], Array.isArray(k.images) && i < k.images.length ? i : i - list(k.images).length);
    applyImage(res, img, at);
    ran('ImageTagTransformer');
  });
  // replacements
  const byName = new NameIndex(res);
  list(k.replacements).forEach((r, i) => {
    const at = originOfItem(k.replacements as unknown[], i);
    if (!isObj(r)) return;
    if (r.path !== undefined) {
      const abs = ctx.resolveLocal(kust, str(r.path), originOfKey(r, 'path') ?? at, 'replacement file');
      if (!abs) return;
      const text = ctx.readText(abs, kust, at, 'replacement file');
      if (text === undefined) return;
      try {
        for (const d of loadDocuments(text, ctx.host.display(abs))) for (const rr of Array.isArray(d.value) ? d.value : [d.value]) if (isObj(rr)) applyReplacement(byName, rr, kust, at, ctx);
      } catch (e) {
        ctx.problem('error', at, kust.display, `the replacement file is not valid YAML: ${(e as Error).message}`);
      }
    } else applyReplacement(byName, r, kust, at, ctx);
  });
  if (list(k.replacements).length) ran('ReplacementTransformer');
  // the kustomization's own transformers: built-in ones only, never plugins
  list(k.transformers).forEach((t, i) => {
    const at = originOfItem(k.transformers as unknown[], i);
    for (const cfg of builtinPluginConfigs(kust, t, at, 'transformer', ctx)) {
      runBuiltinTransformer(res, cfg.obj, cfg.at, kust, ctx);
      ctx.transformed(res, pluginOrigin(cfg));
    }
  });
  if (list(k.validators).length) ctx.problem('unsupported', originOfKey(k, 'validators'), kust.display, 'validators are plugins; k8s-audit runs no plugins');
}

/**
 * `transformers:` / `generators:` entries: inline configs or files holding them (built-in plugin configs), each
 * with the origin path kustomize gives it (the kustomization for an inline one, else the file it was read from).
 */
function builtinPluginConfigs(kust: Kust, entry: unknown, at: Origin | undefined, what: string, ctx: Ctx): { obj: Obj; at: Origin | undefined; from: string }[] {
  const inline = joinOriginPath(ctx.originPath, path.basename(kust.file));
  if (isObj(entry)) return [{ obj: entry, at, from: inline }];
  const s = str(entry);
  if (s.includes('\n')) {
    const holder: Obj = {};
    setKey(holder, 'x', s, at);
    const docs = parsePatch(inlineText(kust, holder, 'x'), kust, at, ctx) ?? [];
    return docs.filter(isObj).map((obj) => ({ obj, at: originOfNode(obj) ?? at, from: inline }));
  }
  if (isRemote(s)) {
    ctx.problem('unsupported', at, kust.display, `the remote ${what} "${s}" was not fetched`);
    return [];
  }
  const abs = ctx.resolve(kust, s, at, what);
  if (!abs) return [];
  if (fs.statSync(abs).isDirectory()) {
    const built = ctx.within(s, () => accumulate(abs, ctx, false, undefined, { k: kust, at, rel: s }));
    // each config keeps the origin its own file gave it
    return (built ?? []).map((b) => ({ obj: b.obj, at: originOfNode(b.obj) ?? at, from: originPathOf(b.obj) ?? joinOriginPath(ctx.originPath, s) }));
  }
  return objectsOfFile(abs, kust, at, ctx).map((obj) => ({ obj, at: originOfNode(obj) ?? at, from: joinOriginPath(ctx.originPath, s) }));
}

/** The `path:` of an object's origin annotation, when the build tracks origins. */
function originPathOf(o: Obj): string | undefined {
  const a = isObj(o.metadata) && isObj(o.metadata.annotations) ? o.metadata.annotations[ORIGIN_ANNOTATION] : undefined;
  const m = typeof a === 'string' ? /^path: "?([^"\n]*)"?$/m.exec(a) : null;
  return m ? m[1] : undefined;
}

function runBuiltinTransformer(res: Built[], cfg: Obj, at: Origin | undefined, kust: Kust, ctx: Ctx): void {
  const kind = str(cfg.kind);
  const av = str(cfg.apiVersion);
  if (av !== 'builtin' && !av.startsWith('builtin')) {
    ctx.problem('unsupported', at, kust.display, `the transformer ${av}/${kind} is a plugin; k8s-audit runs no plugins, so what it changes is not applied`);
    return;
  }
  const specsOf = (fallback: FieldSpec[]): FieldSpec[] =>
    Array.isArray(cfg.fieldSpecs) ? cfg.fieldSpecs.filter(isObj).map((f) => ({ path: str(f.path), kinds: f.kind ? [str(f.kind)] : undefined, group: f.group !== undefined ? str(f.group) : undefined, create: f.create === true })) : fallback;
  switch (kind) {
    case 'LabelTransformer':
      if (isObj(cfg.labels)) applyMapField(res, specsOf(COMMON_LABELS), cfg.labels, cfg.labels);
      return;
    case 'AnnotationsTransformer':
      if (isObj(cfg.annotations)) applyMapField(res, specsOf(COMMON_ANNOTATIONS), cfg.annotations, cfg.annotations);
      return;
    case 'NamespaceTransformer':
      if (isObj(cfg.metadata) && cfg.metadata.namespace) applyNamespace(res, str(cfg.metadata.namespace), originOfKey(cfg.metadata, 'namespace') ?? at);
      return;
    case 'ValueAddTransformer': {
      const refused = applyValueAdd(
        cfg,
        {
          dir: kust.dir,
          select: (sel) => (sel === undefined ? res : res.filter((b) => selects(selectorOf(sel), b))),
          isCluster,
          moved: (b) => b.ids.push({ name: nameOf(b.obj), namespace: nsOf(b.obj) }),
          targetsFromFile: (file) => {
            const abs = ctx.resolveLocal(kust, file, originOfKey(cfg, 'targetFilePath') ?? at, 'ValueAddTransformer targets file');
            const text = abs && ctx.readText(abs, kust, at, 'ValueAddTransformer targets file');
            if (text === undefined || text === '') return undefined;
            const d = loadDocuments(text, ctx.host.display(abs!))[0]?.value;
            return isObj(d) && Array.isArray(d.targets) ? d.targets : [];
          },
        },
        at,
      );
      if (refused) ctx.problem('error', at, kust.display, `the ValueAddTransformer ${nameOf(cfg)}: ${refused}; kustomize build fails here`);
      return;
    }
    case 'PrefixSuffixTransformer':
    case 'PrefixTransformer':
    case 'SuffixTransformer': {
      const refused = applyPrefixSuffix(res, cfg, kind, (b, name) => rename(b, name), at);
      if (refused) ctx.problem('error', at, kust.display, `the ${kind} ${nameOf(cfg)}: ${refused}; kustomize build fails here`);
      return;
    }
    case 'ImageTagTransformer':
      if (isObj(cfg.imageTag)) applyImage(res, cfg.imageTag, at, list(cfg.fieldSpecs).filter(isObj).map((f) => str(f.path)));
      return;
    case 'ReplicaCountTransformer':
      if (isObj(cfg.replica)) for (const b of res) if (b.ids.some((id) => id.name === str((cfg.replica as Obj).name)) && REPLICAS.some((s) => specApplies(s, b.obj)) && isObj(b.obj.spec)) setKey(b.obj.spec as Obj, 'replicas', Number((cfg.replica as Obj).count), at);
      return;
    case 'PatchTransformer':
    case 'PatchStrategicMergeTransformer':
    case 'PatchJson6902Transformer': {
      const holder: Obj = { ...cfg };
      if (cfg.jsonOp !== undefined) holder.patch = cfg.jsonOp;
      if (Array.isArray(cfg.paths)) for (const p of cfg.paths) runPatch(res, { path: p }, kust, at, ctx, 'strategic');
      else runPatch(res, holder, kust, at, ctx, kind === 'PatchJson6902Transformer' ? 'json6902' : 'patches');
      return;
    }
    default:
      ctx.problem('unsupported', at, kust.display, `the built-in transformer ${kind} is not applied by k8s-audit`);
  }
}

function applyNamespace(res: Built[], ns: string, origin: Origin | undefined): void {
  for (const b of res) {
    const o = b.obj;
    const kind = str(o.kind);
    const m = meta(o);
    if (kind === 'Namespace' && str(o.apiVersion) === 'v1') {
      setKey(m, 'name', ns, originOfKey(m, 'name') ?? origin);
    }
    if (!isCluster(o)) setKey(m, 'namespace', ns, originOfKey(m, 'namespace') ?? origin);
    if (kind === 'RoleBinding' || kind === 'ClusterRoleBinding') {
      for (const s of list(o.subjects)) if (isObj(s) && s.name === 'default') setKey(s, 'namespace', ns, originOfKey(s, 'namespace') ?? origin);
    }
    if (kind === 'APIService' && isObj(o.spec) && isObj(o.spec.service)) setKey(o.spec.service, 'namespace', ns, origin);
    if (kind === 'CustomResourceDefinition') visitField(o, ['spec', 'conversion', 'webhook', 'clientConfig', 'service', 'namespace'], false, origin, (h, key) => setKey(h, key, ns, origin));
    const last = b.ids[b.ids.length - 1];
    if (!last || last.namespace !== nsOf(o) || last.name !== nameOf(o)) b.ids.push({ name: nameOf(o), namespace: nsOf(o) });
  }
}

/** The namespace fields `configurations:` adds (a webhook's service namespace, ...): set, or created where asked. */
function applyConfiguredNamespace(res: Built[], ns: string, ctx: Ctx, origin: Origin | undefined): void {
  for (const b of res) {
    for (const spec of asFieldSpecs(ctx.cfg.current().namespace, b.obj)) {
      if (spec.path === 'metadata/namespace' || spec.path === 'metadata/name') continue;
      visitField(b.obj, pathSegments(spec.path), !!spec.create, origin, (holder, key) => {
        if (spec.create || holder[key] !== undefined) setKey(holder, key, ns, originOfKey(holder, key) ?? origin);
      });
    }
  }
}

function splitImage(image: string): { name: string; tag: string; digest: string } {
  const slash = image.indexOf('/');
  const off = slash > 0 ? slash : 0;
  const search = image.slice(off);
  let id = search.indexOf('@');
  let ic = search.indexOf(':');
  if (ic < 0 && id < 0) return { name: image, tag: '', digest: '' };
  if (id >= 0 && (id < ic || ic < 0)) {
    id += off;
    return { name: image.slice(0, id), tag: '', digest: image.slice(id + 1) };
  }
  if (id >= 0 && ic >= 0) {
    id += off;
    ic += off;
    return { name: image.slice(0, ic), tag: image.slice(ic + 1, id), digest: image.slice(id + 1) };
  }
  ic += off;
  return { name: image.slice(0, ic), tag: image.slice(ic + 1), digest: '' };
}

/** The container images of kustomize's `images` field specs (its volume images are IMAGE_VOLUMES). */
const IMAGE_CONTAINER_PATHS = ['spec/containers/image', 'spec/initContainers/image', 'spec/template/spec/containers/image', 'spec/template/spec/initContainers/image'];

/**
 * `fieldPaths`: the image field specs the transformer runs after its legacy walk of every containers list
 * (the `images:` field: kustomize's built-in specs; an ImageTagTransformer: its own, if any).
 */
function applyImage(res: Built[], img: Obj, at: Origin | undefined, fieldPaths: string[] = [...IMAGE_CONTAINER_PATHS, ...IMAGE_VOLUMES.map((f) => f.path)]): void {
  const name = str(img.name);
  // kustomize's image.IsImageMatched: the name is a Go regexp (RE2, as the kustomization gives it)
  const re = tryCompileGo(`^${name}(:[a-zA-Z0-9_.{}-]*)?(@[a-zA-Z0-9]+([.+_-][a-zA-Z0-9]+)*:[a-zA-Z0-9_.{}-]*)?$`);
  if (!re) return;
  const origin = originOfKey(img, img.newTag !== undefined ? 'newTag' : img.digest !== undefined ? 'digest' : img.newName !== undefined ? 'newName' : 'name') ?? at;
  const update = (holder: Obj, key: string) => {
    const v = holder[key];
    if (typeof v !== 'string' || !re.test(v)) return;
    let { name: n, tag, digest } = splitImage(v);
    if (img.newName !== undefined && str(img.newName)) n = str(img.newName);
    const newTag = str(img.newTag);
    const dig = str(img.digest);
    if (newTag && dig) {
      tag = newTag;
      digest = dig;
    } else if (newTag) {
      tag = newTag;
      digest = '';
    } else if (dig) {
      tag = '';
      digest = dig;
    } else if (str(img.tagSuffix)) {
      tag += str(img.tagSuffix);
      digest = '';
    }
    setKey(holder, key, `${n}${tag ? `:${tag}` : ''}${digest ? `@${digest}` : ''}`, origin);
  };
  const walk = (node: unknown) => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (isObj(node)) {
      for (const k of Object.keys(node)) {
        walk(node[k]);
        if ((k === 'containers' || k === 'initContainers') && Array.isArray(node[k])) for (const c of node[k] as unknown[]) if (isObj(c)) update(c, 'image');
      }
    }
  };
  for (const b of res) {
    if (str(b.obj.kind) === 'CustomResourceDefinition') continue;
    walk(b.obj);
    // kustomize runs its legacy filter (every containers list) and then its field specs, which list the pod
    // and pod-template containers again: an update that is not idempotent (tagSuffix) lands twice there
    for (const p of fieldPaths) visitField(b.obj, pathSegments(p.replace(/\[\]/g, '')), false, undefined, update);
  }
}

// ------------------------------------------------------------------ replacements

/** A replacement fieldPath: `spec.template.spec.containers.[name=app].image`, `metadata.annotations.[a.b/c]`. */
function fieldPathSegments(fp: string): string[] {
  return splitDotted(fp).filter((s) => s !== '').map((s) => (/^\[[^=\]]*\]$/.test(s) ? s.slice(1, -1) : s));
}

function lookupPath(node: unknown, segs: string[], create: boolean, origin: Origin | undefined): { holder: Obj | unknown[]; key: string | number }[] {
  if (!segs.length) return [];
  const [head, ...rest] = segs;
  const sel = /^\[([^=\]]+)=([^\]]*)\]$/.exec(head);
  if (Array.isArray(node)) {
    if (sel) {
      const hits = node.filter((x) => isObj(x) && str(x[sel[1]]) === sel[2]);
      return hits.flatMap((h) => (rest.length ? lookupPath(h, rest, create, origin) : []));
    }
    if (head === '*') return node.flatMap((x, i) => (rest.length ? lookupPath(x, rest, create, origin) : [{ holder: node, key: i }]));
    if (/^\d+$/.test(head)) {
      const i = Number(head);
      if (i >= node.length) return [];
      return rest.length ? lookupPath(node[i], rest, create, origin) : [{ holder: node, key: i }];
    }
    return [];
  }
  if (!isObj(node)) return [];
  if (!rest.length) return head in node || create ? [{ holder: node, key: head }] : [];
  let next = node[head];
  if ((next === undefined || next === null) && create) {
    next = /^\[/.test(rest[0]) ? [] : {};
    setKey(node, head, next, origin);
  }
  return lookupPath(next, rest, create, origin);
}

/**
 * The resources of a build by every name they had, for the selectors of replacements: thousands of targets each
 * naming one resource must not each scan every resource. Selectors whose name is a pattern (anything but letters,
 * digits, '-' and '_': '.' matches any character) still look at every resource.
 */
class NameIndex {
  private readonly byName = new Map<string, Built[]>();
  private readonly order = new Map<Built, number>();
  constructor(readonly res: Built[]) {
    res.forEach((b, i) => {
      this.order.set(b, i);
      for (const id of b.ids) this.add(b, id.name);
    });
  }

  /** b is now also known by name (a replacement renamed it). */
  add(b: Built, name: string): void {
    const l = this.byName.get(name);
    if (!l) this.byName.set(name, [b]);
    else if (!l.includes(b)) l.push(b);
  }

  /** The resources sel selects, in build order. */
  select(sel: Selector): Built[] {
    if (!sel.name || !/^[\w-]+$/.test(sel.name)) return this.res.filter((b) => selects(sel, b));
    const hits = (this.byName.get(sel.name) ?? []).filter((b) => selects(sel, b));
    return hits.length > 1 ? hits.sort((a, b) => this.order.get(a)! - this.order.get(b)!) : hits;
  }
}

/**
 * kustomize copies only the text of a scalar into a scalar target, whose type stays: a number into a string
 * argument gives "32", the string "8" into `parallelism` gives 8.
 */
function keepScalarType(target: unknown, v: unknown): unknown {
  const scalar = (x: unknown) => typeof x === 'string' || typeof x === 'number' || typeof x === 'boolean' || typeof x === 'bigint';
  if (!scalar(target) || !scalar(v)) return v;
  const text = String(v);
  if (typeof target === 'string') return text;
  if (typeof target === 'number' || typeof target === 'bigint') return /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text.trim()) ? Number(text) : v;
  if (typeof target === 'boolean') return text === 'true' ? true : text === 'false' ? false : v;
  return v;
}

function applyReplacement(ix: NameIndex, r: Obj, kust: Kust, at: Origin | undefined, ctx: Ctx): void {
  const source = isObj(r.source) ? r.source : undefined;
  if (!source) return ctx.problem('error', at, kust.display, 'a replacement needs a source; kustomize build fails here');
  const srcSel = selectorOf(source);
  const candidates = ix.select(srcSel);
  if (candidates.length === 0) return ctx.notFound(originOfKey(r, 'source') ?? at, kust.display, `the replacement source ${JSON.stringify(srcSel)} matches no resource of this build (it must match exactly one); kustomize build fails here`);
  if (candidates.length !== 1) return ctx.problem('error', originOfKey(r, 'source') ?? at, kust.display, `the replacement source ${JSON.stringify(srcSel)} matches ${candidates.length} resources of this build (it must match exactly one); kustomize build fails here`);
  const fp = str(source.fieldPath) || 'metadata.name';
  const hits = lookupPath(candidates[0].obj, fieldPathSegments(fp), false, undefined);
  if (!hits.length) return ctx.problem('error', originOfKey(source, 'fieldPath') ?? at, kust.display, `the replacement source field "${fp}" is not in ${str(candidates[0].obj.kind)} "${nameOf(candidates[0].obj)}"; kustomize build fails here`);
  const h = hits[0];
  let value = (h.holder as Record<string | number, unknown>)[h.key as never] as unknown;
  const sopts = isObj(source.options) ? source.options : {};
  if (sopts.delimiter !== undefined && typeof value === 'string') {
    const parts = value.split(str(sopts.delimiter));
    value = parts[Number(sopts.index ?? 0)] ?? '';
  }
  list(r.targets).forEach((t) => {
    if (!isObj(t)) return;
    const sel = selectorOf(t.select);
    const rejects = list(t.reject).map(selectorOf);
    const topts = isObj(t.options) ? t.options : {};
    for (const b of ix.select(sel)) {
      if (rejects.some((rj) => selects(rj, b))) continue;
      list(t.fieldPaths).forEach((p, pi) => {
        const origin = originOfItem(t.fieldPaths as unknown[], pi) ?? at;
        for (const hit of lookupPath(b.obj, fieldPathSegments(str(p)), topts.create === true, origin)) {
          let v: unknown = value;
          const holder = hit.holder as Record<string | number, unknown>;
          if (topts.delimiter !== undefined) {
            const cur = str(holder[hit.key as never]);
            const parts = cur.split(str(topts.delimiter));
            const idx = Number(topts.index ?? 0);
            if (idx < 0) parts.unshift(str(value));
            else if (idx >= parts.length) parts.push(str(value));
            else parts[idx] = str(value);
            v = parts.join(str(topts.delimiter));
          }
          v = keepScalarType(holder[hit.key as never], v);
          if (Array.isArray(holder)) {
            holder[hit.key as number] = clone(v);
          } else setKey(holder as Obj, hit.key as string, clone(v), origin);
          if (str(p) === 'metadata.name') {
            b.ids.push({ name: nameOf(b.obj), namespace: nsOf(b.obj) });
            ix.add(b, nameOf(b.obj));
          }
        }
      });
    }
  });
}

// ------------------------------------------------------------------ hashes and name references

/** Go's json.Marshal of a string: HTML characters escaped as \u003c, \u003e, \u0026 (and U+2028/9). */
function goJsonString(s: string): string {
  return JSON.stringify(s).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Go's json.Marshal: maps with sorted keys, no spaces. */
function goJson(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'string') return goJsonString(v);
  if (typeof v === 'number' || typeof v === 'boolean') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(goJson).join(',')}]`;
  if (isObj(v)) return `{${Object.keys(v).sort().map((k) => `${goJsonString(k)}:${goJson(v[k])}`).join(',')}}`;
  return JSON.stringify(String(v));
}

/** kustomize's name hash of a ConfigMap or Secret: sha256 of its JSON form, 10 hex digits with o/l/3/a/e spelt out. */
export function nameHash(o: Obj): string {
  const kind = str(o.kind);
  // kustomize looks the name up as one field called "metadata/name", which no object has: the name in the
  // hashed form is always empty (so two generators with the same data get the same suffix).
  const name = '';
  // Every string value as text, the way kyaml reads the nodes (numbers in data stay as written).
  const asStrings = (v: unknown): unknown => (isObj(v) ? Object.fromEntries(Object.entries(v).map(([a, b]) => [a, isObj(b) || Array.isArray(b) ? b : str(b)])) : v);
  const val = (key: string) => (o[key] === undefined ? '' : isObj(o[key]) ? asStrings(o[key]) : str(o[key]));
  let m: Obj;
  if (kind === 'ConfigMap') {
    m = { kind: 'ConfigMap', name, data: val('data') };
    if (isObj(o.binaryData)) m.binaryData = asStrings(o.binaryData);
  } else if (kind === 'Secret') {
    m = { kind: 'Secret', type: val('type'), name, data: val('data') };
    if (isObj(o.stringData)) m.stringData = asStrings(o.stringData);
  } else m = o;
  const hex = createHash('sha256').update(goJson(m)).digest('hex');
  return hex.slice(0, 10).replace(/[013ae]/g, (c) => ({ '0': 'g', '1': 'h', '3': 'k', a: 'm', e: 't' })[c]!);
}

function addHashes(res: Built[]): void {
  for (const b of res) {
    if (!b.hash) continue;
    rename(b, `${nameOf(b.obj)}-${nameHash(b.obj)}`);
  }
}

function fixNameReferences(res: Built[], configured: typeof NAME_REFERENCES = []): void {
  const byKind = new Map<string, Built[]>();
  for (const b of res) {
    const k = str(b.obj.kind);
    if (!byKind.has(k)) byKind.set(k, []);
    byKind.get(k)!.push(b);
  }
  // kustomize resolves every reference to an object of the build, renamed or not: a name follows the
  // object's renames, and a reference written as a map (a RoleBinding subject, a webhook's clientConfig.service)
  // also takes the object's namespace.
  for (const ref of [...NAME_REFERENCES, ...configured]) {
    const referrals = byKind.get(ref.referral) ?? [];
    if (!referrals.length) continue;
    for (const r of byKind.get(ref.referrer) ?? []) {
      if (ref.referrerGroup !== undefined && gvkOf(r.obj).group !== ref.referrerGroup) continue;
      const rns = nsOf(r.obj);
      const pick = (name: string, ns: string | undefined): Built | undefined => {
        const cands = referrals.filter((x) => x.ids.some((id) => id.name === name));
        if (!cands.length) return undefined;
        if (ns !== undefined) {
          // a reference that names a namespace: the objects first in it (their original id), else now in it
          const byOrigin = cands.filter((x) => isCluster(x.obj) || nsEq(x.ids[0].namespace, ns));
          return (byOrigin.length ? byOrigin : cands.filter((x) => isCluster(x.obj) || nsEq(nsOf(x.obj), ns)))[0];
        }
        // one that names none: objects in the referrer's namespace now (any, for a cluster-scoped referrer)
        return cands.filter((x) => isCluster(x.obj) || isCluster(r.obj) || nsEq(nsOf(x.obj), rns))[0];
      };
      const segs = pathSegments(ref.path);
      visitField(r.obj, segs, false, undefined, (holder, key) => {
        const v = holder[key];
        const kindSibling = holder.kind;
        if (key === 'name' && typeof kindSibling === 'string' && (segs.includes('roleRef') || segs.includes('scaleTargetRef')) && kindSibling !== ref.referral) return;
        if (typeof v === 'string') {
          const x = pick(v, undefined);
          if (x) setKey(holder, key, nameOf(x.obj), originOfKey(holder, key));
        } else if (Array.isArray(v)) {
          // a list of names (rules/resourceNames) or of subjects
          v.forEach((item, i) => {
            if (typeof item === 'string') {
              const x = pick(item, undefined);
              if (x) v[i] = nameOf(x.obj);
            } else if (isObj(item) && typeof item.name === 'string' && (item.kind === undefined || item.kind === ref.referral)) {
              const x = pick(item.name, item.namespace !== undefined ? str(item.namespace) : undefined);
              if (x) {
                setKey(item, 'name', nameOf(x.obj), originOfKey(item, 'name'));
                if (!isCluster(x.obj) && nsOf(x.obj)) setKey(item, 'namespace', nsOf(x.obj), originOfKey(item, 'namespace') ?? originOfKey(item, 'name'));
              }
            }
          });
        } else if (isObj(v) && typeof v.name === 'string') {
          const x = pick(v.name, v.namespace !== undefined ? str(v.namespace) : undefined);
          if (x) {
            setKey(v, 'name', nameOf(x.obj), originOfKey(v, 'name'));
            if (!isCluster(x.obj) && nsOf(x.obj)) setKey(v, 'namespace', nsOf(x.obj), originOfKey(v, 'namespace') ?? originOfKey(v, 'name'));
          }
        }
      });
    }
  }
}

