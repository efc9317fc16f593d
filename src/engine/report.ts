/** The last stage: keep what the caller reports on, one finding per defect, sorted, with the summary. */
import type { Finding, Report, Severity, SuppressedFinding } from '../types.js';
import { severityRank } from '../types.js';
import { VERSION } from '../version.js';
import { reportScope } from './scope.js';
import { changedScope } from './changed.js';
import type { Suppressed } from './suppressions.js';

export function buildReport(s: Suppressed, opts: { cwd: string; reportOnly?: string[]; changed?: readonly string[]; files: number; resources: number; skipped: number }): Report {
  const { findings, suppressed, sameDefect } = s;
  const scopes: ((f: Finding) => boolean)[] = [];
  if (opts.reportOnly) scopes.push(reportScope(opts.cwd, opts.reportOnly));
  if (opts.changed) scopes.push(changedScope(opts.cwd, opts.changed, s.sourceOf));
  for (const keep of scopes) {
    for (const list of [findings, suppressed] as Finding[][]) {
      let n = 0;
      for (const f of list) if (keep(f)) list[n++] = f;
      list.length = n;
    }
  }
  dedupe(findings, sameDefect);
  dedupe(suppressed, sameDefect);
  sortFindings(findings);
  sortFindings(suppressed);
  const count = (sev: Severity) => findings.filter((f) => f.severity === sev).length;
  return {
    tool: { name: 'k8s-audit', version: VERSION },
    findings,
    suppressed: suppressed as SuppressedFinding[],
    summary: {
      files: opts.files,
      resources: opts.resources,
      errors: count('error'),
      warnings: count('warning'),
      infos: count('info'),
      suppressed: suppressed.length,
      skipped: opts.skipped,
    },
  };
}

/**
 * The same finding from several renderings of one source (a chart's default values and its ci/ scenarios)
 * is one finding; its context names every rendering that produced it.
 */
function dedupe<T extends Finding>(list: T[], sameDefect?: WeakSet<Finding>): void {
  const seen = new Map<string, T>();
  let n = 0;
  for (const f of list) {
    const key = `${f.ruleId}\u0000${f.file}\u0000${f.line}\u0000${f.column}\u0000${sameDefect?.has(f) ? '(kustomize)' : f.message}`;
    const first = seen.get(key);
    if (first) {
      if (f.context && first.context && !first.context.split('; ').includes(f.context)) first.context = mergeContext(first.context, f.context);
      continue;
    }
    seen.set(key, f);
    list[n++] = f;
  }
  list.length = n;
}

/**
 * Merge two contexts part by part ("; "-separated), without repeats; parts naming the same chart join their
 * renderings: "chart x, default values" + "chart x, scenario y" -> "chart x, default values; scenario y".
 */
function mergeContext(a: string, b: string): string {
  const parts = a.split('; ');
  for (const p of b.split('; ')) {
    if (parts.includes(p)) continue;
    const comma = p.indexOf(', ');
    const owner = comma > 0 ? parts.findIndex((q) => q.startsWith(p.slice(0, comma + 2))) : -1;
    if (owner !== -1) parts.splice(owner + 1, 0, p.slice(comma + 2));
    else parts.push(p);
  }
  return [...new Set(parts)].join('; ');
}

export function sortFindings<T extends Finding>(list: T[]): T[] {
  return list.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || a.column - b.column || (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0) || (a.message < b.message ? -1 : a.message > b.message ? 1 : 0)));
}

export function atOrAbove(sev: Severity, threshold: Severity | 'none'): boolean {
  return threshold !== 'none' && severityRank[sev] >= severityRank[threshold];
}
