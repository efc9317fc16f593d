/** API lifecycle data (src/schema/data/api-lifecycle.json) and version comparison. */
import lifecycleJson from './data/api-lifecycle.json' with { type: 'json' };

export interface ApiEntry {
  apiVersion: string;
  kind: string;
  deprecatedIn: string;
  removedIn: string | null;
  replacement: string;
  source: string;
  note?: string;
}

export interface AnnotationEntry {
  key: string;
  match: 'exact' | 'prefix';
  kinds: string[];
  where?: 'pod';
  deprecatedIn: string;
  removedIn?: string;
  replacement: string;
  source: string;
  note?: string;
}

export interface FieldEntry {
  kinds: string[];
  where?: 'pod';
  path: string[];
  /** Not when this sibling field holds the same value (an alias the API server fills in itself). */
  unlessSiblingEquals?: string;
  /** Only when the field holds this value (a deprecated label used as a topologyKey). */
  value?: string;
  deprecatedIn?: string;
  replacement: string;
  source: string;
  note?: string;
}

/** A version of a well-known custom resource that its project stopped serving or superseded. */
export interface CustomApiEntry {
  apiVersion: string;
  kinds: string[];
  project: string;
  /** unserved: a current release of the project no longer serves it; superseded: still served, replaced. */
  status: 'unserved' | 'superseded';
  /** The project's release that stopped serving it, or that introduced the replacement. */
  since: string;
  replacement: string;
  source: string;
  note?: string;
}

interface Lifecycle {
  apis: ApiEntry[];
  customApis: CustomApiEntry[];
  annotations: AnnotationEntry[];
  fields: FieldEntry[];
}

let data: Lifecycle | undefined;
let byKey: Map<string, ApiEntry> | undefined;

export function lifecycle(): Lifecycle {
  return (data ??= lifecycleJson as unknown as Lifecycle);
}

export function apiEntry(apiVersion: string, kind: string): ApiEntry | undefined {
  if (!byKey) byKey = new Map(lifecycle().apis.map((e) => [`${e.apiVersion}/${e.kind}`, e]));
  return byKey.get(`${apiVersion}/${kind}`);
}

let customByKey: Map<string, CustomApiEntry> | undefined;

export function customApiEntry(apiVersion: string, kind: string): CustomApiEntry | undefined {
  if (!customByKey) {
    customByKey = new Map();
    for (const e of lifecycle().customApis ?? []) for (const k of e.kinds) customByKey.set(`${e.apiVersion}/${k}`, e);
  }
  return customByKey.get(`${apiVersion}/${kind}`);
}

/** Compare Kubernetes minors such as "1.25" and "v1.9.3": negative when a < b. */
export function compareVersions(a: string, b: string): number {
  const pa = minorOf(a);
  const pb = minorOf(b);
  return pa[0] !== pb[0] ? pa[0] - pb[0] : pa[1] - pb[1];
}

// Rules compare the same few versions for every object: parse each once.
const minors = new Map<string, [number, number]>();
function minorOf(v: string): [number, number] {
  let m = minors.get(v);
  if (!m) {
    const p = v.replace(/^v/, '').split('.');
    m = [parseInt(p[0], 10) || 0, parseInt(p[1], 10) || 0];
    minors.set(v, m);
  }
  return m;
}

/** True when `target` is at or past `version`. */
export function reached(target: string, version: string | null | undefined): boolean {
  return !!version && compareVersions(target, version) >= 0;
}
