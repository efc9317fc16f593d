import { defineRule } from '../src/rule.js';

export default defineRule({
  id: 'webhook-service-missing',
  meta: {
    description: 'Require the Service of a fail-closed admission webhook or an aggregated API to exist',
    category: 'reliability',
    severity: 'error',
    recommended: true,
    kinds: ['ValidatingWebhookConfiguration', 'MutatingWebhookConfiguration', 'APIService'],
    messages: {
      webhook:
        'Webhook "{{webhook}}" of {{kind}} "{{name}}" calls Service {{namespace}}/{{service}}, which is not {{searched}}, with failurePolicy Fail: while nothing answers, the API server rejects every request the webhook matches ({{scope}})',
      apiService:
        'APIService "{{name}}" is served by Service {{namespace}}/{{service}}, which is not {{searched}}: the API stays unavailable, `kubectl api-resources` and discovery report errors, and deleting a namespace hangs on it',
    },
    docs: {
      rationale:
        'An admission webhook with `failurePolicy: Fail` (the default in admissionregistration.k8s.io/v1) that cannot be reached makes the API server refuse every request it matches: a missing Service for a webhook on pods stops every rollout in the cluster. An APIService without its Service leaves an aggregated API unavailable, which breaks discovery and blocks namespace deletion. The rule reports such a Service only when the scan covers its namespace (some object of the scan lives there) and no operator among the scanned custom resources creates it, so a webhook whose server is installed separately is not reported.',
      remediation:
        'Add the Service (and the Deployment behind it) to the same install, fix the Service name or namespace in `clientConfig.service`, or set `failurePolicy: Ignore` for a webhook that may be down.',
    },
  },
  check(r, ctx) {
    const g = ctx.graph;
    const missing = (name: string, namespace: string) =>
      g.namespaces.has(namespace) && !g.get('Service', name, namespace) && !g.created('Service', name, namespace) && !ctx.settings.isExternal('Service', name, namespace);
    if (r.kind === 'APIService') {
      const s = r.object.spec?.service;
      if (!s || typeof s.name !== 'string') return; // served locally (no service)
      const ns = typeof s.namespace === 'string' ? s.namespace : 'default';
      if (missing(s.name, ns)) ctx.report({ messageId: 'apiService', path: ['spec', 'service', 'name'], data: { name: r.name, service: s.name, namespace: ns } });
      return;
    }
    const v1 = r.apiVersion === 'admissionregistration.k8s.io/v1';
    const hooks = Array.isArray(r.object.webhooks) ? r.object.webhooks : [];
    hooks.forEach((w: Record<string, unknown>, i: number) => {
      const s = (w?.clientConfig as Record<string, unknown> | undefined)?.service as Record<string, unknown> | undefined;
      if (!s || typeof s.name !== 'string') return;
      const policy = typeof w.failurePolicy === 'string' ? w.failurePolicy : v1 ? 'Fail' : 'Ignore';
      if (policy !== 'Fail') return;
      const ns = typeof s.namespace === 'string' ? s.namespace : 'default';
      if (!missing(s.name, ns)) return;
      const rules = Array.isArray(w.rules) ? (w.rules as Record<string, unknown>[]) : [];
      const resources = [...new Set(rules.flatMap((x) => (Array.isArray(x?.resources) ? x.resources.map(String) : [])))];
      const scope = resources.length ? `resources: ${resources.slice(0, 5).join(', ')}${resources.length > 5 ? ', ...' : ''}` : 'the resources its rules name';
      ctx.report({ messageId: 'webhook', path: ['webhooks', i, 'clientConfig', 'service', 'name'], data: { webhook: String(w.name ?? i), kind: r.kind, name: r.name, service: s.name, namespace: ns, scope } });
    });
  },
});
