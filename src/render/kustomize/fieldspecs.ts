/**
 * Where kustomize v5's built-in transformers write, as data: the fields commonLabels, labels, annotations,
 * namespace, images and replicas touch, and which fields name another object (the name references that
 * follow a renamed ConfigMap, Secret, Service, ...). Paths are '/'-separated; lists along the way are
 * traversed. A spec applies to a kind (and group, where kustomize names one).
 */

export interface FieldSpec {
  path: string;
  kinds?: readonly string[];
  group?: string;
  create?: boolean;
}

const WORKLOADS_TEMPLATE = ['ReplicationController', 'Deployment', 'ReplicaSet', 'DaemonSet', 'StatefulSet', 'Job'];

/** metadata/labels plus the pod templates' labels. */
export const TEMPLATE_LABELS: FieldSpec[] = [
  { path: 'metadata/labels', create: true },
  { path: 'spec/template/metadata/labels', kinds: WORKLOADS_TEMPLATE, create: true },
  { path: 'spec/jobTemplate/metadata/labels', kinds: ['CronJob'], create: true },
  { path: 'spec/jobTemplate/spec/template/metadata/labels', kinds: ['CronJob'], create: true },
];

// (`[]`: a list, which kustomize does not create: a StatefulSet without claim templates gets none)
export const VOLUME_CLAIM_TEMPLATE_LABELS: FieldSpec[] = [{ path: 'spec/volumeClaimTemplates[]/metadata/labels', kinds: ['StatefulSet'], group: 'apps', create: true }];

const AFFINITY_SELECTORS = [
  'spec/template/spec/affinity/podAffinity/preferredDuringSchedulingIgnoredDuringExecution/podAffinityTerm/labelSelector/matchLabels',
  'spec/template/spec/affinity/podAffinity/requiredDuringSchedulingIgnoredDuringExecution/labelSelector/matchLabels',
  'spec/template/spec/affinity/podAntiAffinity/preferredDuringSchedulingIgnoredDuringExecution/podAffinityTerm/labelSelector/matchLabels',
  'spec/template/spec/affinity/podAntiAffinity/requiredDuringSchedulingIgnoredDuringExecution/labelSelector/matchLabels',
  'spec/template/spec/topologySpreadConstraints/labelSelector/matchLabels',
];

/** commonLabels (and labels with includeSelectors): metadata, templates and selectors. */
export const COMMON_LABELS: FieldSpec[] = [
  { path: 'spec/selector', kinds: ['Service', 'ReplicationController'], create: true },
  { path: 'spec/selector/matchLabels', kinds: ['Deployment', 'ReplicaSet', 'DaemonSet'], create: true },
  { path: 'spec/selector/matchLabels', kinds: ['StatefulSet'], group: 'apps', create: true },
  ...AFFINITY_SELECTORS.flatMap((path) => [
    { path, kinds: ['Deployment'], group: 'apps' },
    { path, kinds: ['StatefulSet'], group: 'apps' },
  ]),
  { path: 'spec/selector/matchLabels', kinds: ['Job'], group: 'batch' },
  { path: 'spec/jobTemplate/spec/selector/matchLabels', kinds: ['CronJob'], group: 'batch' },
  { path: 'spec/selector/matchLabels', kinds: ['PodDisruptionBudget'], group: 'policy' },
  { path: 'spec/podSelector/matchLabels', kinds: ['NetworkPolicy'], group: 'networking.k8s.io' },
  { path: 'spec/ingress/from/podSelector/matchLabels', kinds: ['NetworkPolicy'], group: 'networking.k8s.io' },
  { path: 'spec/egress/to/podSelector/matchLabels', kinds: ['NetworkPolicy'], group: 'networking.k8s.io' },
  ...TEMPLATE_LABELS,
  ...VOLUME_CLAIM_TEMPLATE_LABELS,
];

export const COMMON_ANNOTATIONS: FieldSpec[] = [
  { path: 'metadata/annotations', create: true },
  { path: 'spec/template/metadata/annotations', kinds: WORKLOADS_TEMPLATE, create: true },
  { path: 'spec/jobTemplate/metadata/annotations', kinds: ['CronJob'], create: true },
  { path: 'spec/jobTemplate/spec/template/metadata/annotations', kinds: ['CronJob'], create: true },
];

export const REPLICAS: FieldSpec[] = [{ path: 'spec/replicas', kinds: ['Deployment', 'ReplicationController', 'ReplicaSet', 'StatefulSet'], create: true }];

/** Image fields besides every `containers`/`initContainers` list (which the image transformer finds anywhere). */
export const IMAGE_VOLUMES: FieldSpec[] = [{ path: 'spec/volumes/image/reference' }, { path: 'spec/template/spec/volumes/image/reference' }];

/** Kinds without a namespace (the built-in ones kustomize knows). */
export const CLUSTER_SCOPED = new Set([
  'APIService', 'CertificateSigningRequest', 'ClusterRole', 'ClusterRoleBinding', 'ClusterTrustBundle', 'ComponentStatus', 'CSIDriver', 'CSINode',
  'CustomResourceDefinition', 'DeviceClass', 'FlowSchema', 'IngressClass', 'IPAddress', 'MutatingAdmissionPolicy', 'MutatingAdmissionPolicyBinding',
  'MutatingWebhookConfiguration', 'Namespace', 'Node', 'PersistentVolume', 'PodSecurityPolicy', 'PriorityClass', 'PriorityLevelConfiguration',
  'ResourceSlice', 'RuntimeClass', 'SelfSubjectAccessReview', 'SelfSubjectRulesReview', 'SelfSubjectReview', 'ServiceCIDR', 'StorageClass',
  'StorageVersion', 'StorageVersionMigration', 'SubjectAccessReview', 'TokenReview', 'ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding',
  'ValidatingWebhookConfiguration', 'VolumeAttachment', 'VolumeAttributesClass',
]);

/** API groups of the built-in kinds (a kind in one of these groups has a schema: merge keys apply). */
export const BUILTIN_GROUPS = new Set([
  '', 'apps', 'batch', 'autoscaling', 'policy', 'networking.k8s.io', 'rbac.authorization.k8s.io', 'storage.k8s.io', 'scheduling.k8s.io',
  'admissionregistration.k8s.io', 'apiextensions.k8s.io', 'apiregistration.k8s.io', 'certificates.k8s.io', 'coordination.k8s.io',
  'discovery.k8s.io', 'events.k8s.io', 'node.k8s.io', 'flowcontrol.apiserver.k8s.io', 'resource.k8s.io', 'extensions',
]);

// ------------------------------------------------------------------ name references

const POD_SPEC: Record<string, string> = {
  Pod: 'spec',
  PodTemplate: 'template/spec',
  Deployment: 'spec/template/spec',
  ReplicaSet: 'spec/template/spec',
  DaemonSet: 'spec/template/spec',
  StatefulSet: 'spec/template/spec',
  Job: 'spec/template/spec',
  ReplicationController: 'spec/template/spec',
  CronJob: 'spec/jobTemplate/spec/template/spec',
};

export interface NameRef {
  /** Kind of the object referred to. */
  referral: string;
  /** Kind that holds the reference. */
  referrer: string;
  referrerGroup?: string;
  path: string;
}

function podRefs(referral: string, kinds: string[], inPodSpec: string[]): NameRef[] {
  return kinds.flatMap((k) => inPodSpec.map((p) => ({ referral, referrer: k, path: `${POD_SPEC[k]}/${p}` })));
}

const CONFIG_KINDS = ['Pod', 'PodTemplate', 'Deployment', 'ReplicaSet', 'DaemonSet', 'StatefulSet', 'Job', 'CronJob'];
const SA_KINDS = ['Pod', 'StatefulSet', 'Deployment', 'ReplicationController', 'CronJob', 'Job', 'DaemonSet'];

export const NAME_REFERENCES: NameRef[] = [
  ...['Deployment', 'ReplicationController', 'ReplicaSet', 'StatefulSet'].map((referral) => ({ referral, referrer: 'HorizontalPodAutoscaler', path: 'spec/scaleTargetRef/name' })),
  ...podRefs('ConfigMap', CONFIG_KINDS, [
    'volumes/configMap/name',
    'containers/env/valueFrom/configMapKeyRef/name',
    'initContainers/env/valueFrom/configMapKeyRef/name',
    'containers/envFrom/configMapRef/name',
    'initContainers/envFrom/configMapRef/name',
    'volumes/projected/sources/configMap/name',
  ]),
  { referral: 'ConfigMap', referrer: 'Node', path: 'spec/configSource/configMap' },
  { referral: 'ConfigMap', referrer: 'Role', path: 'rules/resourceNames' },
  { referral: 'ConfigMap', referrer: 'ClusterRole', path: 'rules/resourceNames' },
  { referral: 'ConfigMap', referrer: 'Ingress', path: 'metadata/annotations/nginx.ingress.kubernetes.io\\/fastcgi-params-configmap' },
  ...podRefs('Secret', CONFIG_KINDS, [
    'volumes/secret/secretName',
    'containers/env/valueFrom/secretKeyRef/name',
    'initContainers/env/valueFrom/secretKeyRef/name',
    'containers/envFrom/secretRef/name',
    'initContainers/envFrom/secretRef/name',
    'imagePullSecrets/name',
    'volumes/projected/sources/secret/name',
  ]),
  { referral: 'Secret', referrer: 'Ingress', path: 'spec/tls/secretName' },
  { referral: 'Secret', referrer: 'Ingress', path: 'metadata/annotations/ingress.kubernetes.io\\/auth-secret' },
  { referral: 'Secret', referrer: 'Ingress', path: 'metadata/annotations/nginx.ingress.kubernetes.io\\/auth-secret' },
  { referral: 'Secret', referrer: 'Ingress', path: 'metadata/annotations/nginx.ingress.kubernetes.io\\/auth-tls-secret' },
  { referral: 'Secret', referrer: 'ServiceAccount', path: 'imagePullSecrets/name' },
  ...['secretName', 'adminSecretName', 'userSecretName', 'secretRef'].map((p) => ({ referral: 'Secret', referrer: 'StorageClass', path: `parameters/${p}` })),
  { referral: 'Secret', referrer: 'Role', path: 'rules/resourceNames' },
  { referral: 'Secret', referrer: 'ClusterRole', path: 'rules/resourceNames' },
  { referral: 'Secret', referrer: 'Service', referrerGroup: 'serving.knative.dev', path: 'spec/template/spec/containers/env/valueFrom/secretKeyRef/name' },
  { referral: 'Secret', referrer: 'PersistentVolume', path: 'spec/azureFile/secretName' },
  { referral: 'Service', referrer: 'StatefulSet', path: 'spec/serviceName' },
  { referral: 'Service', referrer: 'Ingress', path: 'spec/rules/http/paths/backend/serviceName' },
  { referral: 'Service', referrer: 'Ingress', path: 'spec/backend/serviceName' },
  { referral: 'Service', referrer: 'Ingress', path: 'spec/rules/http/paths/backend/service/name' },
  { referral: 'Service', referrer: 'Ingress', path: 'spec/defaultBackend/service/name' },
  { referral: 'Service', referrer: 'APIService', path: 'spec/service/name' },
  { referral: 'Service', referrer: 'ValidatingWebhookConfiguration', path: 'webhooks/clientConfig/service' },
  { referral: 'Service', referrer: 'MutatingWebhookConfiguration', path: 'webhooks/clientConfig/service' },
  { referral: 'Role', referrer: 'RoleBinding', path: 'roleRef/name' },
  { referral: 'ClusterRole', referrer: 'RoleBinding', path: 'roleRef/name' },
  { referral: 'ClusterRole', referrer: 'ClusterRoleBinding', path: 'roleRef/name' },
  { referral: 'ServiceAccount', referrer: 'RoleBinding', path: 'subjects' },
  { referral: 'ServiceAccount', referrer: 'ClusterRoleBinding', path: 'subjects' },
  ...SA_KINDS.map((k) => ({ referral: 'ServiceAccount', referrer: k, path: `${POD_SPEC[k]}/serviceAccountName` })),
  ...SA_KINDS.map((k) => ({ referral: 'PersistentVolumeClaim', referrer: k, path: `${POD_SPEC[k]}/volumes/persistentVolumeClaim/claimName` })),
  { referral: 'PersistentVolume', referrer: 'PersistentVolumeClaim', path: 'spec/volumeName' },
  { referral: 'PersistentVolume', referrer: 'ClusterRole', path: 'rules/resourceNames' },
  { referral: 'StorageClass', referrer: 'PersistentVolume', path: 'spec/storageClassName' },
  { referral: 'StorageClass', referrer: 'PersistentVolumeClaim', path: 'spec/storageClassName' },
  { referral: 'StorageClass', referrer: 'StatefulSet', path: 'spec/volumeClaimTemplates/spec/storageClassName' },
  ...SA_KINDS.map((k) => ({ referral: 'PriorityClass', referrer: k, path: `${POD_SPEC[k]}/priorityClassName` })),
  // (kustomize's own table has IngressClass -> Ingress spec/ingressClassName under the group
  // "networking.k8s.io/v1", which no object has: the reference is never followed, so it is left out here.)
  { referral: 'ValidatingAdmissionPolicy', referrer: 'ValidatingAdmissionPolicyBinding', path: 'spec/policyName' },
];

/** Split a field-spec path on '/', keeping an escaped '\/' inside a segment. */
export function pathSegments(path: string): string[] {
  return path.split(/(?<!\\)\//).map((s) => s.replace(/\\\//g, '/'));
}

/** A dotted field path split at the dots outside brackets: `a.[b.c/d].e` is `a`, `[b.c/d]`, `e`. */
export function splitDotted(fp: string): string[] {
  const out: string[] = [];
  let cur = '';
  let depth = 0;
  for (const c of fp) {
    if (c === '[') depth++;
    if (c === ']') depth--;
    if (c === '.' && depth === 0) {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  out.push(cur);
  return out;
}
