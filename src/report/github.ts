/** GitHub Actions workflow commands: one `::error file=…,line=…::message` line per finding. */
import type { Report } from '../types.js';

/** Escaping of the message part (data) of a workflow command. */
export function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Escaping of a property value: data escaping plus ':' and ','. */
export function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

export function formatGithub(report: Report): string {
  const lines: string[] = [];
  for (const f of report.findings) {
    const cmd = f.severity === 'error' ? 'error' : f.severity === 'warning' ? 'warning' : 'notice';
    const props = [
      `file=${escapeProperty(f.file)}`,
      `line=${f.line}`,
      `col=${f.column}`,
      `endLine=${f.endLine}`,
      `endColumn=${f.endColumn}`,
      `title=${escapeProperty(`k8s-audit ${f.ruleId}`)}`,
    ];
    const msg = f.hint ? `${f.message}\nFix: ${f.hint}` : f.message;
    lines.push(`::${cmd} ${props.join(',')}::${escapeData(msg)}`);
  }
  return lines.length ? lines.join('\n') + '\n' : '';
}
