import { defineRule } from '../src/rule.js';
import type { KubeObject } from '../src/graph/resource.js';
import { containerPortsOf, findPort, toNumber } from '../src/graph/scaling.js';

export default defineRule({
  id: 'monitor-port-not-found',
  meta: {
    description: 'Require ServiceMonitor and PodMonitor endpoint ports to name ports of the Services or pods they select',
    category: 'observability',
    severity: 'warning',
    recommended: true,
    kinds: ['ServiceMonitor', 'PodMonitor'],
    messages: {
      servicePort:
        'ServiceMonitor "{{name}}" endpoint port "{{port}}" is not a port name of any Service it selects ({{services}}: {{ports}}); the endpoint produces no targets, so these metrics are never scraped',
      targetPort:
        'ServiceMonitor "{{name}}" endpoint targetPort {{port}} is not declared by the pods behind the Services it selects; the endpoint produces no targets',
      podPort:
        'PodMonitor "{{name}}" endpoint port "{{port}}" is not a container port of the pods it selects ({{owners}}: {{ports}}); the endpoint produces no targets, so these metrics are never scraped',
    },
    docs: {
      rationale:
        'A ServiceMonitor endpoint\'s `port` is the *name* of a Service port (not a number, not the container port name); a PodMonitor endpoint\'s `port` is the name of a container port. The Prometheus Operator keeps only the endpoints whose port name matches, silently: a typo, an unnamed Service port, or a number written where a name belongs yields zero targets. The rule checks the names against the Services and pods the monitor actually selects among the scanned files.',
      remediation: 'Name the Service port (e.g. `name: metrics`) and use that name in the ServiceMonitor endpoint; for a PodMonitor, name the containerPort and use that name.',
    },
  },
  check(m, ctx) {
    const g = ctx.graph;
    if (m.kind === 'ServiceMonitor') {
      const services = g.servicesSelectedBy(m);
      if (!services.length) return;
      const eps = m.object.spec?.endpoints;
      if (!Array.isArray(eps)) return;
      eps.forEach((ep: KubeObject, i: number) => {
        if (!ep || typeof ep !== 'object') return;
        if (typeof ep.port === 'string' && ep.port) {
          const has = services.some((s) => Array.isArray(s.object.spec?.ports) && s.object.spec.ports.some((p: KubeObject) => p?.name === ep.port));
          if (has) return;
          const ports = [...new Set(services.flatMap((s) => (Array.isArray(s.object.spec?.ports) ? s.object.spec.ports : []).map((p: KubeObject) => (p?.name ? `${p.name}:${p.port}` : `unnamed ${p?.port}`))))].join(', ');
          ctx.report({ messageId: 'servicePort', path: ['spec', 'endpoints', i, 'port'], data: { name: m.name, port: ep.port, services: services.map((s) => `Service "${s.name}"`).join(', '), ports: ports || 'no ports' }, related: services.map((s) => ({ resource: s, path: ['spec', 'ports'], message: `ports of Service "${s.name}"` })) });
        } else if (ep.port === undefined && ep.targetPort !== undefined) {
          const templates = services.flatMap((s) => g.selectedTemplates(s) ?? []);
          if (!templates.length || templates.some((t) => containerPortsOf(t).length === 0)) return;
          if (templates.some((t) => findPort(containerPortsOf(t), ep.targetPort))) return;
          ctx.report({ messageId: 'targetPort', path: ['spec', 'endpoints', i, 'targetPort'], data: { name: m.name, port: String(ep.targetPort) } });
        }
      });
      return;
    }
    const templates = g.selectedTemplates(m) ?? [];
    if (!templates.length) return;
    const eps = m.object.spec?.podMetricsEndpoints;
    if (!Array.isArray(eps)) return;
    eps.forEach((ep: KubeObject, i: number) => {
      if (!ep || typeof ep !== 'object' || typeof ep.port !== 'string' || !ep.port || toNumber(ep.port) !== undefined) return;
      if (templates.some((t) => containerPortsOf(t).some((p) => p.name === ep.port))) return;
      const declared = [...new Set(templates.flatMap((t) => containerPortsOf(t)).map((p) => (p.name ? `${p.name}:${p.port}` : `unnamed ${p.port}`)))].join(', ');
      ctx.report({ messageId: 'podPort', path: ['spec', 'podMetricsEndpoints', i, 'port'], data: { name: m.name, port: ep.port, owners: [...new Set(templates.map((t) => `${t.owner.kind} "${t.owner.name}"`))].join(', '), ports: declared || 'no ports' } });
    });
  },
});
