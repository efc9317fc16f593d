/** CLI conventions from ESLint and kube-linter: --quiet, --max-warnings, `init`, and each command's own help. */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { cli, tmpdir } from './cli-helpers.js';
import { validate, configSchema } from '../src/engine/config.js';

/** A Deployment with warnings only (no limits, no probes, runs as root). */
const DEPLOYMENT = `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  selector:\n    matchLabels: {app: web}\n  template:\n    metadata:\n      labels: {app: web}\n    spec:\n      containers:\n      - name: web\n        image: nginx:1.27.3\n        ports: [{containerPort: 80}]\n`;
const WITH_ERROR = `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: broken\n  namespace: shop\nspec:\n  template:\n    metadata:\n      labels: {app: broken}\n    spec:\n      containers:\n      - name: b\n        image: nginx:1.27.3\n`;

describe('--quiet', () => {
  it('prints errors only, and the exit code still follows them', () => {
    const dir = tmpdir({ 'd.yaml': DEPLOYMENT, 'e.yaml': WITH_ERROR });
    const all = JSON.parse(cli(['.', '--format', 'json'], { cwd: dir }).stdout);
    expect(all.findings.some((f: { severity: string }) => f.severity === 'warning')).toBe(true);
    const q = cli(['.', '--format', 'json', '--quiet'], { cwd: dir });
    const quiet = JSON.parse(q.stdout);
    expect(quiet.findings.length).toBeGreaterThan(0);
    expect(quiet.findings.every((f: { severity: string }) => f.severity === 'error')).toBe(true);
    expect(quiet.summary.warnings).toBe(0);
    expect(q.code).toBe(1);
    const onlyWarnings = tmpdir({ 'd.yaml': DEPLOYMENT });
    const s = cli(['.', '-q'], { cwd: onlyWarnings });
    expect(s.code).toBe(0);
    expect(s.stdout).not.toMatch(/warning /);
  });
});

describe('--max-warnings', () => {
  it('exits 1 past the limit even when --fail-on lets warnings through, and 0 within it', () => {
    const dir = tmpdir({ 'd.yaml': DEPLOYMENT });
    const n = JSON.parse(cli(['.', '--format', 'json'], { cwd: dir }).stdout).summary.warnings;
    expect(n).toBeGreaterThan(0);
    const over = cli(['.', '--max-warnings', String(n - 1)], { cwd: dir });
    expect(over.code).toBe(1);
    expect(over.stderr).toContain(`${n} warnings, more than --max-warnings ${n - 1}`);
    expect(cli(['.', '--max-warnings', String(n)], { cwd: dir }).code).toBe(0);
    expect(cli(['.', '--max-warnings', 'many'], { cwd: dir }).code).toBe(2);
  });
});

describe('init', () => {
  it('writes a commented .k8s-audit.yaml that validates and is used, and never overwrites one without --force', () => {
    const dir = tmpdir({ 'd.yaml': DEPLOYMENT });
    const r = cli(['init'], { cwd: dir });
    expect(r.code).toBe(0);
    const text = fs.readFileSync(path.join(dir, '.k8s-audit.yaml'), 'utf8');
    expect(text.split('\n').filter((l) => l.startsWith('#')).length).toBeGreaterThan(12);
    expect(validate(parse(text), configSchema(), '')).toEqual([]);
    expect(cli(['.'], { cwd: dir }).code).toBe(0);
    fs.writeFileSync(path.join(dir, '.k8s-audit.yaml'), 'profile: all\n');
    const again = cli(['init'], { cwd: dir });
    expect(again.code).toBe(2);
    expect(fs.readFileSync(path.join(dir, '.k8s-audit.yaml'), 'utf8')).toBe('profile: all\n');
    expect(cli(['init', '--force'], { cwd: dir }).code).toBe(0);
    expect(fs.readFileSync(path.join(dir, '.k8s-audit.yaml'), 'utf8')).toBe(text);
  });
});

describe('each command shows and takes only its own options', () => {
  const lint = ['--fail-on', '--profile', '--rule', '--sarif-file', '--format', '--quiet', '--max-warnings'];
  it('the lint lists the lint options', () => {
    const h = cli(['--help']).stdout;
    for (const o of lint) expect(h).toContain(o);
  });
  it.each([
    ['render', ['--values', '--set', '--api-versions', '--kube-version', '--namespace', '--format']],
    ['explain', []],
    ['extract', ['--out']],
    ['rules', ['--format']],
    ['init', ['--force']],
  ])('%s --help', (cmd, own) => {
    const h = cli([cmd, '--help']).stdout;
    for (const o of own) expect(h).toContain(o);
    for (const o of lint.filter((x) => !own.includes(x))) expect(h, `${cmd} --help lists ${o}`).not.toContain(o);
  });
  it('a lint option given to render is a usage error', () => {
    const r = cli(['render', 'fixtures/charts/web', '--fail-on', 'warning']);
    expect(r.code).toBe(2);
  });
});
