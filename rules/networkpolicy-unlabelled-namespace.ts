import { defineRule } from '../src/rule.js';
import { rulesOf, ruleAdmitsPort, type Direction } from '../src/graph/netpol.js';
import { asLabels, matchesSelector } from '../src/graph/selectors.js';

export default defineRule({
  id: 'networkpolicy-unlabelled-namespace',
  meta: {
    description: 'Forbid NetworkPolicy namespaceSelectors on a name label that Kubernetes does not set',
    category: 'networking',
    severity: 'warning',
    recommended: true,
    kinds: ['NetworkPolicy'],
    messages: {
      nameLabel:
        'NetworkPolicy "{{name}}" selects namespaces labelled name={{value}}, but Kubernetes labels namespaces kubernetes.io/metadata.name={{value}}, not name; unless namespace "{{value}}" is labelled by hand, this rule admits nothing and {{direction}} traffic it was written for is dropped',
    },
    docs: {
      rationale:
        'Since Kubernetes 1.21 every namespace carries the immutable label `kubernetes.io/metadata.name: <namespace>`. Many guides still select namespaces with `name: ingress-nginx` or `name: monitoring`, a label nobody sets unless they add it by hand (Helm\'s --create-namespace does not). The policy applies, looks right, and silently drops the ingress controller\'s or Prometheus\'s traffic. The rule stays silent when a scanned Namespace object with that name carries the label. DNS egress to kube-system is reported by networkpolicy-dns-blocked instead.',
      remediation: 'Select namespaces by `kubernetes.io/metadata.name: <namespace>`, or label the namespace (`kubectl label namespace <ns> name=<ns>`) and keep that Namespace manifest with the policy.',
      references: ['https://kubernetes.io/docs/concepts/overview/working-with-objects/_print/#automatic-labelling'],
    },
  },
  check(np, ctx) {
    for (const dir of ['Ingress', 'Egress'] as Direction[]) {
      for (const r of rulesOf(np, dir)) {
        r.peers.forEach((peer, i) => {
          const sel = peer.namespaceSelector;
          if (!sel || typeof sel !== 'object') return;
          const ml = asLabels(sel.matchLabels);
          const value = ml.name;
          if (value === undefined) return;
          if (dir === 'Egress' && value === 'kube-system' && ruleAdmitsPort(r.rule, 53, 'UDP')) return; // networkpolicy-dns-blocked
          const ns = ctx.graph.get('Namespace', value, '');
          if (ns && matchesSelector(sel, { ...ns.labels, 'kubernetes.io/metadata.name': value })) return;
          ctx.report({
            messageId: 'nameLabel',
            path: ['spec', dir === 'Ingress' ? 'ingress' : 'egress', r.index, dir === 'Ingress' ? 'from' : 'to', i, 'namespaceSelector', 'matchLabels', 'name'],
            data: { name: np.name, value, direction: dir === 'Ingress' ? 'the incoming' : 'the outgoing' },
          });
        });
      }
    }
  },
});
