import { defineRule } from '../src/rule.js';
import type { KubeObject } from '../src/graph/resource.js';
import { metricsPortsOf } from '../src/graph/metrics.js';
import { mtlsModeAt, sidecarInjection } from '../src/graph/mesh.js';

/** Ports listed in a `traffic.sidecar.istio.io/*InboundPorts` annotation ('*' = all). */
function portList(v: string | undefined): Set<string> | undefined {
  return v === undefined ? undefined : new Set(v.split(',').map((s) => s.trim()).filter(Boolean));
}

export default defineRule({
  id: 'mtls-strict-blocks-scrape',
  meta: {
    description: 'Report ServiceMonitors and PodMonitors that scrape over plain HTTP a port where Istio requires mutual TLS',
    category: 'observability',
    severity: 'warning',
    recommended: true,
    kinds: ['Workload'],
    messages: {
      refused:
        '{{monitor}} scrapes port {{port}} of {{kind}} "{{workload}}" over plain HTTP, but PeerAuthentication "{{policy}}" requires mutual TLS on it (mode STRICT) and its pods run an Istio sidecar ({{because}}): the sidecar refuses a Prometheus outside the mesh, the target shows as down and none of its metrics arrive',
    },
    docs: {
      rationale:
        'With a STRICT PeerAuthentication, the sidecar in front of each pod accepts only mutual-TLS connections from workloads of the mesh. Prometheus usually runs outside the mesh and scrapes pod IPs directly, in plain HTTP: every scrape of a ServiceMonitor or PodMonitor endpoint is reset, the targets show as down and the dashboards and alerts built on them go blank. Istio\'s metrics merging covers `prometheus.io/*` annotation scrapes only, not the Prometheus operator\'s monitors. The rule follows Istio\'s precedence (a workload policy\'s `portLevelMtls`, its own mode, the namespace-wide policy, the mesh-wide one in istio-system) for the container port each endpoint resolves to, for workloads whose sidecar injection the scanned manifests establish. Endpoints with `scheme: https` and a `tlsConfig` (Istio\'s certificates mounted into Prometheus) and ports the sidecar does not intercept (`traffic.sidecar.istio.io/excludeInboundPorts`) are not reported.',
      remediation:
        'Leave the metrics port out of strict mTLS with a workload PeerAuthentication (`selector` on the pods, `portLevelMtls: {<port>: {mode: PERMISSIVE}}`), or mount Istio\'s certificates into Prometheus and scrape with `scheme: https` and a `tlsConfig` pointing at them, or scrape through `prometheus.io/*` annotations and Istio\'s metrics merging.',
      references: ['https://istio.io/latest/docs/ops/integrations/prometheus/#tls-settings', 'https://istio.io/latest/docs/reference/config/security/peer_authentication/'],
    },
  },
  check(w, ctx) {
    const g = ctx.graph;
    const t = g.podTemplate(w);
    if (!t) return;
    const monitors = metricsPortsOf(g, w).filter((m) => m.kind === 'monitor');
    if (!monitors.length || !g.hasKind('PeerAuthentication')) return;
    const inj = sidecarInjection(g, w);
    if (!inj) return;
    const excluded = portList(t.annotations['traffic.sidecar.istio.io/excludeInboundPorts']);
    const included = portList(t.annotations['traffic.sidecar.istio.io/includeInboundPorts']);
    const seen = new Set<string>();
    for (const m of monitors) {
      const key = `${m.resource.key}:${m.path.join('.')}`;
      if (seen.has(key)) continue;
      seen.add(key);
      if (excluded?.has(String(m.port)) || (included && !included.has('*') && !included.has(String(m.port)))) continue;
      const ep = m.resource.get(m.path.slice(0, -1)) as KubeObject | undefined;
      if (ep && ep.scheme === 'https' && ep.tlsConfig && typeof ep.tlsConfig === 'object') continue;
      const v = mtlsModeAt(g, w, m.port);
      if (!v || v.mode !== 'STRICT') continue;
      ctx.report({
        messageId: 'refused',
        resource: m.resource,
        path: m.path,
        data: { monitor: m.source.replace(/ endpoint .*$/, ''), port: m.port, kind: w.kind, workload: w.name, policy: v.policy.name, because: inj.because },
        related: [{ resource: v.policy, path: v.path, message: `PeerAuthentication "${v.policy.name}" sets mode STRICT` }],
      });
    }
  },
});
