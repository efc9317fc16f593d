import { defineRule } from '../src/rule.js';

export default defineRule({
  id: 'hpa-fixed-replicas',
  meta: {
    description: 'Report workloads that set spec.replicas while an HPA manages their replica count',
    category: 'autoscaling',
    severity: 'info',
    recommended: true,
    kinds: ['Deployment', 'StatefulSet', 'ReplicaSet'],
    messages: {
      fixed:
        '{{kind}} "{{name}}" sets replicas: {{replicas}} but HorizontalPodAutoscaler "{{hpa}}" owns the replica count; every `kubectl apply` or sync resets it to {{replicas}} before the HPA scales it back, which briefly kills pods under load',
    },
    docs: {
      rationale:
        'When an HPA manages a workload, the `replicas` field in the manifest fights it: each apply (kubectl, Argo CD, Flux, helm upgrade) writes the fixed number back, scaling a busy deployment down (or up) until the HPA reacts again. The Kubernetes docs recommend removing `spec.replicas` from the manifest once an HPA is in place. Reported as info because the effect is transient.',
      remediation: 'Remove `spec.replicas` from the manifest (in Helm: render it only when autoscaling is disabled) and let the HPA\'s minReplicas set the floor.',
      references: ['https://kubernetes.io/docs/tasks/run-application/horizontal-pod-autoscale/#migrating-deployments-and-statefulsets-to-horizontal-autoscaling'],
    },
  },
  check(w, ctx) {
    const replicas = w.object.spec?.replicas;
    if (replicas === undefined || replicas === null) return;
    const hpa = ctx.graph.hpasOf(w)[0];
    if (!hpa) return;
    ctx.report({ messageId: 'fixed', path: ['spec', 'replicas'], data: { kind: w.kind, name: w.name, replicas: String(replicas), hpa: hpa.name }, related: [{ resource: hpa, path: ['spec', 'scaleTargetRef'], message: `HorizontalPodAutoscaler "${hpa.name}"` }] });
  },
});
