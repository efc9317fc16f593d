import { defineRule } from '../src/rule.js';
import { isObj, longRunningContainers } from '../src/util/pod.js';

function canon(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canon).join(',')}]`;
  if (isObj(v)) return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${canon(v[k])}`).join(',')}}`;
  return JSON.stringify(v);
}

export default defineRule({
  id: 'liveness-equals-readiness',
  meta: {
    description: 'Forbid a liveness probe identical to the readiness probe',
    category: 'reliability',
    severity: 'warning',
    recommended: true,
    kinds: ['Workload', 'CustomResourcePods'],
    messages: {
      identical:
        'Container "{{container}}" has a livenessProbe identical to its readinessProbe: when the container is briefly unable to serve (a slow dependency, a load spike) it is restarted instead of just taken out of rotation, which turns a slowdown into an outage',
    },
    docs: {
      rationale:
        'Readiness answers "should this pod get traffic now?", liveness answers "is this process beyond repair?". When both are the same check, every temporary readiness failure also counts towards a restart, so all replicas get restarted together under load, exactly when capacity is needed. The liveness probe should be cheaper and more tolerant (a larger failureThreshold or a different endpoint).',
      remediation: 'Give the liveness probe its own endpoint that checks only the process, or at least a higher `failureThreshold`/`periodSeconds` than the readiness probe.',
    },
    peers: [{ tool: 'kube-score', id: 'pod-probes-identical' }],
  },
  check(r, ctx) {
    for (const x of longRunningContainers(r)) {
      const { livenessProbe: l, readinessProbe: rd } = x.c;
      if (!isObj(l) || !isObj(rd)) continue;
      if (canon(l) === canon(rd)) ctx.report({ messageId: 'identical', path: [...x.path, 'livenessProbe'], data: { container: x.name } });
    }
  },
});
