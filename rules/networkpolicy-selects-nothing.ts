import { defineRule, type RuleContext } from '../src/rule.js';
import { isEmptySelector } from '../src/graph/selectors.js';
import type { Resource } from '../src/graph/resource.js';

function describe(sel: Record<string, unknown>): string {
  const ml = sel.matchLabels && typeof sel.matchLabels === 'object' ? Object.entries(sel.matchLabels as Record<string, unknown>).map(([k, v]) => `${k}=${String(v)}`) : [];
  const me = Array.isArray(sel.matchExpressions) ? sel.matchExpressions.map((e: { key?: string; operator?: string; values?: unknown[] }) => `${e?.key} ${e?.operator}${e?.values ? ` (${e.values.join(',')})` : ''}`) : [];
  return [...ml, ...me].join(', ');
}

/**
 * Peers of ingress `from` and egress `to` rules chosen by podSelector alone (the policy's namespace): a selector
 * no pod template there matches allows nothing. Reported at info: the namespace may hold pods of other releases.
 */
function checkPeers(np: Resource, ctx: RuleContext<'noMatch' | 'peerNoMatch'>): void {
  const spec = np.object.spec;
  if (!spec || typeof spec !== 'object' || !ctx.graph.deploysWorkloadsIn(np.namespace)) return;
  for (const [dir, key, direction] of [['ingress', 'from', 'traffic from'], ['egress', 'to', 'traffic to']] as const) {
    const rules = spec[dir];
    if (!Array.isArray(rules)) continue;
    rules.forEach((rule: unknown, i: number) => {
      const peers = rule && typeof rule === 'object' ? (rule as Record<string, unknown>)[key] : undefined;
      if (!Array.isArray(peers)) return;
      peers.forEach((p: unknown, j: number) => {
        if (!p || typeof p !== 'object') return;
        const peer = p as Record<string, unknown>;
        const sel = peer.podSelector;
        if (peer.namespaceSelector !== undefined || !sel || typeof sel !== 'object' || isEmptySelector(sel)) return;
        if (ctx.graph.templatesSelectedBy(sel, np.namespace, 'selector').length) return;
        if (ctx.graph.operatorMayRun(sel as Record<string, unknown>, np.namespace, 'selector')) return;
        ctx.report({
          messageId: 'peerNoMatch',
          path: ['spec', dir, i, key, j, 'podSelector'],
          data: { name: np.name, namespace: np.namespace, direction, selector: describe(sel as Record<string, unknown>) },
          uncertain: 'but pods of another release in the namespace may carry these labels',
        });
      });
    });
  }
}

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
      peerNoMatch:
        'NetworkPolicy "{{name}}" allows {{direction}} pods labelled {{selector}}, but no pod template in namespace "{{namespace}}" {{searched}} has those labels; the rule allows no traffic, so the connection it was written for is dropped',
    },
    docs: {
      rationale:
        'A NetworkPolicy applies only to the pods its podSelector matches. A label typo or a label renamed in the Deployment leaves the policy applying to nothing: `kubectl apply` succeeds, the namespace looks protected, and every pod still accepts and sends any traffic. The rule stays silent when the scanned files hold no workloads in that namespace (the pods are deployed elsewhere) and when a custom resource there carries the labels (its operator creates the pods). An empty podSelector selects every pod and is never reported. The podSelector of an ingress `from` or egress `to` peer (without a namespaceSelector, so in the policy\'s own namespace) is checked the same way, at info: pods of another release in the namespace may carry the labels.',
      remediation: 'Make `spec.podSelector.matchLabels` a subset of the pod template labels of the workloads the policy is meant to cover.',
    },
    peers: [
      { tool: 'kube-score', id: 'networkpolicy-targets-pod' },
      { tool: 'kube-linter', id: 'dangling-networkpolicy' },
    ],
  },
  check(np, ctx) {
    checkPeers(np, ctx);
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
