#!/usr/bin/env node
// `prepare` (npm install in a clone, npm pack): build unless the build is newer than every input. pre-commit
// installs a hook with `npm install` and then `npm pack`, both of which run `prepare`; the second one has
// nothing to rebuild. `npm run build` always builds.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const built = path.join(root, 'dist', 'bundle', 'cli.cjs');

/** The newest modification time of a file or of the files under a directory. */
function newest(p) {
  let st;
  try {
    st = fs.statSync(p);
  } catch {
    return 0;
  }
  if (!st.isDirectory()) return st.mtimeMs;
  let m = 0;
  for (const e of fs.readdirSync(p)) m = Math.max(m, newest(path.join(p, e)));
  return m;
}

const inputs = ['src', 'rules', 'schema', 'bin', 'package.json', 'package-lock.json', 'tsconfig.json'].map((p) => path.join(root, p));
const builtAt = newest(built);
if (builtAt && fs.existsSync(path.join(root, 'dist', 'src', 'index.js')) && inputs.every((p) => newest(p) <= builtAt)) {
  process.stdout.write('k8s-audit: the build is up to date (npm run build rebuilds it)\n');
} else {
  const r = spawnSync('npm', ['run', 'build', '--silent'], { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' });
  process.exitCode = r.status ?? 1;
}
