/**
 * Terminal output grouped by file as ESLint's stylish: the file's path on a line of its own, then one line per
 * finding, `line:col  severity  message  rule-id`, then a summary line. Colours only when the caller's chalk
 * has them (a terminal, or FORCE_COLOR).
 */
import type { Finding, Report, Severity, SuppressedFinding } from '../types.js';

export interface StylishOptions {
  chalk: ChalkLike;
  showSuppressed?: boolean;
  showHints?: boolean;
}

/** The styles used, each called on one string: a chalk instance, or plain text (src/cli.ts NO_COLOURS). */
export type ChalkLike = Record<'red' | 'yellow' | 'blue' | 'dim' | 'bold' | 'underline' | 'green' | 'gray', (text: string) => string>;

function sevLabel(c: ChalkLike, s: Severity): string {
  return s === 'error' ? c.red('error') : s === 'warning' ? c.yellow('warning') : c.blue('info');
}

export function formatStylish(report: Report, opts: StylishOptions): string {
  const c = opts.chalk;
  const out: string[] = [];
  const all: (Finding | SuppressedFinding)[] = [...report.findings, ...(opts.showSuppressed ? report.suppressed : [])];
  const byFile = new Map<string, (Finding | SuppressedFinding)[]>();
  for (const f of all) {
    const l = byFile.get(f.file);
    if (l) l.push(f);
    else byFile.set(f.file, [f]);
  }
  for (const [file, list] of [...byFile].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    list.sort((a, b) => a.line - b.line || a.column - b.column || (a.ruleId < b.ruleId ? -1 : 1));
    out.push(c.underline(file));
    const posW = Math.max(...list.map((f) => `${f.line}:${f.column}`.length));
    for (const f of list) {
      const pos = `${f.line}:${f.column}`.padEnd(posW);
      const sup = 'reason' in f ? c.dim(` (suppressed${(f as SuppressedFinding).reason ? `: ${(f as SuppressedFinding).reason}` : ''})`) : '';
      const ctx = f.context ? c.dim(` [${f.context}]`) : '';
      out.push(`  ${pos}  ${sevLabel(c, f.severity).padEnd(7 + (sevLabel(c, f.severity).length - f.severity.length))}  ${f.message}  ${c.dim(f.ruleId)}${ctx}${sup}`);
      if (opts.showHints && f.hint) out.push(`  ${' '.repeat(posW)}  ${c.dim(`fix: ${f.hint}`)}`);
    }
    out.push('');
  }
  const s = report.summary;
  const problems = s.errors + s.warnings + s.infos;
  const parts = [
    `${s.errors} ${s.errors === 1 ? 'error' : 'errors'}`,
    `${s.warnings} ${s.warnings === 1 ? 'warning' : 'warnings'}`,
    `${s.infos} info`,
  ];
  const tail = `${s.files} ${s.files === 1 ? 'file' : 'files'}, ${s.resources} ${s.resources === 1 ? 'resource' : 'resources'}${s.suppressed ? `, ${s.suppressed} suppressed` : ''}${s.skipped ? `, ${s.skipped} non-Kubernetes ${s.skipped === 1 ? 'document' : 'documents'} skipped` : ''}`;
  const icon = s.errors ? c.red('✖') : s.warnings ? c.yellow('⚠') : c.green('✔');
  out.push(`${icon} ${problems === 0 ? 'No problems' : c.bold(parts.join(', '))} (${tail})`);
  return out.join('\n') + '\n';
}
