import { defineRule } from '../src/rule.js';
import { apiEntry, reached } from '../src/schema/lifecycle.js';

export default defineRule({
  id: 'removed-api',
  meta: {
    description: 'Forbid apiVersions that the target Kubernetes version no longer serves',
    category: 'lifecycle',
    severity: 'error',
    recommended: true,
    kinds: ['*'],
    messages: {
      removed: '{{apiVersion}} {{kind}} was removed in Kubernetes {{removedIn}} (target {{target}}): the API server answers "no matches for kind" and nothing is applied; use {{replacement}}',
    },
    docs: {
      rationale:
        'Beta API versions are served for a few releases after their replacement ships and are then removed. A manifest that still uses one applies fine on the old cluster and fails on the upgraded one, often in the middle of an upgrade. The list of removals, with the release each one happened in, is kept in src/schema/data/api-lifecycle.json with a citation per entry; the target version comes from `--kube-version` or `kubeVersion` in the configuration.',
      remediation: 'Move the object to the replacement apiVersion named in the message and adapt the fields that changed (see the Kubernetes Deprecated API Migration Guide), or set `kubeVersion` to the version the manifests really target.',
      references: ['https://kubernetes.io/docs/reference/using-api/deprecation-guide/'],
    },
    peers: [{ tool: 'pluto', id: 'removed' }, { tool: 'kube-score', id: 'stable-version' }],
  },
  check(r, ctx) {
    const e = apiEntry(r.apiVersion, r.kind);
    if (!e || !reached(ctx.settings.kubeVersion, e.removedIn)) return;
    ctx.report({ messageId: 'removed', data: { apiVersion: r.apiVersion, kind: r.kind, removedIn: e.removedIn!, target: ctx.settings.kubeVersion, replacement: e.note ? `${e.replacement} (${e.note})` : e.replacement }, path: ['apiVersion'] });
  },
});
