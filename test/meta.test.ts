/** Rule metadata is the single source of docs, `explain`, SARIF and config: check it is complete and current. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { rules } from '../rules/index.js';
import { renderRulePage, renderRulesMarkdown, ruleExamples, RULES_END, RULES_START } from '../src/docs.js';
import { audit } from '../src/engine/run.js';
import { ROOT } from './harness.js';

const CATEGORIES = ['syntax', 'schema', 'security', 'reliability', 'resources', 'networking', 'storage', 'configuration', 'autoscaling', 'observability', 'correctness', 'lifecycle', 'meta'];

describe('rule registry', () => {
  it('lists every module in rules/ exactly once, alphabetised', () => {
    const files = fs
      .readdirSync(path.join(ROOT, 'rules'))
      .filter((f) => f.endsWith('.ts') && f !== 'index.ts')
      .map((f) => f.replace(/\.ts$/, ''))
      .sort();
    const ids = rules.map((r) => r.id);
    expect([...ids].sort()).toEqual(files);
    expect(ids).toEqual([...ids].sort());
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe.each(rules.map((r) => [r.id, r] as const))('%s metadata', (id, rule) => {
  it('is complete', () => {
    expect(id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
    const m = rule.meta;
    expect(m.description).toMatch(/^[A-Z][a-z]+ /);
    expect(m.description).not.toMatch(/\.$/);
    expect(['error', 'warning', 'info']).toContain(m.severity);
    expect(CATEGORIES).toContain(m.category);
    expect(m.docs.rationale.length).toBeGreaterThan(40);
    expect(m.docs.remediation.length).toBeGreaterThan(20);
    expect(Object.keys(m.messages).length).toBeGreaterThan(0);
    for (const msg of Object.values(m.messages)) expect(msg).not.toMatch(/\.$/);
    expect(Boolean(rule.check) || Boolean(rule.checkDocument) || id === 'unused-suppression').toBe(true);
  });

  const ex = ruleExamples(id, ROOT);
  if (ex) {
    it('docs examples (files next to its fixtures) are executed: the flagged one is flagged, the passing one is not', async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'k8s-audit-example-'));
      fs.writeFileSync(path.join(dir, 'invalid.yaml'), ex.invalid);
      fs.writeFileSync(path.join(dir, 'valid.yaml'), ex.valid);
      const run = async (f: string) => (await audit([f], { cwd: dir, config: {}, rules: [rule], ruleOverrides: { [id]: rule.meta.severity } })).findings.filter((x) => x.ruleId === id);
      expect((await run('invalid.yaml')).length).toBeGreaterThan(0);
      expect(await run('valid.yaml')).toEqual([]);
    });
    it('docs examples under the default profile with every rule: the passing one draws no warning or error of any rule (infos allowed), the flagged one its own rule', async () => {
      // A page whose "passes" example earns other rules' warnings teaches the reader to copy a manifest the linter rejects.
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'k8s-audit-example-'));
      fs.writeFileSync(path.join(dir, 'invalid.yaml'), ex.invalid);
      fs.writeFileSync(path.join(dir, 'valid.yaml'), ex.valid);
      const optIn = rule.meta.recommended ? {} : { [id]: rule.meta.severity };
      const valid = await audit(['valid.yaml'], { cwd: dir, config: {}, ruleOverrides: optIn });
      expect(valid.findings.filter((x) => x.severity !== 'info').map((x) => `${x.ruleId}: ${x.message}`)).toEqual([]);
      const invalid = await audit(['invalid.yaml'], { cwd: dir, config: {}, ruleOverrides: optIn });
      expect(invalid.findings.map((x) => x.ruleId)).toContain(id);
      fs.rmSync(dir, { recursive: true, force: true });
    });
  }
});

describe('rule pages', () => {
  it('every rule has an example pair except the few that cannot have one', () => {
    const without = rules.filter((r) => !ruleExamples(r.id, ROOT)).map((r) => r.id);
    expect(without.length).toBeLessThan(12);
  });
  it.each(rules.map((r) => [r.id, r] as const))('docs/rules/%s.md is current (run `npm run docs`)', (id, rule) => {
    const p = path.join(ROOT, 'docs', 'rules', `${id}.md`);
    expect(fs.existsSync(p), `${p} is missing`).toBe(true);
    expect(fs.readFileSync(p, 'utf8')).toBe(renderRulePage(rule, ruleExamples(id, ROOT)));
  });
  it('has no page for a rule that does not exist', () => {
    const ids = new Set(rules.map((r) => `${r.id}.md`));
    expect(fs.readdirSync(path.join(ROOT, 'docs', 'rules')).filter((f) => !ids.has(f))).toEqual([]);
  });
});

describe('README', () => {
  it('rules section is generated from the metadata (run `npm run docs`)', () => {
    const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const a = readme.indexOf(RULES_START) + RULES_START.length;
    const b = readme.indexOf(RULES_END);
    expect(readme.slice(a, b).trim()).toBe(renderRulesMarkdown(rules).trim());
  });
  it('opens with the install-and-run and the test commands, and the example exists', () => {
    const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const block = /```sh\n([\s\S]*?)```/.exec(readme)![1].trim().split('\n');
    expect(block[0]).toMatch(/^npm ci && npx k8s-audit fixtures\/\S+$/);
    expect(block[1]).toBe('npm test');
    const example = block[0].split(' ').pop()!;
    expect(fs.existsSync(path.join(ROOT, example)), example).toBe(true);
  });
});
