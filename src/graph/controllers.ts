/**
 * What controllers and operators create, as data in one place: objects that exist although no manifest
 * declares them. Cross-resource rules ask here before they say "not found" or "selects nothing".
 *
 * - Every namespace has the ConfigMap `kube-root-ca.crt` (the root CA publisher) and the `default`
 *   ServiceAccount.
 * - Workload controllers label the pods they make beyond the template: the Job controller adds `job-name`
 *   and `batch.kubernetes.io/job-name`, the StatefulSet controller `statefulset.kubernetes.io/pod-name` and
 *   `apps.kubernetes.io/pod-index`, Deployments `pod-template-hash`, StatefulSets and DaemonSets
 *   `controller-revision-hash`.
 * - Well-known operators turn a custom resource into pods, Services and Secrets with predictable names and
 *   labels (each entry says which). A custom resource that carries a pod template (`spec.template`,
 *   `spec.podTemplate`, LeaderWorkerSet's templates, KubeRay's group templates) contributes its labels.
 */
import type { Resource } from './resource.js';

/** Objects every namespace has. */
export const NAMESPACE_OBJECTS: readonly { kind: string; name: string }[] = [
  { kind: 'ConfigMap', name: 'kube-root-ca.crt' },
  { kind: 'ServiceAccount', name: 'default' },
];

export function existsInEveryNamespace(kind: string, name: string): boolean {
  return NAMESPACE_OBJECTS.some((o) => o.kind === kind && o.name === name);
}

/** Labels the workload's controller puts on its pods besides the template's (only those with known values). */
export function controllerPodLabels(owner: Resource): Record<string, string>[] {
  const spec = owner.object.spec && typeof owner.object.spec === 'object' ? owner.object.spec : {};
  switch (owner.kind) {
    case 'Job':
      return [{ 'job-name': owner.name, 'batch.kubernetes.io/job-name': owner.name }];
    case 'StatefulSet': {
      const n = typeof spec.replicas === 'number' ? Math.min(spec.replicas, 100) : 1;
      return Array.from({ length: Math.max(n, 1) }, (_, i) => ({ 'statefulset.kubernetes.io/pod-name': `${owner.name}-${i}`, 'apps.kubernetes.io/pod-index': String(i) }));
    }
  }
  return [];
}

interface OperatorEntry {
  group: string;
  kind: string;
  /** Objects the operator creates for a custom resource named `n`. */
  creates?: (n: string, spec: Record<string, unknown>) => { kind: string; name: string }[];
  /** Labels of the pods it runs for it. */
  podLabels?: (n: string) => Record<string, string>[];
}

const str = (v: unknown) => (typeof v === 'string' ? v : undefined);

/** Operators whose naming is documented and stable. */
export const OPERATORS: readonly OperatorEntry[] = [
  // prometheus-operator
  {
    group: 'monitoring.coreos.com', kind: 'Prometheus',
    creates: (n) => [{ kind: 'Service', name: 'prometheus-operated' }, { kind: 'Secret', name: `prometheus-${n}` }, { kind: 'Secret', name: `prometheus-${n}-web-config` }, { kind: 'ConfigMap', name: `prometheus-${n}-rulefiles-0` }, { kind: 'StatefulSet', name: `prometheus-${n}` }],
    podLabels: (n) => [{ 'app.kubernetes.io/name': 'prometheus', 'app.kubernetes.io/instance': n, 'app.kubernetes.io/managed-by': 'prometheus-operator', prometheus: n, 'operator.prometheus.io/name': n }],
  },
  {
    group: 'monitoring.coreos.com', kind: 'Alertmanager',
    creates: (n) => [{ kind: 'Service', name: 'alertmanager-operated' }, { kind: 'Secret', name: `alertmanager-${n}-generated` }, { kind: 'StatefulSet', name: `alertmanager-${n}` }],
    podLabels: (n) => [{ 'app.kubernetes.io/name': 'alertmanager', 'app.kubernetes.io/instance': n, 'app.kubernetes.io/managed-by': 'prometheus-operator', alertmanager: n }],
  },
  {
    group: 'monitoring.coreos.com', kind: 'ThanosRuler',
    creates: (n) => [{ kind: 'Service', name: 'thanos-ruler-operated' }, { kind: 'StatefulSet', name: `thanos-ruler-${n}` }],
    podLabels: (n) => [{ 'app.kubernetes.io/name': 'thanos-ruler', 'app.kubernetes.io/instance': n, 'thanos-ruler': n }],
  },
  // KubeRay
  {
    group: 'ray.io', kind: 'RayCluster',
    creates: (n) => [{ kind: 'Service', name: `${n}-head-svc` }],
    podLabels: (n) => [{ 'ray.io/cluster': n, 'ray.io/node-type': 'head' }, { 'ray.io/cluster': n, 'ray.io/node-type': 'worker' }],
  },
  { group: 'ray.io', kind: 'RayService', creates: (n) => [{ kind: 'Service', name: `${n}-head-svc` }, { kind: 'Service', name: `${n}-serve-svc` }] },
  // Strimzi
  {
    group: 'kafka.strimzi.io', kind: 'Kafka',
    creates: (n) => [
      { kind: 'Service', name: `${n}-kafka-bootstrap` }, { kind: 'Service', name: `${n}-kafka-brokers` },
      { kind: 'Secret', name: `${n}-cluster-ca-cert` }, { kind: 'Secret', name: `${n}-clients-ca-cert` }, { kind: 'Secret', name: `${n}-cluster-ca` }, { kind: 'Secret', name: `${n}-clients-ca` },
      { kind: 'ConfigMap', name: `${n}-kafka-config` },
    ],
    podLabels: (n) => [{ 'strimzi.io/cluster': n, 'strimzi.io/kind': 'Kafka', 'strimzi.io/name': `${n}-kafka` }],
  },
  { group: 'kafka.strimzi.io', kind: 'KafkaConnect', creates: (n) => [{ kind: 'Service', name: `${n}-connect-api` }], podLabels: (n) => [{ 'strimzi.io/cluster': n, 'strimzi.io/kind': 'KafkaConnect', 'strimzi.io/name': `${n}-connect` }] },
  { group: 'kafka.strimzi.io', kind: 'KafkaBridge', creates: (n) => [{ kind: 'Service', name: `${n}-bridge-service` }], podLabels: (n) => [{ 'strimzi.io/cluster': n, 'strimzi.io/kind': 'KafkaBridge', 'strimzi.io/name': `${n}-bridge` }] },
  { group: 'kafka.strimzi.io', kind: 'KafkaMirrorMaker2', podLabels: (n) => [{ 'strimzi.io/cluster': n, 'strimzi.io/kind': 'KafkaMirrorMaker2', 'strimzi.io/name': `${n}-mirrormaker2` }] },
  { group: 'kafka.strimzi.io', kind: 'KafkaUser', creates: (n) => [{ kind: 'Secret', name: n }] },
  // CloudNativePG
  {
    group: 'postgresql.cnpg.io', kind: 'Cluster',
    creates: (n) => ['rw', 'ro', 'r'].map((s) => ({ kind: 'Service', name: `${n}-${s}` })).concat(['app', 'superuser', 'ca', 'server', 'replication'].map((s) => ({ kind: 'Secret', name: `${n}-${s}` }))),
    podLabels: (n) => [{ 'cnpg.io/cluster': n }],
  },
  // Zalando postgres-operator
  { group: 'acid.zalan.do', kind: 'postgresql', creates: (n) => [{ kind: 'Service', name: n }, { kind: 'Service', name: `${n}-repl` }], podLabels: (n) => [{ 'cluster-name': n, application: 'spilo' }] },
  // Elastic Cloud on Kubernetes
  { group: 'elasticsearch.k8s.elastic.co', kind: 'Elasticsearch', creates: (n) => [{ kind: 'Service', name: `${n}-es-http` }, { kind: 'Secret', name: `${n}-es-elastic-user` }, { kind: 'Secret', name: `${n}-es-http-certs-public` }], podLabels: (n) => [{ 'elasticsearch.k8s.elastic.co/cluster-name': n }] },
  { group: 'kibana.k8s.elastic.co', kind: 'Kibana', creates: (n) => [{ kind: 'Service', name: `${n}-kb-http` }], podLabels: (n) => [{ 'kibana.k8s.elastic.co/name': n }] },
  // Jaeger operator
  { group: 'jaegertracing.io', kind: 'Jaeger', creates: (n) => ['query', 'collector', 'collector-headless', 'agent'].map((s) => ({ kind: 'Service', name: `${n}-${s}` })).concat([{ kind: 'ServiceAccount', name: n }]), podLabels: (n) => [{ 'app.kubernetes.io/instance': n, 'app.kubernetes.io/managed-by': 'jaeger-operator' }] },
  // OpenTelemetry operator
  { group: 'opentelemetry.io', kind: 'OpenTelemetryCollector', creates: (n) => [{ kind: 'Service', name: `${n}-collector` }, { kind: 'Service', name: `${n}-collector-headless` }, { kind: 'Service', name: `${n}-collector-monitoring` }, { kind: 'ServiceAccount', name: `${n}-collector` }], podLabels: (n) => [{ 'app.kubernetes.io/name': `${n}-collector`, 'app.kubernetes.io/instance': n }] },
  // Redis operators
  { group: 'redis.redis.opstreelabs.in', kind: 'Redis', creates: (n) => [{ kind: 'Service', name: n }, { kind: 'Service', name: `${n}-headless` }], podLabels: (n) => [{ app: n, redis_setup_type: 'standalone' }] },
  { group: 'databases.spotahome.com', kind: 'RedisFailover', creates: (n) => [{ kind: 'Service', name: `rfs-${n}` }, { kind: 'Service', name: `rfr-${n}` }], podLabels: (n) => [{ 'app.kubernetes.io/name': n }] },
  // Secrets made from other objects
  { group: 'cert-manager.io', kind: 'Certificate', creates: (_n, spec) => (str(spec.secretName) ? [{ kind: 'Secret', name: str(spec.secretName)! }] : []) },
  { group: 'external-secrets.io', kind: 'ExternalSecret', creates: (n, spec) => [{ kind: 'Secret', name: str((spec.target as Record<string, unknown> | undefined)?.name) ?? n }] },
  { group: 'bitnami.com', kind: 'SealedSecret', creates: (n, spec) => [{ kind: 'Secret', name: str(((spec.template as Record<string, unknown> | undefined)?.metadata as Record<string, unknown> | undefined)?.name) ?? n }] },
];

const byKind = new Map(OPERATORS.map((o) => [`${o.group}/${o.kind}`, o]));

function groupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

export function operatorEntry(r: Resource): OperatorEntry | undefined {
  return byKind.get(`${groupOf(r.apiVersion)}/${r.kind}`);
}

/** The objects a custom resource makes its operator create (in the resource's namespace). */
export function createdBy(r: Resource): { kind: string; name: string }[] {
  const e = operatorEntry(r);
  if (!e?.creates) return [];
  const spec = r.object.spec && typeof r.object.spec === 'object' ? (r.object.spec as Record<string, unknown>) : {};
  return e.creates(r.name, spec);
}

/** Where custom resources carry a pod template (its metadata.labels are the pods' labels). */
const CR_TEMPLATE_PATHS: readonly (readonly string[])[] = [
  ['spec', 'template'],
  ['spec', 'podTemplate'],
  ['spec', 'leaderWorkerTemplate', 'leaderTemplate'],
  ['spec', 'leaderWorkerTemplate', 'workerTemplate'],
  ['spec', 'headGroupSpec', 'template'],
  ['spec', 'rayClusterSpec', 'headGroupSpec', 'template'],
  ['spec', 'rayClusterConfig', 'headGroupSpec', 'template'],
];

function labelsAt(o: unknown, path: readonly string[]): Record<string, string> | undefined {
  let cur = o;
  for (const p of path) {
    if (!cur || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[p];
  }
  const l = (cur as { metadata?: { labels?: unknown } } | undefined)?.metadata?.labels;
  if (!l || typeof l !== 'object' || Array.isArray(l)) return undefined;
  return Object.fromEntries(Object.entries(l as Record<string, unknown>).filter(([, v]) => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean').map(([k, v]) => [k, String(v)]));
}

/** A pod template (or a bare PodSpec) inside a custom resource, and where it sits in the object. */
export interface CustomResourcePodTemplate {
  path: (string | number)[];
  spec: Record<string, unknown>;
  metadata?: Record<string, unknown>;
  /** `template`: a PodTemplateSpec (metadata + spec); `podSpec`: a bare PodSpec. */
  kind: 'template' | 'podSpec';
}

const isObj = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

/** The pod templates a custom resource carries (for the workload rules and the selector rules). */
export function podTemplatesOf(r: Resource): CustomResourcePodTemplate[] {
  const out: CustomResourcePodTemplate[] = [];
  const at = (path: (string | number)[]) => {
    let cur: unknown = r.object;
    for (const p of path) cur = isObj(cur) || Array.isArray(cur) ? (cur as Record<string | number, unknown>)[p] : undefined;
    if (isObj(cur) && isObj(cur.spec)) out.push({ path, spec: cur.spec, metadata: isObj(cur.metadata) ? cur.metadata : undefined, kind: 'template' });
  };
  for (const p of CR_TEMPLATE_PATHS) at([...p]);
  for (const base of [['spec'], ['spec', 'rayClusterSpec'], ['spec', 'rayClusterConfig']]) {
    let cur: unknown = r.object;
    for (const p of base) cur = isObj(cur) ? cur[p] : undefined;
    const groups = isObj(cur) ? cur.workerGroupSpecs : undefined;
    if (Array.isArray(groups)) groups.forEach((_, i) => at([...base, 'workerGroupSpecs', i, 'template']));
  }
  return out;
}

/** Label sets of the pods a custom resource may run: its templates' labels and, where known, its operator's. */
export function customResourcePodLabels(r: Resource): Record<string, string>[] {
  const out: Record<string, string>[] = [];
  for (const p of CR_TEMPLATE_PATHS) {
    const l = labelsAt(r.object, p);
    if (l && Object.keys(l).length) out.push(l);
  }
  const groups = r.object.spec?.workerGroupSpecs ?? r.object.spec?.rayClusterSpec?.workerGroupSpecs ?? r.object.spec?.rayClusterConfig?.workerGroupSpecs;
  if (Array.isArray(groups)) for (const g of groups) {
    const l = labelsAt(g, ['template']);
    if (l && Object.keys(l).length) out.push(l);
  }
  const e = operatorEntry(r);
  if (e?.podLabels) out.push(...e.podLabels(r.name));
  return out;
}

/**
 * A name that follows an operator's naming for what it creates (`<cluster>-head-svc` is KubeRay's head
 * Service of RayCluster `<cluster>`): the object may come from a custom resource outside the scanned files.
 */
export function operatorNameMatch(kind: string, name: string): { kind: string; group: string; crName: string } | undefined {
  const MARK = '\u0000';
  for (const e of OPERATORS) {
    if (!e.creates) continue;
    for (const o of e.creates(MARK, {})) {
      if (o.kind !== kind || !o.name.includes(MARK)) continue;
      const [pre, post] = o.name.split(MARK);
      if ((pre || post) && name.length > pre.length + post.length && name.startsWith(pre) && name.endsWith(post) && (pre.length + post.length) >= 4) {
        return { kind: e.kind, group: e.group, crName: name.slice(pre.length, name.length - post.length) };
      }
    }
  }
  return undefined;
}
