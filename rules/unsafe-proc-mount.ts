import { defineRule } from '../src/rule.js';
import { containersOf, own } from '../src/util/pod.js';

export default defineRule({
  id: 'unsafe-proc-mount',
  meta: {
    description: 'Forbid containers that unmask /proc',
    category: 'security',
    severity: 'error',
    recommended: true,
    kinds: ['Workload', 'CustomResourcePods'],
    messages: {
      unmasked:
        'Container "{{container}}" sets procMount: {{value}}, which removes the runtime\'s masks on /proc and exposes kernel interfaces (/proc/sys, /proc/sysrq-trigger, /proc/kcore) that a compromised process can use against the node',
    },
    docs: {
      rationale:
        'Container runtimes mask and mount read-only the dangerous parts of /proc. `procMount: Unmasked` turns that off; it exists for nested container runtimes inside user namespaces and is forbidden by Pod Security Standards (baseline) everywhere else.',
      remediation: 'Remove `securityContext.procMount` or set it to `Default`.',
    },
    peers: [
      { tool: 'kube-linter', id: 'unsafe-proc-mount' },
      { tool: 'polaris', id: 'procMount' },
    ],
  },
  check(r, ctx) {
    for (const x of containersOf(r)) {
      const p = own(x, 'procMount');
      if (p && p.value !== 'Default') ctx.report({ messageId: 'unmasked', path: p.path, data: { container: x.name, value: String(p.value) } });
    }
  },
});
