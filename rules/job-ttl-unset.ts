import { defineRule } from '../src/rule.js';

export default defineRule({
  id: 'job-ttl-unset',
  meta: {
    description: 'Ask standalone Jobs to set ttlSecondsAfterFinished so finished Jobs and their pods are cleaned up',
    category: 'lifecycle',
    severity: 'info',
    recommended: false,
    completeness: true,
    kinds: ['Job'],
    messages: {
      unset:
        'Job "{{name}}" sets no ttlSecondsAfterFinished: once it finishes, the Job and its completed pods stay in the cluster until someone deletes them, and re-applying the same manifest does not run it again (the spec.template of a finished Job cannot be changed)',
    },
    docs: {
      rationale:
        'A finished Job is kept with its pods until it is deleted. The TTL-after-finished controller deletes it `ttlSecondsAfterFinished` seconds after it completes or fails, which keeps namespaces clean and lets a GitOps tool or `kubectl apply` create the Job again on the next change instead of failing on an immutable template. Jobs created by a CronJob are pruned by the CronJob\'s history limits and are not checked (a CronJob\'s jobTemplate is not a Job object). Opt-in and informational: some teams keep finished Jobs on purpose to read their logs.',
      remediation: 'Set `spec.ttlSecondsAfterFinished` (for example 86400 to keep a finished Job for a day).',
      references: ['https://kubernetes.io/docs/concepts/workloads/controllers/ttlafterfinished/'],
    },
    peers: [{ tool: 'kube-linter', id: 'job-ttl-seconds-after-finished' }],
  },
  check(job, ctx) {
    const spec = job.object.spec;
    if (!spec || typeof spec !== 'object') return;
    const ttl = spec.ttlSecondsAfterFinished;
    if (ttl !== undefined && ttl !== null) return;
    // A Job a CronJob created (exported from a cluster) is pruned by the CronJob's history limits.
    const owners = job.object.metadata?.ownerReferences;
    if (Array.isArray(owners) && owners.some((o) => o && typeof o === 'object' && o.kind === 'CronJob')) return;
    ctx.report({ messageId: 'unset', path: ['spec'], data: { name: job.name } });
  },
});
