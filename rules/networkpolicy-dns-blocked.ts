import { defineRule } from '../src/rule.js';
import type { Path } from '../src/types.js';
import type { KubeObject, Resource } from '../src/graph/resource.js';
import type { ResourceGraph } from '../src/graph/graph.js';
import { isolatingPolicies, rulesOf, ruleAdmitsPort } from '../src/graph/netpol.js';
import { asLabels, matchesSelector } from '../src/graph/selectors.js';

/** Labels the kube-system namespace carries: the automatic one, plus any a scanned Namespace object adds. */
function kubeSystemLabels(g: ResourceGraph): Record<string, string> {
  const ns = g.get('Namespace', 'kube-system', '');
  return { ...asLabels(ns?.object.metadata?.labels), 'kubernetes.io/metadata.name': 'kube-system' };
}

/** Can this egress peer reach the cluster DNS pods (kube-system) or a node-local resolver? */
function peerReachesDns(peer: KubeObject, ownNs: string, g: ResourceGraph): 'yes' | 'no' | 'unlabelled' {
  if (peer.ipBlock) return 'yes';
  if (peer.namespaceSelector && typeof peer.namespaceSelector === 'object') {
    if (matchesSelector(peer.namespaceSelector, kubeSystemLabels(g))) return 'yes';
    const ml = asLabels(peer.namespaceSelector.matchLabels);
    return Object.values(ml).includes('kube-system') ? 'unlabelled' : 'no';
  }
  // podSelector alone: pods of the policy's own namespace.
  return ownNs === 'kube-system' ? 'yes' : 'no';
}

function dnsVerdict(g: ResourceGraph, w: Resource, policies: Resource[]): { ok: boolean; unlabelled?: { policy: Resource; path: Path } } {
  let unlabelled: { policy: Resource; path: Path } | undefined;
  for (const np of policies) {
    for (const r of rulesOf(np, 'Egress')) {
      if (!ruleAdmitsPort(r.rule, 53, 'UDP', ['dns', 'dns-udp'])) continue;
      if (!r.peers.length) return { ok: true };
      for (let i = 0; i < r.peers.length; i++) {
        const v = peerReachesDns(r.peers[i], w.namespace, g);
        if (v === 'yes') return { ok: true };
        if (v === 'unlabelled') unlabelled ??= { policy: np, path: ['spec', 'egress', r.index, 'to', i, 'namespaceSelector'] };
      }
    }
  }
  return { ok: false, unlabelled };
}

export default defineRule({
  id: 'networkpolicy-dns-blocked',
  meta: {
    description: 'Require NetworkPolicies that restrict egress to still admit DNS to kube-system',
    category: 'networking',
    severity: 'error',
    recommended: true,
    kinds: ['NetworkPolicy'],
    messages: {
      blocked:
        'NetworkPolicy "{{name}}" restricts egress for {{workloads}}, and no egress rule of the policies selecting them admits UDP port 53 to the cluster DNS; every name lookup (Services, databases, external APIs) times out',
      unlabelled:
        'NetworkPolicy "{{name}}" admits DNS only to namespaces labelled {{labels}}, a label Kubernetes does not put on kube-system (it sets kubernetes.io/metadata.name); unless kube-system is labelled by hand, DNS for {{workloads}} is blocked and every name lookup times out',
    },
    docs: {
      rationale:
        'Once a NetworkPolicy with policyType Egress selects a pod, only egress that some rule admits is allowed, and that includes DNS. A default-deny egress policy, or an allow-list for the database and the cache that forgets port 53, makes every lookup of `postgres` or `redis` fail with timeouts that look like application bugs. A frequent variant admits DNS `to: [{namespaceSelector: {matchLabels: {name: kube-system}}}]`: Kubernetes labels every namespace with `kubernetes.io/metadata.name`, not `name`, so the selector matches nothing on a stock cluster. The rule checks, for each workload the policy isolates, every egress-isolating policy that selects it for a rule admitting UDP 53 to an ipBlock, to any destination, or to namespaces whose selector matches kube-system\'s labels (the automatic one, plus labels a scanned Namespace object declares).',
      remediation:
        'Add an egress rule for DNS: `- to: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: kube-system}}, podSelector: {matchLabels: {k8s-app: kube-dns}}}]` with `ports: [{protocol: UDP, port: 53}, {protocol: TCP, port: 53}]`.',
      references: ['https://kubernetes.io/docs/concepts/services-networking/network-policies/#targeting-a-namespace-by-its-name'],
    },
  },
  check(np, ctx) {
    const g = ctx.graph;
    const owners = [...new Set((g.selectedTemplates(np) ?? []).filter((t) => t.spec.hostNetwork !== true).map((t) => t.owner))];
    const blocked: Resource[] = [];
    let unlabelled: { policy: Resource; path: Path } | undefined;
    for (const w of owners) {
      const policies = isolatingPolicies(g, w, 'Egress');
      // Report once, on the first policy that isolates the workload.
      if (policies[0] !== np) continue;
      const v = dnsVerdict(g, w, policies);
      if (v.ok) continue;
      blocked.push(w);
      unlabelled ??= v.unlabelled;
    }
    if (!owners.length && (np.object.spec?.policyTypes ?? []).includes?.('Egress')) {
      // No scanned workload is selected: other policies may allow DNS, but a DNS rule aimed at a label kube-system
      // does not carry is broken on its own.
      const v = dnsVerdict(g, np, [np]);
      if (!v.ok && v.unlabelled) {
        const sel = np.get([...v.unlabelled.path, 'matchLabels']);
        const labels = Object.entries(asLabels(sel)).map(([k, x]) => `${k}=${x}`).join(', ');
        ctx.report({ messageId: 'unlabelled', path: v.unlabelled.path, data: { name: np.name, labels, workloads: 'the pods it selects' } });
      }
      return;
    }
    if (!blocked.length) return;
    const workloads = blocked.map((w) => `${w.kind} "${w.name}"`).join(', ');
    if (unlabelled) {
      const sel = unlabelled.policy.get([...unlabelled.path, 'matchLabels']);
      const labels = Object.entries(asLabels(sel)).map(([k, v]) => `${k}=${v}`).join(', ');
      ctx.report({ messageId: 'unlabelled', resource: unlabelled.policy, path: unlabelled.path, data: { name: unlabelled.policy.name, labels, workloads } });
      return;
    }
    const path: Path = np.object.spec?.egress !== undefined ? ['spec', 'egress'] : np.object.spec?.policyTypes !== undefined ? ['spec', 'policyTypes'] : ['spec'];
    ctx.report({ messageId: 'blocked', path, data: { name: np.name, workloads } });
  },
});
