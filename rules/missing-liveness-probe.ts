import { defineRule } from '../src/rule.js';
import { longRunningContainers, probesExpected } from '../src/util/pod.js';

export default defineRule({
  id: 'missing-liveness-probe',
  meta: {
    description: 'Require a liveness probe on long-running containers',
    category: 'reliability',
    severity: 'warning',
    recommended: false,
    completeness: true,
    kinds: ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'ReplicationController', 'Pod', 'CustomResourcePods'],
    messages: {
      missing: 'Container "{{container}}" has no livenessProbe, so a deadlocked or hung process keeps its pod running and never gets restarted',
    },
    docs: {
      rationale:
        'A liveness probe lets the kubelet restart a container that is stuck (deadlock, exhausted thread pool) but has not crashed. Opt-in: a badly chosen liveness probe (one that checks dependencies, or is too tight) causes restart storms, and a process that exits on fatal errors does not need one; many teams only add them where hangs have been seen. Jobs and CronJobs are not checked.',
      remediation: 'Add a `livenessProbe` that checks only the process itself (not its dependencies), with a generous `failureThreshold`.',
    },
    peers: [
      { tool: 'kube-linter', id: 'no-liveness-probe' },
      { tool: 'polaris', id: 'livenessProbeMissing' },
      { tool: 'checkov', id: 'CKV_K8S_8' },
    ],
  },
  check(r, ctx) {
    if (!probesExpected(r)) return;
    for (const x of longRunningContainers(r)) {
      if (x.c.livenessProbe || x.sidecar) continue;
      ctx.report({ messageId: 'missing', path: [...x.path, 'name'], data: { container: x.name } });
    }
  },
});
