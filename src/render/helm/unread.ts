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

/**
 * What reads a chart's values, from its files (chart-relative path → text): the references of its templates,
 * its vendored subcharts' templates (a library's helpers read the parent's values when called with its
 * context) and its values texts (tpl strings), plus `extra` texts; and the top-level keys that belong to
 * others (`global`, subcharts and their aliases). Undefined when that cannot be known: a template passes
 * `.Values` whole, or a dependency is packed or not vendored.
 */
export function valuesReaders(files: ReadonlyMap<string, string>, extra: readonly string[], chartYaml: unknown): { refs: string[][]; skip: Set<string> } | undefined {
  const skip = new Set(['global']);
  for (const p of files.keys()) {
    const m = /^charts\/([^/]+)(\/.*)?$/.exec(p);
    if (!m) continue;
    if (!m[2]) return undefined; // a packed subchart
    skip.add(m[1]);
  }
  const deps = (chartYaml as { dependencies?: unknown } | undefined)?.dependencies;
  for (const d of Array.isArray(deps) ? (deps as { name?: unknown; alias?: unknown }[]) : []) {
    if (typeof d?.name !== 'string' || !skip.has(d.name)) return undefined;
    if (typeof d.alias === 'string') skip.add(d.alias);
  }
  const readers = [...files].filter(([p]) => /^(charts\/[^/]+\/)*templates\//.test(p) || /^values[^/]*\.ya?ml$/.test(p)).map(([, t]) => t);
  const refs = valuesReferences([...readers, ...extra]);
  return refs && { refs, skip };
}
