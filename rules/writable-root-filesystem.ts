import { defineRule } from '../src/rule.js';
import { containersOf, own } from '../src/util/pod.js';

export default defineRule({
  id: 'writable-root-filesystem',
  meta: {
    description: 'Require containers to mount their root file system read-only',
    category: 'security',
    severity: 'warning',
    recommended: false,
    completeness: true,
    kinds: ['Workload', 'CustomResourcePods'],
    messages: {
      writable:
        'Container "{{container}}" does not set readOnlyRootFilesystem: true, so an attacker who gets code execution can drop tools and rewrite the application\'s files in place',
    },
    docs: {
      rationale:
        'A read-only root file system stops an intruder from downloading tools or changing binaries and configuration, and it makes clear where the application writes (emptyDir or volume mounts). Opt-in: many images write to /tmp or caches and need emptyDir mounts before the flag can be turned on.',
      remediation: 'Set `securityContext.readOnlyRootFilesystem: true` and mount an `emptyDir` wherever the process must write (for example /tmp).',
    },
    peers: [
      { tool: 'kube-linter', id: 'no-read-only-root-fs' },
      { tool: 'polaris', id: 'notReadOnlyRootFilesystem' },
      { tool: 'kube-score', id: 'container-security-context-readonlyrootfilesystem' },
      { tool: 'checkov', id: 'CKV_K8S_22' },
    ],
  },
  check(r, ctx) {
    for (const x of containersOf(r)) {
      const p = own(x, 'readOnlyRootFilesystem');
      if (p?.value === true) continue;
      ctx.report({ messageId: 'writable', path: p ? p.path : [...x.path, 'name'], data: { container: x.name } });
    }
  },
});
