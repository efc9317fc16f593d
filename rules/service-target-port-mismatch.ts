import { defineRule } from '../src/rule.js';
import { containerPortsOf, listeningPortsOf, toNumber } from '../src/graph/scaling.js';
import type { ResourceGraph } from '../src/graph/graph.js';
import type { PodTemplate } from '../src/graph/workloads.js';

/** True when the number is written in what the pod's process is told: command, args, env, a ConfigMap it reads. */
function toldToListen(g: ResourceGraph, t: PodTemplate, n: number): boolean {
  const re = new RegExp(`(^|[^0-9])${n}([^0-9]|$)`);
  const containers = [...(Array.isArray(t.spec.containers) ? t.spec.containers : []), ...(Array.isArray(t.spec.initContainers) ? t.spec.initContainers : [])];
  for (const c of containers) {
    if (!c || typeof c !== 'object') continue;
    for (const s of [...(Array.isArray(c.command) ? c.command : []), ...(Array.isArray(c.args) ? c.args : [])]) if (re.test(String(s))) return true;
    for (const e of Array.isArray(c.env) ? c.env : []) if (e && typeof e.value === 'string' && re.test(e.value)) return true;
  }
  for (const ref of g.refsOf(t.owner)) {
    if (ref.kind !== 'ConfigMap') continue;
    const cm = g.get('ConfigMap', ref.name, t.owner.namespace);
    const data = cm?.object.data;
    if (data && typeof data === 'object' && Object.values(data).some((v) => typeof v === 'string' && re.test(v))) return true;
  }
  return false;
}

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
        'A Service forwards `port` to `targetPort` on the selected pods (targetPort defaults to port). A named targetPort is resolved against the containers\' named ports; when none has that name the port gets no endpoints at all (a warning: that is certain). A numeric targetPort is used as is, and containerPort declarations are informational: a process may well listen on a port it does not declare. So a numeric target missing from the declared ports is reported at info, and not at all when the number appears in the containers\' command, arguments or environment, or in a ConfigMap the pods read (the port the process is told to listen on). The rule compares only when the selected pods declare ports.',
      remediation: 'Set `targetPort` to the container port (number or, better, its name) the application listens on, and keep `port` as the port clients use.',
    },
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
      if (templates.some((t) => toldToListen(ctx.graph, t, n))) return;
      const declared = [...new Set(perTemplate.flat().map((c) => (c.name ? `${c.name}:${c.port}` : String(c.port))))].join(', ');
      ctx.report({ messageId: 'number', path, data: { name: svc.name, port: portLabel, target: n, owners, declared }, uncertain: 'unless the process listens on it without declaring it (containerPort is informational)' });
    });
  },
});
