/**
 * The committed CLI bundle (dist/bundle/cli.cjs, with dist/bundle/inputs.json recording what it was built
 * from) is what the Action and the pre-commit hook run without building: it must be the build of the sources.
 * `npm run build` regenerates both files; commit them with the sources they were built from.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: plain JavaScript shared with `prepare` (scripts/build-if-stale.mjs), which runs before any build
import { BUNDLE_FILES, currentRecord, recordFile, staleReason } from '../scripts/bundle-inputs.mjs';
import { ROOT } from './harness.js';

const git = (args: string[]) => spawnSync('git', args, { cwd: ROOT, encoding: 'utf8' });
const inGit = git(['rev-parse', '--is-inside-work-tree']).stdout.trim() === 'true';
const REGENERATE = 'run `npm run build` and commit dist/bundle/cli.cjs and dist/bundle/inputs.json';

describe('the committed CLI bundle', () => {
  it('records the hash of the sources it was built from, and of its own bytes', () => {
    const recorded = JSON.parse(fs.readFileSync(recordFile, 'utf8'));
    const now = currentRecord();
    expect(recorded.inputs, `the sources changed since the bundle was built: ${REGENERATE}`).toBe(now.inputs);
    for (const f of BUNDLE_FILES) expect(recorded.files[f], `dist/bundle/${f} is not the recorded build: ${REGENERATE}`).toBe(now.files[f]);
  });

  it.skipIf(!inGit)('is tracked by git, and a build of the committed sources reproduces the committed bytes', () => {
    const paths = [...(BUNDLE_FILES as string[]).map((f) => `dist/bundle/${f}`), 'dist/bundle/inputs.json'];
    for (const p of paths) expect(git(['ls-files', '--error-unmatch', p]).status, `${p} is not committed`).toBe(0);
    // `npm test` builds first (pretest). When the sources are the committed ones (CI's checkout), that build must
    // have written exactly the committed bundle: otherwise the commit carries a stale bundle, or the build is
    // not reproducible. With uncommitted source changes (work in progress) there is nothing to compare yet.
    const sources = git(['status', '--porcelain', '--', 'src', 'rules', 'package.json', 'package-lock.json', 'tsconfig.json']).stdout.trim();
    if (sources) return;
    expect(git(['status', '--porcelain', '--', ...paths]).stdout.trim(), `the build differs from the committed bundle: ${REGENERATE}`).toBe('');
  });

  // (on a stale bundle prepare would build: the first test reports that)
  it.skipIf(Boolean(staleReason()))('prepare does not build when the bundle is current, and writes the missing code cache', () => {
    // (a CLI started meanwhile by another test compiles without the cache: only slower)
    const cache = path.join(ROOT, 'dist', 'bundle', 'cli.cjs.cache');
    fs.rmSync(cache, { force: true });
    const r = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'build-if-stale.mjs')], { cwd: ROOT, encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('the committed bundle is the build of these sources');
    expect(r.stdout).not.toContain('building');
    expect(fs.statSync(cache).size).toBeGreaterThan(100_000);
  });
});
