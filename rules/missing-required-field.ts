import { defineRule } from '../src/rule.js';
import { schemaOf } from '../src/schema/validate.js';

export default defineRule({
  id: 'missing-required-field',
  meta: {
    description: 'Require the fields that the schema of the object marks as required',
    category: 'schema',
    severity: 'error',
    recommended: true,
    kinds: ['*'],
    messages: {
      missing: '{{problem}}; the API server rejects the object',
    },
    docs: {
      rationale:
        'The API server refuses an object that lacks a required field (a container without a name, a port without a number, a Deployment without a selector), so the whole apply fails. Built-in kinds are checked against the Kubernetes OpenAPI schema, custom resources against the CustomResourceDefinition found among the scanned files.',
      remediation: 'Add the missing field at the reported place (check the indentation: a field one level too deep or too shallow counts as missing).',
      examples: {
        invalid: 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    metadata:\n      labels: {app: web}\n    spec:\n      containers:\n        - name: web\n          image: nginx:1.27\n',
        valid: 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  selector:\n    matchLabels: {app: web}\n  template:\n    metadata:\n      labels: {app: web}\n    spec:\n      containers:\n        - name: web\n          image: nginx:1.27\n',
      },
    },
    peers: [{ tool: 'kubeconform', id: 'required' }],
  },
  check(r, ctx) {
    for (const i of schemaOf(r, ctx.graph).issues) {
      if (i.kind === 'required') ctx.report({ messageId: 'missing', data: { problem: i.text }, path: i.path.length ? i.path : ['kind'] });
    }
  },
});
