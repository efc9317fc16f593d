/**
 * Schema validation of one resource, shared by the schema rules: built-in kinds through the kubernetes-models
 * validators, custom resources through the CustomResourceDefinitions found among the scanned files, and
 * metadata of every object through ObjectMeta. The result is computed once per resource and cached.
 */
import type { Resource } from '../graph/resource.js';
import type { ResourceGraph } from '../graph/graph.js';
import { builtinValidator, catalogValidator, declaredKeys, validateLearnt, validateTracked, type AjvError, type NodeAccess } from './builtin.js';
import { crdFor, validateCustom } from './crd.js';
import { CATALOG_DATA_DEPENDENT } from './catalog-index.js';
import { closest, describeValue, fieldPath, isPlaceholder } from './text.js';

export type IssueKind = 'unknown' | 'required' | 'type' | 'enum' | 'format' | 'quantity' | 'base64' | 'range' | 'version';

export interface SchemaIssue {
  kind: IssueKind;
  /** Where to report, relative to the resource. */
  path: (string | number)[];
  /** Plain words: what is wrong (without the consequence, which the rule's message adds). */
  text: string;
  /** The schema may not be the one the cluster has: reported at info with this sentence. */
  uncertain?: string;
}

export type SchemaSource = 'builtin' | 'crd' | 'catalog' | 'none';

export interface SchemaResult {
  source: SchemaSource;
  issues: SchemaIssue[];
  /** For source catalog: the @kubernetes-models package and version whose schema validated the object. */
  catalog?: { pkg: string; version: string };
}

const cache = new WeakMap<Resource, SchemaResult>();

export function schemaOf(r: Resource, graph: ResourceGraph): SchemaResult {
  let res = cache.get(r);
  if (!res) cache.set(r, (res = compute(r, graph)));
  return res;
}

function compute(r: Resource, graph: ResourceGraph): SchemaResult {
  const v = builtinValidator(r.apiVersion, r.kind);
  if (v) {
    if (r.kind === 'CustomResourceDefinition' && r.apiVersion === 'apiextensions.k8s.io/v1' && cleanCrd(v, r.object)) return { source: 'builtin', issues: [] };
    const { errors, nodes } = validateLearnt(v, r.object);
    const secret = r.kind === 'Secret';
    const redact = (p: (string | number)[]) => (secret && (p[0] === 'data' || p[0] === 'stringData')) || p.includes('env');
    const typed = new Set(nodes.filter((n) => n.known.has('metadata') && n.known.has('apiVersion')).map((n) => n.path.join('\u0000')));
    const embedded = (p: (string | number)[]) => typed.has(p.join('\u0000'));
    return { source: 'builtin', issues: [...convertErrors(errors, r.object, redact, embedded), ...unknownFields(nodes)] };
  }
  const crd = crdFor(r, graph);
  const meta = metadataIssues(r);
  if (crd) return { source: 'crd', issues: [...meta, ...validateCustom(r, crd)] };
  // A well-known custom resource whose CRD is not among the files: the schema of the catalog package.
  const cat = catalogValidator(r.apiVersion, r.kind);
  if (cat) {
    // (what the validators of a package without data-dependent keywords read is learnt, as for built-in kinds)
    const { errors, nodes } = CATALOG_DATA_DEPENDENT.includes(cat.pkg) ? validateTracked(cat.validator, r.object) : validateLearnt(cat.validator, r.object);
    const note = `unless the installed ${projectOf(cat.pkg)} is newer than the schema k8s-audit carries (${cat.pkg} ${cat.version}); scan its CustomResourceDefinition to validate against that`;
    const unknown = unknownFields(nodes).map((i) => (/did you mean/.test(i.text) ? i : { ...i, uncertain: note }));
    return { source: 'catalog', catalog: { pkg: cat.pkg, version: cat.version }, issues: [...convertErrors(errors, r.object, (p) => p.includes('env')), ...unknown] };
  }
  return { source: 'none', issues: meta };
}

function projectOf(pkg: string): string {
  return pkg.replace('@kubernetes-models/', '');
}

/**
 * A CRD's schemas are most of its bytes, and tracking their nodes (through proxies) cost more than all other
 * objects of a large install together. Validate them untracked and check their keys directly, on the nodes a
 * tracked run would look at: true when the CRD has no errors and no unknown field, which is then what a fully
 * tracked run finds. Anything else goes to that run.
 */
export function cleanCrd(v: Parameters<typeof validateTracked>[0], object: unknown): boolean {
  const shape = schemaShape();
  if (!shape) return false;
  const run = validateTracked(v, object, OPAQUE);
  if (run.errors.length || unknownFields(run.nodes).length) return false;
  const stack: unknown[] = [...run.skipped];
  while (stack.length) {
    const node = stack.pop();
    if (node === null || typeof node !== 'object' || Array.isArray(node)) continue;
    const o = node as Record<string, unknown>;
    // (one pass over the keys a node has, two or three in most schemas, rather than a lookup of each of the
    // dozen fields that can hold schemas: there are tens of thousands of nodes in a large install's CRDs)
    for (const k of Object.keys(o)) {
      if (!shape.known.has(k) && !isDeclared(k, shape.known)) return false;
      const role = shape.roles.get(k);
      if (role === undefined) continue;
      const x = o[k];
      if (role === 'map') {
        if (x && typeof x === 'object' && !Array.isArray(x)) for (const y of Object.values(x)) stack.push(y);
      } else if (role === 'list') {
        if (Array.isArray(x)) for (const y of x) stack.push(y);
      } else if (role === 'value') {
        stack.push(x);
      } else if (shape.docs && x && typeof x === 'object' && !Array.isArray(x)) {
        for (const d of Object.keys(x)) if (!shape.docs.has(d) && !isDeclared(d, shape.docs)) return false;
      }
    }
  }
  return true;
}

const OPAQUE: ReadonlySet<string> = new Set(['openAPIV3Schema']);
const JSON_SCHEMA_PROPS = 'IoK8sApiextensionsApiserverPkgApisApiextensionsV1JSONSchemaProps';

interface SchemaShape {
  known: Set<string>;
  /** Fields holding maps of schemas the validator looks into, lists of them, and single schemas. */
  maps: string[];
  lists: string[];
  values: string[];
  /** The keys of externalDocs, when the validator looks into it. */
  docs: Set<string> | null;
  /** maps, lists, values and externalDocs by field. */
  roles: Map<string, 'map' | 'list' | 'value' | 'docs'>;
}
let shape: SchemaShape | null | undefined;

/** For tests: what schemaShape learnt. */
export function learntSchemaShape(): SchemaShape | null {
  return schemaShape();
}

/**
 * Which JSONSchemaProps fields the compiled validator validates as schemas in turn, learnt by running it over
 * probes: kubernetes-models types some (items, additionalProperties) as opaque, and those are not looked into.
 * Null when the validator reads nothing (then CRDs are always tracked).
 */
function schemaShape(): SchemaShape | null {
  if (shape !== undefined) return shape;
  const known = declaredKeys(JSON_SCHEMA_PROPS);
  const v = builtinValidator('apiextensions.k8s.io/v1', 'CustomResourceDefinition');
  if (!known.size || !v) return (shape = null);
  const probeRun = (field: string, value: unknown, at: (string | number)[]) => {
    const crd = { apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'a.b' }, spec: { group: 'b', names: { kind: 'A', plural: 'a' }, scope: 'Namespaced', versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', [field]: value } } }] } };
    const base = ['spec', 'versions', 0, 'schema', 'openAPIV3Schema', field, ...at].join('.');
    return validateTracked(v, crd).nodes.some((n) => n.path.join('.') === base && n.known.size > 0 && !n.enumerated);
  };
  const s: SchemaShape = { known, maps: [], lists: [], values: [], docs: null, roles: new Map() };
  for (const f of ['properties', 'patternProperties', 'definitions', 'dependencies']) if (probeRun(f, { x: { type: 'string' } }, ['x'])) s.maps.push(f);
  for (const f of ['allOf', 'anyOf', 'oneOf']) if (probeRun(f, [{ type: 'string' }], [0])) s.lists.push(f);
  for (const f of ['not', 'items', 'additionalProperties', 'additionalItems']) if (probeRun(f, { type: 'string' }, [])) s.values.push(f);
  if (probeRun('externalDocs', { url: 'x' }, [])) s.docs = declaredKeys('IoK8sApiextensionsApiserverPkgApisApiextensionsV1ExternalDocumentation');
  for (const f of s.maps) s.roles.set(f, 'map');
  for (const f of s.lists) s.roles.set(f, 'list');
  for (const f of s.values) s.roles.set(f, 'value');
  if (s.docs) s.roles.set('externalDocs', 'docs');
  return (shape = s);
}

/** metadata of any object, through the ObjectMeta validator (a ConfigMap's validator stands in). */
function metadataIssues(r: Resource): SchemaIssue[] {
  const v = builtinValidator('v1', 'ConfigMap');
  if (!v || r.object.metadata === undefined) return [];
  const probe = { apiVersion: 'v1', kind: 'ConfigMap', metadata: r.object.metadata };
  const { errors, nodes } = validateLearnt(v, probe);
  return [...convertErrors(errors, probe), ...unknownFields(nodes)];
}

/**
 * Property names that kubernetes-models' generator dropped from the compiled schemas together with the
 * OpenAPI documentation (PriorityClass.description, a CRD schema's description, $ref and x-kubernetes-*
 * extensions, printer columns' description): never reported as unknown.
 */
function droppedByGenerator(key: string): boolean {
  return key === 'description' || key === '$ref' || key === '$schema' || key.startsWith('x-kubernetes-');
}

/** Keys unknownFields lets through although the schema does not declare them. */
function isDeclared(key: string, known: Set<string>): boolean {
  return droppedByGenerator(key) || (key in NEWER_FIELDS && known.has(NEWER_FIELDS[key]));
}

/**
 * Fields newer than the schemas kubernetes-models ships (Kubernetes 1.36), recognised by a field their
 * type is known to have. Not reported: the target cluster may well know them.
 */
const NEWER_FIELDS: Record<string, string> = {
  hostnameOverride: 'containers', // PodSpec, 1.34 (alpha)
  restartPolicyRules: 'image', // Container, 1.34 (alpha)
  fileKeyRef: 'secretKeyRef', // EnvVarSource, 1.34 (alpha)
};

/** SecurityContext fields that the pod-level PodSecurityContext does not have: a classic mix-up. */
const CONTAINER_ONLY_SECURITY = new Set(['privileged', 'readOnlyRootFilesystem', 'allowPrivilegeEscalation', 'capabilities', 'procMount']);

function commonPrefix(a: readonly (string | number)[], b: readonly (string | number)[]): number {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
}

/** Keys a declared-properties mapping does not declare. */
export function unknownFields(nodes: NodeAccess[]): SchemaIssue[] {
  const out: SchemaIssue[] = [];
  for (const n of nodes) {
    // A mapping whose schema declares no properties is free-form (RawExtension, JSON); one whose keys the
    // validator enumerated is a map with arbitrary keys (labels, data).
    if (n.enumerated || n.known.size === 0) continue;
    // `resources: {{ .Resources }}`: YAML reads the template placeholder as a mapping; it is filled in before apply
    if (isPlaceholder(n.value)) continue;
    for (const key of Object.keys(n.value)) {
      if (n.known.has(key) || isDeclared(key, n.known)) continue;
      const hint = closest(key, [...n.known]);
      const where = n.path.length ? ` in ${fieldPath(n.path)}` : ' at the top level of the object';
      let advice = hint ? ` (did you mean "${hint}"?)` : '';
      if (!hint) {
        // A field of another mapping in the same object that lacks it: most likely mis-indented.
        const home = nodes
          .filter((o) => o !== n && !o.enumerated && o.known.has(key))
          .sort((a, b) => Number(key in a.value) - Number(key in b.value) || commonPrefix(b.path, n.path) - commonPrefix(a.path, n.path) || a.path.length - b.path.length)[0];
        if (home) {
          const at = home.path.length ? fieldPath(home.path) : 'the top level';
          advice = key in home.value ? ` (it is a field of ${at}, which sets it already)` : ` (it is a field of ${at}: check the indentation)`;
        } else if (CONTAINER_ONLY_SECURITY.has(key) && n.known.has('fsGroup')) {
          advice = ' (a field of each container\'s securityContext; the pod-level securityContext has no such field)';
        }
      }
      out.push({ kind: 'unknown', path: [...n.path, key], text: `Unknown field "${key}"${where}${advice}` });
    }
  }
  return out;
}

const TYPE_WORDS: Record<string, string> = { integer: 'an integer', number: 'a number', string: 'a string', boolean: 'true or false', object: 'a mapping', array: 'a list' };

function valueAt(root: unknown, p: (string | number)[]): unknown {
  let v = root;
  for (const k of p) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string, unknown>)[k];
  }
  return v;
}

function pointerToPath(pointer: string, root: unknown): (string | number)[] {
  if (!pointer) return [];
  const out: (string | number)[] = [];
  let v = root;
  for (const raw of pointer.slice(1).split('/')) {
    const seg = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    const key: string | number = Array.isArray(v) && /^\d+$/.test(seg) ? Number(seg) : seg;
    out.push(key);
    v = v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[key] : undefined;
  }
  return out;
}

/** ajv errors -> one plain issue per offending field. */
export function convertErrors(
  errors: AjvError[],
  root: unknown,
  redact: (p: (string | number)[]) => boolean = () => false,
  /** Whether the mapping at a path is a whole object type (one with metadata) embedded in another. */
  embedded: (p: (string | number)[]) => boolean = () => false,
): SchemaIssue[] {
  const byPath = new Map<string, AjvError[]>();
  for (const e of errors) {
    const list = byPath.get(e.instancePath);
    if (list) list.push(e);
    else byPath.set(e.instancePath, [e]);
  }
  const out: SchemaIssue[] = [];
  for (const [pointer, errs] of byPath) {
    const path = pointerToPath(pointer, root);
    const value = valueAt(root, path);
    const describe = (v: unknown) => (redact(path) && v !== null && typeof v !== 'object' ? `a ${typeof v}` : describeValue(v));
    const where = path.length ? fieldPath(path) : 'The object';
    // kubernetes-models marks apiVersion and kind required (with a fixed value) wherever an object type
    // appears, but an embedded object (a StatefulSet's volumeClaimTemplates) needs neither.
    const last = path[path.length - 1];
    if (path.length > 1 && (last === 'apiVersion' || last === 'kind') && embedded(path.slice(0, -1))) continue;
    for (const e of errs.filter((x) => x.keyword === 'required')) {
      const missing = String(e.params.missingProperty);
      if (path.length > 0 && (missing === 'apiVersion' || missing === 'kind') && embedded(path)) continue;
      out.push({ kind: 'required', path, text: `${path.length ? fieldPath(path) : 'The object'} is missing the required field "${missing}"` });
    }
    // The API server reads null as "not set": a null is never a type error. Template placeholders are not
    // values anyone applies.
    if (value === null || isPlaceholder(value)) continue;
    const rest = errs.filter((x) => x.keyword !== 'required');
    if (!rest.length) continue;
    const formats = rest.filter((x) => x.keyword === 'format').map((x) => String(x.params.format));
    if (formats.includes('quantity')) {
      out.push({ kind: 'quantity', path, text: `${where} is ${describe(value)}, which is not a valid quantity` });
      continue;
    }
    if (formats.includes('byte')) {
      out.push({ kind: 'base64', path, text: `${where} is not valid base64` });
      continue;
    }
    const types = [...new Set(rest.filter((x) => x.keyword === 'type').map((x) => String(x.params.type)))];
    const union = rest.some((x) => x.keyword === 'oneOf' || x.keyword === 'anyOf');
    if (types.length && (union || rest.every((x) => x.keyword === 'type' || x.keyword === 'format'))) {
      // A type mismatch hides the format errors of the other branches.
      const want = types.map((t) => TYPE_WORDS[t] ?? t).join(' or ');
      if (!union && formats.length && typeof value === 'number') {
        out.push({ kind: 'range', path, text: `${where} is ${value}, out of range for a ${formats[0]} field` });
      } else {
        out.push({ kind: 'type', path, text: `${where} must be ${want}, not ${describe(value)}` });
      }
      continue;
    }
    const en = rest.find((x) => x.keyword === 'enum');
    // Built-in string enums are defaulted when empty (imagePullPolicy: ""), and some take "" as a value
    // of its own (a toleration's effect: "" matches every effect).
    if (en && value === '') continue;
    if (en) {
      const allowed = (en.params.allowedValues as unknown[]).map((a) => JSON.stringify(a));
      out.push({ kind: 'enum', path, text: `${where} is ${describe(value)}; the allowed values are ${allowed.join(', ')}` });
      continue;
    }
    if (formats.length) {
      const f = formats[0];
      if (typeof value === 'number' && (f === 'int32' || f === 'int64')) out.push({ kind: 'range', path, text: `${where} is ${value}, out of range for a ${f} field` });
      else out.push({ kind: 'format', path, text: `${where} is ${describe(value)}, which is not a valid ${f === 'date-time' ? 'RFC 3339 timestamp' : f}` });
      continue;
    }
    const e = rest[0];
    out.push({ kind: 'format', path, text: `${where} does not satisfy its schema (rule "${e.keyword}")` });
  }
  return out;
}
