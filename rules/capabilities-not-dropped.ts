import { defineRule } from '../src/rule.js';
import { containersOf, isObj, own, strings } from '../src/util/pod.js';

/** The capabilities container runtimes (containerd, CRI-O, Docker) grant by default. */
const RUNTIME_DEFAULTS = ['AUDIT_WRITE', 'CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'MKNOD', 'NET_BIND_SERVICE', 'NET_RAW', 'SETFCAP', 'SETGID', 'SETPCAP', 'SETUID', 'SYS_CHROOT'];

export default defineRule({
  id: 'capabilities-not-dropped',
  meta: {
    description: 'Require containers to drop all Linux capabilities and add back only what they need',
    category: 'security',
    severity: 'warning',
    recommended: false,
    completeness: true,
    kinds: ['Workload', 'CustomResourcePods'],
    messages: {
      notDropped:
        'Container "{{container}}" does not drop ALL capabilities, so it keeps the runtime defaults (NET_RAW, CHOWN, SETUID, DAC_OVERRIDE, ...) that let a compromised process spoof packets and change file ownership',
    },
    docs: {
      rationale:
        'Container runtimes grant a default set of about 14 capabilities, including NET_RAW (craft packets, ARP/DNS spoofing inside the node network) and SETUID/SETGID. Almost no application needs them. Pod Security Standards (restricted) require `drop: [ALL]`; dropping every runtime default capability by name is accepted as the same thing. Opt-in because many images still need a capability back that the team has to identify first.',
      remediation: 'Set `securityContext.capabilities.drop: [ALL]` on the container and add back only what it needs (for example `add: [NET_BIND_SERVICE]`).',
    },
    peers: [
      { tool: 'kube-linter', id: 'drop-net-raw-capability' },
      { tool: 'polaris', id: 'insecureCapabilities' },
      { tool: 'checkov', id: 'CKV_K8S_28' },
      { tool: 'checkov', id: 'CKV_K8S_37' },
    ],
  },
  check(r, ctx) {
    for (const x of containersOf(r)) {
      if (x.pod.spec.os?.name === 'windows') continue;
      const set = own(x, 'capabilities');
      const caps = set && isObj(set.value) ? set.value : undefined;
      const dropped = new Set(strings(caps?.drop).map((c) => c.toUpperCase().replace(/^CAP_/, '')));
      if (dropped.has('ALL') || RUNTIME_DEFAULTS.every((c) => dropped.has(c))) continue;
      ctx.report({ messageId: 'notDropped', path: caps ? set!.path : [...x.path, 'name'], data: { container: x.name } });
    }
  },
});
