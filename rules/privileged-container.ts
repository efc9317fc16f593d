import { defineRule } from '../src/rule.js';
import { containersOf, effective, own } from '../src/util/pod.js';

export default defineRule({
  id: 'privileged-container',
  meta: {
    description: 'Forbid privileged containers and Windows HostProcess containers',
    category: 'security',
    severity: 'error',
    recommended: true,
    kinds: ['Workload', 'CustomResourcePods'],
    messages: {
      privileged:
        'Container "{{container}}" runs privileged: it gets every capability and all host devices, so anyone who compromises it owns the node',
      hostProcess:
        'Container "{{container}}" runs as a Windows HostProcess container: it runs directly on the host with the host network and file system, so a compromise owns the node',
    },
    docs: {
      rationale:
        '`privileged: true` disables nearly every isolation mechanism: the container sees all host devices, holds all capabilities and can load kernel modules or mount the host file system. A Windows `hostProcess` container is the same on Windows nodes. Pod Security Standards forbid both from the baseline level up. Only node agents (CNI, CSI drivers) have a reason for it, and they should carry a suppression that says so.',
      remediation:
        'Remove `privileged: true` (and `windowsOptions.hostProcess: true`); grant the one capability the process needs under `securityContext.capabilities.add` instead, or suppress with a reason for a node agent.',
    },
    peers: [
      { tool: 'kube-linter', id: 'privileged-container' },
      { tool: 'polaris', id: 'runAsPrivileged' },
      { tool: 'polaris', id: 'hostProcess' },
      { tool: 'kube-score', id: 'container-security-context-privileged' },
      { tool: 'checkov', id: 'CKV_K8S_16' },
    ],
  },
  check(r, ctx) {
    for (const x of containersOf(r)) {
      const p = own(x, 'privileged');
      // Bidirectional mount propagation (a CSI node driver's mount point) is only allowed in a privileged
      // container: the API server rejects it otherwise, so there privileged is required, not a choice.
      const mounts = x.c.volumeMounts;
      const bidirectional = Array.isArray(mounts) && mounts.some((m) => m && typeof m === 'object' && (m as Record<string, unknown>).mountPropagation === 'Bidirectional');
      if (p?.value === true && !bidirectional) ctx.report({ messageId: 'privileged', path: p.path, data: { container: x.name } });
      const w = effective(x, 'windowsOptions');
      if (w && typeof w.value === 'object' && (w.value as Record<string, unknown>).hostProcess === true) {
        ctx.report({ messageId: 'hostProcess', path: [...w.path, 'hostProcess'], data: { container: x.name } });
      }
    }
  },
});
