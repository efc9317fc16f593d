import { defineRule } from '../src/rule.js';
import { isObj, strings } from '../src/util/pod.js';

const READ = new Set(['get', 'list', 'watch', '*']);

export default defineRule({
  id: 'rbac-secret-read',
  meta: {
    description: 'Flag Role and ClusterRole rules that let a subject read Secrets',
    category: 'security',
    severity: 'warning',
    recommended: false,
    kinds: ['Role', 'ClusterRole'],
    messages: {
      read: '{{kind}} "{{name}}" grants {{verbs}} on Secrets{{scope}}: whoever is bound to it can read every {{which}}credential, token and key{{names}}',
    },
    docs: {
      rationale:
        'Secrets hold credentials, TLS keys and service-account tokens. `list` and `watch` return their contents in bulk, and a ServiceAccount token that can read Secrets in kube-system can usually escalate to cluster-admin. Opt-in because controllers such as cert-manager, ingress controllers and operators legitimately need it: review each grant and narrow it with `resourceNames` where possible.',
      remediation: 'Drop the Secrets rule, restrict it to `get` on named Secrets with `resourceNames`, or move it to a Role in the one namespace that needs it.',
    },
    peers: [{ tool: 'kube-linter', id: 'access-to-secrets' }],
  },
  check(r, ctx) {
    if (!Array.isArray(r.object.rules)) return;
    const scope = r.kind === 'ClusterRole' ? ' (cluster-wide when bound with a ClusterRoleBinding)' : ` in namespace "${r.namespace}"`;
    r.object.rules.forEach((rule: unknown, i: number) => {
      if (!isObj(rule)) return;
      const groups = strings(rule.apiGroups);
      if (!groups.includes('') && !groups.includes('*')) return;
      const idx = strings(rule.resources).findIndex((x) => x === 'secrets');
      if (idx < 0) return;
      const verbs = strings(rule.verbs).filter((v) => READ.has(v));
      if (!verbs.length) return;
      const names = strings(rule.resourceNames);
      ctx.report({
        messageId: 'read',
        path: ['rules', i, 'resources', idx],
        data: { kind: r.kind, name: r.name, verbs: verbs.join('/'), scope, which: names.length ? 'named ' : '', names: names.length ? ` in ${names.join(', ')}` : '' },
      });
    });
  },
});
