/**
 * Which objects kustomize treats as cluster-scoped: those its compiled-in OpenAPI data (Kubernetes 1.21, as
 * kustomize v5.7.1 ships it) lists as cluster-scoped, by exact apiVersion and kind. Anything else, including
 * kinds newer than that data (flowcontrol v1 FlowSchema, ValidatingAdmissionPolicy, resource.k8s.io/v1
 * DeviceClass) and every custom kind (ClusterIssuer, GatewayClass), is namespaced to kustomize: `namespace:`
 * sets its metadata.namespace. What kubectl applies is what the build says, so the build follows kustomize.
 */

const CLUSTER_SCOPED: Record<string, string[]> = {
  'admissionregistration.k8s.io/v1': ['MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration'],
  'admissionregistration.k8s.io/v1beta1': ['MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration'],
  'apiextensions.k8s.io/v1': ['CustomResourceDefinition'],
  'apiextensions.k8s.io/v1beta1': ['CustomResourceDefinition'],
  'apiregistration.k8s.io/v1': ['APIService'],
  'apiregistration.k8s.io/v1beta1': ['APIService'],
  'certificates.k8s.io/v1': ['CertificateSigningRequest'],
  'certificates.k8s.io/v1beta1': ['CertificateSigningRequest'],
  'flowcontrol.apiserver.k8s.io/v1beta1': ['FlowSchema', 'PriorityLevelConfiguration'],
  'networking.k8s.io/v1': ['IngressClass'],
  'networking.k8s.io/v1beta1': ['IngressClass'],
  'node.k8s.io/v1': ['RuntimeClass'],
  'node.k8s.io/v1beta1': ['RuntimeClass'],
  'policy/v1beta1': ['PodSecurityPolicy'],
  'rbac.authorization.k8s.io/v1': ['ClusterRole', 'ClusterRoleBinding'],
  'rbac.authorization.k8s.io/v1beta1': ['ClusterRole', 'ClusterRoleBinding'],
  'scheduling.k8s.io/v1': ['PriorityClass'],
  'scheduling.k8s.io/v1beta1': ['PriorityClass'],
  'storage.k8s.io/v1': ['CSIDriver', 'CSINode', 'StorageClass', 'VolumeAttachment'],
  'storage.k8s.io/v1beta1': ['CSIDriver', 'CSINode', 'StorageClass', 'VolumeAttachment'],
  v1: ['ComponentStatus', 'Namespace', 'Node', 'NodeProxyOptions', 'PersistentVolume'],
};

const KEYS = new Set(Object.entries(CLUSTER_SCOPED).flatMap(([av, kinds]) => kinds.map((k) => `${av} ${k}`)));

/** kustomize's IsCertainlyClusterScoped with its built-in schema. */
export function kustomizeClusterScoped(apiVersion: string, kind: string): boolean {
  return KEYS.has(`${apiVersion} ${kind}`);
}
