#!/usr/bin/env node
// The bundled CLI (npm run build: tsc, then src/tools/bundle.ts): one module graph of a few files loads
// much faster than the ~150 modules tsc emits, which a pre-commit hook would pay for on every commit.
import { main } from '../dist/bundle/cli.js';

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    process.stderr.write(`k8s-audit: internal error: ${err && err.stack ? err.stack : err}\n`);
    process.exitCode = 2;
  },
);
