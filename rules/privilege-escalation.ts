import { defineRule } from '../src/rule.js';
import { containersOf, own } from '../src/util/pod.js';

export default defineRule({
  id: 'privilege-escalation',
  meta: {
    description: 'Forbid containers that explicitly allow privilege escalation',
    category: 'security',
    severity: 'warning',
    recommended: true,
    kinds: ['Workload', 'CustomResourcePods'],
    messages: {
      allowed:
        'Container "{{container}}" sets allowPrivilegeEscalation: true, so a process in it can gain more privileges than its parent (setuid binaries, file capabilities) and turn a foothold into root',
    },
    docs: {
      rationale:
        '`allowPrivilegeEscalation` controls the `no_new_privs` flag: when true, a setuid binary or file capability inside the image lets an attacker who got code execution become root in the container, the first step of most container escapes. Pod Security Standards (restricted) require it to be false. This rule flags the explicit `true`; the field left unset, which allows escalation too, is reported by the opt-in privilege-escalation-unset.',
      remediation: 'Set `securityContext.allowPrivilegeEscalation: false` on the container.',
    },
    peers: [
      { tool: 'kube-linter', id: 'privilege-escalation-container' },
      { tool: 'polaris', id: 'privilegeEscalationAllowed' },
      { tool: 'checkov', id: 'CKV_K8S_20' },
    ],
  },
  check(r, ctx) {
    for (const x of containersOf(r)) {
      const p = own(x, 'allowPrivilegeEscalation');
      if (p?.value === true) ctx.report({ messageId: 'allowed', path: p.path, data: { container: x.name } });
    }
  },
});
