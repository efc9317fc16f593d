/**
 * Values keys no template reads: a values file that sets `podDisruptionBudget.enabled: true` for a chart
 * with no PodDisruptionBudget template changes nothing, while whoever wrote it believes it is on. Template
 * references are read from the template text (`.Values.a.b`, `index .Values "a" "b"`); a template that passes
 * `.Values` whole (`toYaml .Values`, `include "x" .Values`, `index .Values $key`) could read anything, and
 * then nothing is claimed.
 */

/** The key paths templates read, or undefined when some template uses .Values as a whole. */
export function valuesReferences(templates: readonly string[]): string[][] | undefined {
  const refs: string[][] = [];
  for (const t of templates) {
    const re = /\.Values\b/g;
    let m: RegExpExecArray | null;
    while ((m = re.exec(t))) {
      const rest = t.slice(m.index + m[0].length);
      const dotted = /^((?:\.[A-Za-z_][\w-]*)+)/.exec(rest);
      if (dotted) {
        refs.push(dotted[1].slice(1).split('.'));
        continue;
      }
      // `index .Values "a" "b"`: literal keys only
      const before = t.slice(Math.max(0, m.index - 12), m.index);
      const idx = /^((?:\s+"[^"]*")+)/.exec(rest);
      if (/index\s+\$?$/.test(before) && idx) {
        refs.push([...idx[1].matchAll(/"([^"]*)"/g)].map((x) => x[1]));
        continue;
      }
      return undefined;
    }
  }
  return refs;
}

/** Top-most key paths of `values` that no reference covers (a reference covers its subtree and its parents). */
export function unreadKeys(values: unknown, refs: readonly string[][], skipTop: ReadonlySet<string>): string[][] {
  const out: string[][] = [];
  const read = (p: string[]) => refs.some((r) => (r.length <= p.length ? r.every((k, i) => p[i] === k) : p.every((k, i) => r[i] === k)));
  const walk = (v: unknown, p: string[]) => {
    if (!v || typeof v !== 'object' || Array.isArray(v)) return;
    for (const k of Object.keys(v)) {
      if (!p.length && skipTop.has(k)) continue;
      const q = [...p, k];
      if (!read(q)) {
        out.push(q);
        continue;
      }
      // read as a whole (toYaml .Values.resources): its keys are not judged
      if (refs.some((r) => r.length === q.length && r.every((x, i) => x === q[i]))) continue;
      walk((v as Record<string, unknown>)[k], q);
    }
  };
  walk(values, []);
  return out;
}
