#!/usr/bin/env node
import { main } from '../dist/src/cli.js';

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    process.stderr.write(`k8s-audit: internal error: ${err && err.stack ? err.stack : err}\n`);
    process.exitCode = 2;
  },
);
