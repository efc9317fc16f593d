/** Kind groups, declared once. */

export const WORKLOAD_KINDS = [
  'Pod',
  'Deployment',
  'StatefulSet',
  'DaemonSet',
  'ReplicaSet',
  'ReplicationController',
  'Job',
  'CronJob',
] as const;

export type WorkloadKind = (typeof WORKLOAD_KINDS)[number];

/**
 * Not a kind: rules that list it also run on custom resources that carry pods (JobSet, RayCluster, Argo
 * Workflows, ...; graph/cr-pod-templates.ts), whatever their kind.
 */
export const CUSTOM_RESOURCE_PODS = 'CustomResourcePods';

export const KIND_GROUPS: Record<string, readonly string[]> = {
  Workload: WORKLOAD_KINDS,
};

/** Kinds that live outside namespaces (metadata.namespace is ignored for them). */
export const CLUSTER_SCOPED_KINDS = new Set([
  'APIService',
  'CertificateSigningRequest',
  'ClusterIssuer',
  'ClusterRole',
  'ClusterRoleBinding',
  'ClusterSecretStore',
  'ComponentStatus',
  'CSIDriver',
  'CSINode',
  'CustomResourceDefinition',
  'FlowSchema',
  'GatewayClass',
  'IngressClass',
  'MutatingWebhookConfiguration',
  'Namespace',
  'Node',
  'PersistentVolume',
  'PodSecurityPolicy',
  'PriorityClass',
  'PriorityLevelConfiguration',
  'RuntimeClass',
  'StorageClass',
  'ValidatingAdmissionPolicy',
  'ValidatingAdmissionPolicyBinding',
  'ValidatingWebhookConfiguration',
  'VolumeAttachment',
]);

export function expandKinds(kinds: readonly string[]): Set<string> | null {
  // Rules call this per object with the same few (data-file) lists: expand each list once.
  const cached = expanded.get(kinds);
  if (cached !== undefined) return cached;
  let out: Set<string> | null = null;
  if (!kinds.includes('*')) {
    out = new Set<string>();
    for (const k of kinds) for (const x of KIND_GROUPS[k] ?? [k]) out.add(x);
  }
  expanded.set(kinds, out);
  return out;
}

const expanded = new WeakMap<readonly string[], Set<string> | null>();
