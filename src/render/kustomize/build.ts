/**
 * A built-in `kustomize build` (kustomize v5, as `kubectl kustomize` runs it) for what real repositories
 * use: resources (files, directories, nested kustomizations), components, generators with content-hash
 * names, patches, the built-in transformers in kustomize's order, replacements, helmCharts (the built-in
 * Helm renderer), and the name references that follow renamed objects. Every built value keeps the file
 * line that produced it. Nothing outside the scanned tree is read, nothing remote is fetched, nothing runs:
 * each refusal, and every error kustomize would stop at, is a problem at the kustomization line; the rest
 * of the build goes on.
 *
 * This file is the orchestration (kustomize's kusttarget: loading, accumulating resources, components and
 * generators, the transformers in their order, the end of the build); each transformer has its module, as
 * kustomize's filters do: namespace, prefix-suffix, labels, images, replicas, patches (strategic-merge,
 * json6902), replacements, vars, name-references, generators, helm, build-metadata.
 */
import fs from 'node:fs';
import path from 'node:path';
import { deleteKey, isObj, loadDocuments, originOfItem, originOfKey, originOfNode, setKey, YamlLoadError, type Obj, type Origin } from './nodes.js';
import { asKyaml, timestampsAsText } from './kyaml.js';
import { readCustomSchema } from './schema.js';
import { COMMON_ANNOTATIONS, COMMON_LABELS, type FieldSpec } from './fieldspecs.js';
import { isInside, realpathOrUndefined } from '../../load/sandbox.js';
import { sortChoice, sortResources } from './order.js';
import { configFromCrds, configuredNameRefs, mergeConfig, parseConfig, toFieldSpecs } from './transformer-configs.js';
import { bindVars, resolveVars } from './vars.js';
import { isEmptyKustomization, normalizeFieldNames, typeErrors } from './kustomization-fields.js';
import { applyNamePrefixSuffix, applyPrefixSuffix } from './prefix-suffix.js';
import { applyValueAdd } from './value-add.js';
import { finishBuildMetadata, joinOriginPath, ORIGIN_ANNOTATION, readBuildMetadata, setOrigin, type OriginRecord } from './build-metadata.js';
import { type Built, type BuildHost, type BuildResult, type Kust, Ctx, str, list, nameOf, nsOf, isCluster, idKey, rename, isRemote } from './context.js';
import { type GenOptions, generatedBy, generate, mergeGenerated, addHashes } from './generators.js';
import { inflateHelm } from './helm.js';
import { selects, selectorOf } from './select.js';
import { applyMapField, labelsEntrySpecs } from './labels.js';
import { inlineText, parsePatch, runPatch } from './patches.js';
import { applyNamespace, applyConfiguredNamespace } from './namespace.js';
import { applyImage } from './images.js';
import { NameIndex, applyReplacement } from './replacements.js';
import { fixNameReferences } from './name-references.js';

import { annotationsAsText, asStringMap } from './meta-maps.js';
import { applyReplicas, applyReplicaCountTransformer } from './replicas.js';

export const KUSTOMIZATION_FILES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];

/** Fields a kustomization may have (kustomize v5's types.Kustomization). */
const KNOWN_FIELDS = new Set([
  'apiVersion', 'kind', 'metadata', 'openapi', 'namePrefix', 'nameSuffix', 'namespace', 'commonLabels', 'labels', 'commonAnnotations',
  'patchesStrategicMerge', 'patches', 'patchesJson6902', 'images', 'imageTags', 'replacements', 'replicas', 'vars', 'sortOptions', 'resources',
  'components', 'crds', 'bases', 'configMapGenerator', 'secretGenerator', 'helmGlobals', 'helmCharts', 'helmChartInflationGenerator',
  'generatorOptions', 'configurations', 'generators', 'transformers', 'validators', 'buildMetadata',
]);

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
 * back as strings, only when some are left: an empty or null `metadata.annotations` is gone from the output
 * (an empty `labels` is not), and `port: 8080` there is "8080".
 */
function dropEmptyAnnotations(objects: Built[]): void {
  for (const b of objects) {
    const m = b.obj.metadata;
    if (isObj(m)) asStringMap(m, 'annotations');
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
    const loaded = loadDocuments(text, display, { uniqueKeys: true });
    // (annotations keep the text written: kustomize ends the build by rewriting them as strings)
    for (const d of loaded) annotationsAsText(d.value);
    docs = asKyaml(loaded, text);
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

/** The origin of a generator or transformer given as a config in `generators:` / `transformers:` (OriginFromCustomPlugin). */
function pluginOrigin(cfg: { obj: Obj; from: string }): OriginRecord {
  return { configuredIn: cfg.from, configuredBy: { apiVersion: str(cfg.obj.apiVersion), kind: str(cfg.obj.kind), name: nameOf(cfg.obj), namespace: nsOf(cfg.obj) } };
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
    applyNamePrefixSuffix(res, pre, suf, originOfKey(k, pre ? 'namePrefix' : 'nameSuffix'));
    if (pre) ran('PrefixTransformer');
    if (suf) ran('SuffixTransformer');
  }
  // labels and commonLabels
  list(k.labels).forEach((l) => {
    if (!isObj(l) || !isObj(l.pairs)) return;
    applyMapField(res, labelsEntrySpecs(l, ctx.cfg.current()), l.pairs, l.pairs);
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
    applyReplicas(res, r, originOfItem(k.replicas as unknown[], i), kust, ctx);
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
      if (isObj(cfg.replica)) applyReplicaCountTransformer(res, cfg.replica, at);
      return;
    case 'PatchTransformer':
    case 'PatchStrategicMergeTransformer':
    case 'PatchJson6902Transformer': {
      const holder: Obj = { ...cfg };
      if (cfg.jsonOp !== undefined) holder.patch = cfg.jsonOp;
      if (kind === 'PatchStrategicMergeTransformer') {
        // its patch files (`paths`), then its inline documents (`patches`), each as patchesStrategicMerge reads them
        for (const p of list(cfg.paths)) runPatch(res, { path: p }, kust, at, ctx, 'strategic');
        if (typeof cfg.patches === 'string' && cfg.patches) runPatch(res, { patch: cfg.patches }, kust, at, ctx, 'strategic');
        if (!list(cfg.paths).length && !(typeof cfg.patches === 'string' && cfg.patches)) ctx.problem('error', at, kust.display, `the ${kind} ${nameOf(cfg)}: empty file path and empty patch content; kustomize build fails here`);
      } else runPatch(res, holder, kust, at, ctx, kind === 'PatchJson6902Transformer' ? 'json6902' : 'patches');
      return;
    }
    default:
      ctx.problem('unsupported', at, kust.display, `the built-in transformer ${kind} is not applied by k8s-audit`);
  }
}
