import { defineRule } from '../src/rule.js';

export default defineRule({
  id: 'helm-render-error',
  meta: {
    description: 'Report Helm charts that fail to render or whose values break values.schema.json',
    category: 'syntax',
    severity: 'error',
    recommended: true,
    kinds: [],
    messages: {
      render: 'Helm cannot render this chart: {{detail}}; `helm install` and `helm template` fail the same way',
      schema: '{{detail}}',
      budget: 'The built-in Helm renderer stopped this chart: {{detail}}. Helm has no such limit (it runs a template to the end, however long that takes and whatever memory it needs); no real chart comes near it',
    },
    docs: {
      rationale:
        'A chart that does not render installs nothing: a template parse error, a `required` value left unset, a `fail` call, a nil pointer on a missing value, or output that is not valid YAML stops `helm install` before any object reaches the cluster. Values that break the chart\'s values.schema.json are refused the same way. k8s-audit renders charts with a built-in renderer faithful to Helm v4 and reports each error at the template (or values) line that caused it.',
      remediation:
        'Fix the template at the reported line, or set the value the error names (in values.yaml, a `-f` values file or `--set`). For schema errors, give the value the type and shape values.schema.json asks for.',
    },
    peers: [{ tool: 'kube-linter', id: 'helm lint (render errors)' }],
  },
  checkDocument(doc, ctx) {
    for (const p of doc.problems) {
      if (p.kind !== 'chart') continue;
      const schema = /does not match values\.schema\.json/.test(p.message);
      // a limit of the built-in renderer (a hostile or runaway template), not an error Helm reports
      const budget = /the built-in renderer's limit/.test(p.message);
      ctx.report({ messageId: schema ? 'schema' : budget ? 'budget' : 'render', data: { detail: p.message }, line: p.line, column: p.column });
    }
  },
});
