// What the committed CLI bundle was built from, as one hash: dist/bundle/inputs.json records it next to the
// hashes of the bundle files, so `prepare` (scripts/build-if-stale.mjs), the Action's install step and
// test/bundle.test.ts can tell, without building, whether the committed bundle is the build of these sources.
//
// Contents, not modification times: a git clone gives every file the time of the checkout, in no useful order.
// The inputs are what esbuild reads (the TypeScript sources and rules through tsc, the bundled packages pinned
// by the lock file) and what configures the build; not bin/ or schema/, which the bundle reads at run time.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const bundleDir = path.join(root, 'dist', 'bundle');
export const recordFile = path.join(bundleDir, 'inputs.json');
/** The bundle files committed with the sources (the V8 code cache is not: it fits one Node version only). */
export const BUNDLE_FILES = ['cli.cjs'];
const INPUTS = ['src', 'rules', 'package.json', 'package-lock.json', 'tsconfig.json'];

function filesUnder(rel, out) {
  const abs = path.join(root, rel);
  const st = fs.statSync(abs, { throwIfNoEntry: false });
  if (!st) return out;
  if (st.isFile()) out.push(rel);
  else if (st.isDirectory()) for (const e of fs.readdirSync(abs).sort()) filesUnder(`${rel}/${e}`, out);
  return out;
}

export const sha256 = (bytes) => crypto.createHash('sha256').update(bytes).digest('hex');

/** One hash over the inputs' paths and contents. */
export function inputsHash() {
  const h = crypto.createHash('sha256');
  for (const rel of INPUTS.flatMap((p) => filesUnder(p, [])).sort()) {
    h.update(`${rel}\0`);
    h.update(fs.readFileSync(path.join(root, rel)));
    h.update('\0');
  }
  return h.digest('hex');
}

/** The record a build writes: the inputs' hash and each bundle file's. */
export function currentRecord() {
  const files = {};
  for (const f of BUNDLE_FILES) {
    const p = path.join(bundleDir, f);
    files[f] = fs.existsSync(p) ? sha256(fs.readFileSync(p)) : null;
  }
  return { inputs: inputsHash(), files };
}

/** Why the bundle on disk is not the build of the sources on disk, or undefined when it is. */
export function staleReason() {
  let recorded;
  try {
    recorded = JSON.parse(fs.readFileSync(recordFile, 'utf8'));
  } catch {
    return 'no dist/bundle/inputs.json';
  }
  const now = currentRecord();
  if (recorded.inputs !== now.inputs) return 'the sources changed since the bundle was built';
  for (const f of BUNDLE_FILES) if (!now.files[f] || recorded.files?.[f] !== now.files[f]) return `dist/bundle/${f} is missing or not the recorded build`;
  return undefined;
}

// `node scripts/bundle-inputs.mjs --check`: exit 1 (saying why) when the bundle must be rebuilt.
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url) && process.argv.includes('--check')) {
  const why = staleReason();
  if (why) process.stdout.write(`k8s-audit: the bundle needs a build: ${why}\n`);
  process.exitCode = why ? 1 : 0;
}
