import { defineRule } from '../src/rule.js';
import { hpaResourceMetrics } from '../src/graph/autoscaling.js';
import { containersOf } from '../src/graph/workloads.js';

export default defineRule({
  id: 'hpa-missing-requests',
  meta: {
    description: 'Require the containers of an HPA target to request the resource the HPA scales on by utilization',
    category: 'autoscaling',
    severity: 'warning',
    recommended: true,
    completeness: true,
    kinds: ['HorizontalPodAutoscaler'],
    messages: {
      noRequest:
        'HorizontalPodAutoscaler "{{hpa}}" scales {{kind}} "{{workload}}" on {{resource}} utilization, but container "{{container}}" requests no {{resource}}; utilization is usage divided by requests, so the HPA reports "missing request for {{resource}}" and never scales',
    },
    docs: {
      rationale:
        'Utilization targets are percentages of the pods\' resource *requests*. If any container of the target pods has no request for that resource (and no limit, which would default the request), the HPA controller cannot compute utilization and stops scaling with FailedGetResourceMetric "missing request for cpu". A LimitRange in the namespace can supply default requests; the rule stays silent when the scanned files contain one there.',
      remediation: 'Set `resources.requests.<cpu|memory>` on every container of the target (sidecars included), or scale on an `AverageValue` target or a custom metric instead of Utilization.',
      references: ['https://kubernetes.io/docs/tasks/run-application/horizontal-pod-autoscale/#how-does-a-horizontalpodautoscaler-work'],
    },
  },
  check(hpa, ctx) {
    // the target's pod template: a workload's, or a custom resource's the operator catalogue knows (a Rollout's)
    const scaled = ctx.graph.scaleTargetTemplate(hpa);
    if (!scaled) return;
    const { target, template: t } = scaled;
    if (ctx.graph.countIn('LimitRange', hpa.namespace) > 0) return;
    for (const m of hpaResourceMetrics(hpa)) {
      if (m.targetType !== 'Utilization') continue;
      for (const c of containersOf(t)) {
        if (c.init && c.container.restartPolicy !== 'Always') continue;
        if (m.container && c.container.name !== m.container) continue;
        const res = c.container.resources ?? {};
        if (res.requests?.[m.resource] !== undefined || res.limits?.[m.resource] !== undefined) continue;
        ctx.report({
          messageId: 'noRequest',
          path: m.path,
          data: { hpa: hpa.name, kind: target.kind, workload: target.name, resource: m.resource, container: String(c.container.name ?? '') },
          related: [{ resource: target, path: [...c.path, 'resources'], message: `resources of container "${c.container.name}"` }],
        });
        break;
      }
    }
  },
});
