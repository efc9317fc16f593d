import { defineRule } from '../src/rule.js';

export default defineRule({
  id: 'pdb-selects-nothing',
  meta: {
    description: 'Require a PodDisruptionBudget selector to match the pods of a workload in the scanned files',
    category: 'reliability',
    severity: 'warning',
    recommended: true,
    kinds: ['PodDisruptionBudget'],
    messages: {
      noMatch: 'PodDisruptionBudget "{{name}}" selects {{selector}}, but no pod template in namespace "{{namespace}}" {{searched}} has those labels; the budget protects nothing and drains evict the pods it was meant to keep',
      noSelector: 'PodDisruptionBudget "{{name}}" has no selector; in policy/v1 a missing selector selects no pods, so the budget protects nothing',
    },
    docs: {
      rationale:
        'A PodDisruptionBudget only guards the pods its label selector matches. A typo, a label renamed in the Deployment, or a selector copied from another chart leaves the budget empty: it shows ALLOWED DISRUPTIONS 0 with no pods, and drains evict every replica at once. The rule stays silent when the scanned files hold no workloads in that namespace (the pods are deployed elsewhere), and when a custom resource there (a Prometheus, an Alertmanager, a database cluster) carries the selected labels, since its operator creates the pods.',
      remediation: 'Make `spec.selector.matchLabels` a subset of the pod template labels of the workload the budget protects.',
    },
  },
  check(pdb, ctx) {
    if (!ctx.graph.deploysWorkloadsIn(pdb.namespace)) return;
    const sel = pdb.object.spec?.selector;
    if (!sel || typeof sel !== 'object') {
      if (/^policy\/v1$/.test(pdb.apiVersion)) ctx.report({ messageId: 'noSelector', path: ['spec'], data: { name: pdb.name } });
      return;
    }
    if ((ctx.graph.selectedTemplates(pdb) ?? []).length) return;
    if (ctx.graph.operatorMayRun(sel, pdb.namespace, 'selector')) return; // pods an operator creates from a custom resource
    const ml = sel.matchLabels && typeof sel.matchLabels === 'object' ? Object.entries(sel.matchLabels).map(([k, v]) => `${k}=${v}`) : [];
    const me = Array.isArray(sel.matchExpressions) ? sel.matchExpressions.map((e: { key?: string; operator?: string; values?: unknown[] }) => `${e?.key} ${e?.operator}${Array.isArray(e?.values) ? ` (${e.values.join(',')})` : ''}`) : [];
    ctx.report({ messageId: 'noMatch', path: ['spec', 'selector'], data: { name: pdb.name, namespace: pdb.namespace, selector: [...ml, ...me].join(', ') || '{}' }, uncertain: ctx.graph.selectorUncertainty(sel, pdb.namespace, 'selector') });
  },
});
