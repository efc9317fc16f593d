// Loads the bundled CLI (dist/bundle/cli.cjs, one CommonJS file built by src/tools/bundle.ts) with V8's
// code cache (dist/bundle/cli.cjs.cache, written by the same build after a few training runs).
//
// Why: a pre-commit hook pays for start-up on every commit. Compiling the bundle's functions the first time
// they run is a large part of a short run, and Node 20 keeps no compile cache for ES modules. A vm.Script
// given the cached bytecode skips that compilation. A cache that does not fit this Node (another V8 version
// or other V8 flags) is rejected by V8 and the script compiles as usual: it is only ever slower, never wrong.
//
// Only files of this package are read: the bundle and its cache, next to each other in dist/bundle.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import v8 from 'node:v8';
import vm from 'node:vm';

export const bundleFile = fileURLToPath(new URL('../dist/bundle/cli.cjs', import.meta.url));
export const cacheFile = `${bundleFile}.cache`;

/**
 * A lint run is short: TurboFan compiling a hot function with its callees inlined costs more CPU (on background
 * threads) than the faster code gives back before the run ends. Without inlining, 10,000 generated resources
 * take about 10-15% less CPU and 1,000 about 18% less; 50,000 the same (bench/run.mjs, issue 31). Set before the
 * bundle compiles: V8's code cache records the flags, and the build's training runs load the CLI through here too.
 */
function tuneCompiler() {
  v8.setFlagsFromString('--no-turbo-inlining');
}

/**
 * Run the bundle's module code and return its exports, with the vm.Script it was compiled from (the build
 * asks that script for the code cache after its training runs).
 */
export function loadCli({ useCache = true } = {}) {
  tuneCompiler();
  const source = fs.readFileSync(bundleFile, 'utf8');
  let cachedData;
  if (useCache) {
    try {
      cachedData = fs.readFileSync(cacheFile);
    } catch {
      // no cache (a build that could not write one): compile as usual
    }
  }
  const script = new vm.Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, {
    filename: bundleFile,
    cachedData,
  });
  const wrapper = script.runInThisContext();
  const mod = { exports: {} };
  wrapper.call(mod.exports, mod.exports, createRequire(bundleFile), mod, bundleFile, path.dirname(bundleFile));
  return { exports: mod.exports, script, cacheRejected: cachedData ? script.cachedDataRejected === true : null };
}
