import { defineRule } from '../src/rule.js';
import { toNumber } from '../src/graph/scaling.js';

export default defineRule({
  id: 'single-replica',
  meta: {
    description: 'Report Deployments that run one replica and HorizontalPodAutoscalers whose minReplicas is 1',
    category: 'reliability',
    severity: 'info',
    recommended: false,
    kinds: ['Deployment', 'HorizontalPodAutoscaler'],
    messages: {
      deployment: 'Deployment "{{name}}" runs a single replica ({{source}}): every rollout, node drain or crash leaves it with no pod serving until a new one is ready',
      hpa: 'HorizontalPodAutoscaler "{{name}}" lets {{target}} scale down to one replica (minReplicas {{min}}): at quiet times a single crash, drain or rollout leaves no pod serving',
    },
    docs: {
      rationale:
        'One replica is a single point of failure: a crash, an eviction by a drain or an OOM kill leaves the service with no pod until a new one is scheduled, pulled and ready. The same holds for an HPA allowed to scale down to one. Deployments whose replica count an HPA owns are judged by the HPA. Opt-in and informational: one replica is the right choice for development environments, singletons and controllers with leader election.',
      remediation: 'Run at least 2 replicas (with a PodDisruptionBudget and anti-affinity or topology spread), or set the HPA\'s `minReplicas` to 2.',
    },
    peers: [
      { tool: 'kube-score', id: 'deployment-replicas' },
      { tool: 'kube-score', id: 'horizontalpodautoscaler-replicas' },
      { tool: 'polaris', id: 'deploymentMissingReplicas' },
      { tool: 'polaris', id: 'hpaMinAvailability' },
    ],
  },
  check(r, ctx) {
    if (r.kind === 'HorizontalPodAutoscaler') {
      const raw = r.object.spec?.minReplicas;
      // minReplicas defaults to 1.
      const min = raw === undefined || raw === null ? 1 : toNumber(raw);
      if (min !== 1) return;
      const ref = r.object.spec?.scaleTargetRef;
      const target = ref && typeof ref === 'object' ? `${String(ref.kind ?? 'its target')} "${String(ref.name ?? '?')}"` : 'its target';
      ctx.report({ messageId: 'hpa', path: raw === undefined || raw === null ? ['spec'] : ['spec', 'minReplicas'], data: { name: r.name, target, min: raw === undefined || raw === null ? '1, the default' : String(raw) } });
      return;
    }
    if (ctx.graph.hpasOf(r).length) return;
    const raw = r.object.spec?.replicas;
    const n = raw === undefined || raw === null ? 1 : toNumber(raw);
    if (n !== 1) return;
    ctx.report({ messageId: 'deployment', path: raw === undefined || raw === null ? ['metadata', 'name'] : ['spec', 'replicas'], data: { name: r.name, source: raw === undefined || raw === null ? 'replicas unset, so 1' : 'replicas: 1' } });
  },
});
