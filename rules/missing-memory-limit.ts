import { defineRule } from '../src/rule.js';
import { RESOURCE_KINDS, containersMissingLimit } from '../src/util/pod.js';

export default defineRule({
  id: 'missing-memory-limit',
  meta: {
    description: 'Require a memory limit on every container',
    category: 'resources',
    severity: 'warning',
    recommended: true,
    completeness: true,
    kinds: [...RESOURCE_KINDS, 'CustomResourcePods'],
    messages: {
      missing:
        'Container "{{container}}" has no memory limit: a leak or a traffic spike lets it grow until the node runs out of memory, and the kernel then kills processes of other pods on that node',
    },
    docs: {
      rationale:
        'Memory is not compressible. Without a limit a leaking container keeps growing until the node is under memory pressure; the kubelet then evicts pods and the kernel OOM killer may pick processes of unrelated pods. With a limit only the offending container is OOM-killed and restarted. (CPU limits are a different matter: they throttle rather than protect, see missing-cpu-limit.) Jobs and CronJobs are checked too: a batch pod holds its request for as long as it runs and without a memory limit it OOMs its neighbours like any other. Init containers, which run one at a time before the others, are not checked.',
      remediation: 'Set `resources.limits.memory`, usually equal to or a little above the memory request.',
    },
    peers: [
      { tool: 'kube-linter', id: 'unset-memory-requirements' },
      { tool: 'polaris', id: 'memoryLimitsMissing' },
      { tool: 'kube-score', id: 'container-resources' },
      { tool: 'checkov', id: 'CKV_K8S_13' },
    ],
  },
  check(r, ctx) {
    for (const { container, path } of containersMissingLimit(r, 'memory')) ctx.report({ messageId: 'missing', path, data: { container: container.name } });
  },
});
