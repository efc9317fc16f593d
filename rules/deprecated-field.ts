import { defineRule } from '../src/rule.js';
import { expandKinds } from '../src/graph/kinds.js';
import { podTemplateOf } from '../src/graph/workloads.js';
import { lifecycle, reached } from '../src/schema/lifecycle.js';
import { fieldPath } from '../src/schema/text.js';

function* matches(value: unknown, pattern: readonly string[], at: (string | number)[]): Generator<(string | number)[]> {
  if (!pattern.length) {
    if (value !== undefined && value !== null) yield at;
    return;
  }
  if (value === null || typeof value !== 'object') return;
  const [head, ...rest] = pattern;
  if (head === '*') {
    if (Array.isArray(value)) for (let i = 0; i < value.length; i++) yield* matches(value[i], rest, [...at, i]);
    return;
  }
  yield* matches((value as Record<string, unknown>)[head], rest, [...at, head]);
}

export default defineRule({
  id: 'deprecated-field',
  meta: {
    description: 'Warn about fields and node labels that Kubernetes has deprecated',
    category: 'lifecycle',
    severity: 'warning',
    recommended: true,
    kinds: ['*'],
    messages: {
      deprecated: '{{field}} is deprecated{{since}} ({{note}}); use {{replacement}}',
    },
    docs: {
      rationale:
        'Some fields stay in the API for compatibility long after they were superseded: they still parse, but behave inconsistently across implementations or are kept only as aliases. Data and citations: src/schema/data/api-lifecycle.json.',
      remediation: 'Move the setting to the replacement named in the message.',
      examples: {
        invalid: 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  type: LoadBalancer\n  loadBalancerIP: 203.0.113.10\n  selector: {app: web}\n  ports: [{port: 80}]\n',
        valid: 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  type: LoadBalancer\n  selector: {app: web}\n  ports: [{port: 80}]\n',
      },
    },
  },
  check(r, ctx) {
    for (const e of lifecycle().fields) {
      if (e.deprecatedIn && !reached(ctx.settings.kubeVersion, e.deprecatedIn)) continue;
      const kinds = expandKinds(e.kinds);
      if (kinds && !kinds.has(r.kind)) continue;
      let base: (string | number)[] = [];
      if (e.where === 'pod') {
        const t = podTemplateOf(r);
        if (!t) continue;
        base = [...t.path, 'spec'];
      }
      for (const p of matches(r.get(base), e.path, base)) {
        if (e.value !== undefined && r.get(p) !== e.value) continue;
        if (e.unlessSiblingEquals && r.get([...p.slice(0, -1), e.unlessSiblingEquals]) === r.get(p)) continue;
        const field = e.value !== undefined ? `${fieldPath(p)}: ${e.value}` : fieldPath(p);
        ctx.report({ messageId: 'deprecated', data: { field, since: e.deprecatedIn ? ` since Kubernetes ${e.deprecatedIn}` : '', note: e.note ?? 'superseded', replacement: e.replacement }, path: p });
      }
    }
  },
});
