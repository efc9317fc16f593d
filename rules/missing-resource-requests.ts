import { defineRule } from '../src/rule.js';
import { RESOURCE_KINDS, hasResource, isObj, longRunningContainers, resourcesExpected } from '../src/util/pod.js';

export default defineRule({
  id: 'missing-resource-requests',
  meta: {
    description: 'Require CPU and memory requests on every container',
    category: 'resources',
    severity: 'warning',
    recommended: true,
    completeness: true,
    kinds: [...RESOURCE_KINDS, 'CustomResourcePods'],
    messages: {
      missing:
        'Container "{{container}}" sets no {{what}} request (nor a limit it would default to): the scheduler places it as if it needed nothing, so nodes get overcommitted, it is the first to be evicted under pressure, and an HPA on utilization cannot work',
    },
    docs: {
      rationale:
        'Requests are what the scheduler reserves. A container without them is scheduled onto nodes that are already full, runs in the BestEffort (or Burstable) QoS class that the kubelet evicts first, and a HorizontalPodAutoscaler targeting CPU or memory utilization has nothing to compute a percentage of. A limit without a request is fine: the request defaults to the limit. Jobs and CronJobs are checked too: a batch pod holds its request for as long as it runs and without a memory limit it OOMs its neighbours like any other. Init containers, which run one at a time before the others, are not checked.',
      remediation: 'Set `resources.requests.cpu` and `resources.requests.memory` from the container\'s observed usage (for example the p95 over a week).',
    },
    peers: [
      { tool: 'kube-linter', id: 'unset-cpu-requirements' },
      { tool: 'polaris', id: 'cpuRequestsMissing' },
      { tool: 'polaris', id: 'memoryRequestsMissing' },
      { tool: 'kube-score', id: 'container-resources' },
      { tool: 'checkov', id: 'CKV_K8S_10' },
      { tool: 'checkov', id: 'CKV_K8S_12' },
    ],
  },
  check(r, ctx) {
    if (!resourcesExpected(r)) return;
    for (const x of longRunningContainers(r)) {
      const podRes = x.pod.spec.resources;
      const missing = (['cpu', 'memory'] as const).filter((w) => !hasResource(x.c.resources, 'requests', w) && !hasResource(x.c.resources, 'limits', w) && !hasResource(podRes, 'requests', w) && !hasResource(podRes, 'limits', w));
      if (!missing.length) continue;
      const res = x.c.resources;
      const path = isObj(res) ? (isObj(res.requests) ? [...x.path, 'resources', 'requests'] : [...x.path, 'resources']) : [...x.path, 'name'];
      ctx.report({ messageId: 'missing', path, data: { container: x.name, what: missing.join(' and ') } });
    }
  },
});
