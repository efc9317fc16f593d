/**
 * JUnit XML, the test report GitLab (artifacts:reports:junit), Jenkins (junit step) and Azure Pipelines
 * (PublishTestResults, JUnit) read: one <testsuite> per file, one failed <testcase> per finding (classname
 * the file, name the rule and position, the severity as the failure's type). A run without findings is one
 * passing test case, since those readers treat a report with no test case at all as a broken one.
 */
import type { Finding, Report } from '../types.js';
import { rootRelative, type RootOptions } from './paths.js';

/** XML 1.0 text: the five markup characters escaped, characters XML cannot hold at all dropped. */
export function xmlEscape(s: string): string {
  return s
    .replace(/[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/gu, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

const attrs = (a: Record<string, string | number>) =>
  Object.entries(a)
    .map(([k, v]) => ` ${k}="${xmlEscape(String(v))}"`)
    .join('');

export function formatJunit(report: Report, opts: RootOptions = {}): string {
  const byFile = new Map<string, Finding[]>();
  for (const f of report.findings) {
    const file = rootRelative(f.file, opts);
    const l = byFile.get(file);
    if (l) l.push(f);
    else byFile.set(file, [f]);
  }
  const total = report.findings.length;
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>'];
  out.push(`<testsuites${attrs({ name: 'k8s-audit', tests: Math.max(total, 1), failures: total, errors: 0 })}>`);
  if (!total) {
    out.push(`  <testsuite${attrs({ name: 'k8s-audit', tests: 1, failures: 0, errors: 0, skipped: 0 })}>`);
    out.push(`    <testcase${attrs({ classname: 'k8s-audit', name: `${report.summary.files} files, ${report.summary.resources} resources: no findings` })}/>`);
    out.push('  </testsuite>');
  }
  for (const [file, list] of byFile) {
    out.push(`  <testsuite${attrs({ name: file, tests: list.length, failures: list.length, errors: 0, skipped: 0 })}>`);
    for (const f of list) {
      const where = `${file}:${f.line}:${f.column}`;
      const body = [`${f.severity}: ${f.message}`, `at ${where}`, f.context ? `in ${f.context}` : '', f.resource ? `object ${[f.resource.namespace, f.resource.kind, f.resource.name].filter(Boolean).join('/')}` : '', f.hint ? `fix: ${f.hint}` : '', `rule ${f.ruleId}`]
        .filter(Boolean)
        .join('\n');
      out.push(`    <testcase${attrs({ classname: file, name: `${f.ruleId} at ${f.line}:${f.column}${f.context ? ` (${f.context})` : ''}`, file, line: f.line })}>`);
      out.push(`      <failure${attrs({ message: f.message, type: f.severity })}>${xmlEscape(body)}</failure>`);
      out.push('    </testcase>');
    }
    out.push('  </testsuite>');
  }
  out.push('</testsuites>');
  return out.join('\n') + '\n';
}
