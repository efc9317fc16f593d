#!/usr/bin/env node
// The GitHub Action's entry (action.yml): src/action.ts, run from the committed CLI bundle (dist/bundle/cli.cjs,
// loaded as bin/k8s-audit.js loads it), so the Action needs no build, only the runtime packages.
'use strict';
const { loadCli } = require('./load-cli.js');

// as GitHub's workflow commands escape data (src/report/github.ts escapeData)
const escapeData = (s) => String(s).replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');

loadCli()
  .exports.action()
  .then(
    (code) => {
      process.exitCode = code;
    },
    (err) => {
      process.stdout.write(`::error title=k8s-audit::${escapeData(`internal error: ${err && err.stack ? err.stack : err}`)}\n`);
      process.exitCode = 2;
    },
  );
