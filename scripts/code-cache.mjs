#!/usr/bin/env node
// Writes V8's code cache for the CLI bundle (dist/bundle/cli.cjs.cache, loaded by bin/load-cli.js) and for the
// schema modules (dist/bundle/schemas.cache, loaded by src/schema/builtin.ts): the CLI runs on a few of the
// repository's own fixtures (its output discarded), then the cache of everything compiled meanwhile is written. Run by `npm run build` after bundling, and by `prepare` when the committed bundle is
// current but this machine has no cache yet (the cache fits one Node version, so it is never committed).
// Without it the CLI works, about 60 ms slower to start.
//
// Run it with the Node and without the V8 flags (NODE_OPTIONS) the CLI will run with, from the package root:
// a cache V8 cannot use is rejected at load and costs nothing but the read.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const runs = [
  ['fixtures/rules/duplicate-key/valid.yaml'],
  // a clean production stack: the workload kinds and fields most repositories hold, so their schema modules
  // are in the schemas' cache
  ['fixtures/stacks/clean-production'],
  ['fixtures/rules/service-selector-no-match/invalid.yaml'],
  ['fixtures/guides/chart.md'],
  ['render', 'fixtures/charts/web'],
  // what an operator's or a controller's install adds (a CRD, RBAC, a Secret, a Job, a DaemonSet, webhooks, an
  // APIService): about 70 schema modules that compiled without a cache on a release manifest such as Argo CD's
  [
    'fixtures/rules/no-schema/valid.yaml',
    'fixtures/rules/rbac-secret-read/example-passing.yaml',
    'fixtures/rules/cluster-admin-binding/example-passing.yaml',
    'fixtures/rules/rbac-escalation-paths/example-passing.yaml',
    'fixtures/rules/default-service-account-binding/example-passing.yaml',
    'fixtures/rules/invalid-base64-secret/example-passing.yaml',
    'fixtures/rules/job-ttl-unset/example-flagged.yaml',
    'fixtures/rules/privileged-container/valid-csi-node-driver.yaml',
    'fixtures/rules/webhook-service-missing/valid.yaml',
    'fixtures/rules/webhook-service-missing/invalid.yaml',
  ],
];

/** The training runs in a child process started the way the CLI is (no NODE_OPTIONS, no colours). */
export function writeCodeCache() {
  const env = { ...process.env, NO_COLOR: '1' };
  delete env.NODE_OPTIONS;
  const r = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--train'], { cwd: root, env, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  return { ok: r.status === 0, status: r.status, stderr: r.stderr ?? '' };
}

async function train() {
  const { loadCli, cacheFile } = await import('../bin/load-cli.js');
  const { exports, script } = loadCli({ useCache: false });
  // (the schema modules' cache of an earlier build must not be read while training: it may not fit them)
  const schemas = await exports.schemaCodeCache();
  fs.rmSync(schemas.file, { force: true });
  const write = process.stdout.write;
  process.stdout.write = (_chunk, enc, cb) => {
    (typeof enc === 'function' ? enc : cb)?.();
    return true;
  };
  for (const args of runs) {
    try {
      await exports.main(['node', 'k8s-audit', ...args]);
    } catch {
      // a fixture missing from this copy: the other runs still train
    }
  }
  process.stdout.write = write;
  process.exitCode = 0;
  fs.writeFileSync(cacheFile, script.createCachedData());
  fs.writeFileSync(schemas.file, (await exports.schemaCodeCache()).data);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  if (process.argv.includes('--train')) await train();
  else {
    const r = writeCodeCache();
    if (!r.ok) process.stderr.write(`k8s-audit: no code cache written (training exited ${r.status}): ${r.stderr.slice(0, 2000)}\n`);
  }
}
