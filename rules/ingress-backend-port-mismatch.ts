import { defineRule } from '../src/rule.js';
import { ingressBackends } from '../src/graph/ingress.js';
import type { KubeObject } from '../src/graph/resource.js';

export default defineRule({
  id: 'ingress-backend-port-mismatch',
  meta: {
    description: 'Require an Ingress backend port to be a port number or name of the Service it routes to',
    category: 'networking',
    severity: 'warning',
    recommended: true,
    kinds: ['Ingress'],
    messages: {
      noPort: 'Ingress backend port {{port}} is not a port of Service "{{service}}" (it exposes {{ports}}); the controller has no endpoint for this path and answers 503',
    },
    docs: {
      rationale:
        'An Ingress backend names a Service port by number (`port.number`, the Service `port`, not the targetPort) or by name (`port.name`). When it matches none of the Service\'s ports, ingress-nginx and most controllers find no upstream and answer 503 for the whole path; the usual causes are using the container port instead of the Service port, or a port name that was renamed. The rule only runs when the Service is among the scanned files.',
      remediation:
        'Set `backend.service.port.number` to one of the Service\'s `spec.ports[].port` values, or `port.name` to one of its port names.',
    },
    peers: [{ tool: 'kube-score', id: 'ingress-targets-service' }],
  },
  check(ing, ctx) {
    for (const b of ingressBackends(ing)) {
      if (b.port === undefined) continue;
      const svc = ctx.graph.get('Service', b.service, ing.namespace);
      if (!svc) continue;
      const ports: KubeObject[] = Array.isArray(svc.object.spec?.ports) ? svc.object.spec.ports.filter((p: unknown) => p && typeof p === 'object') : [];
      if (!ports.length) continue;
      const ok = typeof b.port === 'number' || /^\d+$/.test(String(b.port)) ? ports.some((p) => Number(p.port) === Number(b.port)) : ports.some((p) => p.name === b.port);
      if (ok) continue;
      const list = ports.map((p) => (p.name ? `${p.name}:${p.port}` : String(p.port))).join(', ');
      ctx.report({ messageId: 'noPort', path: b.portPath, data: { port: String(b.port), service: b.service, ports: list }, related: [{ resource: svc, path: ['spec', 'ports'], message: `ports of Service "${svc.name}"` }] });
    }
  },
});
