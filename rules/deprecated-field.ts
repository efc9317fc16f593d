import { defineRule } from '../src/rule.js';
import { expandKinds } from '../src/graph/kinds.js';
import { podTemplateOf } from '../src/graph/workloads.js';
import { lifecycle, reached } from '../src/schema/lifecycle.js';
import { fieldPath } from '../src/schema/text.js';

/** Paths under `value` that match `pattern` (`*` for every list item) and hold a value. */
function matches(value: unknown, pattern: readonly string[], at: (string | number)[], out: (string | number)[][] = [], i = 0): (string | number)[][] {
  if (i === pattern.length) {
    if (value !== undefined && value !== null) out.push(at);
    return out;
  }
  if (value === null || typeof value !== 'object') return out;
  const head = pattern[i];
  if (head === '*') {
    if (Array.isArray(value)) for (let k = 0; k < value.length; k++) matches(value[k], pattern, [...at, k], out, i + 1);
    return out;
  }
  const next = (value as Record<string, unknown>)[head];
  return next === undefined ? out : matches(next, pattern, [...at, head], out, i + 1);
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
    },
  },
  check(r, ctx) {
    let podSpec: (string | number)[] | null | undefined;
    for (const e of lifecycle().fields) {
      if (e.deprecatedIn && !reached(ctx.settings.kubeVersion, e.deprecatedIn)) continue;
      const kinds = expandKinds(e.kinds);
      if (kinds && !kinds.has(r.kind)) continue;
      let base: (string | number)[] = [];
      if (e.where === 'pod') {
        if (podSpec === undefined) {
          const t = podTemplateOf(r);
          podSpec = t ? [...t.path, 'spec'] : null;
        }
        if (!podSpec) continue;
        base = podSpec;
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
