/**
 * Bundle the CLI (`npm run build`, after tsc): dist/src/cli.js becomes one CommonJS file,
 * dist/bundle/cli.cjs, and V8's code cache for it, dist/bundle/cli.cjs.cache. bin/load-cli.js loads the two.
 *
 * Why: a pre-commit hook pays for start-up on every commit.
 * - Node's ESM loader spends about 40% of a small run resolving and linking the ~150 modules tsc emits one
 *   by one; one file has one to load.
 * - Compiling each function the first time it runs is most of what is left of a short run. Node 20 keeps no
 *   compile cache for ES modules, but a CommonJS bundle run through vm.Script can be handed V8's bytecode.
 *   The cache is taken after short training runs of the built CLI (a clean file, a file with findings, a
 *   guide, a chart render), so it holds the functions such runs need, not only the top level. Training on
 *   more (every reporter, kustomize) made the cache larger and its load slower for no gain on short runs.
 *
 * Dynamic imports inside the bundle become requires of code already in it; the parts behind them (rules,
 * Helm renderer, Markdown, reporters) still run only when asked for. The library entry (dist/src/index.js)
 * stays unbundled ES modules. Packages that read files next to their own modules (yargs' locales), that
 * the Markdown loader and the schema validators load through `require` (yaml, kubernetes-models) stay
 * external.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build, type Plugin } from 'esbuild';
import ts from 'typescript';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

const outdir = path.join(root, 'dist/bundle');

/**
 * `import { createRequire } from 'node:module'`, in the modules that load a package or a built-in only when they
 * need it (and in yargs-parser, which makes its require at load for config files it never reads here), made
 * every run load Node's public node:module (and what it pulls in) at start-up, about 1 ms of CPU. In the bundle
 * that import is a stand-in whose require loads node:module when first called; the bundled code only calls it
 * and its resolve. Importing anything else from node:module fails the build, so nothing is missed silently.
 */
const LAZY_CREATE_REQUIRE = `export function createRequire(from) {
  let real;
  const load = () => (real ??= require('node:module').createRequire(from));
  const lazy = (id) => load()(id);
  lazy.resolve = (id, options) => load().resolve(id, options);
  return lazy;
}`;
const lazyNodeModule: Plugin = {
  name: 'lazy-node-module',
  setup(b) {
    b.onResolve({ filter: /^node:module$/ }, (a) => (a.kind === 'import-statement' ? { path: 'node:module', namespace: 'lazy-node-module' } : undefined));
    b.onLoad({ filter: /.*/, namespace: 'lazy-node-module' }, () => ({ contents: LAZY_CREATE_REQUIRE, loader: 'js' }));
  },
};
fs.rmSync(outdir, { recursive: true, force: true });

await build({
  entryPoints: [path.join(root, 'dist/src/cli.js')],
  outfile: path.join(outdir, 'cli.cjs'),
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  external: ['yargs', 'yaml', 'kubernetes-models', '@kubernetes-models/*'],
  // import() of a module inside the bundle or of a package becomes a require: a script compiled from a code
  // cache has no callback for dynamic import.
  supported: { 'dynamic-import': false },
  // The modules that find package files from their own location (version, schemas, docs) do so from
  // dist/bundle, the depth of dist/src/*.
  define: { 'import.meta.url': '__k8sAuditModuleUrl', 'import.meta.filename': '__filename' },
  banner: { js: "const __k8sAuditModuleUrl = require('node:url').pathToFileURL(__filename).href;" },
  plugins: [lazyNodeModule],
  logLevel: 'warning',
  legalComments: 'none',
  minifyWhitespace: true,
  minifySyntax: true,
});

asciiOnly(path.join(outdir, 'cli.cjs'));
plainBuiltinImports(path.join(outdir, 'cli.cjs'));

/**
 * Escape the non-ASCII characters esbuild leaves in regular expression literals (it escapes those of strings and
 * templates, not of a regex such as /(\.\.\.|…)$/), so the bundle is ASCII. Why: V8 keeps an ASCII source as a
 * one-byte string, which Node decodes from the file at memory speed; a single non-ASCII character made
 * bin/load-cli.js decode the whole 1.4 MB as UTF-8 into a two-byte string, about 7 ms of every run.
 * In a literal, \uXXXX matches what the character itself matches (a character outside the BMP becomes its two
 * surrogates, as the literal's source already was to a regex without the u flag, and is to one with it). A
 * character anywhere else, or after a backslash, is left as it is: the bundle is then only slower to load.
 */
function asciiOnly(file: string): void {
  const code = fs.readFileSync(file, 'utf8');
  const at = [...code.matchAll(/[^\x00-\x7f]/g)].map((m) => m.index);
  if (!at.length) return;
  const sf = ts.createSourceFile(file, code, ts.ScriptTarget.Latest, false, ts.ScriptKind.JS);
  const inside = (pos: number, end: number) => {
    // (the first non-ASCII position at or after pos, by binary search)
    let lo = 0;
    let hi = at.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (at[mid] < pos) lo = mid + 1;
      else hi = mid;
    }
    return lo < at.length && at[lo] < end;
  };
  const escape = new Set<number>();
  const visit = (n: ts.Node): void => {
    if (!inside(n.pos, n.end)) return;
    if (n.kind !== ts.SyntaxKind.RegularExpressionLiteral) return ts.forEachChild(n, visit);
    for (const i of at) {
      if (i < n.pos || i >= n.end) continue;
      let slashes = 0;
      while (code[i - 1 - slashes] === '\\') slashes++;
      if (slashes % 2 === 0) escape.add(i);
    }
  };
  ts.forEachChild(sf, visit);
  const out = code.replace(/[^\x00-\x7f]/g, (c, i: number) => (escape.has(i) ? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}` : c));
  fs.writeFileSync(file, out);
  const left = at.length - escape.size;
  if (left) process.stderr.write(`bundle: ${left} non-ASCII characters outside regular expression literals: the bundle loads as a two-byte string (slower)\n`);
}

/**
 * `import fs from 'node:fs'` becomes `import_node_fs = __toESM(require("node:fs"), 1)` in the bundle: esbuild's
 * interop copies every property of the module onto a new object as a getter, for the `default` the code then
 * reads. For fs, path, process, os and tty at start-up that copying was about 3% of a one-file run. Where the
 * binding is only ever read as `.default` (checked here, for each one), `{default: require("node:fs")}` is the
 * same value; any other use keeps esbuild's interop.
 */
function plainBuiltinImports(file: string): void {
  const code = fs.readFileSync(file, 'utf8');
  const defaultOnly = (name: string) => {
    for (const m of code.matchAll(new RegExp(`(?<![\\w$.])${name.replace(/\$/g, '\\$')}(?![\\w$])`, 'g'))) {
      const next = code.slice(m.index + name.length, m.index + name.length + 9);
      // (its declaration in a var list, its assignment, or a read of .default)
      if (!(next.startsWith('.default') || /^[,;]/.test(next) || next.startsWith('=__toESM('))) return false;
    }
    return true;
  };
  const out = code.replace(/([\w$]+)=__toESM\(require\("(node:[\w/]+)"\),1\)/g, (all, name: string, mod: string) => (defaultOnly(name) ? `${name}={default:require(${JSON.stringify(mod)})}` : all));
  fs.writeFileSync(file, out);
}

// The bundle is committed (the Action and pre-commit's install run it without building): record what it was
// built from, which scripts/build-if-stale.mjs, the Action and test/bundle.test.ts compare with the sources.
const inputs = (await import(pathToFileURL(path.join(root, 'scripts', 'bundle-inputs.mjs')).href)) as { recordFile: string; currentRecord(): unknown };
fs.writeFileSync(inputs.recordFile, JSON.stringify(inputs.currentRecord(), null, 2) + '\n');

// V8's code cache, after training runs (scripts/code-cache.mjs, which `prepare` also runs on a machine whose
// committed bundle is current but has no cache yet).
const cache = (await import(pathToFileURL(path.join(root, 'scripts', 'code-cache.mjs')).href)) as { writeCodeCache(): { ok: boolean; status: number | null; stderr: string } };
const r = cache.writeCodeCache();
if (!r.ok || !fs.existsSync(path.join(outdir, 'cli.cjs.cache'))) {
  // The CLI works without the cache, only slower to start: say so and go on.
  process.stderr.write(`bundle: no code cache written (training exited ${r.status}): ${r.stderr.slice(0, 2000)}\n`);
}
