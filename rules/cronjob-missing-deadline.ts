import { defineRule } from '../src/rule.js';

export default defineRule({
  id: 'cronjob-missing-deadline',
  meta: {
    description: 'Ask CronJobs to set startingDeadlineSeconds',
    category: 'lifecycle',
    severity: 'info',
    recommended: false,
    kinds: ['CronJob'],
    messages: {
      unset:
        'CronJob "{{name}}" sets no startingDeadlineSeconds: a run that could not start on time (controller down, cluster upgrade) is started whenever the controller catches up, however late, and after more than 100 missed schedules the CronJob stops scheduling altogether',
    },
    docs: {
      rationale:
        'Without `startingDeadlineSeconds`, the CronJob controller counts every schedule missed since the last run; after more than 100 it logs "too many missed start times" and starts no more Jobs until the object is changed, and a missed run is started late, at any hour. A deadline bounds both: runs later than the deadline are skipped and counted as missed only within it. Opt-in and informational: the default is fine for frequent, idempotent jobs.',
      remediation: 'Set `spec.startingDeadlineSeconds` (for example 300, or a fraction of the schedule\'s period).',
      references: ['https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/#job-creation'],
    },
    peers: [{ tool: 'kube-score', id: 'cronjob-has-deadline' }],
  },
  check(cj, ctx) {
    const spec = cj.object.spec;
    if (!spec || typeof spec !== 'object') return;
    if (spec.startingDeadlineSeconds !== undefined && spec.startingDeadlineSeconds !== null) return;
    ctx.report({ messageId: 'unset', path: ['spec'], data: { name: cj.name } });
  },
});
