import { defineRule } from '../src/rule.js';
import { RESOURCE_KINDS, hasResource, isObj, longRunningContainers } from '../src/util/pod.js';

export default defineRule({
  id: 'missing-ephemeral-storage',
  meta: {
    description: 'Ask containers to request and limit ephemeral-storage',
    category: 'resources',
    severity: 'info',
    recommended: false,
    completeness: true,
    kinds: RESOURCE_KINDS,
    messages: {
      missing:
        'Container "{{container}}" sets no ephemeral-storage {{what}}: logs, emptyDir volumes and files written to its root file system count against the node\'s disk, which it can fill until the kubelet evicts pods of every workload on the node',
    },
    docs: {
      rationale:
        'Container logs, writable layers and emptyDir volumes share the node\'s disk. A container that writes without a limit can fill it; the kubelet then reports DiskPressure and evicts pods at random, and the scheduler, which knows nothing of the container\'s needs without a request, keeps placing pods there. With a request the scheduler reserves the space; with a limit only the offender is evicted. Opt-in and informational: most clusters have large root disks and few workloads write much locally.',
      remediation: 'Set `resources.requests.ephemeral-storage` and `resources.limits.ephemeral-storage` (for example 100Mi and 1Gi) from what the container writes.',
      references: ['https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/#local-ephemeral-storage'],
    },
    peers: [{ tool: 'kube-score', id: 'container-ephemeral-storage-request-and-limit' }],
  },
  check(r, ctx) {
    for (const x of longRunningContainers(r)) {
      const res = x.c.resources;
      const missing = (['requests', 'limits'] as const).filter((k) => !hasResource(res, k, 'ephemeral-storage'));
      // A limit alone gives the request too (requests default to limits).
      if (!missing.length || (missing.length === 1 && missing[0] === 'requests')) continue;
      const path = isObj(res) ? [...x.path, 'resources'] : [...x.path, 'name'];
      ctx.report({ messageId: 'missing', path, data: { container: x.name, what: missing.length === 2 ? 'request or limit' : 'limit' } });
    }
  },
});
