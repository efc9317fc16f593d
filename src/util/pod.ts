/**
 * Pod-spec helpers for single-object workload rules: containers with their paths, the effective security
 * context (a container setting overrides the pod's), replica counts, and example builders for rule docs.
 */
import type { Path } from '../types.js';
import type { KubeObject, Resource } from '../graph/resource.js';
import { containersOf as baseContainersOf, podTemplateOf, type PodTemplate } from '../graph/workloads.js';

export interface PodRef {
  template: PodTemplate;
  spec: KubeObject;
  /** Path of the pod spec inside the resource. */
  specPath: Path;
}

export interface ContainerRef {
  c: KubeObject;
  path: Path;
  init: boolean;
  /** An init container with restartPolicy Always (a native sidecar): runs for the pod's whole life. */
  sidecar: boolean;
  name: string;
  pod: PodRef;
}

export function podOf(r: Resource): PodRef | undefined {
  const t = podTemplateOf(r);
  if (!t) return undefined;
  return { template: t, spec: t.spec, specPath: [...t.path, 'spec'] };
}

export function isObj(v: unknown): v is KubeObject {
  return !!v && typeof v === 'object' && !Array.isArray(v);
}

/** Containers of a workload: init containers first, then regular ones (graph/workloads.ts, with names). */
export function containersOf(r: Resource): ContainerRef[] {
  const pod = podOf(r);
  if (!pod) return [];
  return baseContainersOf(pod.template).map(({ container: c, path, init }) => ({
    c,
    path,
    init,
    sidecar: init && c.restartPolicy === 'Always',
    name: typeof c.name === 'string' ? c.name : String(path[path.length - 1]),
    pod,
  }));
}

/** Containers that run for the pod's lifetime: regular containers and native sidecars. */
export function longRunningContainers(r: Resource): ContainerRef[] {
  return containersOf(r).filter((x) => !x.init || x.sidecar);
}

export interface Setting<T = unknown> {
  value: T;
  path: Path;
  level: 'container' | 'pod';
}

/** A securityContext field as it takes effect for a container: its own value, else the pod's. */
export function effective(x: ContainerRef, field: string): Setting | undefined {
  const own = isObj(x.c.securityContext) ? x.c.securityContext[field] : undefined;
  if (own !== undefined && own !== null) return { value: own, path: [...x.path, 'securityContext', field], level: 'container' };
  const psc = x.pod.spec.securityContext;
  const pod = isObj(psc) ? psc[field] : undefined;
  if (pod !== undefined && pod !== null) return { value: pod, path: [...x.pod.specPath, 'securityContext', field], level: 'pod' };
  return undefined;
}

/** A container's own securityContext field, with its path. */
export function own(x: ContainerRef, field: string): Setting | undefined {
  const v = isObj(x.c.securityContext) ? x.c.securityContext[field] : undefined;
  return v === undefined || v === null ? undefined : { value: v, path: [...x.path, 'securityContext', field], level: 'container' };
}

export const LONG_RUNNING_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'ReplicationController', 'Pod']);

/** Kinds whose pods serve for a long time (not run-to-completion Jobs/CronJobs, not Pods of a Job). */
export function isLongRunning(r: Resource): boolean {
  if (!LONG_RUNNING_KINDS.has(r.kind)) return false;
  if (r.kind === 'Pod') {
    const rp = r.object.spec?.restartPolicy;
    if (rp === 'Never' || rp === 'OnFailure') return false;
  }
  return true;
}

/**
 * Kinds whose containers should declare requests and limits: the long-running ones and the run-to-completion
 * ones. A Job's pod holds its request for as long as it runs (batch work often runs for hours), and a batch pod
 * without a memory limit OOMs its neighbours just as a server does; every peer checks Jobs and CronJobs too.
 */
export const RESOURCE_KINDS: readonly string[] = [...LONG_RUNNING_KINDS, 'Job', 'CronJob'];

/** Declared replicas: the number, 1 when unset on a replicated kind, undefined for kinds without replicas. */
export function replicasOf(r: Resource): number | undefined {
  if (!['Deployment', 'StatefulSet', 'ReplicaSet', 'ReplicationController'].includes(r.kind)) return undefined;
  const n = r.object.spec?.replicas;
  if (n === undefined || n === null) return 1;
  const v = Number(n);
  return Number.isFinite(v) ? v : undefined;
}

/** Container field value as a string list (capabilities, etc.). */
export function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x) => typeof x === 'string' || typeof x === 'number').map(String) : [];
}

/** Whether a `resources` map sets `requests.cpu`, `limits.memory`, ... to something. */
export function hasResource(res: unknown, kind: 'requests' | 'limits', what: string): boolean {
  if (!isObj(res) || !isObj(res[kind])) return false;
  const v = res[kind][what];
  return v !== undefined && v !== null && v !== '';
}

/**
 * Long-running containers that lack `limits.<what>` (a pod-level limit covers them all), each with the
 * path to report: the container's `resources.limits`, its `resources`, or its name.
 */
export function containersMissingLimit(r: Resource, what: 'cpu' | 'memory'): { container: ContainerRef; path: Path }[] {
  if (!RESOURCE_KINDS.includes(r.kind)) return [];
  const list = longRunningContainers(r);
  if (!list.length || hasResource(list[0].pod.spec.resources, 'limits', what)) return [];
  return list
    .filter((x) => !hasResource(x.c.resources, 'limits', what))
    .map((x) => {
      const res = x.c.resources;
      return { container: x, path: isObj(res) ? (isObj(res.limits) ? [...x.path, 'resources', 'limits'] : [...x.path, 'resources']) : [...x.path, 'name'] };
    });
}
