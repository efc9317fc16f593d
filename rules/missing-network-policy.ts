import { defineRule } from '../src/rule.js';
import type { Resource } from '../src/graph/resource.js';
import { podOf } from '../src/util/pod.js';

/** The directions a NetworkPolicy isolates: policyTypes, or Ingress (and Egress when it has egress rules) by default. */
function directions(np: Resource): Set<'Ingress' | 'Egress'> {
  const spec = np.object.spec && typeof np.object.spec === 'object' ? np.object.spec : {};
  const out = new Set<'Ingress' | 'Egress'>();
  if (Array.isArray(spec.policyTypes)) {
    for (const t of spec.policyTypes) if (t === 'Ingress' || t === 'Egress') out.add(t);
    return out;
  }
  out.add('Ingress');
  if (spec.egress !== undefined && spec.egress !== null) out.add('Egress');
  return out;
}

export default defineRule({
  id: 'missing-network-policy',
  meta: {
    description: 'Ask every pod to be isolated by a NetworkPolicy for ingress and egress',
    category: 'networking',
    severity: 'warning',
    recommended: false,
    completeness: true,
    kinds: ['Workload'],
    messages: {
      none: 'No NetworkPolicy in namespace "{{namespace}}" {{searched}} selects the pods of {{kind}} "{{name}}" for {{directions}}: any pod of the cluster can reach them{{egress}}, so one compromised pod can move to these',
      partly: 'The NetworkPolicies that select the pods of {{kind}} "{{name}}" ({{policies}}) isolate only {{isolated}}: {{open}} traffic {{searched}} is unrestricted{{egress}}',
    },
    docs: {
      rationale:
        'A pod that no NetworkPolicy selects accepts connections from every pod of the cluster and may connect anywhere: one compromised workload can reach databases, admin ports and cloud metadata endpoints. Selected for Ingress only, it can still open connections anywhere (exfiltration, lateral movement). The rule looks at the NetworkPolicies among the scanned files; when the deployment unit declares none in the namespace (a platform may apply a default-deny policy), the finding is informational. Pods on the host network are not checked: NetworkPolicies do not apply to them. Opt-in: isolation is a platform decision many clusters take outside the application\'s manifests.',
      remediation: 'Add a NetworkPolicy that selects the pods (`podSelector`) with `policyTypes: [Ingress, Egress]` and allows only the traffic they need, or a namespace-wide default-deny policy (`podSelector: {}`) plus allow rules.',
      references: ['https://kubernetes.io/docs/concepts/services-networking/network-policies/'],
    },
    peers: [
      { tool: 'kube-score', id: 'pod-networkpolicy' },
      { tool: 'polaris', id: 'missingNetworkPolicy' },
    ],
  },
  check(w, ctx) {
    const pod = podOf(w);
    if (!pod || pod.spec.hostNetwork === true) return;
    const nps = ctx.graph.selectorsOf(w, 'NetworkPolicy');
    const isolated = new Set<string>();
    for (const np of nps) for (const d of directions(np)) isolated.add(d);
    const open = (['Ingress', 'Egress'] as const).filter((d) => !isolated.has(d));
    if (!open.length) return;
    const ns = w.namespace;
    // Only policies of the same deployment unit count as evidence that this namespace is meant to be isolated:
    // samples that share a namespace name (default) say nothing about each other. A policy of another unit that
    // selects these pods is still found (the engine re-checks the finding against the rest of the scan).
    const declared = ctx.graph.countIn('NetworkPolicy', ns) > 0;
    const uncertain = declared ? undefined : `but these files declare no NetworkPolicy in namespace "${ns}", and the platform may apply a default-deny policy there`;
    const egress = open.includes('Egress') ? ' and they can connect anywhere' : '';
    if (!nps.length) {
      ctx.report({ messageId: 'none', path: ['metadata', 'name'], data: { namespace: ns, kind: w.kind, name: w.name, directions: 'ingress or egress', egress }, uncertain });
      return;
    }
    ctx.report({
      messageId: 'partly',
      path: ['metadata', 'name'],
      data: { kind: w.kind, name: w.name, policies: nps.map((n) => `"${n.name}"`).join(', '), isolated: [...isolated].join(' and ').toLowerCase(), open: open.join(' and ').toLowerCase(), egress: '' },
      related: [{ resource: nps[0], path: ['spec'], message: 'the policy that selects these pods' }],
      uncertain,
    });
  },
});
