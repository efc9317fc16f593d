/**
 * Issue 25, the command line: a target Kubernetes version that is not one is refused (exit 2) wherever it comes
 * from, instead of silently turning the API lifecycle rules off; repeatable options take one value each, so the
 * paths after them are linted (not swallowed as more values).
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, tmpdir } from './cli-helpers.js';
import { checkKubeVersion } from '../src/engine/kube-version.js';
import { runAction } from '../src/action.js';

const CHART = 'fixtures/charts/web';

const DEPLOYMENT_V1BETA1 = `apiVersion: extensions/v1beta1
kind: Deployment
metadata:
  name: old
spec:
  template:
    metadata:
      labels: {app: old}
    spec:
      containers:
        - name: app
          image: registry.example.com/app:1.0
`;

describe('--kube-version is checked as the configuration checks kubeVersion', () => {
  it('accepts 1.MINOR and 1.MINOR.PATCH with or without v', () => {
    for (const v of ['1.34', 'v1.34', '1.30.2', 'v1.16.0', '1.10']) expect(checkKubeVersion(v), v).toEqual({ version: v.replace(/^v/, '') });
  });

  it('refuses what is not a version, and 1.3 (an unquoted 1.30) with the likely meaning', () => {
    expect(checkKubeVersion('banana')).toHaveProperty('error');
    expect(checkKubeVersion('1')).toHaveProperty('error');
    expect(checkKubeVersion('2.0')).toHaveProperty('error');
    expect(checkKubeVersion('1.34.x')).toHaveProperty('error');
    expect((checkKubeVersion('1.3') as { error: string }).error).toMatch(/did you mean 1\.30\?/);
    expect((checkKubeVersion('1.9.1') as { error: string }).error).not.toMatch(/did you mean/);
    expect((checkKubeVersion(1.3) as { error: string }).error).toMatch(/YAML number: quote it/);
  });

  it('on the command line: exit 2 naming the option and the accepted forms, nothing linted', () => {
    const dir = tmpdir({ 'old.yaml': DEPLOYMENT_V1BETA1 });
    for (const v of ['banana', '1.3']) {
      const r = cli(['--kube-version', v, 'old.yaml'], { cwd: dir });
      expect(r.code, v).toBe(2);
      expect(r.stderr).toMatch(/--kube-version .* expected 1\.MINOR or 1\.MINOR\.PATCH/);
      expect(r.stdout).toBe('');
    }
    // a real version still decides removed APIs
    const ok = cli(['--kube-version', '1.30', 'old.yaml', '--format', 'json'], { cwd: dir });
    expect(JSON.parse(ok.stdout).findings.map((f: { ruleId: string }) => f.ruleId)).toContain('removed-api');
  });

  it('for render too', () => {
    const r = cli(['render', CHART, '--kube-version', 'banana']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--kube-version "banana" is not a Kubernetes version/);
  });

  it('in the configuration: an unquoted 1.30 is named at its line', () => {
    const dir = tmpdir({ 'old.yaml': DEPLOYMENT_V1BETA1, '.k8s-audit.yaml': '# target\nkubeVersion: 1.30\n' });
    const r = cli(['old.yaml'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/\.k8s-audit\.yaml:2:14: invalid configuration: kubeVersion is not a version \(a YAML number: quote it, "1\.3" or "1\.30"\)/);
  });

  it('in the Action: the input arrives as "1.3" from a workflow; exit 2 with an error annotation', async () => {
    const dir = tmpdir({ 'old.yaml': DEPLOYMENT_V1BETA1 });
    let out = '';
    const code = await runAction({ env: { INPUT_PATHS: 'old.yaml', 'INPUT_KUBE-VERSION': '1.3' }, cwd: dir, stdout: (s) => (out += s) });
    expect(code).toBe(2);
    expect(out).toMatch(/^::error title=k8s-audit::input kube-version "1\.3" is older than any API version/m);
  });

  it('through the library: audit() refuses it too', async () => {
    const { audit, UsageError } = await import('../src/engine/run.js');
    const dir = tmpdir({ 'old.yaml': DEPLOYMENT_V1BETA1 });
    await expect(audit(['old.yaml'], { cwd: dir, kubeVersion: 'banana' })).rejects.toBeInstanceOf(UsageError);
  });
});

describe('repeatable options take one value each, before or after the paths', () => {
  const files = (stdout: string) => new Set((JSON.parse(stdout).findings as { file: string }[]).map((f) => f.file.split('/').slice(0, 3).join('/')));

  it('-f v.yaml CHART lints the chart with the values, not the working directory', () => {
    const dir = tmpdir({ 'v.yaml': 'selectorApp: from-values\n' });
    const values = path.join(dir, 'v.yaml');
    const before = cli(['-f', values, CHART, '--format', 'json']);
    const after = cli([CHART, '-f', values, '--format', 'json']);
    expect(before.code, before.stderr).toBe(0);
    expect(JSON.parse(before.stdout).summary.files).toBe(1);
    expect([...files(before.stdout)]).toEqual([CHART]);
    // the values were applied: the Service selects what they say
    expect(before.stdout).toMatch(/selects app=from-values/);
    expect(JSON.parse(before.stdout).findings).toEqual(JSON.parse(after.stdout).findings);
  });

  it('-f a -f b: both files, in order', () => {
    const dir = tmpdir({ 'a.yaml': 'selectorApp: first\n', 'b.yaml': 'selectorApp: second\n' });
    const r = cli(['-f', path.join(dir, 'a.yaml'), '-f', path.join(dir, 'b.yaml'), CHART, '--format', 'json']);
    expect(r.stdout).toMatch(/selects app=second/);
    expect(r.stdout).not.toMatch(/selects app=first/);
  });

  it('--rule id=off FILE lints the file with the rule off', () => {
    const r = cli(['--rule', 'run-as-root=off', '--rule', 'missing-memory-limit=off', CHART, '--format', 'json']);
    expect(r.code, r.stderr).toBe(0);
    const ids = (JSON.parse(r.stdout).findings as { ruleId: string }[]).map((f) => f.ruleId);
    expect(ids).not.toContain('run-as-root');
    expect(ids).not.toContain('missing-memory-limit');
    expect(ids).toContain('missing-readiness-probe');
  });

  it('--set and -a before the path', () => {
    const r = cli(['--set', 'selectorApp=from-set', '-a', 'example.com/v1', CHART, '--format', 'json']);
    expect(r.code, r.stderr).toBe(0);
    expect([...files(r.stdout)]).toEqual([CHART]);
    expect(r.stdout).toMatch(/selects app=from-set/);
  });

  it('render -f v.yaml CHART renders the chart with the values', () => {
    const dir = tmpdir({ 'v.yaml': 'replicaCount: 7\n' });
    const r = cli(['render', '-f', path.join(dir, 'v.yaml'), CHART]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/replicas: 7/);
  });

  it('--help says so', () => {
    const r = cli(['--help']);
    expect(r.stdout).toMatch(/Repeatable options take one value each time/);
    expect(fs.existsSync(path.resolve(CHART))).toBe(true);
  });
});
