/**
 * `configurations:` (and `crds:`): the field specs a kustomization adds to kustomize's built-in ones, so its
 * transformers reach fields of kinds kustomize does not know (a Certificate's issuerRef naming an Issuer, a
 * CRD's conversion webhook naming a Service, a webhook's service namespace). As in kustomize, the
 * configuration a kustomization's transformers use is its own plus that of everything it accumulated (its
 * resources and components, recursively), and the configuration the build ends with (for name references
 * and vars) is all of them.
 */
import { isObj, type Obj } from './nodes.js';
import type { FieldSpec, NameRef } from './fieldspecs.js';

/** A field spec as a configuration file writes it: `path`, and the group/version/kind it applies to. */
export interface ConfigFieldSpec {
  path: string;
  group?: string;
  version?: string;
  kind?: string;
  create?: boolean;
}

/** One nameReference entry: the referred kind, and the fields of other objects that name it. */
export interface ConfigNameRef {
  kind: string;
  group?: string;
  version?: string;
  fieldSpecs: ConfigFieldSpec[];
}

export interface TransformerConfig {
  nameReference: ConfigNameRef[];
  namespace: ConfigFieldSpec[];
  commonLabels: ConfigFieldSpec[];
  commonAnnotations: ConfigFieldSpec[];
  varReference: ConfigFieldSpec[];
}

export const emptyConfig = (): TransformerConfig => ({ nameReference: [], namespace: [], commonLabels: [], commonAnnotations: [], varReference: [] });

const s = (v: unknown) => (v === undefined || v === null ? undefined : String(v));

/** The key of `o` matching `name` as Go's encoding/json does: exactly, else case-insensitively. */
export function fieldOf(o: Obj, name: string): unknown {
  if (name in o) return o[name];
  const lower = name.toLowerCase();
  for (const k of Object.keys(o)) if (k.toLowerCase() === lower) return o[k];
  return undefined;
}

function fieldSpecs(v: unknown): ConfigFieldSpec[] {
  if (!Array.isArray(v)) return [];
  return v.filter(isObj).flatMap((f) => {
    const path = s(fieldOf(f, 'path'));
    if (!path) return [];
    return [{ path, group: s(fieldOf(f, 'group')), version: s(fieldOf(f, 'version')), kind: s(fieldOf(f, 'kind')), create: fieldOf(f, 'create') === true }];
  });
}

/** A configuration file's content (kustomize's TransformerConfig); fields k8s-audit does not apply are left out. */
export function parseConfig(doc: Obj): TransformerConfig {
  const refs = fieldOf(doc, 'nameReference');
  return {
    nameReference: (Array.isArray(refs) ? refs : []).filter(isObj).flatMap((r) => {
      const kind = s(fieldOf(r, 'kind'));
      return kind ? [{ kind, group: s(fieldOf(r, 'group')), version: s(fieldOf(r, 'version')), fieldSpecs: fieldSpecs(fieldOf(r, 'fieldSpecs')) }] : [];
    }),
    namespace: fieldSpecs(fieldOf(doc, 'namespace')),
    commonLabels: fieldSpecs(fieldOf(doc, 'commonLabels')),
    commonAnnotations: fieldSpecs(fieldOf(doc, 'commonAnnotations')),
    varReference: fieldSpecs(fieldOf(doc, 'varReference')),
  };
}

const specKey = (f: ConfigFieldSpec) => `${f.group ?? ''}/${f.version ?? ''}/${f.kind ?? ''}/${f.path}/${f.create ? 1 : 0}`;

function mergeSpecs(a: ConfigFieldSpec[], b: ConfigFieldSpec[]): ConfigFieldSpec[] {
  const seen = new Set(a.map(specKey));
  return [...a, ...b.filter((f) => !seen.has(specKey(f)) && (seen.add(specKey(f)), true))];
}

/** kustomize's TransformerConfig.Merge: the union, name references of the same kind merged. */
export function mergeConfig(into: TransformerConfig, add: TransformerConfig): void {
  for (const r of add.nameReference) {
    const same = into.nameReference.find((x) => x.kind === r.kind && x.group === r.group && x.version === r.version);
    if (same) same.fieldSpecs = mergeSpecs(same.fieldSpecs, r.fieldSpecs);
    else into.nameReference.push({ ...r, fieldSpecs: [...r.fieldSpecs] });
  }
  into.namespace = mergeSpecs(into.namespace, add.namespace);
  into.commonLabels = mergeSpecs(into.commonLabels, add.commonLabels);
  into.commonAnnotations = mergeSpecs(into.commonAnnotations, add.commonAnnotations);
  into.varReference = mergeSpecs(into.varReference, add.varReference);
}

/**
 * The configuration of each kustomization being accumulated: a kustomization starts its own frame, a
 * component adds to the frame of the kustomization using it, and a finished frame merges into its parent's.
 */
export class ConfigStack {
  private frames: TransformerConfig[] = [];
  /** What the top of the build ended with. */
  final: TransformerConfig = emptyConfig();

  push(): void {
    this.frames.push(emptyConfig());
  }

  pop(): void {
    const done = this.frames.pop();
    if (!done) return;
    const parent = this.frames[this.frames.length - 1];
    if (parent) mergeConfig(parent, done);
    else this.final = done;
  }

  current(): TransformerConfig {
    return this.frames[this.frames.length - 1] ?? this.final;
  }
}

function gvk(o: Obj): { group: string; version: string; kind: string } {
  const av = s(o.apiVersion) ?? '';
  const slash = av.indexOf('/');
  return { group: slash >= 0 ? av.slice(0, slash) : '', version: slash >= 0 ? av.slice(slash + 1) : av, kind: s(o.kind) ?? '' };
}

/** A field spec's group/version/kind selects the object (an empty one selects every object). */
export function configSpecApplies(f: { group?: string; version?: string; kind?: string }, o: Obj): boolean {
  const g = gvk(o);
  return (!f.kind || f.kind === g.kind) && (!f.group || f.group === g.group) && (!f.version || f.version === g.version);
}

/** Configuration field specs in the form the built-in transformers take (for one object at a time). */
export function asFieldSpecs(specs: ConfigFieldSpec[], o: Obj): FieldSpec[] {
  return specs.filter((f) => configSpecApplies(f, o)).map((f) => ({ path: f.path, create: f.create }));
}

/**
 * The configured name references as the name-reference fixer takes them: one per referring kind present in
 * the build (a field spec without a kind applies to every kind).
 */
export function configuredNameRefs(cfg: TransformerConfig, objects: Obj[]): NameRef[] {
  const out: NameRef[] = [];
  for (const r of cfg.nameReference) {
    for (const f of r.fieldSpecs) {
      // the kinds of the build's objects the spec's group/version/kind selects (the fixer matches by kind and group)
      const kinds = [...new Set(objects.filter((o) => configSpecApplies(f, o)).map((o) => gvk(o).kind))];
      for (const k of kinds) out.push({ referral: r.kind, referrer: k, ...(f.group ? { referrerGroup: f.group } : {}), path: f.path });
    }
  }
  return out;
}

/** Configuration field specs as the built-in transformers' FieldSpec (kind and group; version is rarely given). */
export function toFieldSpecs(specs: ConfigFieldSpec[]): FieldSpec[] {
  return specs.map((f) => ({ path: f.path, ...(f.kind ? { kinds: [f.kind] } : {}), ...(f.group !== undefined ? { group: f.group } : {}), create: f.create }));
}

/**
 * `crds:`: OpenAPI definitions (name -> {Schema, Dependencies}) whose `x-kubernetes-*` extensions add field
 * specs, as kustomize's LoadConfigFromCRDs reads them: an object-ref (`x-kubernetes-object-ref-kind` and
 * `-api-version`) is a name reference to that kind, `x-kubernetes-annotation` and
 * `x-kubernetes-label-selector` fields take commonAnnotations and commonLabels. Only definitions that look
 * like a Kubernetes type (kind, apiVersion and metadata properties) start a walk; `$ref` leads into others.
 */
export function configFromCrds(defs: Obj): TransformerConfig {
  const cfg = emptyConfig();
  const propsOf = (name: string): Obj | undefined => {
    const d = defs[name];
    const schema = isObj(d) && isObj(d.Schema) ? d.Schema : undefined;
    return schema && isObj(schema.properties) ? schema.properties : undefined;
  };
  const walk = (kind: string, typeName: string, path: string[], seen: Set<string>) => {
    const props = propsOf(typeName);
    // a definition that refers back to itself would never end (kustomize recurses forever): once per walk
    if (!props || seen.has(typeName) || path.length > 32) return;
    const inner = new Set(seen).add(typeName);
    for (const [prop, p] of Object.entries(props)) {
      if (!isObj(p)) continue;
      const at = [...path, prop];
      if (typeof p['x-kubernetes-annotation'] === 'string') cfg.commonAnnotations.push({ kind, path: at.join('/') });
      if (typeof p['x-kubernetes-label-selector'] === 'string') cfg.commonLabels.push({ kind, path: at.join('/') });
      const version = p['x-kubernetes-object-ref-api-version'];
      const refKind = p['x-kubernetes-object-ref-kind'];
      if (typeof version === 'string' && typeof refKind === 'string') {
        const nameKey = typeof p['x-kubernetes-object-ref-name-key'] === 'string' ? (p['x-kubernetes-object-ref-name-key'] as string) : 'name';
        mergeConfig(cfg, { ...emptyConfig(), nameReference: [{ kind: refKind, version, fieldSpecs: [{ kind, path: [...at, nameKey].join('/') }] }] });
      }
      if (typeof p.$ref === 'string') walk(kind, p.$ref, at, inner);
    }
  };
  for (const name of Object.keys(defs)) {
    const props = propsOf(name);
    if (!props || !('kind' in props) || !('apiVersion' in props) || !('metadata' in props)) continue;
    walk(name.split('.').pop() ?? name, name, [], new Set());
  }
  return cfg;
}
