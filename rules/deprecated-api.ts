import { defineRule } from '../src/rule.js';
import { apiEntry, reached } from '../src/schema/lifecycle.js';

export default defineRule({
  id: 'deprecated-api',
  meta: {
    description: 'Warn about apiVersions that the target Kubernetes version still serves but has deprecated',
    category: 'lifecycle',
    severity: 'warning',
    recommended: true,
    kinds: ['*'],
    messages: {
      deprecated: '{{apiVersion}} {{kind}} is deprecated since Kubernetes {{deprecatedIn}}{{removal}}: the API server warns on every apply; use {{replacement}}',
    },
    docs: {
      rationale:
        'A deprecated API version still works but is scheduled for removal, and every apply prints a warning. Moving before the removal release turns a cluster upgrade into a non-event. Data and citations: src/schema/data/api-lifecycle.json; the target version comes from `--kube-version` or `kubeVersion`.',
      remediation: 'Move the object to the replacement apiVersion named in the message.',
      references: ['https://kubernetes.io/docs/reference/using-api/deprecation-guide/'],
    },
    peers: [{ tool: 'pluto', id: 'deprecated' }],
  },
  check(r, ctx) {
    const e = apiEntry(r.apiVersion, r.kind);
    const target = ctx.settings.kubeVersion;
    if (!e || !reached(target, e.deprecatedIn) || reached(target, e.removedIn)) return;
    const removal = e.removedIn ? ` and is removed in ${e.removedIn}` : '';
    ctx.report({ messageId: 'deprecated', data: { apiVersion: r.apiVersion, kind: r.kind, deprecatedIn: e.deprecatedIn, removal, replacement: e.replacement }, path: ['apiVersion'] });
  },
});
