/** The configuration a workload actually receives: literal env values, ConfigMap keys it consumes, args. */
import type { Path } from '../types.js';
import type { Resource } from './resource.js';
import type { ResourceGraph } from './graph.js';
import { containersOf } from './workloads.js';

export interface Setting {
  /** Setting name: the env var name, the ConfigMap key, or the flag. */
  key: string;
  value: string;
  /** Where the value is written (the workload itself or a ConfigMap). */
  resource: Resource;
  path: Path;
  /** For messages: 'env DB_PATH of container "api"', 'key "config.toml" of ConfigMap "app"'. */
  where: string;
  /** The value is a whole file (a ConfigMap key mounted as a volume). */
  file: boolean;
  container?: string;
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : undefined;
}

/** Every setting a workload's containers receive, with where it is written (computed once per graph). */
export function settingsOf(graph: ResourceGraph, w: Resource): readonly Setting[] {
  return graph.derived(settingsOf, w, () => collectSettings(graph, w));
}

function collectSettings(graph: ResourceGraph, w: Resource): Setting[] {
  const t = graph.podTemplate(w);
  if (!t) return [];
  const out: Setting[] = [];
  const seenCm = new Set<string>();
  const fromConfigMap = (name: string, keys: string[] | undefined, file: boolean, envName?: string, container?: string) => {
    const cm = graph.get('ConfigMap', name, w.namespace);
    const data = cm?.object.data;
    if (!cm || !data || typeof data !== 'object') return;
    for (const [k, v] of Object.entries(data)) {
      if (keys && !keys.includes(k)) continue;
      const val = str(v);
      if (val === undefined) continue;
      const id = `${name}\u0000${k}\u0000${envName ?? ''}\u0000${file}`;
      if (seenCm.has(id)) continue;
      seenCm.add(id);
      out.push({ key: envName ?? k, value: val, resource: cm, path: ['data', k], where: `key "${k}" of ConfigMap "${name}"`, file: file || val.includes('\n'), container });
    }
  };
  for (const c of containersOf(t)) {
    const cname = str(c.container.name) ?? '';
    const env = c.container.env;
    if (Array.isArray(env)) {
      env.forEach((e, i) => {
        if (!e || typeof e !== 'object') return;
        const name = str(e.name);
        if (!name) return;
        const val = str(e.value);
        if (val !== undefined) out.push({ key: name, value: val, resource: w, path: [...c.path, 'env', i, 'value'], where: `env ${name} of container "${cname}"`, file: false, container: cname });
        const ref = e.valueFrom?.configMapKeyRef;
        if (ref && typeof ref.name === 'string' && typeof ref.key === 'string') fromConfigMap(ref.name, [ref.key], false, name, cname);
      });
    }
    const envFrom = c.container.envFrom;
    if (Array.isArray(envFrom)) for (const e of envFrom) if (e?.configMapRef && typeof e.configMapRef.name === 'string') fromConfigMap(e.configMapRef.name, undefined, false, undefined, cname);
    for (const field of ['command', 'args'] as const) {
      const list = c.container[field];
      if (!Array.isArray(list)) continue;
      list.forEach((a, i) => {
        const s = str(a);
        if (s === undefined) return;
        out.push({ key: field, value: s, resource: w, path: [...c.path, field, i], where: `${field}[${i}] of container "${cname}"`, file: false, container: cname });
      });
    }
  }
  for (const ref of graph.refsOf(w)) {
    if (ref.kind === 'ConfigMap' && ref.volume !== undefined) fromConfigMap(ref.name, ref.keys, true);
  }
  return out;
}
