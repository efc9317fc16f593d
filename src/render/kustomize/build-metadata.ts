/**
 * kustomize's `buildMetadata:` (its resource/origin.go and the origin handling of its kusttarget): when the
 * kustomization the build starts from lists any option, every resource carries, during the build,
 * - `config.kubernetes.io/origin`: the file it was read from (the path joined through the bases and components
 *   that led to it, as written), or, for a generated object, the kustomization and the built-in generator that
 *   made it;
 * - `alpha.config.kubernetes.io/transformations`: one entry per transformer instance that ran over the
 *   resources while it was there (every patch, label set, image, replica entry is its own instance, and each
 *   is recorded on every resource, changed or not);
 * and the build ends by keeping only what `buildMetadata` asks for (`originAnnotations`,
 * `transformerAnnotations`), and labels every object `app.kubernetes.io/managed-by: kustomize-v5.7.1` for
 * `managedByLabel`. Only the starting kustomization's list counts: kustomize hands it down to every base.
 */
import path from 'node:path';
import { deleteKey, isObj, setKey, type Obj, type Origin } from './nodes.js';

export const ORIGIN_ANNOTATION = 'config.kubernetes.io/origin';
export const TRANSFORMATIONS_ANNOTATION = 'alpha.config.kubernetes.io/transformations';
export const MANAGED_BY_LABEL = 'app.kubernetes.io/managed-by';
/** The kustomize version kubectl v1.35 embeds (what `managedByLabel` writes). */
export const MANAGED_BY_VALUE = 'kustomize-v5.7.1';

export interface BuildMetadata {
  origin: boolean;
  transformers: boolean;
  managedBy: boolean;
  /** Where the annotations and label a finding might point at come from: the `buildMetadata` key. */
  at: Origin | undefined;
}

/** A kustomize Origin: a file (`path`), or a generator/transformer config (`configuredIn`, `configuredBy`). */
export interface OriginRecord {
  path?: string;
  configuredIn?: string;
  configuredBy?: { apiVersion?: string; kind?: string; name?: string; namespace?: string };
}

/** The options of a `buildMetadata` list; undefined when it is empty (kustomize then tracks nothing). */
export function readBuildMetadata(v: unknown, at: Origin | undefined): BuildMetadata | undefined {
  if (!Array.isArray(v) || !v.length) return undefined;
  const has = (s: string) => v.some((x) => x === s);
  return { origin: has('originAnnotations'), transformers: has('transformerAnnotations'), managedBy: has('managedByLabel'), at };
}

/** Go's filepath.Join: the parts joined and cleaned ('' when all are empty). */
export function joinOriginPath(...parts: string[]): string {
  const kept = parts.filter((p) => p !== '');
  return kept.length ? path.posix.normalize(kept.join('/')).replace(/\/$/, '') || '/' : '';
}

/** A string as go-yaml v3 writes it: plain when it reads back as the same string, else double-quoted. */
function yamlString(s: string): string {
  const plain = /^[A-Za-z0-9_./][A-Za-z0-9_./ -]*$/.test(s) && !/ $/.test(s) && !/^(true|false|yes|no|on|off|y|n|null|~|[-+]?[0-9][0-9_.eE+-]*|\.inf|\.nan)$/i.test(s);
  return plain ? s : JSON.stringify(s);
}

/** kyaml.Marshal of one Origin, its fields in the struct's order, the empty ones left out. */
function originLines(o: OriginRecord): string[] {
  const out: string[] = [];
  if (o.path) out.push(`path: ${yamlString(o.path)}`);
  if (o.configuredIn) out.push(`configuredIn: ${yamlString(o.configuredIn)}`);
  const by = o.configuredBy;
  if (by && (by.apiVersion || by.kind || by.name || by.namespace)) {
    out.push('configuredBy:');
    for (const k of ['apiVersion', 'kind', 'name', 'namespace'] as const) if (by[k]) out.push(`  ${k}: ${yamlString(by[k]!)}`);
  }
  return out;
}

export function originText(o: OriginRecord): string {
  return originLines(o).map((l) => `${l}\n`).join('');
}

function annotationsOf(obj: Obj, at: Origin | undefined): Obj {
  if (!isObj(obj.metadata)) setKey(obj, 'metadata', {}, at);
  const m = obj.metadata as Obj;
  if (!isObj(m.annotations)) setKey(m, 'annotations', {}, at);
  return m.annotations as Obj;
}

export function hasOrigin(obj: Obj): boolean {
  const m = obj.metadata;
  return isObj(m) && isObj(m.annotations) && typeof m.annotations[ORIGIN_ANNOTATION] === 'string';
}

/** Set the origin annotation (kustomize's SetOrigin; AnnotateAll for the objects of a resource file). */
export function setOrigin(obj: Obj, o: OriginRecord, at: Origin | undefined): void {
  setKey(annotationsOf(obj, at), ORIGIN_ANNOTATION, originText(o), at);
}

/**
 * After one transformer instance (kustomize's AddTransformerAnnotation): an object without an origin is taken
 * as made by the transformer; the others record it as one more transformation.
 */
export function recordTransformer(objs: Obj[], o: OriginRecord, at: Origin | undefined): void {
  const entry = originLines(o);
  for (const obj of objs) {
    if (!hasOrigin(obj)) {
      setOrigin(obj, o, at);
      continue;
    }
    const ann = annotationsOf(obj, at);
    const before = typeof ann[TRANSFORMATIONS_ANNOTATION] === 'string' ? (ann[TRANSFORMATIONS_ANNOTATION] as string) : '';
    const item = entry.map((l, i) => `${i ? '  ' : '- '}${l}\n`).join('');
    setKey(ann, TRANSFORMATIONS_ANNOTATION, before + item, at);
  }
}

/** The end of the build (kustomizer.go): the managed-by label, then the annotations not asked for removed. */
export function finishBuildMetadata(objs: Obj[], meta: BuildMetadata | undefined): void {
  if (!meta) return;
  for (const obj of objs) {
    const m = isObj(obj.metadata) ? obj.metadata : undefined;
    if (meta.managedBy) {
      const mm = m ?? (setKey(obj, 'metadata', {}, meta.at), obj.metadata as Obj);
      if (!isObj(mm.labels)) setKey(mm, 'labels', {}, meta.at);
      setKey(mm.labels as Obj, MANAGED_BY_LABEL, MANAGED_BY_VALUE, meta.at);
    }
    if (m && isObj(m.annotations)) {
      if (!meta.origin) deleteKey(m.annotations, ORIGIN_ANNOTATION);
      if (!meta.transformers) deleteKey(m.annotations, TRANSFORMATIONS_ANNOTATION);
    }
  }
}
