import { defineRule } from '../src/rule.js';
import { containersOf, isObj } from '../src/util/pod.js';

export default defineRule({
  id: 'host-port',
  meta: {
    description: 'Forbid container ports bound to a port on the node',
    category: 'security',
    severity: 'warning',
    recommended: true,
    kinds: ['Workload', 'CustomResourcePods'],
    messages: {
      hostPort:
        'Container "{{container}}" binds hostPort {{port}} on the node: the port is open on the node\'s address outside any Service or NetworkPolicy, and only one such pod fits per node, so extra replicas stay Pending',
    },
    docs: {
      rationale:
        'A hostPort exposes the container on the node\'s IP address. It bypasses Services and often NetworkPolicy, and because a node has each port once, the scheduler can place only one pod with it per node: a rollout or scale-up beyond the node count hangs with Pending pods. Pod Security Standards (baseline) forbid hostPorts.',
      remediation: 'Remove `hostPort` and expose the container through a Service (ClusterIP, NodePort or LoadBalancer) or an Ingress.',
    },
    peers: [
      { tool: 'polaris', id: 'hostPortSet' },
      { tool: 'checkov', id: 'CKV_K8S_26' },
    ],
  },
  check(r, ctx) {
    for (const x of containersOf(r)) {
      if (!Array.isArray(x.c.ports)) continue;
      x.c.ports.forEach((p: unknown, i: number) => {
        if (!isObj(p) || p.hostPort === undefined || p.hostPort === null || Number(p.hostPort) === 0) return;
        ctx.report({ messageId: 'hostPort', path: [...x.path, 'ports', i, 'hostPort'], data: { container: x.name, port: String(p.hostPort) } });
      });
    }
  },
});
