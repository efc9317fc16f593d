import { defineRule } from '../src/rule.js';
import { schemaOf } from '../src/schema/validate.js';

export default defineRule({
  id: 'unknown-field',
  meta: {
    description: 'Forbid fields that the schema of the object does not define',
    category: 'schema',
    severity: 'error',
    recommended: true,
    kinds: ['*'],
    messages: {
      unknown: '{{problem}}; `kubectl apply` rejects unknown fields (strict field validation, the default since Kubernetes 1.27) and older clients silently drop the setting',
    },
    docs: {
      rationale:
        'A misspelt or misplaced field (`containerport`, `spec.template.spec.contianers`, `resources` one level too high) is not an error in YAML, and for years the API server silently dropped it: the setting you wrote simply did not exist. Since Kubernetes 1.27 kubectl asks the server for strict field validation and the apply fails instead. Built-in kinds are checked against the Kubernetes OpenAPI schema, custom resources against the CustomResourceDefinition found among the scanned files (unless it preserves unknown fields).',
      remediation: 'Fix the spelling or the indentation (the message suggests the closest known field), or delete the field if it belongs to another version of the API.',
      references: ['https://kubernetes.io/docs/reference/using-api/api-concepts/#field-validation'],
    },
    peers: [{ tool: 'kubeconform', id: 'additionalProperties (-strict)' }],
  },
  check(r, ctx) {
    for (const i of schemaOf(r, ctx.graph).issues) {
      if (i.kind === 'unknown') ctx.report({ messageId: 'unknown', data: { problem: i.text }, path: i.path, uncertain: i.uncertain });
    }
  },
});
