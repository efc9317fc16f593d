import { defineRule } from '../src/rule.js';
import type { Resource } from '../src/graph/resource.js';
import { describeCount, toNumber } from '../src/graph/scaling.js';

function parse(v: unknown): { n: number; pct: boolean } | undefined {
  const n = toNumber(v);
  if (n !== undefined) return { n, pct: false };
  const m = /^(\d+)%$/.exec(String(v ?? ''));
  return m ? { n: Number(m[1]), pct: true } : undefined;
}

export default defineRule({
  id: 'pdb-blocks-eviction',
  meta: {
    description: 'Forbid PodDisruptionBudgets that can never allow a voluntary eviction for the replicas they cover',
    category: 'reliability',
    severity: 'warning',
    recommended: true,
    kinds: ['PodDisruptionBudget'],
    messages: {
      maxUnavailableZero:
        'PodDisruptionBudget "{{name}}" sets maxUnavailable {{value}}: no pod of {{pods}} may ever be evicted, so `kubectl drain`, node upgrades and the cluster autoscaler block on these pods indefinitely',
      minAvailableEvery:
        'PodDisruptionBudget "{{name}}" requires minAvailable {{value}}: every one of {{pods}} must stay up, whatever the replica count, so no voluntary eviction is ever allowed and `kubectl drain`, node upgrades and the cluster autoscaler block on these pods indefinitely',
      minAvailableAll:
        'PodDisruptionBudget "{{name}}" requires minAvailable {{value}}, but the pods it covers ({{pods}}) never exceed {{max}}; no voluntary eviction is ever allowed, so `kubectl drain`, node upgrades and the cluster autoscaler block indefinitely',
      minAvailableAtFloor:
        'PodDisruptionBudget "{{name}}" requires minAvailable {{value}}, which is every one of the {{floor}} pod(s) HorizontalPodAutoscaler {{hpas}} keeps at its floor (minReplicas): whenever load is low, when drains and node upgrades usually run, no eviction is allowed and they block until traffic scales the pods up',
    },
    docs: {
      rationale:
        'A PodDisruptionBudget caps voluntary evictions: drains, node upgrades, cluster-autoscaler scale-down. When `maxUnavailable` is 0 (or 0%), or `minAvailable` is at least the largest number of pods the selected workloads can run (replicas, an HPA\'s maxReplicas), or is `100%` whatever the replicas, the eviction API refuses every request; drains retry forever and managed node-group upgrades time out or force-delete pods anyway. The common source is minAvailable copied from a production values file onto a smaller deployment (minAvailable: 2 with replicas: 2, or with a single replica). Under an HPA the budget is also checked against `minReplicas`: at the floor, where an autoscaled service spends its quiet hours, a minAvailable equal to the floor blocks every drain.',
      remediation:
        'Use `maxUnavailable: 1` (it adapts to any replica count), or keep `minAvailable` strictly below the replica count and below an HPA\'s `minReplicas` (e.g. minReplicas 3 with minAvailable 2). For a singleton that must not be interrupted, accept the drain disruption or run a second replica.',
      references: ['https://kubernetes.io/docs/tasks/run-application/configure-pdb/'],
    },
    peers: [{ tool: 'kube-linter', id: 'pdb-max-unavailable' }, { tool: 'kube-linter', id: 'pdb-min-available' }],
  },
  check(pdb, ctx) {
    const spec = pdb.object.spec ?? {};
    const owners: Resource[] = [...new Set((ctx.graph.selectedTemplates(pdb) ?? []).map((t) => t.owner))].filter((o) => o.kind !== 'Job' && o.kind !== 'CronJob');
    const mu = parse(spec.maxUnavailable);
    if (mu && mu.n === 0) {
      const pods = owners.length ? owners.map((o) => `${o.kind} "${o.name}"`).join(', ') : 'the pods it selects';
      ctx.report({ messageId: 'maxUnavailableZero', path: ['spec', 'maxUnavailable'], data: { name: pdb.name, value: String(spec.maxUnavailable), pods } });
      return;
    }
    const ma = parse(spec.minAvailable);
    if (!ma) return;
    // 100% (or more) requires every selected pod to stay up, however many there are: no workload need be in
    // the scan to know that no eviction is ever allowed.
    if (ma.pct && ma.n >= 100) {
      const pods = owners.length ? owners.map((o) => `${o.kind} "${o.name}"`).join(', ') : 'the pods it selects';
      ctx.report({ messageId: 'minAvailableEvery', path: ['spec', 'minAvailable'], data: { name: pdb.name, value: String(spec.minAvailable), pods } });
      return;
    }
    if (!owners.length) return;
    let max = 0;
    for (const o of owners) max += ctx.graph.replicaRange(o).max;
    if (max === Infinity || max === 0) return;
    const required = ma.pct ? Math.ceil((ma.n * max) / 100) : ma.n;
    if (required < max) {
      // Against the autoscalers' floor: when traffic is low (when maintenance is usually scheduled) the pods
      // sit at minReplicas, and then no eviction is allowed until load scales them up.
      const ranges = owners.map((o) => ctx.graph.replicaRange(o));
      if (!ranges.every((r) => r.hpas.length)) return;
      const floor = ranges.reduce((n, r) => n + r.min, 0);
      if (floor <= 0 || (ma.pct ? Math.ceil((ma.n * floor) / 100) : ma.n) < floor) return;
      const hpa = ranges[0].hpas[0];
      ctx.report({
        messageId: 'minAvailableAtFloor',
        path: ['spec', 'minAvailable'],
        data: { name: pdb.name, value: String(spec.minAvailable), floor, hpas: ranges.flatMap((r) => r.hpas.map((h) => `"${h.name}"`)).join(', ') },
        related: [{ resource: hpa, path: hpa.object.spec?.minReplicas !== undefined ? ['spec', 'minReplicas'] : ['spec'], message: 'the autoscaler\'s floor' }],
      });
      return;
    }
    const pods = owners.map((o) => `${o.kind} "${o.name}": ${describeCount(ctx.graph.replicaRange(o))}, ${ctx.graph.replicaRange(o).source}`).join('; ');
    const range = ctx.graph.replicaRange(owners[0]);
    ctx.report({
      messageId: 'minAvailableAll',
      path: ['spec', 'minAvailable'],
      data: { name: pdb.name, value: String(spec.minAvailable), pods, max },
      related: [{ resource: range.resource, path: [...range.path], message: range.source }],
    });
  },
});
