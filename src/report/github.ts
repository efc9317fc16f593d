/**
 * GitHub Actions: workflow commands (`::error file=…,line=…::message`, one line per finding) and the job
 * summary (a Markdown table for $GITHUB_STEP_SUMMARY).
 */
import type { Finding, Report, Severity } from '../types.js';
import { ruleDocsUrl } from '../version.js';
import { rootRelative, type RootOptions } from './paths.js';

/** Escaping of the message part (data) of a workflow command. */
export function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Escaping of a property value: data escaping plus ':' and ','. */
export function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

const COMMAND: Record<Severity, string> = { error: 'error', warning: 'warning', info: 'notice' };

export type GithubOptions = RootOptions;

/** One workflow command per finding; `file` is relative to `root` (the repository) when given. */
export function formatGithub(report: Report, opts: GithubOptions = {}): string {
  const lines: string[] = [];
  for (const f of report.findings) {
    // Standard input is no file of the repository: such an annotation goes on the run, with the position in its text.
    const stdin = f.file === '<stdin>';
    const props = [
      ...(stdin ? [] : [`file=${escapeProperty(rootRelative(f.file, opts))}`, `line=${f.line}`, `col=${f.column}`, `endLine=${f.endLine}`, `endColumn=${f.endColumn}`]),
      `title=${escapeProperty(`k8s-audit ${f.ruleId}`)}`,
    ];
    const msg = `${stdin ? `<stdin>:${f.line}:${f.column}: ` : ''}${f.message}${f.context ? ` [${f.context}]` : ''}${f.hint ? `\nFix: ${f.hint}` : ''}`;
    lines.push(`::${COMMAND[f.severity]} ${props.join(',')}::${escapeData(msg)}`);
  }
  return lines.length ? lines.join('\n') + '\n' : '';
}

export interface SummaryOptions extends RootOptions {
  /** Base of links to files, such as `https://github.com/o/r/blob/<sha>`; no links when absent. */
  blobUrl?: string;
  /** Rows at most (the step summary is limited to 1 MiB); the rest are counted. Default 500. */
  maxRows?: number;
}

const ICON: Record<Severity, string> = { error: '❌ error', warning: '⚠️ warning', info: 'ℹ️ info' };

/** Text for a Markdown table cell: no raw HTML, no cell breaks, newlines as <br>. */
export function escapeCell(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\\/g, '\\\\')
    .replace(/\|/g, '\\|')
    .replace(/\r?\n|\r/g, '<br>');
}

function plural(n: number, word: string, many = `${word}s`): string {
  return `${n} ${n === 1 ? word : many}`;
}

/** The job summary: a headline with the counts and a table with one row per finding. */
export function formatGithubSummary(report: Report, opts: SummaryOptions = {}): string {
  const s = report.summary;
  const max = opts.maxRows ?? 500;
  const out: string[] = [];
  const counts = `${plural(s.errors, 'error')}, ${plural(s.warnings, 'warning')}, ${plural(s.infos, 'info', 'info')}`;
  out.push(`### k8s-audit: ${report.findings.length ? counts : 'no findings'}`, '');
  const scanned = [plural(s.files, 'file'), plural(s.resources, 'resource')];
  if (s.suppressed) scanned.push(`${s.suppressed} suppressed`);
  out.push(`Scanned ${scanned.join(', ')} with k8s-audit ${report.tool.version}.`, '');
  if (report.findings.length) {
    out.push('| Severity | Location | Rule | Message |', '|---|---|---|---|');
    for (const f of report.findings.slice(0, max)) out.push(row(f, opts));
    if (report.findings.length > max) out.push('', `…and ${report.findings.length - max} more; see the annotations, the SARIF file or \`k8s-audit --format json\`.`);
    out.push('');
  }
  return out.join('\n') + '\n';
}

function row(f: Finding, opts: SummaryOptions): string {
  const file = rootRelative(f.file, opts);
  const where = `${file}:${f.line}:${f.column}`;
  const linkable = opts.blobUrl && file !== '<stdin>' && !file.startsWith('/');
  const loc = linkable ? `[${escapeCell(where)}](${opts.blobUrl}/${file.split('/').map(encodeURIComponent).join('/')}#L${f.line})` : escapeCell(where);
  const rule = `[${f.ruleId}](${ruleDocsUrl(f.ruleId)})`;
  const context = f.context ? ` (${f.context})` : '';
  return `| ${ICON[f.severity]} | ${loc} | ${rule} | ${escapeCell(f.message + context)} |`;
}
