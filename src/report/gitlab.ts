/**
 * GitLab Code Quality (artifacts:reports:codequality): a JSON array of issues, each with description,
 * check_name, fingerprint (unique per issue: GitLab compares the merge request's issues with the target
 * branch's by it), severity (info, minor, major, critical or blocker) and location.path + lines.begin.
 */
import type { Finding, Report, Severity } from '../types.js';
import { rootRelative, type RootOptions } from './paths.js';
import { fingerprint as hash } from '../engine/findings.js';

/** error: major (a defect to fix before merging); warning: minor; info: info. */
const SEVERITY: Record<Severity, 'info' | 'minor' | 'major'> = { error: 'major', warning: 'minor', info: 'info' };

export function formatGitlab(report: Report, opts: RootOptions = {}): string {
  const seen = new Map<string, number>();
  const issues = report.findings.map((f: Finding) => {
    const base = f.fingerprint ?? hash(f.ruleId, f.file, String(f.line), String(f.column), f.message);
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    return {
      type: 'issue',
      description: f.message + (f.context ? ` [${f.context}]` : ''),
      check_name: f.ruleId,
      fingerprint: n === 1 ? base : hash(base, String(n)),
      severity: SEVERITY[f.severity],
      categories: ['Bug Risk'],
      location: { path: rootRelative(f.file, opts), lines: { begin: f.line, end: f.endLine >= f.line ? f.endLine : f.line } },
    };
  });
  return JSON.stringify(issues, null, 2) + '\n';
}
