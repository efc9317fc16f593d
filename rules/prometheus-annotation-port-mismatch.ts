import { defineRule } from '../src/rule.js';
import { containerPortsOf, listeningPortsOf, toNumber } from '../src/graph/scaling.js';
import type { PodTemplate } from '../src/graph/workloads.js';

const KEY = 'prometheus.io/port';

export default defineRule({
  id: 'prometheus-annotation-port-mismatch',
  meta: {
    description: 'Require the prometheus.io/port and /scheme annotations to name a port the pods serve and http or https',
    category: 'observability',
    severity: 'warning',
    recommended: true,
    kinds: ['Workload', 'Service'],
    messages: {
      badScheme: 'Annotation prometheus.io/scheme is "{{value}}"; only http and https are valid, so the relabelled target URL is invalid and the target is dropped',
      notNumber: 'Annotation prometheus.io/port is "{{value}}", not a port number; the Prometheus relabelling builds an address from it verbatim, so the target is dropped or unreachable',
      mismatch:
        'Annotation prometheus.io/port is {{port}}, but {{owner}} declares no such container port (it declares {{ports}}); Prometheus scrapes <pod IP>:{{port}} and the target stays down, so the service has no metrics and its alerts never fire',
    },
    docs: {
      rationale:
        'With annotation-based discovery (the prometheus.io/scrape, /port and /path convention of the community Prometheus chart and many agents), Prometheus rewrites the target address to `<pod IP>:<prometheus.io/port>`. When that port is not one the application listens on (a copy-pasted 9090, the Service port instead of the container port), the target is down and every alert built on those metrics is silently blind. Because containerPort declarations are informational, the rule only compares when the pods declare ports, and reports a port none of them declares.',
      remediation: 'Set prometheus.io/port to the containerPort that serves /metrics (declare it, ideally with `name: metrics`), or fix the application\'s metrics listener to use the annotated port.',
    },
  },
  check(r, ctx) {
    let templates: PodTemplate[];
    let value: unknown;
    let path: (string | number)[];
    if (r.kind === 'Service') {
      value = r.annotations[KEY];
      path = ['metadata', 'annotations', KEY];
      templates = ctx.graph.selectedTemplates(r) ?? [];
    } else {
      const t = ctx.graph.podTemplate(r);
      if (!t) return;
      value = t.annotations[KEY];
      path = [...t.path, 'metadata', 'annotations', KEY];
      templates = [t];
    }
    const annotations = r.kind === 'Service' ? r.annotations : ctx.graph.podTemplate(r)!.annotations;
    const base = path.slice(0, -1);
    const scheme = annotations['prometheus.io/scheme'];
    if (typeof scheme === 'string' && scheme && !/^https?$/.test(scheme) && !/\{\{|\$\{/.test(scheme)) ctx.report({ messageId: 'badScheme', path: [...base, 'prometheus.io/scheme'], data: { value: scheme } });
    if (value === undefined || value === null || value === '') return;
    const port = toNumber(value);
    if (port === undefined) {
      if (!/\{\{|\$\{/.test(String(value))) ctx.report({ messageId: 'notNumber', path, data: { value: String(value) } });
      return;
    }
    if (!templates.length) return;
    const declared = templates.flatMap((t) => listeningPortsOf(t));
    if (templates.some((t) => containerPortsOf(t).length === 0)) return; // nothing declared: nothing to compare with
    if (declared.some((p) => p.port === port)) return;
    const owner = templates.length === 1 ? `${templates[0].owner.kind} "${templates[0].owner.name}"` : 'the selected pods';
    const ports = [...new Set(declared.map((p) => (p.name ? `${p.name}:${p.port}` : String(p.port))))].join(', ');
    ctx.report({ messageId: 'mismatch', path, data: { port, owner, ports }, related: templates.map((t) => ({ resource: t.owner, path: [...t.path, 'spec', 'containers'], message: `containers of ${t.owner.kind} "${t.owner.name}"` })) });
  },
});
