import { defineRule } from '../src/rule.js';

const set = (v: unknown) => v !== undefined && v !== null && v !== '';

export default defineRule({
  id: 'pdb-no-policy',
  meta: {
    description: 'Require a PodDisruptionBudget to set minAvailable or maxUnavailable',
    category: 'reliability',
    severity: 'warning',
    recommended: true,
    kinds: ['PodDisruptionBudget'],
    messages: {
      none: 'PodDisruptionBudget "{{name}}" sets neither minAvailable nor maxUnavailable: the disruption controller then requires no pod to stay up, so it protects nothing and drains may evict all the pods it selects at once',
    },
    docs: {
      rationale:
        'A PodDisruptionBudget says how many selected pods must stay up (`minAvailable`) or may be down (`maxUnavailable`). With neither, the disruption controller expects zero healthy pods and allows every eviction: the object looks like protection and gives none.',
      remediation: 'Set `maxUnavailable: 1` (it adapts to any replica count), or a `minAvailable` below the replica count.',
      references: ['https://kubernetes.io/docs/tasks/run-application/configure-pdb/'],
    },
    peers: [{ tool: 'kube-score', id: 'poddisruptionbudget-has-policy' }],
  },
  check(pdb, ctx) {
    const spec = pdb.object.spec;
    if (spec && typeof spec === 'object' && (set(spec.minAvailable) || set(spec.maxUnavailable))) return;
    ctx.report({ messageId: 'none', path: spec && typeof spec === 'object' ? ['spec'] : ['metadata', 'name'], data: { name: pdb.name } });
  },
});
