import { defineRule } from '../src/rule.js';

const BATCH = new Set(['Job', 'CronJob']);

export default defineRule({
  id: 'service-selects-batch-pods',
  meta: {
    description: 'Forbid Service selectors that match the pods of Jobs or CronJobs as well as the serving workload',
    category: 'networking',
    severity: 'warning',
    recommended: true,
    kinds: ['Service'],
    messages: {
      batch:
        'Service "{{name}}" selects the pods of {{servers}} and also those of {{batch}} (shared labels {{labels}}); while a job runs, its pod becomes an endpoint that does not serve the Service\'s ports, so a share of requests is refused',
    },
    docs: {
      rationale:
        'Batch pods often copy the labels of the application they belong to (`app: api` on the migration Job or the nightly backup CronJob). A Service selecting on those labels then adds the job\'s pod to its endpoints whenever the job is running and ready: requests are load-balanced to a container that does not listen on the Service port and fail intermittently, usually during deploys (migrations) or at night (backups). The rule reports a Service whose selector matches both long-running workloads and Jobs or CronJobs.',
      remediation: 'Give the batch pods a distinct label (e.g. `app.kubernetes.io/component: backup`) and add the serving component\'s label to the Service selector, or drop the shared label from the job\'s pod template.',
    },
  },
  check(svc, ctx) {
    const templates = ctx.graph.selectedTemplates(svc) ?? [];
    const batch = [...new Set(templates.filter((t) => BATCH.has(t.owner.kind)).map((t) => t.owner))];
    const servers = [...new Set(templates.filter((t) => !BATCH.has(t.owner.kind) && t.owner.kind !== 'Pod').map((t) => t.owner))];
    if (!batch.length || !servers.length) return;
    const sel = svc.object.spec?.selector ?? {};
    ctx.report({
      messageId: 'batch',
      path: ['spec', 'selector'],
      data: {
        name: svc.name,
        servers: servers.map((o) => `${o.kind} "${o.name}"`).join(', '),
        batch: batch.map((o) => `${o.kind} "${o.name}"`).join(', '),
        labels: Object.entries(sel).map(([k, v]) => `${k}=${v}`).join(', '),
      },
      related: batch.map((o) => ({ resource: o, path: [...ctx.graph.podTemplate(o)!.path, 'metadata', 'labels'], message: `pod labels of ${o.kind} "${o.name}"` })),
    });
  },
});
