import { defineRule } from '../src/rule.js';
import { containersOf, isObj, own, strings } from '../src/util/pod.js';

/** Capabilities that amount to (or come close to) root on the node. */
const DANGEROUS = new Set(['ALL', 'SYS_ADMIN', 'NET_ADMIN', 'SYS_PTRACE', 'SYS_MODULE', 'SYS_RAWIO', 'SYS_BOOT', 'DAC_READ_SEARCH', 'BPF', 'PERFMON', 'MAC_ADMIN', 'MAC_OVERRIDE']);

export default defineRule({
  id: 'dangerous-capability',
  meta: {
    description: 'Forbid adding Linux capabilities that grant control over the node',
    category: 'security',
    severity: 'warning',
    recommended: true,
    kinds: ['Workload', 'CustomResourcePods'],
    messages: {
      dangerous:
        'Container "{{container}}" adds the {{cap}} capability, which gives a compromised process near-root power over the node ({{why}})',
    },
    docs: {
      rationale:
        'Capabilities split root into pieces, but some pieces are root in all but name: SYS_ADMIN (mount, namespaces, most of what privileged does), NET_ADMIN (rewrite the node\'s routing and firewall), SYS_PTRACE (read other processes\' memory), SYS_MODULE (load kernel modules), BPF/PERFMON, DAC_READ_SEARCH (read any file by handle), and ALL. Adding one of them turns a bug in the application into a node compromise. NET_BIND_SERVICE and the other routine capabilities are not flagged.',
      remediation:
        'Remove the capability from `securityContext.capabilities.add`; if the workload is a node agent that truly needs it, suppress the finding with the reason.',
    },
    peers: [
      { tool: 'polaris', id: 'dangerousCapabilities' },
      { tool: 'checkov', id: 'CKV_K8S_39' },
      { tool: 'checkov', id: 'CKV_K8S_25' },
    ],
  },
  check(r, ctx) {
    const why: Record<string, string> = {
      ALL: 'every capability, as good as privileged',
      SYS_ADMIN: 'mount file systems, create namespaces, most of what privileged allows',
      NET_ADMIN: 'reconfigure interfaces, routes and firewall rules',
      SYS_PTRACE: 'trace and read the memory of other processes',
      SYS_MODULE: 'load kernel modules',
      SYS_RAWIO: 'raw access to devices and I/O ports',
      SYS_BOOT: 'reboot the node',
      DAC_READ_SEARCH: 'read any file, bypassing permissions',
      BPF: 'load eBPF programs into the kernel',
      PERFMON: 'observe the whole system through perf and eBPF',
      MAC_ADMIN: 'change the mandatory access control policy',
      MAC_OVERRIDE: 'bypass the mandatory access control policy',
    };
    for (const x of containersOf(r)) {
      const own_ = own(x, 'capabilities');
      const caps = own_ && isObj(own_.value) ? own_.value : undefined;
      if (!caps) continue;
      strings(caps.add).forEach((c, i) => {
        const cap = c.toUpperCase().replace(/^CAP_/, '');
        if (DANGEROUS.has(cap)) ctx.report({ messageId: 'dangerous', path: [...own_!.path, 'add', i], data: { container: x.name, cap, why: why[cap] } });
      });
    }
  },
});
