/**
 * The operator catalogue (operators.json), typed: what a custom resource makes its operator create, the
 * labels of the pods it runs (fixed ones, and those set at run time with the values they may take), and
 * where the pod templates, bare PodSpecs and containers it carries live. The data is in the JSON file so
 * that adding an operator is adding an entry with its source, not code; docs/operators.md lists it.
 */
import catalogueJson from './operators.json' with { type: 'json' };
import type { Resource } from './resource.js';
import { asLabels, matchesMap, matchesSelector, type LabelSelector, type Labels } from './selectors.js';

/** Values a run-time label may take: a list, or `*` for any value. */
export type RuntimeValues = readonly string[] | '*';

export interface PodLabelsSpec {
  labels: Record<string, string>;
  runtime?: Record<string, RuntimeValues>;
}

export interface CatalogueResource {
  group: string;
  kind: string;
  creates?: { kind: string; name: string }[];
  pods?: PodLabelsSpec[];
  podLabelPaths?: string[];
  templates?: string[];
  podSpecs?: string[];
  containers?: string[];
}

export interface CatalogueOperator {
  operator: string;
  source: string;
  resources: CatalogueResource[];
  managerPods?: PodLabelsSpec[];
}

export interface Catalogue {
  operators: CatalogueOperator[];
  nonPodMaking: { groups: string[]; kinds: string[] };
}

export const CATALOGUE = catalogueJson as unknown as Catalogue;

/** Pod labels with the custom resource's names filled in: fixed labels, and run-time labels with their values. */
export interface PodLabelSet {
  labels: Record<string, string>;
  runtime: Record<string, RuntimeValues>;
}

const byKind = new Map<string, { op: CatalogueOperator; res: CatalogueResource }>();
for (const op of CATALOGUE.operators) for (const res of op.resources) byKind.set(`${res.group}/${res.kind}`, { op, res });
const nonPodGroups = new Set(CATALOGUE.nonPodMaking.groups);
const nonPodKinds = new Set(CATALOGUE.nonPodMaking.kinds);

export function groupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

/** The catalogue's entry for the resource's group and kind. */
export function catalogueEntry(r: Pick<Resource, 'apiVersion' | 'kind'>): { op: CatalogueOperator; res: CatalogueResource } | undefined {
  return byKind.get(`${groupOf(r.apiVersion)}/${r.kind}`);
}

const isObj = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

/**
 * Every value at a catalogue path (`spec.workerGroupSpecs[*].template`, `spec.tfReplicaSpecs.*.template`),
 * with the concrete path to it.
 */
export function valuesAt(root: unknown, path: string): { path: (string | number)[]; value: unknown }[] {
  let cur: { path: (string | number)[]; value: unknown }[] = [{ path: [], value: root }];
  for (const seg of path.split('.')) {
    const each = seg.endsWith('[*]');
    const key = each ? seg.slice(0, -3) : seg;
    const next: typeof cur = [];
    for (const c of cur) {
      if (!isObj(c.value)) continue;
      if (key === '*') {
        for (const [k, v] of Object.entries(c.value)) next.push({ path: [...c.path, k], value: v });
      } else if (Object.prototype.hasOwnProperty.call(c.value, key)) {
        next.push({ path: [...c.path, key], value: c.value[key] });
      }
    }
    cur = each ? next.flatMap((c) => (Array.isArray(c.value) ? c.value.map((v, i) => ({ path: [...c.path, i], value: v })) : [])) : next;
  }
  return cur;
}

/** `{name}`, `{namespace}`, `{spec.a.b}`, `{label:key}` and `{spec.a.b|name}` filled from the resource; undefined when a field is absent. */
export function fill(pattern: string, r: Pick<Resource, 'name' | 'namespace' | 'object'>): string | undefined {
  let missing = false;
  const out = pattern.replace(/\{([^}]+)\}/g, (_m, inner: string) => {
    for (const alt of inner.split('|')) {
      if (alt === 'name') return r.name;
      if (alt === 'namespace') return r.namespace;
      if (alt.startsWith('label:')) {
        const l = asLabels((r.object.metadata as Record<string, unknown> | undefined)?.labels)[alt.slice(6)];
        if (l) return l;
        continue;
      }
      const v = valuesAt(r.object, alt)[0]?.value;
      if (typeof v === 'string' && v) return v;
    }
    missing = true;
    return '';
  });
  return missing ? undefined : out;
}

/** The objects a custom resource makes its operator create (in the resource's namespace). */
export function createdBy(r: Resource): { kind: string; name: string }[] {
  const e = catalogueEntry(r);
  const out: { kind: string; name: string }[] = [];
  for (const c of e?.res.creates ?? []) {
    const name = fill(c.name, r);
    if (name) out.push({ kind: c.kind, name });
  }
  return out;
}

/** Where a custom resource whose operator the catalogue does not know commonly carries its pod template. */
const GENERIC_TEMPLATE_PATHS = ['spec.template', 'spec.podTemplate'];
const GENERIC_POD_LABEL_PATHS = ['spec.podMetadata.labels'];

/** A pod template (or a bare PodSpec) inside a custom resource, and where it sits in the object. */
export interface CustomResourcePodTemplate {
  path: (string | number)[];
  spec: Record<string, unknown>;
  metadata?: Record<string, unknown>;
  /** `template`: a PodTemplateSpec (metadata + spec); `podSpec`: a bare PodSpec. */
  kind: 'template' | 'podSpec';
}

/**
 * The pod templates a custom resource carries: the catalogue's paths for its kind, or for a kind it does not
 * know `spec.template` / `spec.podTemplate` when they hold a PodTemplateSpec. Bare PodSpecs come only from the
 * catalogue (a `spec` alone says too little to be one).
 */
export function podTemplatesOf(r: Resource): CustomResourcePodTemplate[] {
  const e = catalogueEntry(r);
  const out: CustomResourcePodTemplate[] = [];
  for (const p of e ? e.res.templates ?? [] : GENERIC_TEMPLATE_PATHS) {
    for (const { path, value } of valuesAt(r.object, p)) {
      if (isObj(value) && isObj(value.spec)) out.push({ path, spec: value.spec, metadata: isObj(value.metadata) ? value.metadata : undefined, kind: 'template' });
    }
  }
  for (const p of e?.res.podSpecs ?? []) {
    for (const { path, value } of valuesAt(r.object, p)) if (isObj(value)) out.push({ path, spec: value, kind: 'podSpec' });
  }
  return out;
}

/** Single containers a custom resource carries outside any PodSpec (Argo Workflow templates, Tekton steps). */
export function containersOf(r: Resource): { path: (string | number)[]; container: Record<string, unknown> }[] {
  const e = catalogueEntry(r);
  const out: { path: (string | number)[]; container: Record<string, unknown> }[] = [];
  for (const p of e?.res.containers ?? []) for (const { path, value } of valuesAt(r.object, p)) if (isObj(value)) out.push({ path, container: value });
  return out;
}

function fillSet(s: PodLabelsSpec, r: Pick<Resource, 'name' | 'namespace' | 'object'>): PodLabelSet {
  const labels: Record<string, string> = {};
  for (const [k, v] of Object.entries(s.labels)) {
    const f = fill(v, r);
    if (f !== undefined) labels[k] = f;
  }
  const runtime: Record<string, RuntimeValues> = {};
  for (const [k, v] of Object.entries(s.runtime ?? {})) runtime[k] = v === '*' ? '*' : v.map((x) => fill(x, r)).filter((x): x is string => x !== undefined);
  return { labels, runtime };
}

/** Label maps the resource's own manifest gives its pods: its pod templates' labels and the catalogue's label paths. */
function declaredPodLabels(r: Resource): Record<string, string>[] {
  const e = catalogueEntry(r);
  const out: Record<string, string>[] = [];
  for (const t of podTemplatesOf(r)) {
    const l = t.kind === 'template' ? asLabels(t.metadata?.labels) : {};
    if (Object.keys(l).length) out.push(l);
  }
  for (const p of e ? e.res.podLabelPaths ?? [] : GENERIC_POD_LABEL_PATHS) {
    for (const { value } of valuesAt(r.object, p)) {
      const l = asLabels(value);
      if (Object.keys(l).length) out.push(l);
    }
  }
  return out;
}

/**
 * Label sets of the pods a custom resource may run: the labels its manifest gives them, each with the
 * labels its operator adds (fixed and run-time). Empty when nothing about its pods' labels is known.
 */
export function podLabelSets(r: Resource): PodLabelSet[] {
  const e = catalogueEntry(r);
  const operatorSets = (e?.res.pods ?? []).map((s) => fillSet(s, r));
  const declared = declaredPodLabels(r);
  if (!operatorSets.length) return declared.map((labels) => ({ labels, runtime: {} }));
  if (!declared.length) return operatorSets;
  // The operator merges the manifest's labels into its own on every pod it makes.
  return operatorSets.flatMap((o) => declared.map((d) => ({ labels: { ...d, ...o.labels }, runtime: o.runtime })));
}

/** True when the resource's kind may make pods: a catalogue kind with pods or templates, or a kind not known to make none. */
export function mayMakePods(r: Pick<Resource, 'apiVersion' | 'kind'>): boolean {
  const e = catalogueEntry(r);
  if (e) return !!(e.res.pods?.length || e.res.templates?.length || e.res.podSpecs?.length || e.res.containers?.length);
  return !nonPodGroups.has(groupOf(r.apiVersion)) && !nonPodKinds.has(r.kind);
}

/** Whether the catalogue knows the kind (its operator's pods and objects are described, or known to be none). */
export function isCatalogued(r: Pick<Resource, 'apiVersion' | 'kind'>): boolean {
  return !!catalogueEntry(r) || nonPodGroups.has(groupOf(r.apiVersion)) || nonPodKinds.has(r.kind);
}

/** The values a selector asks of each key (matchLabels, a Service map, `In` expressions), as [key, values] pairs. */
export function selectorValues(selector: Labels | LabelSelector, kind: 'map' | 'selector'): [string, string[]][] {
  return [...selectorValueMap(selector, kind)];
}

function selectorValueMap(selector: Labels | LabelSelector, kind: 'map' | 'selector'): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const add = (k: string, v: string) => out.set(k, [...(out.get(k) ?? []), v]);
  if (kind === 'map') {
    for (const [k, v] of Object.entries(asLabels(selector))) add(k, v);
    return out;
  }
  const sel = selector as LabelSelector;
  for (const [k, v] of Object.entries(asLabels(sel.matchLabels))) add(k, v);
  // (a hand-written selector may hold anything: only well-formed expressions are read)
  for (const req of Array.isArray(sel.matchExpressions) ? sel.matchExpressions : []) {
    if (!req || typeof req.key !== 'string') continue;
    if (!out.has(req.key)) out.set(req.key, []);
    for (const v of Array.isArray(req.values) ? req.values : []) add(req.key, String(v));
  }
  return out;
}

/** A value no selector names: a run-time label of any value that must differ from what a NotIn excludes. */
const OTHER_VALUE = '\u0000other';

/**
 * True when some pod with this label set may match the selector: each run-time label the selector names is
 * tried absent and with each value it may take (for "any value", the values the selector asks and one it does
 * not). Labels the selector does not name cannot change the outcome, so only those are tried.
 */
export function labelSetMatches(set: PodLabelSet, selector: Labels | LabelSelector, kind: 'map' | 'selector'): boolean {
  const wanted = selectorValueMap(selector, kind);
  let candidates: Record<string, string>[] = [{ ...set.labels }];
  for (const [k, allowed] of Object.entries(set.runtime)) {
    if (!wanted.has(k)) continue;
    const opts: (string | undefined)[] = [undefined, ...(allowed === '*' ? [...wanted.get(k)!, OTHER_VALUE] : allowed)];
    candidates = candidates.flatMap((c) => opts.map((v) => {
      const n = { ...c };
      if (v === undefined) delete n[k];
      else n[k] = v;
      return n;
    }));
    if (candidates.length > 4096) return true; // too many combinations to try: assume it may match
  }
  const test = (l: Record<string, string>) => (kind === 'map' ? matchesMap(asLabels(selector), l) : matchesSelector(selector as LabelSelector, l));
  return candidates.some(test);
}

/** Pods the operators' own managers create at run time, for operators installed in the scan (a CRD or a resource of their group). */
export function managerPodSets(installedGroups: ReadonlySet<string>): { operator: string; set: PodLabelSet }[] {
  const out: { operator: string; set: PodLabelSet }[] = [];
  for (const op of CATALOGUE.operators) {
    if (!op.managerPods || !op.resources.some((r) => installedGroups.has(r.group))) continue;
    for (const s of op.managerPods) out.push({ operator: op.operator, set: { labels: { ...s.labels }, runtime: { ...(s.runtime ?? {}) } } });
  }
  return out;
}

/** Label keys too common to say which operator made a pod. */
const GENERIC_KEYS = /^(app|component|role|tier|type|name|version|instance|application|statefulset|app\.kubernetes\.io\/.*|statefulset\.kubernetes\.io\/.*|apps\.kubernetes\.io\/.*|batch\.kubernetes\.io\/.*|job-name|pod-template-hash|controller-revision-hash|istio|service\.istio\.io\/.*|sidecar\.istio\.io\/.*|security\.istio\.io\/.*)$/;

/**
 * The catalogue kind whose pods this selector describes by the operator's own label keys (`spilo-role` with
 * `cluster-name`, `strimzi.io/cluster`), whatever the resource's name: its custom resource may be declared
 * outside the scanned files.
 */
export function operatorOfSelector(selector: Labels | LabelSelector, kind: 'map' | 'selector'): { operator: string; group: string; kind: string } | undefined {
  const keys = [...selectorValueMap(selector, kind).keys()];
  if (!keys.some((k) => !GENERIC_KEYS.test(k))) return undefined;
  const anyName = { name: '\u0001', namespace: '\u0001', object: {} };
  for (const op of CATALOGUE.operators) {
    for (const res of op.resources) {
      for (const s of res.pods ?? []) {
        // The resource's name and namespace may be anything: labels that carry them become run-time labels.
        const filled = fillSet(s, anyName);
        const set: PodLabelSet = { labels: {}, runtime: { ...filled.runtime } };
        for (const [k, v] of Object.entries(filled.labels)) if (v.includes('\u0001')) set.runtime[k] = '*';
        else set.labels[k] = v;
        const own = new Set([...Object.keys(set.labels), ...Object.keys(set.runtime)].filter((k) => !GENERIC_KEYS.test(k)));
        if (keys.some((k) => own.has(k)) && labelSetMatches(set, selector, kind)) return { operator: op.operator, group: res.group, kind: res.kind };
      }
    }
  }
  return undefined;
}

/**
 * A name that follows an operator's naming for what it creates (`<cluster>-head-svc` is KubeRay's head
 * Service of RayCluster `<cluster>`): the object may come from a custom resource outside the scanned files.
 * Only patterns with one `{name}` and at least four fixed characters count (a bare `{name}` says nothing).
 */
export function operatorNameMatch(kind: string, name: string): { kind: string; group: string; crName: string } | undefined {
  for (const op of CATALOGUE.operators) {
    for (const res of op.resources) {
      for (const o of res.creates ?? []) {
        if (o.kind !== kind) continue;
        const parts = o.name.split('{name}');
        if (parts.length !== 2 || /[{}]/.test(parts.join(''))) continue;
        const [pre, post] = parts;
        if (pre.length + post.length >= 4 && name.length > pre.length + post.length && name.startsWith(pre) && name.endsWith(post)) {
          return { kind: res.kind, group: res.group, crName: name.slice(pre.length, name.length - post.length) };
        }
      }
    }
  }
  return undefined;
}
