#!/usr/bin/env node
// `prepare` (npm install in a clone, npm pack): build unless the committed CLI bundle is already the build of
// these sources (dist/bundle/inputs.json, see scripts/bundle-inputs.mjs). pre-commit installs a hook with
// `npm install` and then `npm pack`, both of which run `prepare`: with the bundle committed and current,
// neither builds, and the hook runs bin/k8s-audit.js from the bundle. `npm run build` always builds (and also
// writes the library entry, dist/src, which the CLI does not need).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { bundleDir, root, staleReason } from './bundle-inputs.mjs';
import { writeCodeCache } from './code-cache.mjs';

const why = staleReason();
if (!why) {
  process.stdout.write('k8s-audit: the committed bundle is the build of these sources (npm run build rebuilds it)\n');
  // The code cache is this machine's (one Node version): a second or two now saves ~60 ms on every run.
  if (!fs.existsSync(path.join(bundleDir, 'cli.cjs.cache')) && !writeCodeCache().ok) process.stdout.write('k8s-audit: no code cache written; the CLI starts a little slower\n');
} else {
  process.stdout.write(`k8s-audit: building (${why})\n`);
  const r = spawnSync('npm', ['run', 'build', '--silent'], { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' });
  process.exitCode = r.status ?? 1;
}
