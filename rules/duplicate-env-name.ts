import { defineRule } from '../src/rule.js';
import { containersOf, isObj } from '../src/util/pod.js';

export default defineRule({
  id: 'duplicate-env-name',
  meta: {
    description: 'Forbid the same environment variable name twice in one container',
    category: 'correctness',
    severity: 'warning',
    recommended: true,
    kinds: ['Workload', 'CustomResourcePods'],
    messages: {
      duplicate:
        'Container "{{container}}" defines the environment variable {{env}} again (first at entry {{first}}): only the last value takes effect, so the earlier one is silently ignored, and server-side apply rejects the list',
    },
    docs: {
      rationale:
        'The `env` list is merged by name. When a name appears twice the container sees only the last value, so whoever edits the first one sees no effect, and server-side apply (and `kubectl apply --server-side`, used by Argo CD and Flux) refuses the object because the list key is not unique. It usually comes from a Helm template or a Kustomize patch adding a variable that was already there.',
      remediation: 'Keep one entry per name: delete the stale one or merge the two values.',
    },
    peers: [
      { tool: 'kube-linter', id: 'duplicate-env-var' },
      { tool: 'kube-score', id: 'environment-variable-key-duplication' },
    ],
  },
  check(r, ctx) {
    for (const x of containersOf(r)) {
      if (!Array.isArray(x.c.env)) continue;
      const seen = new Map<string, number>();
      x.c.env.forEach((e: unknown, i: number) => {
        if (!isObj(e) || typeof e.name !== 'string') return;
        const first = seen.get(e.name);
        if (first === undefined) seen.set(e.name, i);
        else ctx.report({ messageId: 'duplicate', path: [...x.path, 'env', i, 'name'], data: { container: x.name, env: e.name, first: first + 1 } });
      });
    }
  },
});
