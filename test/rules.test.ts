/**
 * Every rule runs on its own fixtures in fixtures/rules/<rule-id>/: files named valid* carry `# expect: none`
 * and must produce nothing; files named invalid* carry `# expect: <rule-id>` on each line a finding must
 * land on, and must produce exactly those. A fixture that is a directory (a chart, a stack) is run whole,
 * with expectations read from every file in it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { rules } from '../rules/index.js';
import { ROOT, expectationsOf, fixtureFiles, runRules } from './harness.js';

function walk(p: string): string[] {
  if (fs.statSync(p).isFile()) return [p];
  return fs.readdirSync(p).flatMap((n) => walk(path.join(p, n)));
}

describe.each(rules.map((r) => [r.id, r] as const))('%s', (id) => {
  const dir = path.join(ROOT, 'fixtures', 'rules', id);
  const files = fixtureFiles(dir);

  it('has at least one valid and one invalid fixture', () => {
    const names = files.map((f) => path.basename(f));
    expect(names.some((n) => n.startsWith('valid')), `fixtures/rules/${id} needs a valid* fixture`).toBe(true);
    expect(names.some((n) => n.startsWith('invalid')), `fixtures/rules/${id} needs an invalid* fixture`).toBe(true);
  });

  for (const file of files) {
    const rel = path.relative(ROOT, file);
    it(rel, async () => {
      const byFile = new Map<string, string[]>();
      let sawNone = false;
      for (const f of walk(file)) {
        if (!/\.(ya?ml|json|md|tpl)$/.test(f)) continue;
        const { expected, none } = expectationsOf(fs.readFileSync(f, 'latin1'));
        // A file that cannot hold comments (binary) lists its expectations in <file>.expect as "line: rule".
        if (fs.existsSync(`${f}.expect`)) {
          for (const l of fs.readFileSync(`${f}.expect`, 'utf8').split('\n')) {
            const m = /^(\d+):\s*(\S+)/.exec(l);
            if (m) expected.push({ line: Number(m[1]), ruleId: m[2] });
          }
        }
        sawNone ||= none;
        const key = path.relative(ROOT, f).split(path.sep).join('/');
        byFile.set(key, expected.filter((e) => e.ruleId === id).map((e) => `${key}:${e.line}`));
      }
      // Stale suppressions can only be judged with the rules they name running.
      const report = await runRules([rel], id === 'unused-suppression' ? rules.map((r) => r.id) : [id]);
      const actual = report.findings.filter((f) => f.ruleId === id).map((f) => `${f.file}:${f.line}`).sort();
      const expected = [...byFile.values()].flat().sort();
      if (path.basename(file).startsWith('valid')) {
        expect(sawNone, `${rel} must say "# expect: none"`).toBe(true);
        expect(expected).toEqual([]);
      } else {
        expect(expected.length, `${rel} has no "# expect: ${id}" marker`).toBeGreaterThan(0);
      }
      expect(actual).toEqual(expected);
    });
  }
});
