import { defineRule, type RuleContext } from '../src/rule.js';
import type { KubeObject, Resource } from '../src/graph/resource.js';
import { containerPortsOf, listeningPortsOf, findPort, toNumber } from '../src/graph/scaling.js';
import { metricsPortSetting, metricsSettingsOf } from '../src/graph/metrics.js';
import type { ResourceGraph } from '../src/graph/graph.js';

/** Every port number some scanned object declares, exposes, admits or scrapes. */
function portsCarried(g: ResourceGraph): Set<number> {
  const out = new Set<number>();
  const add = (v: unknown) => {
    const n = toNumber(v);
    if (n !== undefined) out.add(n);
  };
  for (const [, t] of g.workloads()) {
    for (const p of listeningPortsOf(t)) out.add(p.port);
    add(t.annotations['prometheus.io/port']);
  }
  for (const svc of g.ofKind('Service')) {
    add(svc.annotations['prometheus.io/port']);
    for (const p of (Array.isArray(svc.object.spec?.ports) ? svc.object.spec.ports : []) as KubeObject[]) {
      add(p?.port);
      add(p?.targetPort);
    }
  }
  for (const np of g.ofKind('NetworkPolicy')) {
    for (const dir of ['ingress', 'egress']) {
      for (const rule of (Array.isArray(np.object.spec?.[dir]) ? np.object.spec[dir] : []) as KubeObject[]) {
        for (const p of (Array.isArray(rule?.ports) ? rule.ports : []) as KubeObject[]) {
          const n = toNumber(p?.port);
          const end = toNumber(p?.endPort);
          if (n !== undefined && end !== undefined) for (let i = n; i <= end && i - n < 65536; i++) out.add(i);
          else add(p?.port);
        }
      }
    }
  }
  for (const m of [...g.ofKind('ServiceMonitor'), ...g.ofKind('PodMonitor')]) {
    for (const ep of (Array.isArray(m.object.spec?.endpoints) ? m.object.spec.endpoints : Array.isArray(m.object.spec?.podMetricsEndpoints) ? m.object.spec.podMetricsEndpoints : []) as KubeObject[]) {
      add(ep?.targetPort);
      add(ep?.portNumber);
    }
  }
  return out;
}

/**
 * A ConfigMap that tells an application where to serve metrics while no scanned workload reads it (the
 * Deployment lives elsewhere, or the guide never shows it): if nothing scanned carries the port either, say
 * so, at info, since the pods that read it are not among the files.
 */
function checkUnconsumedConfigMap(cm: Resource, ctx: RuleContext<'unconsumed'>): void {
  const g = ctx.graph;
  const data = cm.object.data;
  if (!data || typeof data !== 'object' || g.consumersOf('ConfigMap', cm.name, cm.namespace).length) return;
  // Something to compare with: a Service or NetworkPolicy of its namespace, or one written without a namespace
  // (applied wherever the ConfigMap is).
  const near = (r: Resource) => r.namespace === cm.namespace || !r.object.metadata?.namespace;
  if (!g.ofKind('Service').some(near) && !g.ofKind('NetworkPolicy').some(near)) return;
  let carried: Set<number> | undefined;
  for (const [key, value] of Object.entries(data as Record<string, unknown>)) {
    if (typeof value !== 'string') continue;
    const port = metricsPortSetting(key, value);
    if (port === undefined) continue;
    carried ??= portsCarried(g);
    if (carried.has(port)) continue;
    ctx.report({
      messageId: 'unconsumed',
      path: ['data', key],
      data: { name: cm.name, key, port },
      uncertain: 'no workload among the scanned files reads this ConfigMap, so whether its pods declare the port is not known',
    });
  }
}

export default defineRule({
  id: 'metrics-port-not-exposed',
  meta: {
    description: 'Require a METRICS_PORT-style setting to match a declared container port or Service target port',
    category: 'observability',
    severity: 'warning',
    recommended: true,
    kinds: ['Workload', 'ConfigMap'],
    messages: {
      unconsumed:
        'ConfigMap "{{name}}" tells the application to serve metrics on port {{port}} (key {{key}}), but no containerPort, Service port, NetworkPolicy rule or monitor {{searched}} carries port {{port}}: unless the pods that read it declare and expose it, nothing scrapes those metrics',
      notExposed:
        '{{kind}} "{{workload}}" is told to serve metrics on port {{port}} ({{where}}), but neither its containers ({{declared}}) nor any Service selecting it expose that port; a ServiceMonitor cannot reach it and annotation-based scraping has no declared port to find',
    },
    docs: {
      rationale:
        'Applications are often told where to serve metrics through configuration (METRICS_PORT, metrics_port, METRICS_ADDR=":9091") while the manifests are written separately. When the port in the configuration is not a declared containerPort and not a Service targetPort, nothing scrapes it: the Service exposes the API port only, the ServiceMonitor points at a port that does not carry metrics, and the team learns about it when an alert that should have fired did not. The rule reads literal env values and the ConfigMap keys the workload consumes (envFrom and configMapKeyRef). A ConfigMap that no scanned workload reads (its Deployment is not among the files) is reported at info when no containerPort, Service, NetworkPolicy or monitor in the scan carries its metrics port.',
      remediation: 'Declare the metrics port on the container (`ports: [{name: metrics, containerPort: <port>}]`), expose it on the Service the ServiceMonitor selects, and allow it in the NetworkPolicies that isolate the pods; or change the setting to the port that is exposed.',
    },
  },
  check(w, ctx) {
    if (w.kind === 'ConfigMap') return checkUnconsumedConfigMap(w, ctx);
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
