/**
 * Bundle the CLI (`npm run build`, after tsc): dist/src/cli.js becomes a few files in
 * dist/bundle, with the lazily loaded parts (rules, Helm renderer, Markdown, reporters) as split chunks.
 *
 * Why: a pre-commit hook pays for start-up on every commit, and Node's ESM loader spends about 40% of a
 * small run resolving and linking our ~150 modules one by one. The library entry (dist/src/index.js) stays
 * unbundled. Packages that read files next to their own modules (yargs' locales), that the Markdown loader
 * and the schema validators load through `require` (yaml, kubernetes-models) stay external.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

const outdir = path.join(root, 'dist/bundle');
fs.rmSync(outdir, { recursive: true, force: true });

await build({
  entryPoints: { cli: path.join(root, 'dist/src/cli.js') },
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  chunkNames: 'chunk-[hash]',
  external: ['yargs', 'yaml', 'kubernetes-models', '@kubernetes-models/*'],
  logLevel: 'warning',
  legalComments: 'none',
  // Bundled CommonJS packages (globby's fast-glob) call require() for Node's built-ins.
  banner: { js: "import { createRequire as __k8sAuditRequire } from 'node:module';\nconst require = __k8sAuditRequire(import.meta.url);" },
});
