import { defineRule } from '../src/rule.js';
import { isObj, strings } from '../src/util/pod.js';
import type { Resource } from '../src/graph/resource.js';

const ALL_VERBS = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'];

/** A role whose rules grant every verb on every resource of every API group: cluster-admin in all but name. */
function adminEquivalent(role: Resource | undefined): boolean {
  if (!role || !Array.isArray(role.object.rules)) return false;
  return role.object.rules.some((rule: unknown) => {
    if (!isObj(rule)) return false;
    const verbs = strings(rule.verbs);
    return strings(rule.apiGroups).includes('*') && strings(rule.resources).includes('*') && (verbs.includes('*') || ALL_VERBS.every((v) => verbs.includes(v)));
  });
}

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
      equivalent:
        '{{kind}} "{{name}}" grants {{roleKind}} "{{role}}", which allows every verb on every resource of every API group (cluster-admin in all but name){{scope}}, to {{subjects}}: any compromise of {{them}} is a compromise of {{what}}',
    },
    docs: {
      rationale:
        'cluster-admin is unrestricted superuser access: every verb on every resource, Secrets included. Bound to a ServiceAccount it turns any vulnerability in the pods using that account into full control of the cluster. A RoleBinding limits it to one namespace, which is still every Secret and workload there. A role of the scanned files whose rules grant all verbs on `*` resources in `*` API groups counts as cluster-admin too. Bindings the platform manages (named `system:…` or `gce:…`, and the system:masters binding) are not flagged.',
      remediation: 'Bind a ClusterRole or Role that lists only the permissions the subject needs; keep cluster-admin for break-glass human access.',
    },
    peers: [
      { tool: 'kube-linter', id: 'cluster-admin-role-binding' },
      { tool: 'polaris', id: 'clusterrolebindingClusterAdmin' },
      { tool: 'polaris', id: 'rolebindingClusterAdminClusterRole' },
      { tool: 'polaris', id: 'rolebindingClusterAdminRole' },
    ],
  },
  check(r, ctx) {
    const ref = r.object.roleRef;
    if (!isObj(ref) || typeof ref.name !== 'string') return;
    if (/^(system|gce):/.test(r.name)) return;
    const byName = ref.kind === 'ClusterRole' && ref.name === 'cluster-admin';
    const role = ref.kind === 'ClusterRole' ? ctx.graph.get('ClusterRole', ref.name) : ref.kind === 'Role' ? ctx.graph.get('Role', ref.name, r.namespace) : undefined;
    if (!byName && !adminEquivalent(role)) return;
    const subjects = Array.isArray(r.object.subjects) ? r.object.subjects.filter(isObj) : [];
    // The built-in binding of the system:masters group is how Kubernetes bootstraps itself.
    if (subjects.length && subjects.every((s) => s.kind === 'Group' && s.name === 'system:masters')) return;
    const names = subjects.map((s) => `${s.kind ?? '?'} ${s.namespace ? `${s.namespace}/` : ''}${s.name ?? '?'}`);
    ctx.report({
      messageId: byName ? 'bound' : 'equivalent',
      path: ['roleRef', 'name'],
      related: role && !byName ? [{ resource: role, path: ['rules'], message: `rules of ${role.kind} ${role.name}` }] : undefined,
      data: {
        roleKind: String(ref.kind),
        role: ref.name,
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
