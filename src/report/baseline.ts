/**
 * Baselines, for adopting the linter on a repository that already has findings: `--write-baseline FILE`
 * records the current findings by their stable fingerprints (the ones SARIF carries as partialFingerprints:
 * rule, file, object and field path, so a finding keeps its fingerprint when lines move), and `--baseline FILE`
 * then reports only the findings that are not in it, and which of its entries are gone (fixed or moved away).
 */
import fs from 'node:fs';
import type { Finding, Report } from '../types.js';
import { VERSION } from '../version.js';

export interface BaselineEntry {
  fingerprint: string;
  ruleId: string;
  file: string;
  /** For people reading the file and for the "gone" list; matching uses the fingerprint alone. */
  message: string;
}

export interface Baseline {
  tool: 'k8s-audit';
  version: 1;
  findings: BaselineEntry[];
}

/** A finding's fingerprint; the fallback (rule, file, position) is for findings made without one. */
export function fingerprintOf(f: Finding): string {
  return f.fingerprint ?? `${f.ruleId}:${f.file}:${f.line}:${f.column}`;
}

/** The baseline of a report: one entry per finding (two findings with one fingerprint are two entries), sorted. */
export function makeBaseline(report: Report): Baseline {
  const findings = report.findings
    .map((f) => ({ fingerprint: fingerprintOf(f), ruleId: f.ruleId, file: f.file, message: f.message }))
    .sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : a.fingerprint < b.fingerprint ? -1 : a.fingerprint > b.fingerprint ? 1 : 0));
  return { tool: 'k8s-audit', version: 1, findings };
}

export function formatBaseline(report: Report): string {
  return JSON.stringify({ ...makeBaseline(report), generatedBy: `k8s-audit ${VERSION}` }, null, 2) + '\n';
}

export class BaselineError extends Error {
  override name = 'BaselineError';
}

/** Read and check a baseline file; a file that is not one is an error the caller reports as a usage error. */
export function readBaseline(file: string): Baseline {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new BaselineError(`cannot read the baseline ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new BaselineError(`the baseline ${file} is not JSON: ${(e as Error).message}`);
  }
  const d = data as Partial<Baseline> | null;
  if (!d || typeof d !== 'object' || d.tool !== 'k8s-audit' || d.version !== 1 || !Array.isArray(d.findings)) {
    throw new BaselineError(`${file} is not a k8s-audit baseline (expected {"tool": "k8s-audit", "version": 1, "findings": [...]}, as --write-baseline writes)`);
  }
  d.findings.forEach((e, i) => {
    if (!e || typeof e !== 'object' || typeof e.fingerprint !== 'string' || typeof e.ruleId !== 'string' || typeof e.file !== 'string') {
      throw new BaselineError(`${file}: findings[${i}] needs fingerprint, ruleId and file strings`);
    }
    if (typeof e.message !== 'string') e.message = '';
  });
  return d as Baseline;
}

export interface BaselineResult {
  /** The report without the findings the baseline holds; its summary counts what is left. */
  report: Report;
  /** How many findings the baseline matched (and are left out). */
  matched: number;
  /** Baseline entries no current finding matched: fixed, or the object or field they point at changed. */
  gone: BaselineEntry[];
}

/**
 * Leave out the findings the baseline holds. Fingerprints are matched as a multiset: a baseline with one
 * entry for a fingerprint hides one finding with it, so a second copy of a recorded defect is new.
 */
export function applyBaseline(report: Report, baseline: Baseline): BaselineResult {
  const left = new Map<string, BaselineEntry[]>();
  for (const e of baseline.findings) {
    const l = left.get(e.fingerprint);
    if (l) l.push(e);
    else left.set(e.fingerprint, [e]);
  }
  let matched = 0;
  const findings = report.findings.filter((f) => {
    const l = left.get(fingerprintOf(f));
    if (!l?.length) return true;
    l.pop();
    matched++;
    return false;
  });
  const gone = [...left.values()].flat();
  const count = (sev: Finding['severity']) => findings.filter((f) => f.severity === sev).length;
  return {
    report: { ...report, findings, summary: { ...report.summary, errors: count('error'), warnings: count('warning'), infos: count('info') } },
    matched,
    gone,
  };
}

/** One line for standard error: what the baseline hid, and each entry that is gone. */
export function baselineNote(r: BaselineResult, file: string): string {
  let out = `k8s-audit: baseline ${file}: ${r.matched} known ${r.matched === 1 ? 'finding' : 'findings'} left out, ${r.report.findings.length} new, ${r.gone.length} ${r.gone.length === 1 ? 'entry' : 'entries'} gone\n`;
  // The entries are text from a file in the repository: one line each, no control characters (a newline
  // could start a workflow command in a GitHub log, an escape could rewrite the terminal).
  const clean = (s: string) => s.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, ' ');
  for (const e of r.gone) out += `k8s-audit: baseline entry gone (fixed or moved; rewrite the baseline with --write-baseline): ${clean(e.file)}: ${clean(e.ruleId)}: ${clean(e.message)}\n`;
  return out;
}
