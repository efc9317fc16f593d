/**
 * Baselines on a git repository built here: `--write-baseline` records today's findings, a later commit that
 * moves every line keeps them known, a new defect is reported and fails, a fixed one is listed as gone.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyBaseline, makeBaseline, readBaseline, BaselineError } from '../src/report/baseline.js';
import type { Report } from '../src/types.js';
import { BAD_SERVICE, DEPLOYMENT, cli, makeFinding, tmpdir, git, hasGit } from './cli-helpers.js';

const report = (findings = [makeFinding()]): Report => ({
  tool: { name: 'k8s-audit', version: '0' },
  findings,
  suppressed: [],
  summary: { files: 1, resources: 1, errors: 0, warnings: findings.length, infos: 0, suppressed: 0, skipped: 0 },
});

describe('applyBaseline', () => {
  it('matches fingerprints as a multiset: a second copy of a known defect is new', () => {
    const one = makeFinding({ fingerprint: 'abc' });
    const b = makeBaseline(report([one]));
    const r = applyBaseline(report([one, { ...one, line: 40 }]), b);
    expect(r.matched).toBe(1);
    expect(r.report.findings).toHaveLength(1);
    expect(r.report.summary.warnings).toBe(1);
    expect(r.gone).toEqual([]);
  });

  it('lists the entries no finding matched', () => {
    const b = makeBaseline(report([makeFinding({ fingerprint: 'gone' })]));
    const r = applyBaseline(report([]), b);
    expect(r.gone.map((e) => e.fingerprint)).toEqual(['gone']);
  });

  it('refuses a file that is not a baseline', () => {
    const dir = tmpdir({ 'b.json': '{"findings": []}', 'c.json': 'not json' });
    expect(() => readBaseline(path.join(dir, 'b.json'))).toThrow(BaselineError);
    expect(() => readBaseline(path.join(dir, 'c.json'))).toThrow(/not JSON/);
  });
});

describe.skipIf(!hasGit)('--baseline on a git repository', () => {
  it('hides recorded findings after lines move, reports and fails on new ones, lists the gone entries', () => {
    const dir = tmpdir({ 'k8s/app.yaml': DEPLOYMENT, 'k8s/svc.yaml': BAD_SERVICE, 'k8s/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n' });
    git(dir, 'init', '-q');
    // Today's findings: the Service selects nothing (and whatever else the default profile says).
    const first = cli(['k8s', '--format', 'json'], { cwd: dir });
    const before = JSON.parse(first.stdout).findings as { ruleId: string; file: string }[];
    expect(before.some((f) => f.ruleId === 'service-selector-no-match' && f.file === 'k8s/svc.yaml')).toBe(true);
    const w = cli(['k8s', '--write-baseline', '.k8s-audit-baseline.json', '--format', 'json'], { cwd: dir });
    expect(w.code, w.stderr).toBe(0);
    expect(JSON.parse(w.stdout).findings).toEqual([]);
    expect(w.stderr).toMatch(new RegExp(`wrote ${before.length} findings? to the baseline`));
    const saved = readBaseline(path.join(dir, '.k8s-audit-baseline.json'));
    expect(saved.findings).toHaveLength(before.length);
    git(dir, 'add', '.');
    git(dir, 'commit', '-qm', 'baseline');

    // Every line of the Service moves down; a new Service with a new defect appears.
    fs.writeFileSync(path.join(dir, 'k8s/svc.yaml'), `# moved\n# down\n# three lines\n${BAD_SERVICE}---\n${BAD_SERVICE.replace('name: web', 'name: other').replace('wbe', 'nope')}`);
    const r = cli(['k8s', '--baseline', '.k8s-audit-baseline.json', '--format', 'json', '--fail-on', 'warning'], { cwd: dir });
    const after = JSON.parse(r.stdout).findings as { ruleId: string; message: string; line: number }[];
    expect(r.code, r.stderr).toBe(1);
    expect(after.filter((f) => f.ruleId === 'service-selector-no-match').map((f) => f.message)).toEqual([expect.stringContaining('"other"')]);
    expect(after.every((f) => !f.message.includes('"web" selects'))).toBe(true);
    expect(r.stderr).toMatch(/baseline \.k8s-audit-baseline\.json: \d+ known findings? left out, \d+ new, 0 entries gone/);

    // The old defect fixed: its entry is gone, the run is clean when the new Service goes too.
    fs.writeFileSync(path.join(dir, 'k8s/svc.yaml'), BAD_SERVICE.replace('wbe', 'web'));
    const fixed = cli(['k8s', '--baseline', '.k8s-audit-baseline.json'], { cwd: dir });
    expect(fixed.stderr).toMatch(/1 entry gone/);
    expect(fixed.stderr).toMatch(/baseline entry gone .*k8s\/svc\.yaml: service-selector-no-match: Service "web"/);
  });

  it('is a usage error when the baseline is missing or not one', () => {
    const dir = tmpdir({ 'a.yaml': BAD_SERVICE, 'bad.json': '[]' });
    expect(cli(['a.yaml', '--baseline', 'missing.json'], { cwd: dir }).code).toBe(2);
    const r = cli(['a.yaml', '--baseline', 'bad.json'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/not a k8s-audit baseline/);
  });
});
