// Loads the bundled CLI (dist/bundle/cli.cjs, one CommonJS file built by src/tools/bundle.ts) with V8's
// code cache (dist/bundle/cli.cjs.cache, written by the same build after a few training runs).
//
// Why: a pre-commit hook pays for start-up on every commit. Compiling the bundle's functions the first time
// they run is a large part of a short run, and Node 20 keeps no compile cache for ES modules. A vm.Script
// given the cached bytecode skips that compilation. A cache that does not fit this Node (another V8 version
// or other V8 flags) is rejected by V8 and the script compiles as usual: it is only ever slower, never wrong.
//
// The files of bin/ are CommonJS (bin/package.json): an ES module entry starts Node's ESM loader, which costs
// a one-file run about 6 ms of CPU before any of our code runs; `require` of a CommonJS file does not.
//
// Only files of this package are read: the bundle and its cache, next to each other in dist/bundle.
'use strict';
const { isAscii } = require('node:buffer');
const fs = require('node:fs');
// (the CommonJS loader's own Module class: requiring node:module would load its public module, ~1 ms, for this)
const { createRequire } = module.constructor.createRequire ? module.constructor : require('node:module');
const path = require('node:path');
const vm = require('node:vm');

const bundleFile = path.join(__dirname, '..', 'dist', 'bundle', 'cli.cjs');
const cacheFile = `${bundleFile}.cache`;


/**
 * Run the bundle's module code and return its exports, with the vm.Script it was compiled from (the build
 * asks that script for the code cache after its training runs).
 */
function loadCli({ useCache = true } = {}) {
  // The build makes the bundle ASCII (src/tools/bundle.ts asciiOnly): then latin1 reads the same text as UTF-8,
  // into the one-byte string V8 keeps anyway, without decoding (half the cost of reading 1.4 MB as UTF-8).
  const bytes = fs.readFileSync(bundleFile);
  const source = isAscii(bytes) ? bytes.toString('latin1') : bytes.toString('utf8');
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

module.exports = { bundleFile, cacheFile, loadCli };
