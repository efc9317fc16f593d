/**
 * Custom resources validated against the openAPIV3Schema of a CustomResourceDefinition among the scanned
 * files: types, enums, required fields, bounds, and unknown fields unless the schema preserves them
 * (x-kubernetes-preserve-unknown-fields), string patterns (Go's regexp, as the API server runs them). CEL rules
 * and formats are left to the API server.
 */
import type { Resource } from '../graph/resource.js';
import type { ResourceGraph } from '../graph/graph.js';
import type { SchemaIssue } from './validate.js';
import { closest, describeValue, fieldPath, isPlaceholder } from './text.js';
import { readConfiguredDocuments } from '../load/configured-files.js';
import { tryCompileGo } from '../util/re2.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

/** What validation needs of a CustomResourceDefinition: a scanned one, or one named in the configuration. */
export interface CrdLike {
  object: Json;
  apiVersion: string;
  name: string;
  /** Where it comes from, for messages: 'among the scanned files' or 'named in .k8s-audit.yaml (crds)'. */
  origin?: string;
}

export interface CrdMatch {
  crd: CrdLike;
  /** The schema of the version the resource uses, if the CRD defines it. */
  schema: Json | undefined;
  /** The CRD keeps unknown fields everywhere (apiextensions.k8s.io/v1beta1 unless preserveUnknownFields: false). */
  preserveAll?: boolean;
  /** Versions the CRD serves, when the resource's version is not one of them. */
  missingVersion?: { version: string; served: string[] };
}

function groupVersion(apiVersion: string): [string, string] {
  const i = apiVersion.lastIndexOf('/');
  return i < 0 ? ['', apiVersion] : [apiVersion.slice(0, i), apiVersion.slice(i + 1)];
}

const byGraph = new WeakMap<ResourceGraph, Map<string, CrdLike>>();
let configured: CrdLike[] = [];
let scanned: CrdLike[] = [];

/**
 * Every CustomResourceDefinition of the scan, whatever unit holds it (a plain file, a kustomize build such as
 * kubebuilder's config/crd, a chart): CRDs are cluster-wide, so they validate custom resources everywhere in the
 * scan, after the unit's own. Set per run, each with where it was found.
 */
export function setScannedCrds(list: CrdLike[]): void {
  scanned = list;
}

/**
 * CustomResourceDefinitions named in the configuration (`crds:`), for custom resources whose CRD is neither
 * among the scanned files nor in the catalog (the VPA, VolumeSnapshot, an in-house operator). Set per run.
 */
export function setConfiguredCrds(list: CrdLike[]): void {
  configured = list;
}

/**
 * The CustomResourceDefinitions in files, or directories of .yaml/.yml/.json files, relative to `baseDir`;
 * `missing` names the first path that does not exist.
 */
export function readCrdFiles(list: string[], baseDir: string, origin: string): { crds: CrdLike[] } | { missing: string } {
  const read = readConfiguredDocuments(list, baseDir);
  if ('missing' in read) return read;
  const crds: CrdLike[] = [];
  for (const { value } of read.docs) {
    const v = value as Json;
    if (!v || typeof v !== 'object' || v.kind !== 'CustomResourceDefinition') continue;
    crds.push({ object: v, apiVersion: String(v.apiVersion), name: String(v.metadata?.name ?? ''), origin });
  }
  return { crds };
}

function crdIndex(graph: ResourceGraph): Map<string, CrdLike> {
  let idx = byGraph.get(graph);
  if (idx) return idx;
  idx = new Map();
  // The scanned files' own CRDs first: they are the version this repository installs.
  for (const c of [...graph.ofKind('CustomResourceDefinition'), ...scanned, ...configured]) {
    const spec = c.object.spec;
    if (!spec || typeof spec !== 'object') continue;
    const kind = spec.names?.kind;
    if (typeof spec.group === 'string' && typeof kind === 'string' && !idx.has(`${spec.group}/${kind}`)) idx.set(`${spec.group}/${kind}`, c);
  }
  byGraph.set(graph, idx);
  return idx;
}

export function crdFor(r: Resource, graph: ResourceGraph): CrdMatch | undefined {
  const [group, version] = groupVersion(r.apiVersion);
  const crd = crdIndex(graph).get(`${group}/${r.kind}`);
  if (!crd) return undefined;
  const spec = crd.object.spec;
  const versions: Json[] = Array.isArray(spec.versions) ? spec.versions : [];
  const names = versions.map((v) => v?.name).filter((n): n is string => typeof n === 'string');
  if (typeof spec.version === 'string' && !names.includes(spec.version)) names.push(spec.version);
  const v = versions.find((x) => x?.name === version);
  if (!names.includes(version) || (v && v.served === false)) {
    return { crd, schema: undefined, missingVersion: { version, served: versions.filter((x) => x?.served !== false).map((x) => x.name).filter(Boolean) } };
  }
  const schema = v?.schema?.openAPIV3Schema ?? spec.validation?.openAPIV3Schema;
  const preserveAll = spec.preserveUnknownFields === true || (crd.apiVersion === 'apiextensions.k8s.io/v1beta1' && spec.preserveUnknownFields !== false);
  return { crd, schema: schema && typeof schema === 'object' ? schema : undefined, preserveAll };
}

const TYPE_WORDS: Record<string, string> = { integer: 'an integer', number: 'a number', string: 'a string', boolean: 'true or false', object: 'a mapping', array: 'a list' };

function typeOk(type: string, v: unknown): boolean {
  switch (type) {
    case 'object':
      return typeof v === 'object' && v !== null && !Array.isArray(v);
    case 'array':
      return Array.isArray(v);
    case 'string':
      return typeof v === 'string';
    case 'integer':
      return typeof v === 'number' && Number.isInteger(v);
    case 'number':
      return typeof v === 'number';
    case 'boolean':
      return typeof v === 'boolean';
    default:
      return true;
  }
}

export function validateCustom(r: Resource, m: CrdMatch): SchemaIssue[] {
  const out: SchemaIssue[] = [];
  if (m.missingVersion) {
    const { version, served } = m.missingVersion;
    out.push({
      kind: 'version',
      path: ['apiVersion'],
      text: `The CustomResourceDefinition ${m.crd.name} ${m.crd.origin ?? 'among the scanned files'} does not serve version ${version} of ${r.kind}${served.length ? ` (it serves ${served.join(', ')})` : ''}`,
    });
    return out;
  }
  if (!m.schema) return out;
  walk(m.schema, r.object, [], out, true);
  return m.preserveAll ? out.filter((i) => i.kind !== 'unknown') : out;
}

function codePoints(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

function walk(schema: Json, value: unknown, path: (string | number)[], out: SchemaIssue[], root = false): void {
  if (!schema || typeof schema !== 'object' || value === null || value === undefined) return;
  // A template placeholder (clusterctl's and Flux's ${VAR:-default}, {{ }}) is filled in before anyone applies it.
  if (isPlaceholder(value)) return;
  // (worked out only for an issue: most nodes of a valid object have none, and fieldPath joins the whole path)
  const where = (): string => (path.length ? fieldPath(path) : 'The object');
  if (schema['x-kubernetes-int-or-string']) {
    if (!(typeof value === 'string' || (typeof value === 'number' && Number.isInteger(value)))) out.push({ kind: 'type', path, text: `${where()} must be an integer or a string, not ${describeValue(value)}` });
    return;
  }
  const type: unknown = schema.type;
  if (typeof type === 'string' && !typeOk(type, value)) {
    out.push({ kind: 'type', path, text: `${where()} must be ${TYPE_WORDS[type] ?? type}, not ${describeValue(value)}` });
    return;
  }
  if (Array.isArray(schema.enum) && schema.enum.length && !schema.enum.some((e: unknown) => e === value)) {
    out.push({ kind: 'enum', path, text: `${where()} is ${describeValue(value)}; the allowed values are ${schema.enum.map((e: unknown) => JSON.stringify(e)).join(', ')}` });
  }
  if (typeof value === 'number') {
    if (typeof schema.minimum === 'number' && (value < schema.minimum || (schema.exclusiveMinimum === true && value === schema.minimum))) out.push({ kind: 'range', path, text: `${where()} is ${value}, below the minimum ${schema.minimum}` });
    if (typeof schema.maximum === 'number' && (value > schema.maximum || (schema.exclusiveMaximum === true && value === schema.maximum))) out.push({ kind: 'range', path, text: `${where()} is ${value}, above the maximum ${schema.maximum}` });
  }
  if (typeof value === 'string') {
    // (counted in code points, as the API server does, and only when the schema bounds it: a spread copies the string)
    const len = typeof schema.maxLength === 'number' || typeof schema.minLength === 'number' ? codePoints(value) : 0;
    if (typeof schema.maxLength === 'number' && len > schema.maxLength) out.push({ kind: 'range', path, text: `${where()} is ${len} characters long, more than the maximum ${schema.maxLength}` });
    if (typeof schema.minLength === 'number' && len < schema.minLength) out.push({ kind: 'range', path, text: `${where()} is ${len} characters long, fewer than the minimum ${schema.minLength}` });
    // RE2 (src/util/re2.ts): the pattern is the scanned CRD's, and a backtracking RegExp would hang on `^(a+)+$`.
    // A pattern Go cannot compile makes the CRD itself invalid; it is not held against the object.
    if (typeof schema.pattern === 'string' && tryCompileGo(schema.pattern)?.test(value) === false) {
      out.push({ kind: 'format', path, text: `${where()} is ${describeValue(value)}, which does not match the pattern ${JSON.stringify(schema.pattern)}` });
    }
  }
  if (Array.isArray(value)) {
    if (typeof schema.maxItems === 'number' && value.length > schema.maxItems) out.push({ kind: 'range', path, text: `${where()} has ${value.length} items, more than the maximum ${schema.maxItems}` });
    if (typeof schema.minItems === 'number' && value.length < schema.minItems) out.push({ kind: 'range', path, text: `${where()} has ${value.length} items, fewer than the minimum ${schema.minItems}` });
    if (schema.items && typeof schema.items === 'object') value.forEach((item, i) => walk(schema.items, item, [...path, i], out));
    return;
  }
  if (typeof value !== 'object') return;
  const obj = value as Record<string, unknown>;
  const props: Record<string, Json> | undefined = schema.properties && typeof schema.properties === 'object' ? schema.properties : undefined;
  if (Array.isArray(schema.required)) {
    for (const req of schema.required) {
      // The API server applies a schema `default` before it validates: a defaulted field is never missing.
      const defaulted = props?.[req] && typeof props[req] === 'object' && 'default' in (props[req] as object);
      if (typeof req === 'string' && obj[req] === undefined && !defaulted && !(root && (req === 'apiVersion' || req === 'kind' || req === 'metadata'))) {
        out.push({ kind: 'required', path, text: `${where()} is missing the required field "${req}"` });
      }
    }
  }
  const preserve = schema['x-kubernetes-preserve-unknown-fields'] === true;
  const additional = schema.additionalProperties;
  for (const [k, v] of Object.entries(obj)) {
    // The root's apiVersion, kind and metadata are the API server's (metadata is checked as ObjectMeta).
    if (root && (k === 'apiVersion' || k === 'kind' || k === 'metadata')) continue;
    if (props && k in props) {
      walk(props[k], v, [...path, k], out);
    } else if (additional && typeof additional === 'object') {
      walk(additional, v, [...path, k], out);
    } else if (!preserve && additional !== true && (props || schema.type === 'object') && !schema['x-kubernetes-embedded-resource']) {
      const hint = props ? closest(k, Object.keys(props)) : undefined;
      const inWhere = path.length ? ` in ${fieldPath(path)}` : ' at the top level of the object';
      out.push({ kind: 'unknown', path: [...path, k], text: `Unknown field "${k}"${inWhere}${hint ? ` (did you mean "${hint}"?)` : ''}` });
    }
  }
}
