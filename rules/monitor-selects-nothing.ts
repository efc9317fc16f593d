import { defineRule } from '../src/rule.js';
import { matchesSelector } from '../src/graph/selectors.js';

export default defineRule({
  id: 'monitor-selects-nothing',
  meta: {
    description: 'Require a ServiceMonitor or PodMonitor selector to match Services or pods in the scanned files',
    category: 'observability',
    severity: 'warning',
    recommended: true,
    kinds: ['ServiceMonitor', 'PodMonitor'],
    messages: {
      serviceMonitor:
        'ServiceMonitor "{{name}}" selects Services labelled {{selector}} in {{namespaces}}, but no Service {{searched}} there carries those labels; Prometheus discovers no targets and the workload is not monitored',
      podMonitor:
        'PodMonitor "{{name}}" selects pods labelled {{selector}} in {{namespaces}}, but no pod template {{searched}} there carries those labels; Prometheus discovers no targets and the workload is not monitored',
    },
    docs: {
      rationale:
        'A ServiceMonitor selects *Services* by their own metadata labels (not their selector), a PodMonitor selects pods by pod labels, each in its own namespace unless `namespaceSelector` says otherwise. A selector that matches nothing produces no targets and no error: dashboards are empty and alerts never fire. Frequent causes are labels that exist on the pods but not on the Service, and a monitor created in the monitoring namespace without `namespaceSelector.matchNames`. The rule stays silent when the scanned files hold no Service (or no workload) in the namespaces the monitor looks at, for kube-system (cluster components), and for the API server\'s own default/kubernetes Service.',
      remediation: 'Put the selector\'s labels on the Service\'s `metadata.labels` (ServiceMonitor) or the pod template (PodMonitor), and set `namespaceSelector.matchNames` when the monitor lives in another namespace than its targets.',
    },
  },
  check(m, ctx) {
    const g = ctx.graph;
    const namespaces = g.monitorNamespaces(m);
    const sel = m.object.spec?.selector ?? {};
    const ml = sel.matchLabels && typeof sel.matchLabels === 'object' ? Object.entries(sel.matchLabels).map(([k, v]) => `${k}=${v}`) : [];
    const me = Array.isArray(sel.matchExpressions) ? sel.matchExpressions.map((e: { key?: string; operator?: string }) => `${e?.key} ${e?.operator}`) : [];
    const data = { name: m.name, selector: [...ml, ...me].join(', ') || '{}', namespaces: namespaces.length === 1 ? `namespace "${namespaces[0]}"` : `namespaces ${namespaces.join(', ')}` };
    if (m.kind === 'ServiceMonitor') {
      // kube-system Services (kube-dns, the kubelet Service the Prometheus Operator maintains) belong to the cluster.
      if (!namespaces.some((ns) => ns !== 'kube-system' && g.countIn('Service', ns) > 0)) return;
      // A selected namespace the scan holds nothing of (istio-system for a mesh's monitors): its Services are
      // installed elsewhere, so "selects nothing" cannot be known.
      if (namespaces.some((ns) => ns !== 'kube-system' && !g.namespaces.has(ns))) return;
      if (g.servicesSelectedBy(m).length) return;
      // The API server's own Service, default/kubernetes, exists in every cluster.
      if (namespaces.includes('default') && matchesSelector(sel, { component: 'apiserver', provider: 'kubernetes' })) return;
      // No scanned Service there carries any label key the selector names: the targets are another install's
      // (a mesh's control plane, a cluster add-on), not a typo in these files.
      const keys = [...Object.keys(sel.matchLabels ?? {}), ...(Array.isArray(sel.matchExpressions) ? sel.matchExpressions.map((e: { key?: string }) => String(e?.key)) : [])];
      const keyed = namespaces.some((ns) => g.ofKind('Service', ns).some((s) => keys.some((k) => k in s.labels)));
      ctx.report({ messageId: 'serviceMonitor', path: ['spec', 'selector'], data, uncertain: keyed || !keys.length ? undefined : 'but no scanned Service in those namespaces has any of these label keys, so the Services it watches are probably installed by other means; this is not certain' });
    } else {
      if (!namespaces.some((ns) => g.deploysWorkloadsIn(ns))) return;
      if ((g.selectedTemplates(m) ?? []).length) return;
      if (namespaces.some((ns) => g.operatorMayRun(sel, ns, 'selector'))) return;
      const uncertain = namespaces.map((ns) => g.selectorUncertainty(sel, ns, 'selector')).find(Boolean);
      ctx.report({ messageId: 'podMonitor', path: ['spec', 'selector'], data, uncertain });
    }
  },
});
