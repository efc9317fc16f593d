import { defineRule } from '../src/rule.js';
import { isEmptySelector } from '../src/graph/selectors.js';

export default defineRule({
  id: 'networkpolicy-selects-nothing',
  meta: {
    description: 'Require a NetworkPolicy podSelector to match the pods of a workload in the scanned files',
    category: 'networking',
    severity: 'warning',
    recommended: true,
    kinds: ['NetworkPolicy'],
    messages: {
      noMatch:
        'NetworkPolicy "{{name}}" selects pods labelled {{selector}}, but no pod template in namespace "{{namespace}}" {{searched}} has those labels; the policy isolates nothing, so the traffic it was written to restrict flows freely',
    },
    docs: {
      rationale:
        'A NetworkPolicy applies only to the pods its podSelector matches. A label typo or a label renamed in the Deployment leaves the policy applying to nothing: `kubectl apply` succeeds, the namespace looks protected, and every pod still accepts and sends any traffic. The rule stays silent when the scanned files hold no workloads in that namespace (the pods are deployed elsewhere) and when a custom resource there carries the labels (its operator creates the pods). An empty podSelector selects every pod and is never reported.',
      remediation: 'Make `spec.podSelector.matchLabels` a subset of the pod template labels of the workloads the policy is meant to cover.',
    },
    peers: [
      { tool: 'kube-score', id: 'networkpolicy-targets-pod' },
      { tool: 'kube-linter', id: 'dangling-networkpolicy' },
    ],
  },
  check(np, ctx) {
    const sel = np.object.spec?.podSelector;
    if (!sel || typeof sel !== 'object' || isEmptySelector(sel)) return;
    if (!ctx.graph.deploysWorkloadsIn(np.namespace)) return;
    if ((ctx.graph.selectedTemplates(np) ?? []).length) return;
    if (ctx.graph.operatorMayRun(sel, np.namespace, 'selector')) return;
    const ml = sel.matchLabels && typeof sel.matchLabels === 'object' ? Object.entries(sel.matchLabels).map(([k, v]) => `${k}=${v}`) : [];
    const me = Array.isArray(sel.matchExpressions) ? sel.matchExpressions.map((e: { key?: string; operator?: string; values?: unknown[] }) => `${e?.key} ${e?.operator}${Array.isArray(e?.values) ? ` (${e.values.join(',')})` : ''}`) : [];
    ctx.report({ messageId: 'noMatch', path: ['spec', 'podSelector'], data: { name: np.name, namespace: np.namespace, selector: [...ml, ...me].join(', ') }, uncertain: ctx.graph.selectorUncertainty(sel, np.namespace, 'selector') });
  },
});
