import { defineRule } from '../src/rule.js';
import { podOf } from '../src/util/pod.js';

export default defineRule({
  id: 'default-service-account',
  meta: {
    description: 'Require workloads to run under their own ServiceAccount instead of the namespace default',
    category: 'security',
    severity: 'warning',
    recommended: false,
    completeness: true,
    kinds: ['Workload'],
    messages: {
      defaultSa:
        'The pod runs as the "default" ServiceAccount of namespace "{{namespace}}"{{how}}: every workload in the namespace shares its identity, so a permission granted for one is granted to all',
    },
    docs: {
      rationale:
        'Each namespace has a `default` ServiceAccount that every pod uses unless told otherwise. Permissions bound to it (by a chart, or by someone fixing one app in a hurry) silently apply to every pod in the namespace, and audit logs cannot tell the workloads apart. A dedicated ServiceAccount per workload keeps identities and RBAC separate. Opt-in: for pods that never call the API and do not mount a token, the default account is harmless.',
      remediation: 'Create a ServiceAccount for the workload and set `serviceAccountName` in the pod spec.',
    },
    peers: [
      { tool: 'kube-linter', id: 'default-service-account' },
    ],
  },
  check(r, ctx) {
    const pod = podOf(r);
    if (!pod) return;
    const sa = pod.spec.serviceAccountName ?? pod.spec.serviceAccount;
    if (typeof sa === 'string' && sa !== '' && sa !== 'default') return;
    const field = pod.spec.serviceAccountName !== undefined ? 'serviceAccountName' : pod.spec.serviceAccount !== undefined ? 'serviceAccount' : undefined;
    ctx.report({
      messageId: 'defaultSa',
      path: field ? [...pod.specPath, field] : pod.specPath,
      data: { namespace: r.namespace, how: field ? '' : ' (serviceAccountName is not set)' },
    });
  },
});
