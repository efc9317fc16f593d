/** The npm tarball installs globally and its `k8s-audit` works on a directory. */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './harness.js';
import { BAD_SERVICE, DEPLOYMENT, spawnAsync, tmpdir } from './cli-helpers.js';

describe('npm pack', () => {
  it('installs globally and runs', async () => {
    const out = tmpdir();
    // --ignore-scripts: the tarball is packed from the dist/ that `npm test` just built.
    const name = execFileSync('npm', ['pack', '--ignore-scripts', '--pack-destination', out], { cwd: ROOT, encoding: 'utf8' }).trim().split('\n').pop()!;
    const tarball = path.join(out, name);
    expect(fs.existsSync(tarball)).toBe(true);
    const prefix = path.join(out, 'global');
    const inst = await spawnAsync('npm', ['install', '-g', '--prefix', prefix, '--prefer-offline', '--no-audit', '--no-fund', tarball], { timeout: 240_000 });
    expect(inst.status, inst.stderr).toBe(0);
    const bin = path.join(prefix, 'bin', 'k8s-audit');
    expect(fs.existsSync(bin)).toBe(true);
    const dir = tmpdir({ 'k8s/app.yaml': `${DEPLOYMENT}---\n${BAD_SERVICE}` });
    const r = spawnSync(bin, ['k8s', '--format', 'json'], { cwd: dir, encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.findings.map((f: { ruleId: string }) => f.ruleId)).toContain('service-selector-no-match');
    expect(spawnSync(bin, ['--version'], { encoding: 'utf8' }).stdout.trim()).toBe(JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version);
    // The configuration schema ships with the package.
    expect(fs.existsSync(path.join(prefix, 'lib', 'node_modules', 'k8s-audit', 'schema', 'k8s-audit.schema.json'))).toBe(true);
  }, 300_000);
});
