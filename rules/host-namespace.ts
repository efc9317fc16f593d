import { defineRule } from '../src/rule.js';
import { podPath, podsOf } from '../src/util/pod.js';

const WHY: Record<string, string> = {
  hostNetwork: 'it binds to the node\'s interfaces, bypasses NetworkPolicy and can reach every service listening on localhost of the node',
  hostPID: 'it sees every process on the node and, as root, can signal or ptrace them and read their environment',
  hostIPC: 'it shares the node\'s System V IPC and shared memory, so it can read or corrupt other processes\' shared memory',
};

export default defineRule({
  id: 'host-namespace',
  meta: {
    description: 'Forbid pods that share the node network, PID or IPC namespace',
    category: 'security',
    severity: 'warning',
    recommended: true,
    kinds: ['Workload', 'CustomResourcePods'],
    messages: {
      shared: 'Pod sets {{field}}: true: {{why}}',
    },
    docs: {
      rationale:
        'hostNetwork, hostPID and hostIPC remove the namespace boundary between the pod and the node. Pod Security Standards forbid all three from the baseline level up. Node agents (CNI plugins, node exporters, kube-proxy) need them and should carry a suppression with the reason; an application never does.',
      remediation: 'Remove `hostNetwork`, `hostPID` and `hostIPC` from the pod spec (expose the app through a Service instead of the node network).',
    },
    peers: [
      { tool: 'kube-linter', id: 'host-network' },
      { tool: 'kube-linter', id: 'host-pid' },
      { tool: 'kube-linter', id: 'host-ipc' },
      { tool: 'polaris', id: 'hostNetworkSet' },
      { tool: 'polaris', id: 'hostPIDSet' },
      { tool: 'polaris', id: 'hostIPCSet' },
      { tool: 'checkov', id: 'CKV_K8S_17' },
      { tool: 'checkov', id: 'CKV_K8S_18' },
      { tool: 'checkov', id: 'CKV_K8S_19' },
    ],
  },
  check(r, ctx) {
    for (const pod of podsOf(r)) {
      for (const field of ['hostNetwork', 'hostPID', 'hostIPC']) {
        if (pod.spec[field] === true) ctx.report({ messageId: 'shared', path: podPath(pod, field), data: { field, why: WHY[field] } });
      }
    }
  },
});
