/** Replica ranges, autoscaler targets and container ports: the facts cross-resource rules reason about. */
import type { Path } from '../types.js';
import type { KubeObject, Resource } from './resource.js';
import { containersOf, type PodTemplate } from './workloads.js';

export interface ReplicaRange {
  min: number;
  /** Infinity for a DaemonSet (one pod per node). */
  max: number;
  /** Where the count comes from, for messages: "replicas: 3", "HorizontalPodAutoscaler web (2-10)". */
  source: string;
  /** The resource and path that set the count (the HPA's maxReplicas, the workload's replicas). */
  resource: Resource;
  path: Path;
  /** The HPAs acting on the workload. */
  hpas: readonly Resource[];
  /** A CronJob whose runs may overlap (concurrencyPolicy Allow, the default). */
  overlapping?: boolean;
}

function num(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && /^\d+$/.test(v.trim())) return Number(v);
  return undefined;
}

/** Kinds with a scale subresource that an HPA can drive. */
export const SCALABLE_KINDS = new Set(['Deployment', 'StatefulSet', 'ReplicaSet', 'ReplicationController']);

export function hpaBounds(hpa: Resource): { min: number; max: number | undefined } {
  const spec = hpa.object.spec ?? {};
  return { min: num(spec.minReplicas) ?? 1, max: num(spec.maxReplicas) };
}

/** The replica range of a workload, given the HPAs that target it. */
export function replicaRangeOf(w: Resource, hpas: readonly Resource[]): ReplicaRange {
  const spec: KubeObject = w.object.spec && typeof w.object.spec === 'object' ? w.object.spec : {};
  switch (w.kind) {
    case 'Pod':
      return { min: 1, max: 1, source: 'a bare Pod', resource: w, path: ['kind'], hpas };
    case 'DaemonSet':
      return { min: 1, max: Infinity, source: 'DaemonSet', resource: w, path: ['kind'], hpas };
    case 'Job': {
      const p = num(spec.parallelism) ?? 1;
      return { min: Math.min(1, p), max: p, source: spec.parallelism !== undefined ? `parallelism: ${p}` : 'a Job (parallelism 1)', resource: w, path: spec.parallelism !== undefined ? ['spec', 'parallelism'] : ['kind'], hpas };
    }
    case 'CronJob': {
      const js = spec.jobTemplate?.spec ?? {};
      const p = num(js.parallelism) ?? 1;
      const policy = typeof spec.concurrencyPolicy === 'string' ? spec.concurrencyPolicy : 'Allow';
      const path: Path = js.parallelism !== undefined ? ['spec', 'jobTemplate', 'spec', 'parallelism'] : spec.concurrencyPolicy !== undefined ? ['spec', 'concurrencyPolicy'] : ['spec', 'schedule'];
      return { min: 0, max: p, source: js.parallelism !== undefined ? `parallelism: ${p}` : 'a CronJob', resource: w, path, hpas, overlapping: policy === 'Allow' };
    }
  }
  const replicas = num(spec.replicas);
  const fixed = replicas ?? 1;
  let min = fixed;
  let max = fixed;
  let source = replicas !== undefined ? `replicas: ${replicas}` : 'replicas (default 1)';
  let resource: Resource = w;
  let path: Path = replicas !== undefined ? ['spec', 'replicas'] : ['spec'];
  for (const h of hpas) {
    const b = hpaBounds(h);
    const hmax = b.max ?? b.min;
    if (hpas[0] === h) {
      min = b.min;
      max = Math.max(hmax, b.min);
    } else {
      min = Math.min(min, b.min);
      max = Math.max(max, hmax);
    }
    if (hmax >= max) {
      source = `HorizontalPodAutoscaler ${h.name} (minReplicas ${b.min}, maxReplicas ${b.max ?? '?'})`;
      resource = h;
      path = h.object.spec?.maxReplicas !== undefined ? ['spec', 'maxReplicas'] : ['spec'];
    }
  }
  if (hpas.length && replicas !== undefined && replicas > max) {
    max = replicas;
    source = `replicas: ${replicas}`;
    resource = w;
    path = ['spec', 'replicas'];
  }
  return { min, max, source, resource, path, hpas };
}

export interface ContainerPort {
  name?: string;
  port: number;
  protocol: string;
  container: string;
  /** Path of the port entry inside the owner. */
  path: Path;
}

/** Declared container ports of a pod template (init containers excluded, sidecar-style restartable ones included). */
export function containerPortsOf(t: PodTemplate): ContainerPort[] {
  const out: ContainerPort[] = [];
  for (const c of containersOf(t)) {
    if (c.init && c.container.restartPolicy !== 'Always') continue;
    const ports = c.container.ports;
    if (!Array.isArray(ports)) continue;
    ports.forEach((p: KubeObject, i: number) => {
      const n = num(p?.containerPort);
      if (n === undefined) return;
      out.push({ name: typeof p.name === 'string' ? p.name : undefined, port: n, protocol: typeof p.protocol === 'string' ? p.protocol : 'TCP', container: String(c.container.name ?? ''), path: [...c.path, 'ports', i] });
    });
  }
  return out;
}

/**
 * Ports the containers are known to listen on: declared containerPorts plus the numeric ports their probes
 * check (a probe that passes proves the port is served, declared or not).
 */
export function listeningPortsOf(t: PodTemplate): ContainerPort[] {
  const out = containerPortsOf(t);
  for (const c of containersOf(t)) {
    if (c.init && c.container.restartPolicy !== 'Always') continue;
    for (const probe of ['livenessProbe', 'readinessProbe', 'startupProbe'] as const) {
      const p = c.container[probe];
      if (!p || typeof p !== 'object') continue;
      for (const h of ['httpGet', 'tcpSocket', 'grpc'] as const) {
        const n = num(p[h]?.port);
        if (n !== undefined && !out.some((x) => x.port === n)) out.push({ port: n, protocol: 'TCP', container: String(c.container.name ?? ''), path: [...c.path, probe, h, 'port'] });
      }
    }
  }
  return out;
}

/** Resolve a port reference (number, numeric string or name) against declared ports. */
export function findPort(ports: readonly ContainerPort[], ref: unknown): ContainerPort | undefined {
  const n = num(ref);
  if (n !== undefined) return ports.find((p) => p.port === n);
  if (typeof ref === 'string') return ports.find((p) => p.name === ref);
  return undefined;
}

/** "3 pods", "up to 10 pods", "one pod per node": how many pods a range allows, for messages. */
export function describeCount(r: ReplicaRange): string {
  if (r.max === Infinity) return 'one pod per node';
  return r.min === r.max ? `${r.max} pods` : `up to ${r.max} pods`;
}

export { num as toNumber };
