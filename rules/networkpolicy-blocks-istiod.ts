import { defineRule } from '../src/rule.js';
import type { KubeObject, Resource } from '../src/graph/resource.js';
import type { ResourceGraph } from '../src/graph/graph.js';
import { isolatingPolicies, ruleAdmitsPort, rulesOf } from '../src/graph/netpol.js';
import { asLabels, matchesSelector } from '../src/graph/selectors.js';
import { toNumber } from '../src/graph/scaling.js';
import { ISTIO_ROOT_NAMESPACE, sidecarInjection } from '../src/graph/mesh.js';

/** istiod serves configuration (xDS) and certificates to the sidecars on this port. */
const XDS_PORT = 15012;
/** Labels of the istiod pods of a default install. */
const ISTIOD_LABELS = { app: 'istiod', istio: 'pilot' };

/**
 * Does the rule's port list admit 15012/TCP: on all ports, or on a list that names it? A named port may be
 * istiod's own (the names are the destination pod's), so it counts as naming it.
 */
function portsAdmitXds(rule: KubeObject): 'all' | 'explicit' | false {
  const ports = rule.ports;
  if (!Array.isArray(ports) || ports.length === 0) return 'all';
  const named = ports.some((p: KubeObject) => p && typeof p.port === 'string' && toNumber(p.port) === undefined && (p.protocol ?? 'TCP') === 'TCP');
  return named || ruleAdmitsPort(rule, XDS_PORT, 'TCP') ? 'explicit' : false;
}

function istioNamespaceLabels(g: ResourceGraph): Record<string, string> {
  const ns = g.get('Namespace', ISTIO_ROOT_NAMESPACE, '');
  return { ...asLabels(ns?.object.metadata?.labels), 'kubernetes.io/metadata.name': ISTIO_ROOT_NAMESPACE };
}

/**
 * Can this egress peer be istiod? With 15012 named in the ports, any peer outside the pod's own namespace
 * may be (istiod can run in a namespace of its own); with all ports open, only a peer that matches the
 * default install (istio-system, app=istiod) is taken as reaching it.
 */
function peerMayBeIstiod(peer: KubeObject, ownNs: string, explicit: boolean, g: ResourceGraph): boolean {
  if (peer.ipBlock) return true;
  const ns = peer.namespaceSelector;
  if (ns && typeof ns === 'object') {
    if (explicit) return true;
    if (!matchesSelector(ns, istioNamespaceLabels(g))) return false;
  } else if (ownNs !== ISTIO_ROOT_NAMESPACE && !explicit) return false;
  const pods = peer.podSelector;
  return !pods || typeof pods !== 'object' || explicit || matchesSelector(pods, ISTIOD_LABELS);
}

function admitsIstiod(g: ResourceGraph, w: Resource, policies: Resource[]): boolean {
  for (const np of policies) {
    for (const r of rulesOf(np, 'Egress')) {
      const ports = portsAdmitXds(r.rule);
      if (!ports) continue;
      if (!r.peers.length) return true;
      if (r.peers.some((p) => peerMayBeIstiod(p, w.namespace, ports === 'explicit', g))) return true;
    }
  }
  return false;
}

export default defineRule({
  id: 'networkpolicy-blocks-istiod',
  meta: {
    description: 'Require NetworkPolicies that restrict the egress of Istio-injected pods to admit istiod on port 15012',
    category: 'networking',
    severity: 'error',
    recommended: true,
    kinds: ['NetworkPolicy'],
    messages: {
      blocked:
        'NetworkPolicy "{{name}}" restricts egress for {{workloads}}, whose pods run an Istio sidecar ({{because}}), and no egress rule of the policies selecting them admits TCP port 15012 to istiod; the sidecars cannot fetch their configuration or certificates, so the pods never become Ready and mesh traffic fails',
    },
    docs: {
      rationale:
        'An injected istio-proxy sidecar connects to istiod on TCP 15012 at start-up for its configuration (xDS) and its workload certificate, and reports ready only once it has both. NetworkPolicies act on the pod as a whole, sidecar included: a default-deny egress policy that admits DNS and the application\'s dependencies but not istiod leaves every sidecar waiting, so the pods never become Ready, rollouts hang and, with strict mTLS, no request gets through. The rule looks at workloads whose sidecar injection the scanned manifests establish (the pod\'s `sidecar.istio.io/inject` label, or a scanned Namespace labelled `istio-injection=enabled` or `istio.io/rev`; ambient namespaces have no sidecar) and at every policy that isolates their egress. A rule that names port 15012 (or a named port, or a range holding it) counts as reaching istiod wherever istiod runs; a rule open on all ports counts when its peer can be the default install (namespace istio-system, pods app=istiod) or an ipBlock.',
      remediation:
        'Add an egress rule for istiod: `- to: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: istio-system}}, podSelector: {matchLabels: {app: istiod}}}]` with `ports: [{protocol: TCP, port: 15012}]`, next to the DNS rule.',
      references: ['https://istio.io/latest/docs/ops/deployment/application-requirements/#ports-used-by-istio'],
    },
  },
  check(np, ctx) {
    const g = ctx.graph;
    const owners = [...new Set((g.selectedTemplates(np) ?? []).map((t) => t.owner))];
    const blocked: Resource[] = [];
    let because = '';
    for (const w of owners) {
      const inj = sidecarInjection(g, w);
      if (!inj) continue;
      // istiod itself, or a gateway, in the root namespace talks to itself through the API server.
      if (w.namespace === ISTIO_ROOT_NAMESPACE) continue;
      const policies = isolatingPolicies(g, w, 'Egress');
      // Report once, on the first policy that isolates the workload.
      if (policies[0] !== np) continue;
      if (admitsIstiod(g, w, policies)) continue;
      blocked.push(w);
      because ||= inj.because;
    }
    if (!blocked.length) return;
    const workloads = blocked.map((w) => `${w.kind} "${w.name}"`).join(', ');
    const path = np.object.spec?.egress !== undefined ? ['spec', 'egress'] : np.object.spec?.policyTypes !== undefined ? ['spec', 'policyTypes'] : ['spec'];
    ctx.report({ messageId: 'blocked', path, data: { name: np.name, workloads, because } });
  },
});
