import { defineRule } from '../src/rule.js';
import { containerPortsOf, listeningPortsOf, toNumber } from '../src/graph/scaling.js';

export default defineRule({
  id: 'service-target-port-mismatch',
  meta: {
    description: 'Require a Service targetPort to be a port the selected pods declare',
    category: 'networking',
    severity: 'warning',
    recommended: true,
    kinds: ['Service'],
    messages: {
      named:
        'Service "{{name}}" port {{port}} targets the named port "{{target}}", but no container of the pods it selects ({{owners}}) declares a port with that name; the Service has no endpoints for this port and connections are refused',
      number:
        'Service "{{name}}" port {{port}} targets port {{target}}, but the pods it selects ({{owners}}) declare only {{declared}}; traffic goes to a port nothing listens on',
    },
    docs: {
      rationale:
        'A Service forwards `port` to `targetPort` on the selected pods (targetPort defaults to port). A named targetPort is resolved against the containers\' named ports; when none has that name the port gets no endpoints at all. A numeric targetPort is used as is: containerPort declarations are informational, but when the pods declare their ports and the target is not among them, it is almost always the container port that was changed in one place only, or the Service port written where the container port belongs. The rule compares only when the selected pods declare ports.',
      remediation: 'Set `targetPort` to the container port (number or, better, its name) the application listens on, and keep `port` as the port clients use.',
      examples: {
        invalid:
          'apiVersion: v1\nkind: Service\nmetadata:\n  name: api\nspec:\n  selector: {app: api}\n  ports:\n  - name: http\n    port: 80\n    targetPort: 8000\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  selector:\n    matchLabels: {app: api}\n  template:\n    metadata:\n      labels: {app: api}\n    spec:\n      containers:\n      - name: api\n        image: example/api:1.0\n        ports:\n        - name: http\n          containerPort: 8080\n',
        valid:
          'apiVersion: v1\nkind: Service\nmetadata:\n  name: api\nspec:\n  selector: {app: api}\n  ports:\n  - name: http\n    port: 80\n    targetPort: http\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  selector:\n    matchLabels: {app: api}\n  template:\n    metadata:\n      labels: {app: api}\n    spec:\n      containers:\n      - name: api\n        image: example/api:1.0\n        ports:\n        - name: http\n          containerPort: 8080\n',
      },
    },
    peers: [{ tool: 'kube-linter', id: 'dangling-service' }],
  },
  check(svc, ctx) {
    const spec = svc.object.spec;
    if (!spec || spec.type === 'ExternalName' || !Array.isArray(spec.ports)) return;
    const templates = ctx.graph.selectedTemplates(svc) ?? [];
    if (!templates.length) return;
    const perTemplate = templates.map((t) => listeningPortsOf(t));
    const owners = [...new Set(templates.map((t) => `${t.owner.kind} "${t.owner.name}"`))].join(', ');
    spec.ports.forEach((p: Record<string, unknown>, i: number) => {
      if (!p || typeof p !== 'object') return;
      const target = p.targetPort ?? p.port;
      const path = ['spec', 'ports', i, p.targetPort !== undefined ? 'targetPort' : 'port'];
      const protocol = typeof p.protocol === 'string' ? p.protocol : 'TCP';
      const portLabel = p.name ? `"${p.name}" (${p.port})` : String(p.port);
      const n = toNumber(target);
      if (n === undefined) {
        if (typeof target !== 'string' || !target) return;
        if (perTemplate.some((ports) => ports.some((c) => c.name === target))) return;
        ctx.report({ messageId: 'named', path, data: { name: svc.name, port: portLabel, target, owners } });
        return;
      }
      if (templates.some((t) => containerPortsOf(t).length === 0)) return; // nothing declared: nothing to compare with
      if (perTemplate.some((ports) => ports.some((c) => c.port === n && c.protocol === protocol))) return;
      const declared = [...new Set(perTemplate.flat().map((c) => (c.name ? `${c.name}:${c.port}` : String(c.port))))].join(', ');
      ctx.report({ messageId: 'number', path, data: { name: svc.name, port: portLabel, target: n, owners, declared } });
    });
  },
});
