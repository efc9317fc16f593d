import { defineRule } from '../src/rule.js';
import { isObj } from '../src/util/pod.js';

const WHAT: Record<string, string> = {
  admin: 'read and write every Secret, workload and RoleBinding of every namespace, and grant itself any of that through new RoleBindings',
  edit: 'read and write every Secret and workload of every namespace, and run commands in any pod (pods/exec), acting with any ServiceAccount there',
};

export default defineRule({
  id: 'admin-edit-binding',
  meta: {
    description: 'Forbid ClusterRoleBindings to the built-in admin and edit ClusterRoles',
    category: 'security',
    severity: 'warning',
    recommended: true,
    kinds: ['ClusterRoleBinding'],
    messages: {
      bound:
        'ClusterRoleBinding "{{name}}" grants the built-in ClusterRole "{{role}}" in every namespace to {{subjects}}: {{them}} can {{what}}, short of cluster-admin only in cluster-scoped objects',
    },
    docs: {
      rationale:
        'The built-in `admin` and `edit` ClusterRoles are meant to be granted per namespace, with a RoleBinding: there they let a team manage its own namespace. Bound with a ClusterRoleBinding they apply to every namespace, kube-system included: every Secret (ServiceAccount tokens of the control-plane add-ons among them) can be read, any pod can be exec\'d into, and with `admin` any RoleBinding created, which in practice is cluster-admin. RoleBindings to admin and edit, the intended use, are not reported; bindings to cluster-admin are cluster-admin-binding\'s.',
      remediation: 'Replace the ClusterRoleBinding by a RoleBinding in each namespace the subject must manage, or bind a ClusterRole that lists only the permissions needed (`view` for read-only access without Secrets).',
      references: ['https://kubernetes.io/docs/reference/access-authn-authz/rbac/#user-facing-roles'],
    },
  },
  check(r, ctx) {
    const ref = r.object.roleRef;
    if (!isObj(ref) || ref.kind !== 'ClusterRole' || (ref.name !== 'admin' && ref.name !== 'edit')) return;
    const subjects = Array.isArray(r.object.subjects) ? r.object.subjects.filter(isObj) : [];
    const names = subjects.map((s) => `${s.kind ?? '?'} ${s.namespace ? `${s.namespace}/` : ''}${s.name ?? '?'}`);
    ctx.report({ messageId: 'bound', path: ['roleRef', 'name'], data: { name: r.name, role: ref.name, subjects: names.length ? names.join(', ') : 'no subjects yet', them: names.length === 1 ? 'it' : 'they', what: WHAT[ref.name] } });
  },
});
