/** API lifecycle data (src/schema/data/api-lifecycle.json) and version comparison. */
import { createRequire } from 'node:module';
import type LifecycleJson from './data/api-lifecycle.json';

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

interface Lifecycle {
  apis: ApiEntry[];
  annotations: AnnotationEntry[];
  fields: FieldEntry[];
}

let data: Lifecycle | undefined;
let byKey: Map<string, ApiEntry> | undefined;

export function lifecycle(): Lifecycle {
  if (!data) {
    const raw: typeof LifecycleJson = createRequire(import.meta.url)('./data/api-lifecycle.json');
    data = raw as unknown as Lifecycle;
  }
  return data;
}

export function apiEntry(apiVersion: string, kind: string): ApiEntry | undefined {
  if (!byKey) byKey = new Map(lifecycle().apis.map((e) => [`${e.apiVersion}/${e.kind}`, e]));
  return byKey.get(`${apiVersion}/${kind}`);
}

/** Compare Kubernetes minors such as "1.25" and "v1.9.3": negative when a < b. */
export function compareVersions(a: string, b: string): number {
  const pa = a.replace(/^v/, '').split('.').map((x) => parseInt(x, 10) || 0);
  const pb = b.replace(/^v/, '').split('.').map((x) => parseInt(x, 10) || 0);
  for (let i = 0; i < 2; i++) if ((pa[i] ?? 0) !== (pb[i] ?? 0)) return (pa[i] ?? 0) - (pb[i] ?? 0);
  return 0;
}

/** True when `target` is at or past `version`. */
export function reached(target: string, version: string | null | undefined): boolean {
  return !!version && compareVersions(target, version) >= 0;
}
