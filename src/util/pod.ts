/**
 * Pod-spec helpers for single-object workload rules: containers with their paths, the effective security
 * context (a container setting overrides the pod's), replica counts, and example builders for rule docs.
 * A workload has one pod (its template); a custom resource may run several (graph/cr-pod-templates.ts),
 * each with containers that may sit anywhere in it: rules go through podsOf/containersOf, never the paths.
 */
import type { Path } from '../types.js';
import type { KubeObject, Resource } from '../graph/resource.js';
import { containersOf as baseContainersOf, podTemplateOf, type PodTemplate } from '../graph/workloads.js';
import { crLongRunning, crPodsOf, crProbesExpected, type CrContainer, type CrPod } from '../graph/cr-pod-templates.js';
import { asLabels } from '../graph/selectors.js';

export interface PodRef {
  template: PodTemplate;
  spec: KubeObject;
  /** Path of the pod spec inside the resource. */
  specPath: Path;
  /** Pod-level fields that do not sit at specPath/<field> (a custom resource's pod assembled from several places). */
  fieldPaths?: Record<string, Path>;
  /** Volumes with their paths when they do not all sit at specPath/volumes. */
  volumes?: { v: unknown; path: Path }[];
  /** The containers of a custom resource's pod, wherever they sit. */
  containers?: CrContainer[];
  /** The operator's cluster-wide defaults may supply what the pod leaves out (Argo, Tekton). */
  completedElsewhere?: boolean;
}

export interface ContainerRef {
  c: KubeObject;
  path: Path;
  init: boolean;
  /** An init container with restartPolicy Always (a native sidecar): runs for the pod's whole life. */
  sidecar: boolean;
  name: string;
  pod: PodRef;
  /** A container template it inherits unset fields from (Tekton's stepTemplate). */
  defaults?: { c: KubeObject; path: Path };
}

const podsCache = new WeakMap<Resource, PodRef[]>();

/** The pods a resource runs: a workload's template, or the pods inside a custom resource. */
export function podsOf(r: Resource): PodRef[] {
  let pods = podsCache.get(r);
  if (pods) return pods;
  const t = podTemplateOf(r);
  pods = t ? [{ template: t, spec: t.spec, specPath: [...t.path, 'spec'] }] : crPodsOf(r).map((p) => crPodRef(r, p));
  podsCache.set(r, pods);
  return pods;
}

function crPodRef(r: Resource, p: CrPod): PodRef {
  const annotations = isObj(p.metadata.annotations) ? (p.metadata.annotations as Record<string, string>) : {};
  const template: PodTemplate = { owner: r, spec: p.spec, labels: asLabels(p.metadata.labels), annotations, path: p.path };
  return { template, spec: p.spec, specPath: p.specPath, fieldPaths: p.fieldPaths, volumes: p.volumes, containers: p.containers, completedElsewhere: p.completedElsewhere };
}

/** The (first) pod of a resource: for rules about built-in workloads, which have one. */
export function podOf(r: Resource): PodRef | undefined {
  return podsOf(r)[0];
}

/** Path of a pod-level field (securityContext, hostNetwork, ...) inside the resource. */
export function podPath(pod: PodRef, field: string): Path {
  return pod.fieldPaths?.[field] ?? [...pod.specPath, field];
}

/** The pod's volumes, each with its path. */
export function podVolumes(pod: PodRef): { v: unknown; path: Path }[] {
  if (pod.volumes) return pod.volumes;
  const list = pod.spec.volumes;
  return Array.isArray(list) ? list.map((v, i) => ({ v, path: [...podPath(pod, 'volumes'), i] })) : [];
}

export function isObj(v: unknown): v is KubeObject {
  return !!v && typeof v === 'object' && !Array.isArray(v);
}

const containersCache = new WeakMap<Resource, readonly ContainerRef[]>();

/**
 * Containers of a workload or custom resource: per pod, init containers first, then regular ones. Worked out
 * once per resource (dozens of rules ask): the list is shared, so its users must not change it.
 */
export function containersOf(r: Resource): readonly ContainerRef[] {
  let list = containersCache.get(r);
  if (!list) containersCache.set(r, (list = listContainers(r)));
  return list;
}

function listContainers(r: Resource): ContainerRef[] {
  return podsOf(r).flatMap((pod) => {
    const list = pod.containers ?? baseContainersOf(pod.template).map(({ container, path, init }) => ({ c: container, path, init }) as CrContainer);
    return list.map(({ c, path, init, name, defaults }) => ({
      c,
      path,
      init,
      sidecar: init && c.restartPolicy === 'Always',
      name: typeof c.name === 'string' ? c.name : (name ?? String(path[path.length - 1])),
      pod,
      defaults,
    }));
  });
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

/** A container's own securityContext field (or its container template's), with its path. */
export function own(x: ContainerRef, field: string): Setting | undefined {
  for (const { c, path } of [{ c: x.c, path: x.path }, ...(x.defaults ? [x.defaults] : [])]) {
    const v = isObj(c.securityContext) ? c.securityContext[field] : undefined;
    if (v !== undefined && v !== null) return { value: v, path: [...path, 'securityContext', field], level: 'container' };
  }
  return undefined;
}

/** A securityContext field as it takes effect for a container: its own value, else the pod's. */
export function effective(x: ContainerRef, field: string): Setting | undefined {
  const mine = own(x, field);
  if (mine) return mine;
  const psc = x.pod.spec.securityContext;
  const pod = isObj(psc) ? psc[field] : undefined;
  if (pod !== undefined && pod !== null) return { value: pod, path: [...podPath(x.pod, 'securityContext'), field], level: 'pod' };
  return undefined;
}

export const LONG_RUNNING_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'ReplicationController', 'Pod']);

/**
 * Kinds whose pods serve for a long time (not run-to-completion Jobs/CronJobs, not Pods of a Job), and
 * custom resources whose operator runs serving pods (graph/cr-pod-templates.ts).
 */
export function isLongRunning(r: Resource): boolean {
  if (!LONG_RUNNING_KINDS.has(r.kind)) return !podTemplateOf(r) && crLongRunning(r);
  if (r.kind === 'Pod') {
    const rp = r.object.spec?.restartPolicy;
    if (rp === 'Never' || rp === 'OnFailure') return false;
  }
  return true;
}

/** Whether a missing liveness/readiness probe is the user's to add (some operators give their pods probes). */
export function probesExpected(r: Resource): boolean {
  return isLongRunning(r) && (!!podTemplateOf(r) || crProbesExpected(r));
}

/**
 * Kinds whose containers should declare requests and limits: the long-running ones and the run-to-completion
 * ones. A Job's pod holds its request for as long as it runs (batch work often runs for hours), and a batch pod
 * without a memory limit OOMs its neighbours just as a server does; every peer checks Jobs and CronJobs too.
 */
export const RESOURCE_KINDS: readonly string[] = [...LONG_RUNNING_KINDS, 'Job', 'CronJob'];

/** Whether the resource's containers should declare requests and limits (RESOURCE_KINDS, and custom resources running serving pods). */
export function resourcesExpected(r: Resource): boolean {
  return RESOURCE_KINDS.includes(r.kind) || isLongRunning(r);
}

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
  if (!resourcesExpected(r)) return [];
  return longRunningContainers(r)
    .filter((x) => !hasResource(x.pod.spec.resources, 'limits', what) && !hasResource(x.c.resources, 'limits', what))
    .map((x) => {
      const res = x.c.resources;
      return { container: x, path: isObj(res) ? (isObj(res.limits) ? [...x.path, 'resources', 'limits'] : [...x.path, 'resources']) : [...x.path, 'name'] };
    });
}
