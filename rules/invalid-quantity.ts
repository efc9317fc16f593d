import { defineRule } from '../src/rule.js';
import { schemaOf } from '../src/schema/validate.js';

export default defineRule({
  id: 'invalid-quantity',
  meta: {
    description: 'Require resource quantities (CPU, memory, storage) in the Kubernetes quantity format',
    category: 'schema',
    severity: 'error',
    recommended: true,
    kinds: ['*'],
    messages: {
      invalid: '{{problem}} (write e.g. 500m, 2, 512Mi, 1Gi, 10G); the API server rejects the object',
    },
    docs: {
      rationale:
        'Requests, limits, storage sizes and quotas are quantities: a number with an optional suffix from a fixed set (Ki, Mi, Gi, Ti, Pi, Ei for powers of two; n, u, m, k, M, G, T, P, E for powers of ten). Values written the way other tools write them (`1GB`, `512mb`, `2gi`, `1.5 Gi`) are rejected by the API server.',
      remediation: 'Use a Kubernetes quantity: `512Mi` or `1Gi` for memory and storage, `250m` or `1` for CPU.',
      references: ['https://kubernetes.io/docs/reference/kubernetes-api/common-definitions/quantity/'],
    },
  },
  check(r, ctx) {
    for (const i of schemaOf(r, ctx.graph).issues) {
      if (i.kind === 'quantity') ctx.report({ messageId: 'invalid', data: { problem: i.text }, path: i.path });
    }
  },
});
