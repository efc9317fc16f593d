import { defineRule } from '../src/rule.js';
import { isObj, strings } from '../src/util/pod.js';

const SUBRESOURCES = ['pods/exec', 'pods/attach'];
/** Both are WebSocket upgrades: older clients open them with GET, current ones with POST (create). */
const VERBS = new Set(['create', 'get', '*']);
/** Roles the platform ships (and bootstrap roles named system:… or gce:…). */
const BUILT_IN = new Set(['cluster-admin', 'admin', 'edit']);

export default defineRule({
  id: 'rbac-pod-exec',
  meta: {
    description: 'Flag Role and ClusterRole rules that allow exec or attach into pods',
    category: 'security',
    severity: 'warning',
    recommended: true,
    kinds: ['Role', 'ClusterRole'],
    messages: {
      exec: '{{kind}} "{{name}}" allows {{verbs}} on {{what}}{{scope}}: whoever is bound to it can run commands inside any pod it reaches and read that pod\'s mounted Secrets and service account token',
    },
    docs: {
      rationale:
        '`create` (and, for older clients, `get`) on pods/exec or pods/attach lets a subject open a shell in running containers. From there it reads every Secret mounted into them and acts with their service account, which is usually more than the subject was meant to have. Wildcards that cover these subresources count too. In the recommended profile (Polaris runs its exec checks by default, and on the precision corpus the rule reports one role, which does grant get on every resource): operators and web consoles (Argo CD\'s terminal, debugging tools) that need it deliberately can suppress the finding on their role; the built-in cluster-admin/admin/edit roles and system: roles are not flagged.',
      remediation: 'Remove pods/exec and pods/attach from the rule (use `kubectl debug` with ephemeral containers for break-glass access), or restrict the Role to the one namespace that needs it.',
    },
    peers: [
      { tool: 'polaris', id: 'clusterrolePodExecAttach' },
      { tool: 'polaris', id: 'rolePodExecAttach' },
      { tool: 'checkov', id: 'CKV2_K8S_2' },
    ],
  },
  check(r, ctx) {
    if (!Array.isArray(r.object.rules) || isObj(r.object.aggregationRule)) return;
    if (BUILT_IN.has(r.name) || /^(system|gce):/.test(r.name)) return;
    const scope = r.kind === 'ClusterRole' ? ' (in every namespace when bound with a ClusterRoleBinding)' : ` in namespace "${r.namespace}"`;
    r.object.rules.forEach((rule: unknown, i: number) => {
      if (!isObj(rule)) return;
      const groups = strings(rule.apiGroups);
      if (!groups.includes('') && !groups.includes('*')) return;
      const resources = strings(rule.resources);
      const hit = resources.findIndex((x) => x === '*' || x === 'pods/*' || SUBRESOURCES.includes(x));
      if (hit < 0) return;
      const verbs = strings(rule.verbs).filter((v) => VERBS.has(v));
      if (!verbs.length) return;
      const what = resources.filter((x) => x === '*' || x === 'pods/*' || SUBRESOURCES.includes(x)).map((x) => (x === '*' ? 'every resource (including pods/exec and pods/attach)' : x)).join(', ');
      ctx.report({ messageId: 'exec', path: ['rules', i, 'resources', hit], data: { kind: r.kind, name: r.name, verbs: verbs.join('/'), what, scope } });
    });
  },
});
