/** Fixture harness: `# expect: <rule-id>[, <rule-id>]` on the line a finding must land on. */
import fs from 'node:fs';
import path from 'node:path';
import { audit, type AuditOptions } from '../src/engine/run.js';
import { rules } from '../rules/index.js';
import type { Finding, Report } from '../src/types.js';

export const ROOT = path.resolve(import.meta.dirname, '..');
export const SHARED = path.resolve(ROOT, '..', 'shared');

export interface Expectation {
  line: number;
  ruleId: string;
}

/** Read `# expect: a, b` (this line), `# expect-next-line: a` markers; `# expect: none` means no findings. */
export function expectationsOf(text: string): { expected: Expectation[]; none: boolean } {
  const expected: Expectation[] = [];
  let none = false;
  text.split('\n').forEach((l, i) => {
    const m = /(?:#|<!--)\s*expect(-next-line)?:\s*([^>]*?)\s*(?:-->)?\s*$/.exec(l);
    if (!m) return;
    const ids = m[2].split(/[\s,]+/).filter(Boolean);
    if (ids.length === 1 && ids[0] === 'none') {
      none = true;
      return;
    }
    for (const id of ids) expected.push({ line: i + 1 + (m[1] ? 1 : 0), ruleId: id });
  });
  return { expected, none };
}

export function sortExp(list: Expectation[]): string[] {
  return list.map((e) => `${e.line}:${e.ruleId}`).sort();
}

/** Run the CLI engine on files with only the named rules enabled. */
export async function runRules(files: string[], ruleIds: string[], opts: AuditOptions = {}): Promise<Report> {
  const chosen = rules.filter((r) => ruleIds.includes(r.id));
  const overrides = Object.fromEntries(chosen.map((r) => [r.id, r.meta.severity]));
  return audit(files, { cwd: ROOT, config: {}, rules: chosen, ruleOverrides: overrides, ...opts });
}

export function actualOf(findings: Finding[]): string[] {
  return findings.map((f) => `${f.line}:${f.ruleId}`).sort();
}

export function fixtureFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(p);
    // example-flagged/example-passing: the rule's docs examples, run by test/meta.test.ts
    else if (/\.(ya?ml|json|md)$/.test(e.name) && !e.name.startsWith('example-')) out.push(p);
  }
  return out.sort();
}

/** Every .yaml/.yml file under `dir` (none when it is absent), leaving out node_modules, .git and chart templates. */
export function yamlFiles(dir: string, out: string[] = []): string[] {
  if (!fs.existsSync(dir)) return out;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory() && e.name !== 'node_modules' && e.name !== '.git' && e.name !== 'templates') yamlFiles(p, out);
    else if (e.isFile() && /\.ya?ml$/.test(e.name)) out.push(p);
  }
  return out;
}
