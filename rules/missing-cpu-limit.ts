import { defineRule } from '../src/rule.js';
import { RESOURCE_KINDS, containersMissingLimit } from '../src/util/pod.js';

export default defineRule({
  id: 'missing-cpu-limit',
  meta: {
    description: 'Require a CPU limit on every container',
    category: 'resources',
    severity: 'info',
    recommended: false,
    completeness: true,
    kinds: [...RESOURCE_KINDS, 'CustomResourcePods'],
    messages: {
      missing: 'Container "{{container}}" has no CPU limit, so a busy loop in it can take every idle CPU cycle on the node',
    },
    docs: {
      rationale:
        'Some teams cap CPU to keep noisy neighbours predictable or to get the Guaranteed QoS class. Many others deliberately leave CPU unlimited: CPU is compressible, requests already guarantee each container its share, and limits cause throttling and latency spikes. That is why this rule is opt-in and informational. Jobs and CronJobs are checked like long-running workloads; init containers are not.',
      remediation: 'Set `resources.limits.cpu` if your team caps CPU (for Guaranteed QoS, equal to the request).',
    },
    peers: [
      { tool: 'polaris', id: 'cpuLimitsMissing' },
      { tool: 'kube-score', id: 'container-resources' },
      { tool: 'checkov', id: 'CKV_K8S_11' },
    ],
  },
  check(r, ctx) {
    for (const { container, path } of containersMissingLimit(r, 'cpu')) ctx.report({ messageId: 'missing', path, data: { container: container.name } });
  },
});
