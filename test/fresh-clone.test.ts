/**
 * A newcomer's first step: clone the repository and run the README's first command exactly as written (read
 * from README.md, not copied here). It must install (the CLI bundle is committed: no build) and print a report,
 * exiting 1 on the broken example.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './harness.js';
import { spawnAsync } from './cli-helpers.js';

/** The first line of the README's first fenced block: the install-and-run command. */
export function readmeFirstCommand(readme: string): string {
  const m = /^```[a-z]*\n([^\n]+)\n/m.exec(readme);
  if (!m) throw new Error('README.md has no fenced block with the first command');
  return m[1].trim();
}

const hasGit = spawnSync('git', ['--version']).status === 0 && fs.existsSync(path.join(ROOT, '.git'));

describe.skipIf(!hasGit)('a fresh clone', () => {
  it('runs the README\'s first command as written: installs without building and reports on the broken example', async () => {
    const command = readmeFirstCommand(fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8'));
    expect(command).toMatch(/^npm ci && npx k8s-audit fixtures\//);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'k8s-audit-clone-'));
    try {
      const clone = spawnSync('git', ['clone', '--quiet', '--no-hardlinks', ROOT, path.join(dir, 'k8s-audit')], { encoding: 'utf8' });
      expect(clone.status, clone.stderr).toBe(0);
      const cwd = path.join(dir, 'k8s-audit');
      // a clone carries the committed CLI bundle and no other build output (no library entry, no code cache)
      expect(fs.readdirSync(path.join(cwd, 'dist')), 'a clone has only the committed bundle').toEqual(['bundle']);
      expect(fs.readdirSync(path.join(cwd, 'dist', 'bundle')).sort()).toEqual(['cli.cjs', 'inputs.json']);
      const env = { ...process.env, NO_COLOR: '1' };
      delete env.FORCE_COLOR;
      delete env.GITHUB_ACTIONS;
      // npm ci and the build take a minute or more: spawnAsync keeps the worker answering vitest meanwhile.
      const r = await spawnAsync('bash', ['-c', command], { cwd, env, timeout: 540_000 });
      expect(r.status, `${command}\n${r.stdout}\n${r.stderr}`).toBe(1);
      expect(r.stdout).toMatch(/\d+ errors?, \d+ warnings?/);
      expect(r.stdout).toMatch(/^ {2}\d+:\d+ +error /m);
      // npm ci's prepare found the committed bundle current: nothing was built, only the code cache written
      expect(fs.existsSync(path.join(cwd, 'dist', 'src')), 'npm ci built').toBe(false);
      expect(fs.existsSync(path.join(cwd, 'dist', 'bundle', 'cli.cjs.cache'))).toBe(true);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 600_000);
});
