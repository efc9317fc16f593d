/**
 * Pods that custom resources run, as the workload rules see them. Users write pod specs by hand inside
 * JobSets, RayClusters, Argo Workflows, Knative Services, ...; the operator copies them into the pods it
 * creates, so a `privileged: true` there is as real as in a Deployment.
 *
 * Two shapes:
 * - `podTemplatesOf`: where a custom resource holds a PodTemplateSpec (metadata + spec) or a PodSpec, as the
 *   operator catalogue (src/graph/operators.json) says; TEMPLATE_LOCATIONS adds two kinds it does not list.
 * - `containerPodsOf`: kinds whose containers do not sit in a PodSpec (Argo Workflows templates, Tekton
 *   steps, Spark's driver and executor): each is modelled as a pod whose containers are listed with their
 *   own paths, and whose pod-level fields (securityContext, volumes, hostNetwork) are gathered from where
 *   that operator keeps them.
 *
 * Each kind also says whether its pods serve for a long time (the resource and probe rules skip
 * run-to-completion pods, as they skip Jobs) and whether a missing probe is the user's to add (KubeRay and
 * Knative give their pods probes of their own).
 */
import type { Path } from '../types.js';
import type { KubeObject, Resource } from './resource.js';
import { catalogueEntry, groupOf, podTemplatesOf as cataloguePodTemplates } from './operators.js';

export type TemplateKind = 'template' | 'podSpec';

export interface CrPodTemplate {
  /** Path of the PodTemplateSpec (kind 'template') or of the PodSpec (kind 'podSpec') inside the resource. */
  path: (string | number)[];
  spec: Record<string, unknown>;
  metadata?: Record<string, unknown>;
  kind: TemplateKind;
}

/** A container of a custom resource's pod, wherever the resource keeps it. */
export interface CrContainer {
  c: KubeObject;
  path: Path;
  init: boolean;
  /** Its name when the object has no `name` (Argo's `container`, Spark's driver). */
  name?: string;
  /** A container template the container inherits unset fields from (Tekton's stepTemplate). */
  defaults?: { c: KubeObject; path: Path };
}

/** One pod of a custom resource, as the workload rules see it. */
export interface CrPod {
  /** The object playing the pod spec's part (for a container model: the pod-level fields gathered). */
  spec: KubeObject;
  /** Path of that object inside the resource. */
  specPath: Path;
  metadata: KubeObject;
  /** Path of the template (metadata + spec) when there is one, else the pod spec's. */
  path: Path;
  containers: CrContainer[];
  /** Pod-level fields that do not sit at specPath/<field> (Argo's workflow-wide securityContext, ...). */
  fieldPaths?: Record<string, Path>;
  /** Volumes with their paths, when they do not all sit at specPath/volumes. */
  volumes?: { v: unknown; path: Path }[];
  /** Its pods serve for a long time (not run-to-completion). */
  longRunning: boolean;
  /** A missing liveness/readiness probe is the user's to add (the operator adds none of its own). */
  probes: boolean;
  /**
   * The operator's cluster-wide configuration may supply what the manifest leaves out (Argo's workflow
   * defaults, Tekton's default pod template): an absent setting is not a defect, a wrong one still is.
   */
  completedElsewhere?: boolean;
}

/**
 * A path pattern: `*` is any array index or map key, `*Suffix` any map key ending so (the training
 * operator's `pytorchReplicaSpecs`, `tfReplicaSpecs`, ...).
 */
type Pattern = readonly string[];

interface KindEntry {
  group: string;
  kinds: readonly string[];
  templates?: readonly Pattern[];
  podSpecs?: readonly Pattern[];
  longRunning: boolean;
  probes: boolean;
}

const RAY_CLUSTER = (prefix: readonly string[]): Pattern[] => [
  [...prefix, 'headGroupSpec', 'template'],
  [...prefix, 'workerGroupSpecs', '*', 'template'],
];

/**
 * How the pods of kinds whose templates the operator catalogue (src/graph/operators.json) locates behave:
 * whether they serve for a long time and whether a missing probe is the user's to add. The templates'
 * locations come from the catalogue; the two kinds below it does not list carry their own.
 * A catalogued kind missing here has pods the operator completes from its own defaults (ECK, RabbitMQ,
 * MongoDB and MySQL operators merge a partial template into theirs): only settings present and wrong count.
 */
export const TEMPLATE_LOCATIONS: readonly KindEntry[] = [
  { group: 'jobset.x-k8s.io', kinds: ['JobSet'], longRunning: false, probes: false },
  { group: 'leaderworkerset.x-k8s.io', kinds: ['LeaderWorkerSet'], longRunning: true, probes: true },
  // KubeRay adds readiness/liveness probes to Ray containers.
  { group: 'ray.io', kinds: ['RayCluster', 'RayService'], longRunning: true, probes: false },
  { group: 'ray.io', kinds: ['RayJob'], longRunning: false, probes: false },
  { group: 'argoproj.io', kinds: ['Rollout'], longRunning: true, probes: true },
  // Knative gives the serving container a default readiness probe.
  { group: 'serving.knative.dev', kinds: ['Service', 'Configuration', 'Revision'], longRunning: true, probes: false },
  // Notebooks are interactive servers: no probe is expected.
  { group: 'kubeflow.org', kinds: ['Notebook'], longRunning: true, probes: false },
  { group: 'kubeflow.org', kinds: ['PyTorchJob', 'TFJob', 'MPIJob', 'XGBoostJob', 'PaddleJob', 'MXJob', 'JAXJob'], longRunning: false, probes: false },
  { group: 'serving.kserve.io', kinds: ['InferenceService'], longRunning: true, probes: false },
  // Flink: a Pod merged into the operator's; resources come from jobManager.resource, so only security is checked.
  { group: 'flink.apache.org', kinds: ['FlinkDeployment'], longRunning: false, probes: false },
  { group: 'sparkoperator.k8s.io', kinds: ['SparkApplication', 'ScheduledSparkApplication'], longRunning: false, probes: false },
  // Not in the catalogue: volcano-sh/apis batch/v1alpha1 JobSpec.tasks[].template; kedacore/keda v1alpha1
  // ScaledJob.jobTargetRef (a JobSpec).
  { group: 'batch.volcano.sh', kinds: ['Job'], templates: [['spec', 'tasks', '*', 'template']], longRunning: false, probes: false },
  { group: 'keda.sh', kinds: ['ScaledJob'], templates: [['spec', 'jobTargetRef', 'template']], longRunning: false, probes: false },
];

/** Kinds modelled as containers (not pod templates), with the same two flags. */
const CONTAINER_MODELS: readonly { group: string; kinds: readonly string[]; pods: (o: KubeObject) => CrPod[] }[] = [
  { group: 'argoproj.io', kinds: ['Workflow', 'WorkflowTemplate', 'ClusterWorkflowTemplate', 'CronWorkflow'], pods: argoPods },
  { group: 'tekton.dev', kinds: ['Task', 'ClusterTask', 'TaskRun', 'Pipeline', 'PipelineRun'], pods: tektonPods },
  { group: 'sparkoperator.k8s.io', kinds: ['SparkApplication', 'ScheduledSparkApplication'], pods: sparkPods },
];

function isObj(v: unknown): v is KubeObject {
  return !!v && typeof v === 'object' && !Array.isArray(v);
}


/** Built-in API groups: their kinds' pods are graph/workloads.ts's. */
const BUILT_IN_GROUPS = new Set(['', 'apps', 'batch', 'extensions']);

function entryOf(r: Resource): KindEntry | undefined {
  const g = groupOf(r.apiVersion);
  return TEMPLATE_LOCATIONS.find((e) => e.group === g && e.kinds.includes(r.kind));
}

/** Every value a pattern reaches, with its path. */
function expand(o: unknown, pattern: Pattern): { v: unknown; path: (string | number)[] }[] {
  let cur: { v: unknown; path: (string | number)[] }[] = [{ v: o, path: [] }];
  for (const seg of pattern) {
    const next: typeof cur = [];
    for (const { v, path } of cur) {
      if (seg.startsWith('*')) {
        const suffix = seg.slice(1);
        if (Array.isArray(v) && !suffix) v.forEach((x, i) => next.push({ v: x, path: [...path, i] }));
        else if (isObj(v)) for (const [k, x] of Object.entries(v)) if (!suffix || (k.endsWith(suffix) && k.length > suffix.length)) next.push({ v: x, path: [...path, k] });
      } else if (isObj(v) && seg in v) next.push({ v: v[seg], path: [...path, seg] });
    }
    cur = next;
  }
  return cur;
}

/** A PodTemplateSpec: metadata and a spec with a containers list. */
function isPodTemplate(v: unknown): v is { spec: KubeObject; metadata?: KubeObject } {
  return isObj(v) && isObj(v.spec) && Array.isArray(v.spec.containers);
}

/**
 * Where a custom resource holds pod templates (PodTemplateSpec) or pod specs: the table's locations for
 * known kinds, else `spec.template` / `spec.podTemplate` when the value is a PodTemplateSpec.
 * Catalogued kinds are delegated to the catalogue (src/graph/operators.ts `podTemplatesOf`).
 */
export function podTemplatesOf(r: Resource): CrPodTemplate[] {
  if (BUILT_IN_GROUPS.has(groupOf(r.apiVersion))) return [];
  const catalogued = catalogueEntry(r);
  if (catalogued?.res.templates?.length || catalogued?.res.podSpecs?.length) return cataloguePodTemplates(r);
  const e = entryOf(r);
  const out: CrPodTemplate[] = [];
  if (e) {
    for (const p of e.templates ?? []) for (const { v, path } of expand(r.object, p)) {
      if (isObj(v) && isObj(v.spec)) out.push({ path, spec: v.spec, metadata: isObj(v.metadata) ? v.metadata : undefined, kind: 'template' });
    }
    for (const p of e.podSpecs ?? []) for (const { v, path } of expand(r.object, p)) if (isObj(v)) out.push({ path, spec: v, kind: 'podSpec' });
    return out;
  }
  if (CONTAINER_MODELS.some((m) => m.group === groupOf(r.apiVersion) && m.kinds.includes(r.kind))) return out;
  // An unknown operator: a field named like a pod template that holds one is taken as one.
  for (const field of ['template', 'podTemplate']) {
    const v = r.object.spec?.[field];
    if (isPodTemplate(v)) out.push({ path: ['spec', field], spec: v.spec, metadata: isObj(v.metadata) ? v.metadata : undefined, kind: 'template' });
  }
  return out;
}

/** A pod template or pod spec as a CrPod: its containers and init containers at their PodSpec paths. */
function templatePod(t: CrPodTemplate, longRunning: boolean, probes: boolean): CrPod {
  const specPath = t.kind === 'template' ? [...t.path, 'spec'] : t.path;
  const containers: CrContainer[] = [];
  for (const [field, init] of [['initContainers', true], ['containers', false]] as const) {
    const list = t.spec[field];
    // (Knative and KServe let the name out: say which entry, not just its index)
    if (Array.isArray(list)) list.forEach((c, i) => isObj(c) && containers.push({ c, path: [...specPath, field, i], init, name: `${field}[${i}]` }));
  }
  return { spec: t.spec, specPath, metadata: t.metadata ?? {}, path: t.path, containers, longRunning, probes };
}

const cache = new WeakMap<Resource, CrPod[]>();
const NONE: CrPod[] = [];

/** Every pod a custom resource runs (none for built-in kinds and for custom resources without pods). */
export function crPodsOf(r: Resource): CrPod[] {
  let pods = cache.get(r);
  if (pods) return pods;
  if (BUILT_IN_GROUPS.has(groupOf(r.apiVersion))) return NONE;
  const e = entryOf(r);
  pods = podTemplatesOf(r).map((t) => templatePod(t, e?.longRunning ?? false, e?.probes ?? false));
  // (a catalogued kind without flags here: its operator completes the pods from its own defaults)
  if (!e && catalogueEntry(r)) for (const p of pods) p.completedElsewhere = true;
  const g = groupOf(r.apiVersion);
  for (const m of CONTAINER_MODELS) if (m.group === g && m.kinds.includes(r.kind)) pods.push(...m.pods(r.object));
  pods = pods.filter((p) => p.containers.length);
  cache.set(r, pods);
  return pods;
}

/** Whether the workload rules have pods to check in this custom resource. */
export function hasCrPods(r: Resource): boolean {
  return crPodsOf(r).length > 0;
}

/** Whether the kind's pods serve for a long time (resource and probe rules apply). */
export function crLongRunning(r: Resource): boolean {
  return !!entryOf(r)?.longRunning && hasCrPods(r);
}

/** Whether the operator's cluster-wide configuration may complete the pods (see CrPod.completedElsewhere). */
export function crPodsCompletedElsewhere(r: Resource): boolean {
  const pods = crPodsOf(r);
  return pods.length > 0 && pods.every((p) => p.completedElsewhere);
}

/** Whether a missing probe in the kind's pods is the user's to add. */
export function crProbesExpected(r: Resource): boolean {
  return !!entryOf(r)?.probes;
}

/** A list field's items that are objects, with their paths. */
function items(o: KubeObject, field: string, base: Path): { c: KubeObject; path: Path }[] {
  const list = o[field];
  return Array.isArray(list) ? list.flatMap((c, i) => (isObj(c) ? [{ c, path: [...base, field, i] }] : [])) : [];
}

/** The first of several places a pod-level field may be set (the more specific first), with its path. */
function firstSet(field: string, places: { o: unknown; path: Path }[]): { value: unknown; path: Path } | undefined {
  for (const p of places) if (isObj(p.o) && p.o[field] !== undefined && p.o[field] !== null) return { value: p.o[field], path: [...p.path, field] };
  return undefined;
}

/** A pod view: the pod-level fields found in `places`, each with the path it came from. */
function podView(fields: readonly string[], places: { o: unknown; path: Path }[]): { spec: KubeObject; fieldPaths: Record<string, Path> } {
  const spec: KubeObject = {};
  const fieldPaths: Record<string, Path> = {};
  for (const f of fields) {
    const s = firstSet(f, places);
    if (s) (spec[f] = s.value), (fieldPaths[f] = s.path);
  }
  return { spec, fieldPaths };
}

const POD_FIELDS = ['securityContext', 'hostNetwork', 'hostPID', 'hostIPC', 'automountServiceAccountToken', 'serviceAccountName'] as const;

/**
 * Argo Workflows (argoproj/argo-workflows pkg/apis/workflow/v1alpha1): each template with a `container`,
 * `script`, `containerSet.containers`, `initContainers` or `sidecars` runs one pod. A template's
 * securityContext, automountServiceAccountToken and serviceAccountName override the workflow's; volumes are
 * the workflow's and the template's.
 */
function argoPods(o: KubeObject): CrPod[] {
  const wfPath: Path = o.kind === 'CronWorkflow' ? ['spec', 'workflowSpec'] : ['spec'];
  const wf = o.kind === 'CronWorkflow' ? o.spec?.workflowSpec : o.spec;
  if (!isObj(wf) || !Array.isArray(wf.templates)) return [];
  const out: CrPod[] = [];
  wf.templates.forEach((t: unknown, i: number) => {
    if (!isObj(t)) return;
    const path: Path = [...wfPath, 'templates', i];
    const containers: CrContainer[] = [];
    for (const [field, init] of [['initContainers', true], ['sidecars', false]] as const) for (const x of items(t, field, path)) containers.push({ ...x, init });
    for (const field of ['container', 'script'] as const) if (isObj(t[field])) containers.push({ c: t[field], path: [...path, field], init: false, name: 'main' });
    if (isObj(t.containerSet)) for (const x of items(t.containerSet, 'containers', [...path, 'containerSet'])) containers.push({ ...x, init: false });
    if (!containers.length) return;
    const view = podView(POD_FIELDS, [{ o: t, path }, { o: wf, path: wfPath }]);
    const volumes = [...items(wf, 'volumes', wfPath), ...items(t, 'volumes', path)].map(({ c, path: p }) => ({ v: c, path: p }));
    out.push({ ...view, specPath: path, metadata: isObj(t.metadata) ? t.metadata : {}, path, containers, volumes, longRunning: false, probes: false, completedElsewhere: true });
  });
  return out;
}

/**
 * Tekton (tektoncd/pipeline pkg/apis/pipeline/v1): a TaskSpec runs one pod whose containers are its steps
 * (each inheriting unset fields from stepTemplate) and sidecars; its volumes are the TaskSpec's. A TaskRun's
 * podTemplate (a PipelineRun's taskRunTemplate.podTemplate, v1beta1 podTemplate) sets the pod-level fields.
 */
function tektonPods(o: KubeObject): CrPod[] {
  const specs: { ts: unknown; path: Path }[] = [];
  const spec = isObj(o.spec) ? o.spec : {};
  let podTemplate: { o: unknown; path: Path } = { o: undefined, path: [] };
  switch (o.kind) {
    case 'Task':
    case 'ClusterTask':
      specs.push({ ts: spec, path: ['spec'] });
      break;
    case 'TaskRun':
      specs.push({ ts: spec.taskSpec, path: ['spec', 'taskSpec'] });
      podTemplate = { o: spec.podTemplate, path: ['spec', 'podTemplate'] };
      break;
    case 'Pipeline':
    case 'PipelineRun': {
      const ps = o.kind === 'Pipeline' ? spec : spec.pipelineSpec;
      const base: Path = o.kind === 'Pipeline' ? ['spec'] : ['spec', 'pipelineSpec'];
      if (isObj(ps)) for (const list of ['tasks', 'finally']) for (const x of items(ps, list, base)) specs.push({ ts: x.c.taskSpec, path: [...x.path, 'taskSpec'] });
      if (o.kind === 'PipelineRun') {
        podTemplate = isObj(spec.taskRunTemplate) && isObj(spec.taskRunTemplate.podTemplate) ? { o: spec.taskRunTemplate.podTemplate, path: ['spec', 'taskRunTemplate', 'podTemplate'] } : { o: spec.podTemplate, path: ['spec', 'podTemplate'] };
      }
      break;
    }
  }
  const out: CrPod[] = [];
  for (const { ts, path } of specs) {
    if (!isObj(ts)) continue;
    const defaults = isObj(ts.stepTemplate) ? { c: ts.stepTemplate, path: [...path, 'stepTemplate'] } : undefined;
    const containers: CrContainer[] = [
      // (Tekton names the containers of unnamed steps and sidecars by position)
      ...items(ts, 'steps', path).map((x, i) => ({ ...x, init: false, name: `step-unnamed-${i}`, defaults })),
      ...items(ts, 'sidecars', path).map((x, i) => ({ ...x, init: false, name: `sidecar-unnamed-${i}` })),
    ];
    if (!containers.length) continue;
    const view = podView(POD_FIELDS, [podTemplate]);
    const volumes = [...items(ts, 'volumes', path), ...(isObj(podTemplate.o) ? items(podTemplate.o, 'volumes', podTemplate.path) : [])].map(({ c, path: p }) => ({ v: c, path: p }));
    out.push({ ...view, specPath: path, metadata: {}, path, containers, volumes, longRunning: false, probes: false, completedElsewhere: true });
  }
  return out;
}

/**
 * Spark operator (kubeflow/spark-operator api/v1beta2 SparkPodSpec): the driver and the executor are each
 * a pod whose main container is described by the SparkPodSpec itself (image, env, securityContext,
 * volumeMounts), beside its sidecars and initContainers; podSecurityContext and hostNetwork are the pod's,
 * volumes are the application's `spec.volumes`.
 */
function sparkPods(o: KubeObject): CrPod[] {
  const app = o.kind === 'ScheduledSparkApplication' ? o.spec?.template : o.spec;
  const appPath: Path = o.kind === 'ScheduledSparkApplication' ? ['spec', 'template'] : ['spec'];
  if (!isObj(app)) return [];
  const out: CrPod[] = [];
  for (const role of ['driver', 'executor'] as const) {
    const p = app[role];
    if (!isObj(p)) continue;
    const path: Path = [...appPath, role];
    const containers: CrContainer[] = [
      ...items(p, 'initContainers', path).map((x) => ({ ...x, init: true })),
      { c: p, path, init: false, name: `spark-kubernetes-${role}` },
      ...items(p, 'sidecars', path).map((x) => ({ ...x, init: false })),
    ];
    const spec: KubeObject = {};
    const fieldPaths: Record<string, Path> = {};
    for (const [field, from] of [['securityContext', 'podSecurityContext'], ['hostNetwork', 'hostNetwork'], ['serviceAccountName', 'serviceAccount']] as const) {
      if (p[from] !== undefined && p[from] !== null) (spec[field] = p[from]), (fieldPaths[field] = [...path, from]);
    }
    const volumes = items(app, 'volumes', appPath).map(({ c, path: vp }) => ({ v: c, path: vp }));
    out.push({ spec, specPath: path, metadata: { labels: p.labels, annotations: p.annotations }, path, containers, fieldPaths, volumes, longRunning: false, probes: false });
  }
  return out;
}
