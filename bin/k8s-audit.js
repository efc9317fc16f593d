#!/usr/bin/env node
// The CLI, as bundled by `npm run build` (src/tools/bundle.ts) and loaded with V8's code cache (load-cli.js).
'use strict';
const { loadCli } = require('./load-cli.js');

loadCli()
  .exports.main()
  .then(
    (code) => {
      process.exitCode = code;
    },
    (err) => {
      process.stderr.write(`k8s-audit: internal error: ${err && err.stack ? err.stack : err}\n`);
      process.exitCode = 2;
    },
  );
