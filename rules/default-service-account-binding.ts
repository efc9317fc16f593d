import { defineRule } from '../src/rule.js';
import { isObj } from '../src/util/pod.js';

export default defineRule({
  id: 'default-service-account-binding',
  meta: {
    description: 'Forbid RoleBindings and ClusterRoleBindings that grant a role to a default ServiceAccount',
    category: 'security',
    severity: 'warning',
    recommended: true,
    kinds: ['RoleBinding', 'ClusterRoleBinding'],
    messages: {
      bound:
        '{{kind}} "{{name}}" grants {{roleKind}} "{{role}}" to the default ServiceAccount of namespace "{{namespace}}": every pod there that names no ServiceAccount runs with these permissions, including pods added later for other purposes',
    },
    docs: {
      rationale:
        'Every namespace has a ServiceAccount named `default`, used by each pod that does not name another. Permissions bound to it are shared by every such pod, present and future: a sidecar, a debug pod or an unrelated chart installed in the same namespace gets them without asking. Grant roles to a ServiceAccount created for the workload that needs them.',
      remediation: 'Create a ServiceAccount for the workload, set `serviceAccountName` on its pod template, and bind the role to that account instead of `default`.',
    },
    peers: [{ tool: 'checkov', id: 'CKV_K8S_42' }],
  },
  check(r, ctx) {
    const subjects = r.object.subjects;
    const ref = r.object.roleRef;
    if (!Array.isArray(subjects) || !isObj(ref)) return;
    subjects.forEach((s: unknown, i: number) => {
      if (!isObj(s) || s.kind !== 'ServiceAccount' || s.name !== 'default') return;
      // A RoleBinding's ServiceAccount subject without a namespace is the binding's own namespace.
      const ns = typeof s.namespace === 'string' && s.namespace ? s.namespace : r.namespace;
      ctx.report({ messageId: 'bound', path: ['subjects', i, 'name'], data: { kind: r.kind, name: r.name, roleKind: String(ref.kind ?? 'role'), role: String(ref.name ?? '?'), namespace: ns } });
    });
  },
});
