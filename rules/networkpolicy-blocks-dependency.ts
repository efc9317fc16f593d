import { defineRule } from '../src/rule.js';
import type { KubeObject, Resource } from '../src/graph/resource.js';
import type { ResourceGraph } from '../src/graph/graph.js';
import { dependenciesOf } from '../src/graph/dependencies.js';
import { isolatingPolicies, rulesOf, ruleAdmitsPort, type Direction } from '../src/graph/netpol.js';
import { containerPortsOf, findPort, toNumber } from '../src/graph/scaling.js';
import { asLabels, matchesSelector } from '../src/graph/selectors.js';
import type { PodTemplate } from '../src/graph/workloads.js';

function namespaceLabels(g: ResourceGraph, ns: string): Record<string, string> {
  const obj = g.get('Namespace', ns, '');
  return { ...asLabels(obj?.object.metadata?.labels), 'kubernetes.io/metadata.name': ns };
}

/** Does a peer (from/to entry) match pods with these labels in this namespace, seen from a policy in policyNs? */
function peerMatches(g: ResourceGraph, peer: KubeObject, policyNs: string, podNs: string, labels: Record<string, string>): boolean {
  if (peer.ipBlock) return true; // cannot judge CIDRs against pod IPs: assume admitted
  const nsSel = peer.namespaceSelector;
  if (nsSel && typeof nsSel === 'object') {
    if (!matchesSelector(nsSel, namespaceLabels(g, podNs))) return false;
  } else if (policyNs !== podNs) return false;
  return peer.podSelector && typeof peer.podSelector === 'object' ? matchesSelector(peer.podSelector, labels) : true;
}

function admits(g: ResourceGraph, policies: Resource[], dir: Direction, port: number, names: string[], protocol: string, peerNs: string, peerLabels: Record<string, string>): boolean {
  for (const np of policies) {
    for (const r of rulesOf(np, dir)) {
      if (!ruleAdmitsPort(r.rule, port, protocol, names)) continue;
      if (!r.peers.length) return true;
      if (r.peers.some((p) => peerMatches(g, p, np.namespace, peerNs, peerLabels))) return true;
    }
  }
  return false;
}

export default defineRule({
  id: 'networkpolicy-blocks-dependency',
  meta: {
    description: 'Require NetworkPolicies to admit traffic from a workload to the Services its configuration points at',
    category: 'networking',
    severity: 'warning',
    recommended: true,
    kinds: ['Workload'],
    messages: {
      egress:
        '{{kind}} "{{workload}}" is configured to reach {{address}} ({{where}}), but the NetworkPolicies isolating its egress ({{policies}}) admit no traffic to port {{port}} of the pods behind Service "{{service}}"; connections time out',
      ingress:
        '{{kind}} "{{workload}}" is configured to reach {{address}} ({{where}}), but the NetworkPolicies isolating the pods behind Service "{{service}}" ({{policies}}) admit no traffic from it on port {{port}}; connections time out',
    },
    docs: {
      rationale:
        'Applications name their dependencies in configuration (DATABASE_URL, REDIS_URL, *_HOST), while NetworkPolicies are written separately. When a policy isolates the client\'s egress, or the server\'s ingress, and no rule admits that pair on the server\'s pod port, every connection times out: the classic symptom is an allow-list that names PostgreSQL and forgets Redis. The rule resolves URLs, host:port values and *_HOST settings (literal env values and consumed ConfigMap keys) to Services among the scanned files, maps the Service port to the pods\' targetPort, and checks both sides\' policies (podSelector, namespaceSelector against kubernetes.io/metadata.name and scanned Namespace labels; ipBlock peers are assumed to match).',
      remediation: 'Add an egress rule on the client (`to: [{podSelector: <server pod labels>}]`, `ports: [{port: <target port>}]`) and an ingress rule on the server (`from: [{podSelector: <client pod labels>}]`) for the port the Service targets.',
    },
  },
  check(w, ctx) {
    const g = ctx.graph;
    const t = g.podTemplate(w);
    if (!t) return;
    const egressPolicies = isolatingPolicies(g, w, 'Egress');
    for (const dep of dependenciesOf(g, w)) {
      const backends: PodTemplate[] = (g.selectedTemplates(dep.service) ?? []).filter((b) => b.owner !== w);
      if (!backends.length) continue;
      const protocol = typeof dep.servicePort.protocol === 'string' ? dep.servicePort.protocol : 'TCP';
      const target = dep.servicePort.targetPort ?? dep.servicePort.port;
      const data = { kind: w.kind, workload: w.name, address: dep.address, where: dep.where, service: dep.service.name };
      const related = [{ resource: dep.service, path: ['spec', 'ports'], message: `ports of Service "${dep.service.name}"` }];
      // The client side: its egress policies must admit the backend pods on their port.
      if (egressPolicies.length) {
        const ok = backends.some((b) => {
          const cp = findPort(containerPortsOf(b), target);
          const port = cp?.port ?? toNumber(target);
          if (port === undefined) return true;
          return admits(g, egressPolicies, 'Egress', port, cp?.name ? [cp.name] : typeof target === 'string' ? [target] : [], protocol, b.owner.namespace, b.labels);
        });
        if (!ok) {
          const port = findPort(containerPortsOf(backends[0]), target)?.port ?? String(target);
          ctx.report({ messageId: 'egress', resource: dep.resource, path: dep.path, data: { ...data, port, policies: egressPolicies.map((p) => `"${p.name}"`).join(', ') }, related });
          continue;
        }
      }
      // The server side: every backend's ingress policies must admit this client.
      for (const b of backends) {
        const ingress = isolatingPolicies(g, b.owner, 'Ingress');
        if (!ingress.length) continue;
        const cp = findPort(containerPortsOf(b), target);
        const port = cp?.port ?? toNumber(target);
        if (port === undefined) continue;
        if (admits(g, ingress, 'Ingress', port, cp?.name ? [cp.name] : typeof target === 'string' ? [target] : [], protocol, w.namespace, t.labels)) continue;
        ctx.report({ messageId: 'ingress', resource: dep.resource, path: dep.path, data: { ...data, port, policies: ingress.map((p) => `"${p.name}"`).join(', ') }, related });
        break;
      }
    }
  },
});
