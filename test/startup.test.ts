/**
 * What keeps a one-file run short (docs/performance.md, "Start-up"): the built CLI loads no module it does not
 * need, the bundle is ASCII, and the schema modules a Deployment reaches come from V8's code cache. Each check
 * here is on the built CLI (bin/k8s-audit.js, which `npm test` builds first).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './harness.js';
import { BIN } from './cli-helpers.js';

const BUNDLE = path.join(ROOT, 'dist', 'bundle', 'cli.cjs');
const SCHEMA_CACHE = path.join(ROOT, 'dist', 'bundle', 'schemas.cache');
const DEPLOYMENT = path.join(ROOT, 'fixtures', 'examples', 'diskann-broken', 'api.yaml');

const env = () => {
  const e: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  delete e.NODE_OPTIONS;
  delete e.FORCE_COLOR;
  delete e.K8S_AUDIT_TIMING;
  return e;
};

/** Node's modules a run of the CLI loaded (process.moduleLoadList at exit), with its report written to a file. */
function modulesLoaded(args: string[]): string[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'k8s-audit-startup-'));
  try {
    const list = path.join(dir, 'modules.json');
    const preload = path.join(dir, 'preload.cjs');
    fs.writeFileSync(preload, `process.on('exit', () => require('fs').writeFileSync(${JSON.stringify(list)}, JSON.stringify(process.moduleLoadList)));\n`);
    const out = fs.openSync(path.join(dir, 'out.txt'), 'w');
    try {
      const r = spawnSync(process.execPath, ['--require', preload, BIN, ...args], { cwd: ROOT, env: env(), stdio: ['ignore', out, 'pipe'], encoding: 'utf8', timeout: 60_000 });
      expect(r.status, r.stderr).toBe(0);
    } finally {
      fs.closeSync(out);
    }
    return JSON.parse(fs.readFileSync(list, 'utf8')) as string[];
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describe('start-up of the built CLI', () => {
  it('lints a Deployment with findings without loading the ESM loader, node:crypto, node:net or node:module', () => {
    const loaded = modulesLoaded([DEPLOYMENT]);
    expect(loaded).toContain('NativeModule vm'); // (the list is Node's own: the check below means something)
    for (const m of ['NativeModule crypto', 'NativeModule net', 'NativeModule module', 'NativeModule v8', 'NativeModule internal/modules/esm/module_job']) expect(loaded, m).not.toContain(m);
  });

  it('tunes V8 for a long run (node:v8 loaded) only when the input is large', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'k8s-audit-large-'));
    try {
      const cm = (i: number) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c${i}\ndata:\n  k: "${'x'.repeat(200)}"\n`;
      fs.writeFileSync(path.join(dir, 'many.yaml'), Array.from({ length: 3000 }, (_, i) => cm(i)).join('---\n'));
      expect(fs.statSync(path.join(dir, 'many.yaml')).size).toBeGreaterThan(512 * 1024);
      expect(modulesLoaded([dir])).toContain('NativeModule v8');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it.skipIf(!fs.existsSync(BUNDLE))('runs from an ASCII bundle (read as a one-byte string, without UTF-8 decoding)', () => {
    const bytes = fs.readFileSync(BUNDLE);
    const at = bytes.findIndex((b) => b > 0x7f);
    expect(at, `non-ASCII byte at ${at}: ${bytes.subarray(Math.max(0, at - 60), at + 20).toString('utf8')}`).toBe(-1);
  });

  it.skipIf(!fs.existsSync(SCHEMA_CACHE))("compiles a Deployment's schema modules from the code cache the build wrote", () => {
    const r = spawnSync(process.execPath, [BIN, DEPLOYMENT], { cwd: ROOT, env: { ...env(), K8S_AUDIT_TIMING: '1' }, encoding: 'utf8', timeout: 60_000 });
    const m = /schema modules: (\d+) compiled from the code cache, (\d+) with it rejected or out of date, (\d+) not in it/.exec(r.stderr);
    expect(m, r.stderr).not.toBeNull();
    expect(Number(m![1])).toBeGreaterThan(10);
    expect(Number(m![2])).toBe(0);
  });
});
