import { defineRule } from '../src/rule.js';
import { describeCount } from '../src/graph/scaling.js';

export default defineRule({
  id: 'missing-pdb',
  meta: {
    description: 'Ask replicated Deployments and StatefulSets to be covered by a PodDisruptionBudget',
    category: 'reliability',
    severity: 'info',
    recommended: false,
    completeness: true,
    kinds: ['Deployment', 'StatefulSet'],
    messages: {
      none: '{{kind}} "{{name}}" runs {{count}} but no PodDisruptionBudget in namespace "{{namespace}}" {{searched}} selects its pods: a node drain, upgrade or autoscaler scale-down may evict all of them at once',
    },
    docs: {
      rationale:
        'Voluntary disruptions (kubectl drain, node pool upgrades, cluster-autoscaler scale-down) evict pods through the eviction API, which only holds back when a PodDisruptionBudget says how many pods must stay up. Without one, a drain of the nodes that carry the replicas takes them all down together, and the service is down although it was replicated. Workloads that run a single replica are not checked (a budget would only block the drain), nor are replicas of pods an HPA may scale down to one. Opt-in and informational: many platforms add budgets with a policy engine rather than in each chart.',
      remediation: 'Add a PodDisruptionBudget with `maxUnavailable: 1` (or a `minAvailable` below the replica count) whose selector matches the pod template labels.',
      references: ['https://kubernetes.io/docs/tasks/run-application/configure-pdb/'],
    },
    peers: [
      { tool: 'polaris', id: 'missingPodDisruptionBudget' },
      { tool: 'kube-score', id: 'deployment-has-poddisruptionbudget' },
      { tool: 'kube-score', id: 'statefulset-has-poddisruptionbudget' },
    ],
  },
  check(w, ctx) {
    const range = ctx.graph.replicaRange(w);
    // One pod can never stay up through its own eviction; a floor of one (an HPA's) is the same at quiet times.
    if (range.min < 2) return;
    if (ctx.graph.selectorsOf(w, 'PodDisruptionBudget').length) return;
    ctx.report({ messageId: 'none', path: ['metadata', 'name'], data: { kind: w.kind, name: w.name, count: describeCount(range), namespace: w.namespace } });
  },
});
