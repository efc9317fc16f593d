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
 *   labels: the catalogue in operators.json says which, with its sources (docs/operators.md lists it).
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

/*
 * What operators make from custom resources lives in the catalogue (operators.json, typed in operators.ts):
 * the objects they create, their pods' labels (run-time ones included) and where pod templates sit.
 */
export {
  createdBy, podTemplatesOf, containersOf, podLabelSets, mayMakePods, isCatalogued, labelSetMatches, managerPodSets,
  operatorNameMatch, operatorOfSelector, catalogueEntry,
} from './operators.js';
export type { CustomResourcePodTemplate, PodLabelSet, RuntimeValues } from './operators.js';
