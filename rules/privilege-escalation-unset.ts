import { defineRule } from '../src/rule.js';
import { containersOf, isObj, own, strings } from '../src/util/pod.js';

/**
 * Containers for which the API server refuses allowPrivilegeEscalation: false (privileged, or adding
 * CAP_SYS_ADMIN: escalation is then always allowed), and Windows pods, which cannot set it at all. Asking them to
 * set it would be asking for an object that does not apply.
 */
function cannotDisable(c: Record<string, unknown>, podSpec: Record<string, unknown>): boolean {
  if (isObj(podSpec.os) && podSpec.os.name === 'windows') return true;
  const sc = c.securityContext;
  if (!isObj(sc)) return false;
  if (sc.privileged === true) return true;
  const add = isObj(sc.capabilities) ? strings(sc.capabilities.add).map((x) => x.toUpperCase().replace(/^CAP_/, '')) : [];
  return add.includes('SYS_ADMIN');
}

export default defineRule({
  id: 'privilege-escalation-unset',
  meta: {
    description: 'Require containers to set allowPrivilegeEscalation: false (left unset, escalation is allowed)',
    category: 'security',
    severity: 'warning',
    recommended: false,
    completeness: true,
    kinds: ['Workload'],
    messages: {
      unset:
        'Container "{{container}}" does not set allowPrivilegeEscalation: false, and unset means allowed: a setuid binary or file capability in the image lets a process that got code execution gain privileges its parent did not have',
    },
    docs: {
      rationale:
        '`allowPrivilegeEscalation` decides whether the container\'s processes run with the `no_new_privs` flag. It defaults to allowed, so unless the field says `false`, a non-root process can become root through a setuid binary (su, sudo, ping on older images) or a file capability. Pod Security Standards (restricted) require `false`, and Polaris and Checkov flag the field left unset. The explicit `true` is reported by privilege-escalation; privileged containers and containers adding CAP_SYS_ADMIN (where the API server refuses `false`) and Windows pods are left out. Opt-in: most images never use setuid binaries, so on its own the unset field is hardening rather than a defect, and it is left out of almost every chart.',
      remediation: 'Set `securityContext.allowPrivilegeEscalation: false` on every container (it can only be set per container, not in the pod\'s securityContext).',
      references: ['https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted'],
    },
    peers: [
      { tool: 'polaris', id: 'privilegeEscalationAllowed' },
      { tool: 'checkov', id: 'CKV_K8S_20' },
    ],
  },
  check(r, ctx) {
    for (const x of containersOf(r)) {
      const p = own(x, 'allowPrivilegeEscalation');
      if (p) continue; // false passes; true is privilege-escalation's
      if (cannotDisable(x.c, x.pod.spec)) continue;
      const sc = x.c.securityContext;
      ctx.report({ messageId: 'unset', path: isObj(sc) ? [...x.path, 'securityContext'] : [...x.path, 'name'], data: { container: x.name } });
    }
  },
});
