import { defineRule } from '../src/rule.js';

export default defineRule({
  id: 'helm-value-unread',
  meta: {
    description: 'Report values a values file sets that no template of the chart reads',
    category: 'configuration',
    severity: 'warning',
    recommended: true,
    kinds: [],
    messages: {
      unread: '{{detail}}, while whoever wrote it believes it takes effect (a misspelt key, a feature the chart does not have, or a key of another chart version)',
    },
    docs: {
      rationale:
        'Helm ignores values no template reads: a production values file that sets `podDisruptionBudget.enabled: true` for a chart without a PodDisruptionBudget template, or `replicas` for a chart that reads `replicaCount`, installs without a word, and the protection or setting its author counted on is not there. The rule compares each values file given to a chart (`-f`, `ci/*-values.yaml`, a guide\'s values) with the `.Values` paths the chart\'s templates read. It claims nothing for a chart whose templates pass `.Values` as a whole (`toYaml .Values`, `include "x" .Values`), for `global`, or for subcharts\' keys.',
      remediation: 'Fix the key to the one the chart reads (see its values.yaml), add the template the value is meant for, or remove the value.',
    },
  },
  checkDocument(doc, ctx) {
    for (const p of doc.problems) if (p.kind === 'values-unread') ctx.report({ messageId: 'unread', data: { detail: p.message }, line: p.line, column: p.column });
  },
});
