import { defineRule } from '../src/rule.js';
import { matchesSelector, type LabelSelector } from '../src/graph/selectors.js';
import { isObj, podOf } from '../src/util/pod.js';
import type { KubeObject } from '../src/graph/resource.js';

export default defineRule({
  id: 'missing-anti-affinity',
  meta: {
    description: 'Require replicated workloads to spread their pods with anti-affinity or topology spread constraints',
    category: 'reliability',
    severity: 'warning',
    recommended: false,
    completeness: true,
    kinds: ['Deployment', 'StatefulSet', 'ReplicaSet', 'ReplicationController'],
    messages: {
      missing:
        '{{kind}} "{{name}}" runs up to {{replicas}} replicas ({{source}}) without a podAntiAffinity or topologySpreadConstraints that selects its own pods, so the scheduler may put several (or all) of them on one node or zone and one failure takes them down together',
    },
    docs: {
      rationale:
        'Replicas only protect availability if they fail independently. Nothing in the pod spec stops the scheduler from packing them onto one node; the cluster\'s default spreading is best-effort and is often turned off or outweighed by bin-packing. A preferred podAntiAffinity on kubernetes.io/hostname, or a topologySpreadConstraint on the zone, states the requirement. Opt-in because the default scheduler spreading is enough for many teams. The replica count includes the maxReplicas of a HorizontalPodAutoscaler among the scanned files. The selector of the anti-affinity term must match the workload\'s own pod labels (in its namespace) to count.',
      remediation: 'Add `topologySpreadConstraints` (maxSkew 1 on topology.kubernetes.io/zone or kubernetes.io/hostname, `labelSelector` matching the pod labels) or a `preferredDuringSchedulingIgnoredDuringExecution` podAntiAffinity on kubernetes.io/hostname.',
    },
    peers: [
      { tool: 'kube-linter', id: 'no-anti-affinity' },
      { tool: 'kube-score', id: 'deployment-has-host-podantiaffinity' },
      { tool: 'kube-score', id: 'statefulset-has-host-podantiaffinity' },
      { tool: 'polaris', id: 'topologySpreadConstraint' },
    ],
  },
  check(r, ctx) {
    const range = ctx.graph.replicaRange(r);
    if (!(range.max >= 2)) return;
    const replicas = range.max;
    const pod = podOf(r);
    if (!pod) return;
    const labels = pod.template.labels;
    const selects = (sel: unknown) => isObj(sel) && Object.keys(sel).length > 0 && matchesSelector(sel as LabelSelector, labels);
    const termCounts = (t: unknown) => {
      if (!isObj(t) || !t.topologyKey) return false;
      if (Array.isArray(t.namespaces) && t.namespaces.length && !t.namespaces.includes(r.namespace)) return false;
      return selects(t.labelSelector);
    };
    const anti = pod.spec.affinity?.podAntiAffinity as KubeObject | undefined;
    if (isObj(anti)) {
      const req = Array.isArray(anti.requiredDuringSchedulingIgnoredDuringExecution) ? anti.requiredDuringSchedulingIgnoredDuringExecution : [];
      const pref = Array.isArray(anti.preferredDuringSchedulingIgnoredDuringExecution) ? anti.preferredDuringSchedulingIgnoredDuringExecution : [];
      if (req.some(termCounts) || pref.some((p: unknown) => isObj(p) && termCounts(p.podAffinityTerm))) return;
    }
    const tsc = pod.spec.topologySpreadConstraints;
    if (Array.isArray(tsc) && tsc.some((c: unknown) => isObj(c) && !!c.topologyKey && selects(c.labelSelector))) return;
    const path = range.resource === r ? (r.object.spec?.replicas !== undefined ? ['spec', 'replicas'] : ['metadata', 'name']) : ['metadata', 'name'];
    const related = range.resource !== r ? [{ resource: range.resource, path: range.path, message: `replica count set by ${range.source}` }] : undefined;
    ctx.report({ messageId: 'missing', path, related, data: { kind: r.kind, name: r.name, replicas, source: range.source } });
  },
});
