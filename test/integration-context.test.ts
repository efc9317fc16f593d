/**
 * `--context PATH FILE...` (what the pre-commit hook runs) and the engine's `reportOnly`: everything is read,
 * only findings in FILE... (or tied to them by a related location; a chart file standing for its chart) are
 * reported, and the cross-resource rules know the whole set.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { audit } from '../src/engine/run.js';
import { reportScope } from '../src/engine/scope.js';
import { withContext } from '../src/integrations/context.js';
import type { Finding } from '../src/types.js';
import { BAD_SERVICE, DEPLOYMENT, cli, tmpdir } from './cli-helpers.js';

const BROKEN = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  k: [unclosed\n';

const f = (file: string, related: string[] = []): Finding => ({
  ruleId: 'r',
  severity: 'warning',
  message: 'm',
  file,
  line: 1,
  column: 1,
  endLine: 1,
  endColumn: 2,
  resource: null,
  hint: '',
  ...(related.length ? { related: related.map((r) => ({ file: r, line: 1, column: 1, endLine: 1, endColumn: 2, message: 'x' })) } : {}),
});

describe('reportScope', () => {
  it('keeps findings in the given files and directories, or related to them', () => {
    const dir = tmpdir({ 'a.yaml': '', 'k8s/b.yaml': '', 'k8s/c.yaml': '' });
    const keep = reportScope(dir, ['a.yaml', 'k8s/']);
    expect(keep(f('a.yaml'))).toBe(true);
    expect(keep(f('k8s/c.yaml'))).toBe(true);
    expect(keep(f('k8s2/c.yaml'))).toBe(false);
    expect(keep(f('other.yaml'))).toBe(false);
    expect(keep(f('other.yaml', ['a.yaml']))).toBe(true);
    expect(reportScope(dir, ['.'])(f('anything.yaml'))).toBe(true);
    expect(reportScope(dir, [])(f('a.yaml'))).toBe(false);
  });

  it('widens a file inside a Helm chart to the whole chart', () => {
    const dir = tmpdir({ 'charts/web/Chart.yaml': 'name: web\n', 'charts/web/values.yaml': '', 'charts/web/templates/d.yaml': '', 'k8s/x.yaml': '' });
    const keep = reportScope(dir, ['charts/web/values.yaml']);
    expect(keep(f('charts/web/templates/d.yaml'))).toBe(true);
    expect(keep(f('k8s/x.yaml'))).toBe(false);
  });
});

describe('withContext', () => {
  it('reads files under the context through the directory walk and reports only on them', () => {
    const cwd = path.resolve('/repo');
    expect(withContext(['k8s/a.yaml', '../elsewhere/b.yaml', '-'], ['.'], cwd)).toEqual({
      paths: ['.', '../elsewhere/b.yaml', '-'],
      reportOnly: ['k8s/a.yaml', '../elsewhere/b.yaml', '<stdin>'],
    });
    expect(withContext(['k8s/a.yaml', 'docs/b.yaml'], ['k8s'], cwd).paths).toEqual(['k8s', 'docs/b.yaml']);
    // The directory walk skips dot-directories: files there are read on their own.
    expect(withContext(['.deploy/a.yaml', 'k8s/.b.yaml', 'k8s/c.yaml'], ['.'], cwd).paths).toEqual(['.', '.deploy/a.yaml', 'k8s/.b.yaml']);
  });
});

describe('audit({reportOnly})', () => {
  it('sees the whole set but reports only on the chosen file; counts only what it reports', async () => {
    const dir = tmpdir({ 'k8s/svc.yaml': BAD_SERVICE, 'k8s/deploy.yaml': DEPLOYMENT, 'legacy/broken.yaml': BROKEN });
    const all = await audit(['.'], { cwd: dir, config: {} });
    expect(all.findings.map((x) => x.ruleId)).toEqual(expect.arrayContaining(['service-selector-no-match', 'syntax-error']));
    const scoped = await audit(['.'], { cwd: dir, config: {}, reportOnly: ['k8s/svc.yaml'] });
    expect(scoped.findings.every((x) => x.file === 'k8s/svc.yaml' || x.related?.some((r) => r.file === 'k8s/svc.yaml'))).toBe(true);
    expect(scoped.findings.some((x) => x.ruleId === 'service-selector-no-match')).toBe(true);
    expect(scoped.summary.errors).toBe(scoped.findings.filter((x) => x.severity === 'error').length);
    expect(scoped.findings.some((x) => x.file === 'legacy/broken.yaml')).toBe(false);
  });
});

describe('k8s-audit --context', () => {
  it('reports the staged Service against the Deployment it cannot see alone', () => {
    const dir = tmpdir({ 'k8s/svc.yaml': BAD_SERVICE, 'k8s/deploy.yaml': DEPLOYMENT, 'legacy/broken.yaml': BROKEN });
    // Alone, the Service's workloads are unknown: the cross-resource rule stays silent.
    const alone = cli(['k8s/svc.yaml', '--format', 'json'], { cwd: dir });
    expect(JSON.parse(alone.stdout).findings.map((x: Finding) => x.ruleId)).not.toContain('service-selector-no-match');
    // With the repository as context it knows better; the broken legacy file is not reported.
    const r = cli(['--context=.', 'k8s/svc.yaml', '--format', 'json'], { cwd: dir });
    const json = JSON.parse(r.stdout);
    expect(json.findings.map((x: Finding) => `${x.file}:${x.line}:${x.ruleId}`)).toContain('k8s/svc.yaml:6:service-selector-no-match');
    expect(json.findings.some((x: Finding) => x.file === 'legacy/broken.yaml')).toBe(false);
    expect(r.code).toBe(0);
    // The separated form works too, and a staged broken file fails the run.
    const r2 = cli(['--context', '.', 'legacy/broken.yaml'], { cwd: dir });
    expect(r2.code).toBe(1);
    expect(r2.stdout).toMatch(/^legacy\/broken\.yaml\n {2}6:/m);
    expect(r2.stdout).not.toContain('k8s/svc.yaml');
  });

  it('a staged file in a dot-directory is still linted', () => {
    const dir = tmpdir({ '.deploy/broken.yaml': BROKEN, 'k8s/deploy.yaml': DEPLOYMENT });
    const r = cli(['--context=.', '.deploy/broken.yaml'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^\.deploy\/broken\.yaml\n {2}6:/m);
  });

  it('with no files to report on, reports nothing', () => {
    const dir = tmpdir({ 'legacy/broken.yaml': BROKEN });
    const r = cli(['--context=.', '--format', 'json'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).findings).toEqual([]);
  });
});

describe('--context-git', () => {
  const hasGit = spawnSync('git', ['--version']).status === 0;
  it.skipIf(!hasGit)('takes context only from files git tracks: an untracked Deployment does not hide a staged Service selecting nothing', () => {
    const api = DEPLOYMENT.replace(/\bweb\b/g, 'api');
    const dir = tmpdir({ 'k8s/web.yaml': DEPLOYMENT, 'k8s/svc.yaml': BAD_SERVICE.replace('wbe', 'api'), 'scratch/api.yaml': api });
    expect(spawnSync('git', ['init', '-q'], { cwd: dir }).status).toBe(0);
    expect(spawnSync('git', ['add', 'k8s'], { cwd: dir }).status).toBe(0);
    const rules = (args: string[]) => (JSON.parse(cli([...args, '--format', 'json'], { cwd: dir }).stdout).findings as Finding[]).map((x) => x.ruleId);
    expect(rules(['--context=.', 'k8s/svc.yaml'])).not.toContain('service-selector-no-match');
    expect(rules(['--context=.', '--context-git', 'k8s/svc.yaml'])).toContain('service-selector-no-match');
  });

  it('is a usage error outside a git work tree', () => {
    const dir = tmpdir({ 'a.yaml': BAD_SERVICE });
    const r = cli(['--context=.', '--context-git', 'a.yaml'], { cwd: dir, env: { GIT_CEILING_DIRECTORIES: path.dirname(dir) } });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--context-git: git rev-parse --show-toplevel failed/);
  });
});
