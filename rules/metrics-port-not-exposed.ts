import { defineRule } from '../src/rule.js';
import type { KubeObject } from '../src/graph/resource.js';
import { metricsSettingsOf } from '../src/graph/metrics.js';
import { containerPortsOf, listeningPortsOf, findPort, toNumber } from '../src/graph/scaling.js';

export default defineRule({
  id: 'metrics-port-not-exposed',
  meta: {
    description: 'Require a METRICS_PORT-style setting to match a declared container port or Service target port',
    category: 'observability',
    severity: 'warning',
    recommended: true,
    kinds: ['Workload'],
    messages: {
      notExposed:
        '{{kind}} "{{workload}}" is told to serve metrics on port {{port}} ({{where}}), but neither its containers ({{declared}}) nor any Service selecting it expose that port; a ServiceMonitor cannot reach it and annotation-based scraping has no declared port to find',
    },
    docs: {
      rationale:
        'Applications are often told where to serve metrics through configuration (METRICS_PORT, metrics_port, METRICS_ADDR=":9091") while the manifests are written separately. When the port in the configuration is not a declared containerPort and not a Service targetPort, nothing scrapes it: the Service exposes the API port only, the ServiceMonitor points at a port that does not carry metrics, and the team learns about it when an alert that should have fired did not. The rule reads literal env values and the ConfigMap keys the workload consumes (envFrom and configMapKeyRef).',
      remediation: 'Declare the metrics port on the container (`ports: [{name: metrics, containerPort: <port>}]`), expose it on the Service the ServiceMonitor selects, and allow it in the NetworkPolicies that isolate the pods; or change the setting to the port that is exposed.',
    },
  },
  check(w, ctx) {
    const g = ctx.graph;
    const t = g.podTemplate(w);
    if (!t) return;
    const settings = metricsSettingsOf(g, w);
    if (!settings.length) return;
    const declared = listeningPortsOf(t);
    const services = g.selectorsOf(w, 'Service');
    if (!containerPortsOf(t).length && !services.length) return;
    const targets = new Set<number>();
    for (const s of services) {
      for (const p of (Array.isArray(s.object.spec?.ports) ? s.object.spec.ports : []) as KubeObject[]) {
        const tp = p?.targetPort ?? p?.port;
        const n = findPort(declared, tp)?.port ?? toNumber(tp);
        if (n !== undefined) targets.add(n);
      }
    }
    const seen = new Set<number>();
    for (const s of settings) {
      if (seen.has(s.port)) continue;
      seen.add(s.port);
      if (declared.some((p) => p.port === s.port) || targets.has(s.port)) continue;
      ctx.report({
        messageId: 'notExposed',
        resource: s.resource,
        path: s.path,
        data: { kind: w.kind, workload: w.name, port: s.port, where: s.source, declared: declared.length ? declared.map((p) => (p.name ? `${p.name}:${p.port}` : String(p.port))).join(', ') : 'no ports' },
        related: s.resource !== w ? [{ resource: w, path: [...t.path, 'spec', 'containers'], message: `containers of ${w.kind} "${w.name}"` }] : [],
      });
    }
  },
});
