import { defineRule } from '../src/rule.js';
import type { Path } from '../src/types.js';
import { metricsPortsOf } from '../src/graph/metrics.js';
import { isolatingPolicies, rulesOf, ruleAdmitsPort } from '../src/graph/netpol.js';
import { containerPortsOf } from '../src/graph/scaling.js';

export default defineRule({
  id: 'networkpolicy-blocks-metrics',
  meta: {
    description: 'Require NetworkPolicies that isolate a workload to admit the port its metrics are scraped on',
    category: 'observability',
    severity: 'warning',
    recommended: true,
    kinds: ['Workload'],
    messages: {
      blocked:
        'NetworkPolicy "{{policy}}" isolates the pods of {{kind}} "{{workload}}" for ingress, and no ingress rule of the policies selecting them admits port {{port}}, where metrics are scraped ({{source}}); Prometheus scrapes time out and the workload\'s alerts never fire',
      sameNamespace:
        'NetworkPolicy "{{policy}}" admits the metrics port {{port}} ({{source}}) only from pods in namespace "{{namespace}}" matching {{peers}}, and no workload {{searched}} there matches; Prometheus usually runs in its own namespace, which a podSelector without a namespaceSelector never matches, so scrapes time out',
    },
    docs: {
      rationale:
        'Once any NetworkPolicy with policyType Ingress selects a pod, only traffic some rule admits gets through. A default-deny policy plus an allow rule for the application port leaves the metrics port closed: Prometheus marks the target down and every alert built on its metrics goes silent. A quieter variant: the rule admits the metrics port `from: [{podSelector: {matchLabels: {app: prometheus}}}]`, which only matches pods in the policy\'s own namespace, while Prometheus runs in `monitoring`. The metrics port comes from prometheus.io/port annotations, ServiceMonitor/PodMonitor endpoints that reach the pods, and METRICS_PORT-style settings.',
      remediation:
        'Add an ingress rule for the metrics port from the Prometheus namespace and pods, e.g. `from: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: monitoring}}, podSelector: {matchLabels: {app.kubernetes.io/name: prometheus}}}]` with `ports: [{port: <metrics port>}]`.',
    },
  },
  check(w, ctx) {
    const g = ctx.graph;
    const t = g.podTemplate(w);
    if (!t) return;
    const policies = isolatingPolicies(g, w, 'Ingress');
    if (!policies.length) return;
    const declared = containerPortsOf(t);
    const seen = new Set<number>();
    for (const mp of metricsPortsOf(g, w)) {
      if (seen.has(mp.port)) continue;
      seen.add(mp.port);
      const names = declared.filter((p) => p.port === mp.port && p.name).map((p) => p.name!);
      const admitting = policies.flatMap((np) => rulesOf(np, 'Ingress')).filter((r) => ruleAdmitsPort(r.rule, mp.port, 'TCP', names));
      const related = [{ resource: mp.resource, path: [...mp.path], message: `metrics port ${mp.port}: ${mp.source}` }];
      if (!admitting.length) {
        const np = policies[0];
        const path: Path = np.object.spec?.ingress !== undefined ? ['spec', 'ingress'] : np.object.spec?.policyTypes !== undefined ? ['spec', 'policyTypes'] : ['spec', 'podSelector'];
        ctx.report({ messageId: 'blocked', resource: np, path, data: { policy: np.name, kind: w.kind, workload: w.name, port: mp.port, source: mp.source }, related });
        continue;
      }
      // Every admitting rule names only same-namespace pods, and none of them is among the scanned workloads.
      const sameNsOnly = admitting.every((r) => r.peers.length > 0 && r.peers.every((p) => p.podSelector && !p.namespaceSelector && !p.ipBlock));
      if (!sameNsOnly) continue;
      const matched = admitting.some((r) => r.peers.some((p) => g.someTemplateSelected(p.podSelector, w.namespace, 'selector', (x) => x.owner !== w) || g.operatorMayRun(p.podSelector, w.namespace, 'selector')));
      if (matched) continue;
      const first = admitting[0];
      const peers = [...new Set(admitting.flatMap((r) => r.peers.map((p) => JSON.stringify(p.podSelector?.matchLabels ?? p.podSelector ?? {}))))].join(', ');
      ctx.report({ messageId: 'sameNamespace', resource: first.policy, path: ['spec', 'ingress', first.index, 'from'], data: { policy: first.policy.name, port: mp.port, source: mp.source, namespace: w.namespace, peers }, related });
    }
  },
});
