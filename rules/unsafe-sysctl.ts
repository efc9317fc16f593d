import { defineRule } from '../src/rule.js';
import { isObj, podPath, podsOf } from '../src/util/pod.js';

/** The sysctls the kubelet allows by default (namespaced and isolated per pod), with the version they became safe. */
const SAFE: Record<string, string> = {
  'kernel.shm_rmid_forced': '1.0',
  'net.ipv4.ip_local_port_range': '1.0',
  'net.ipv4.tcp_syncookies': '1.0',
  'net.ipv4.ping_group_range': '1.18',
  'net.ipv4.ip_unprivileged_port_start': '1.22',
  'net.ipv4.ip_local_reserved_ports': '1.27',
  'net.ipv4.tcp_keepalive_time': '1.29',
  'net.ipv4.tcp_fin_timeout': '1.29',
  'net.ipv4.tcp_keepalive_intvl': '1.29',
  'net.ipv4.tcp_keepalive_probes': '1.29',
};

function atLeast(v: string, min: string): boolean {
  const [a, b] = v.split('.').map(Number);
  const [c, d] = min.split('.').map(Number);
  return a > c || (a === c && (b ?? 0) >= (d ?? 0));
}

export default defineRule({
  id: 'unsafe-sysctl',
  meta: {
    description: 'Forbid pod sysctls outside the safe set the kubelet allows by default',
    category: 'security',
    severity: 'error',
    recommended: true,
    kinds: ['Workload', 'CustomResourcePods'],
    messages: {
      unsafe:
        'Pod sets the sysctl {{sysctl}}, which is not in the safe set for Kubernetes {{version}}: the kubelet rejects the pod (SysctlForbidden) unless the node explicitly allows it, and where allowed it can change kernel behaviour for other pods on the node',
    },
    docs: {
      rationale:
        'Only a handful of namespaced sysctls are safe (isolated per pod). Anything else is rejected by a default kubelet, so the pod never starts; on nodes started with `--allowed-unsafe-sysctls` it can affect every other pod on the node. Pod Security Standards (baseline) allow only the safe set.',
      remediation: 'Remove the sysctl from `spec.securityContext.sysctls`, or run the workload on a dedicated node pool whose kubelets allow it (and suppress with that reason).',
    },
    peers: [{ tool: 'kube-linter', id: 'unsafe-sysctls' }],
  },
  check(r, ctx) {
    for (const pod of podsOf(r)) {
      const sc = pod.spec.securityContext;
      if (!isObj(sc) || !Array.isArray(sc.sysctls)) continue;
      sc.sysctls.forEach((s: unknown, i: number) => {
        if (!isObj(s) || typeof s.name !== 'string') return;
        const name = s.name.replace(/\//g, '.');
        const since = SAFE[name];
        if (since && atLeast(ctx.settings.kubeVersion, since)) return;
        ctx.report({ messageId: 'unsafe', path: [...podPath(pod, 'securityContext'), 'sysctls', i, 'name'], data: { sysctl: s.name, version: ctx.settings.kubeVersion } });
      });
    }
  },
});
