import { defineRule } from '../src/rule.js';
import { customApiEntry } from '../src/schema/lifecycle.js';

export default defineRule({
  id: 'custom-api-version',
  meta: {
    description: 'Report custom-resource API versions that their project no longer serves or has replaced',
    category: 'lifecycle',
    severity: 'warning',
    recommended: true,
    kinds: ['*'],
    messages: {
      unserved: '{{apiVersion}} {{kind}} is no longer served by {{project}} since release {{since}}: on a current {{project}} the apply fails with "no matches for kind {{kind}} in version {{apiVersion}}"; use {{replacement}}',
      superseded: '{{apiVersion}} {{kind}} is superseded by {{replacement}} since {{project}} {{since}}, which {{project}} recommends instead',
    },
    docs: {
      rationale:
        'Operators version their custom resources like Kubernetes versions its own APIs, and drop old versions on their own schedule: External Secrets Operator 0.17 stopped serving `external-secrets.io/v1beta1`, cert-manager 1.7 removed every alpha and beta version. Guides and charts keep the version they were written with, and the apply fails after an operator upgrade, or on a fresh cluster that installs the current release. Versions that are replaced but still served (Istio\'s `v1alpha3` and `v1beta1` since 1.22, Gateway API\'s `v1beta1`) are reported at info. Data and citations: the customApis section of src/schema/data/api-lifecycle.json.',
      remediation: 'Change apiVersion to the replacement named in the message; the fields of these versions carry over unchanged unless the project\'s release notes say otherwise.',
      references: ['https://github.com/external-secrets/external-secrets/releases/tag/v0.17.0', 'https://cert-manager.io/docs/installation/api-compatibility/', 'https://istio.io/latest/blog/2024/v1-apis/'],
    },
    peers: [{ tool: 'pluto', id: 'deprecated' }],
  },
  check(r, ctx) {
    const e = customApiEntry(r.apiVersion, r.kind);
    if (!e) return;
    const data = { apiVersion: r.apiVersion, kind: r.kind, project: e.project, since: e.since, replacement: e.replacement };
    if (e.status === 'unserved') ctx.report({ messageId: 'unserved', data, path: ['apiVersion'] });
    else ctx.report({ messageId: 'superseded', data, path: ['apiVersion'], uncertain: `${e.note ?? 'the old version is still served'}, so nothing fails today` });
  },
});
