import { defineRule } from '../src/rule.js';
import { toNumber } from '../src/graph/scaling.js';

export default defineRule({
  id: 'hpa-min-above-max',
  meta: {
    description: 'Require an HPA minReplicas not greater than its maxReplicas',
    category: 'autoscaling',
    severity: 'error',
    recommended: true,
    kinds: ['HorizontalPodAutoscaler'],
    messages: {
      minAboveMax: 'HorizontalPodAutoscaler "{{hpa}}" has minReplicas {{min}} above maxReplicas {{max}}; the API server rejects it, so the apply fails and nothing is autoscaled',
    },
    docs: {
      rationale:
        'The API server validates `minReplicas <= maxReplicas` and refuses the object. In a multi-object apply or a Helm release this aborts or half-applies the rollout; typically it comes from values files that override one bound and not the other (minReplicas 5 for production with the default maxReplicas 3).',
      remediation: 'Raise `maxReplicas` or lower `minReplicas` so that min <= max; in Helm charts, validate the pair in values.schema.json or with a `fail` in the template.',
    },
  },
  check(hpa, ctx) {
    const min = toNumber(hpa.object.spec?.minReplicas) ?? 1;
    const max = toNumber(hpa.object.spec?.maxReplicas);
    if (max === undefined || min <= max) return;
    ctx.report({ messageId: 'minAboveMax', path: ['spec', hpa.object.spec?.minReplicas !== undefined ? 'minReplicas' : 'maxReplicas'], data: { hpa: hpa.name, min, max } });
  },
});
