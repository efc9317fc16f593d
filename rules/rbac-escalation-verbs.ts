import { defineRule } from '../src/rule.js';
import { isObj, strings } from '../src/util/pod.js';

const WHY: Record<string, string> = {
  escalate: 'edit Roles to grant permissions the subject does not have',
  bind: 'bind any Role, including cluster-admin, to itself',
  impersonate: 'act as any user, group or ServiceAccount, including cluster admins',
};

export default defineRule({
  id: 'rbac-escalation-verbs',
  meta: {
    description: 'Forbid the escalate, bind and impersonate verbs in Role and ClusterRole rules',
    category: 'security',
    severity: 'warning',
    recommended: true,
    kinds: ['Role', 'ClusterRole'],
    messages: {
      verb: '{{kind}} "{{name}}" grants the "{{verb}}" verb on {{resources}}: the subject can {{why}}, a direct path to cluster-admin',
    },
    docs: {
      rationale:
        'RBAC prevents privilege escalation by refusing to let a subject create a Role with permissions it lacks, or bind one it does not hold. `escalate` and `bind` switch that protection off, and `impersonate` lets the subject act as anyone. Only RBAC managers need them; any other subject holding them can make itself cluster-admin.',
      remediation: 'Remove `escalate`, `bind` and `impersonate` from the rule; grant the concrete permissions the subject needs instead.',
    },
    peers: [
      { tool: 'checkov', id: 'CKV_K8S_157' },
      { tool: 'checkov', id: 'CKV_K8S_158' },
    ],
  },
  check(r, ctx) {
    if (!Array.isArray(r.object.rules)) return;
    r.object.rules.forEach((rule: unknown, i: number) => {
      if (!isObj(rule)) return;
      const resources = strings(rule.resources).join(', ') || 'no resources';
      strings(rule.verbs).forEach((v, j) => {
        const verb = v.toLowerCase();
        if (WHY[verb]) ctx.report({ messageId: 'verb', path: ['rules', i, 'verbs', j], data: { kind: r.kind, name: r.name, verb, resources, why: WHY[verb] } });
      });
    });
  },
});
