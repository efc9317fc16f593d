import { defineRule } from '../src/rule.js';

export default defineRule({
  id: 'pdb-unhealthy-eviction-policy',
  meta: {
    description: 'Ask PodDisruptionBudgets to choose an unhealthyPodEvictionPolicy (AlwaysAllow, so broken pods do not block drains)',
    category: 'reliability',
    severity: 'info',
    recommended: false,
    kinds: ['PodDisruptionBudget'],
    messages: {
      unset:
        'PodDisruptionBudget "{{name}}" leaves unhealthyPodEvictionPolicy to its default, IfHealthyBudget: a crash-looping pod can be evicted only while the budget is met, so when the application is already unhealthy, drains and node upgrades wait on pods that serve nothing',
    },
    docs: {
      rationale:
        'With the default policy (IfHealthyBudget), a pod that is running but not ready (crash-looping, misconfigured) can only be evicted while the budget is met. When the application is already unhealthy, the budget is not met, and `kubectl drain` and node upgrades wait forever on pods that serve nothing. `AlwaysAllow` lets the eviction API remove not-ready pods whatever the budget, which is what the Kubernetes documentation recommends for most workloads. An explicit `IfHealthyBudget` is taken as a decision and not reported. Opt-in and informational: applications that must not lose even a not-ready pod (some quorum-based databases) keep the default on purpose.',
      remediation: 'Set `spec.unhealthyPodEvictionPolicy: AlwaysAllow` (stable since Kubernetes 1.31), or `IfHealthyBudget` explicitly where not-ready pods must be kept.',
      references: ['https://kubernetes.io/docs/tasks/run-application/configure-pdb/#unhealthy-pod-eviction-policy'],
    },
    peers: [{ tool: 'kube-linter', id: 'pdb-unhealthy-pod-eviction-policy' }],
  },
  check(pdb, ctx) {
    const spec = pdb.object.spec;
    if (!spec || typeof spec !== 'object') return;
    // An explicit IfHealthyBudget is a decision (a quorum that must not lose even a not-ready member).
    const v = spec.unhealthyPodEvictionPolicy;
    if (v !== undefined && v !== null) return;
    ctx.report({ messageId: 'unset', path: ['spec'], data: { name: pdb.name } });
  },
});
