import { defineRule } from '../src/rule.js';
import { hpaResourceMetrics, vpaControls, vpaMode } from '../src/graph/autoscaling.js';
import { containersOf } from '../src/graph/workloads.js';

export default defineRule({
  id: 'hpa-vpa-conflict',
  meta: {
    description: 'Forbid an HPA and an active VPA acting on the same resource (cpu or memory) of one workload',
    category: 'autoscaling',
    severity: 'warning',
    recommended: true,
    kinds: ['HorizontalPodAutoscaler'],
    messages: {
      conflict:
        'HorizontalPodAutoscaler "{{hpa}}" scales {{kind}} "{{workload}}" on {{resource}} utilization while VerticalPodAutoscaler "{{vpa}}" (updateMode {{mode}}) rewrites the {{resource}} requests of the same pods; each change moves the other\'s target, so replicas and requests oscillate',
    },
    docs: {
      rationale:
        'An HPA on cpu or memory Utilization divides usage by the pods\' *requests*. A VPA in Auto, Recreate or InPlaceOrRecreate mode (Auto is the default when updateMode is absent) raises and lowers exactly those requests. When load rises the VPA grows the requests, utilization drops, the HPA removes replicas, per-pod load rises again: the two controllers chase each other, evicting pods as they go. The Kubernetes autoscaler documentation says not to combine them on the same resource. The rule compares the HPA\'s Resource/ContainerResource metrics (and the v1 targetCPUUtilizationPercentage or the v2 default of 80% cpu) with the resources each VPA controls (controlledResources, default cpu and memory; containers with `mode: Off` excluded).',
      remediation:
        'Pick one controller per resource: set the VPA to `updateMode: "Off"` (recommendations only) or limit it with `controlledResources` to the resource the HPA does not use, or scale the HPA on a custom or external metric (requests per second, queue length) instead of cpu/memory.',
      references: ['https://github.com/kubernetes/autoscaler/tree/master/vertical-pod-autoscaler#known-limitations'],
    },
  },
  check(hpa, ctx) {
    const ref = hpa.object.spec?.scaleTargetRef;
    if (!ref || typeof ref.kind !== 'string' || typeof ref.name !== 'string') return;
    const metrics = hpaResourceMetrics(hpa).filter((m) => m.resource === 'cpu' || m.resource === 'memory');
    if (!metrics.length) return;
    const target = ctx.graph.get(ref.kind, ref.name, hpa.namespace);
    // Find VPAs on the same target, whether or not the target itself was scanned.
    const vpas = ctx.graph.scalersTargeting('VerticalPodAutoscaler', ref.kind, ref.name, hpa.namespace);
    const t = target ? ctx.graph.podTemplate(target) : undefined;
    const containers = t ? containersOf(t).filter((c) => !c.init).map((c) => String(c.container.name ?? '')) : ['*'];
    for (const vpa of vpas) {
      const m = vpaMode(vpa);
      if (!m.active) continue;
      for (const metric of metrics) {
        const names = metric.container ? [metric.container] : containers;
        if (!names.some((c) => vpaControls(vpa, c).includes(metric.resource))) continue;
        ctx.report({
          messageId: 'conflict',
          path: metric.path,
          data: { hpa: hpa.name, kind: ref.kind, workload: ref.name, resource: metric.resource, vpa: vpa.name, mode: m.mode },
          related: [{ resource: vpa, path: m.path, message: `VerticalPodAutoscaler "${vpa.name}" updateMode ${m.mode}` }],
        });
      }
    }
  },
});
