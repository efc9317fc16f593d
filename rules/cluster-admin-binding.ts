import { defineRule } from '../src/rule.js';
import { isObj } from '../src/util/pod.js';

export default defineRule({
  id: 'cluster-admin-binding',
  meta: {
    description: 'Forbid bindings that grant the cluster-admin ClusterRole',
    category: 'security',
    severity: 'warning',
    recommended: true,
    kinds: ['ClusterRoleBinding', 'RoleBinding'],
    messages: {
      bound: '{{kind}} "{{name}}" grants cluster-admin{{scope}} to {{subjects}}: any compromise of {{them}} is a compromise of {{what}}',
    },
    docs: {
      rationale:
        'cluster-admin is unrestricted superuser access: every verb on every resource, Secrets included. Bound to a ServiceAccount it turns any vulnerability in the pods using that account into full control of the cluster. A RoleBinding limits it to one namespace, which is still every Secret and workload there.',
      remediation: 'Bind a ClusterRole or Role that lists only the permissions the subject needs; keep cluster-admin for break-glass human access.',
      examples: {
        invalid: 'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata:\n  name: ci\nroleRef:\n  apiGroup: rbac.authorization.k8s.io\n  kind: ClusterRole\n  name: cluster-admin\nsubjects:\n- kind: ServiceAccount\n  name: ci\n  namespace: ci\n',
        valid: 'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata:\n  name: ci\nroleRef:\n  apiGroup: rbac.authorization.k8s.io\n  kind: ClusterRole\n  name: ci-deployer\nsubjects:\n- kind: ServiceAccount\n  name: ci\n  namespace: ci\n',
      },
    },
    peers: [
      { tool: 'kube-linter', id: 'cluster-admin-role-binding' },
      { tool: 'polaris', id: 'clusterrolebindingClusterAdmin' },
      { tool: 'polaris', id: 'rolebindingClusterAdminClusterRole' },
    ],
  },
  check(r, ctx) {
    const ref = r.object.roleRef;
    if (!isObj(ref) || ref.kind !== 'ClusterRole' || ref.name !== 'cluster-admin') return;
    const subjects = Array.isArray(r.object.subjects) ? r.object.subjects.filter(isObj) : [];
    // The built-in binding of the system:masters group is how Kubernetes bootstraps itself.
    if (subjects.length && subjects.every((s) => s.kind === 'Group' && s.name === 'system:masters')) return;
    const names = subjects.map((s) => `${s.kind ?? '?'} ${s.namespace ? `${s.namespace}/` : ''}${s.name ?? '?'}`);
    ctx.report({
      messageId: 'bound',
      path: ['roleRef', 'name'],
      data: {
        kind: r.kind,
        name: r.name,
        scope: r.kind === 'RoleBinding' ? ` in namespace "${r.namespace}"` : '',
        subjects: names.length ? names.join(', ') : 'no subjects yet',
        them: names.length === 1 ? 'it' : 'them',
        what: r.kind === 'RoleBinding' ? 'the namespace' : 'the whole cluster',
      },
    });
  },
});
