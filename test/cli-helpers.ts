import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT } from './harness.js';
import type { Finding } from '../src/types.js';

export const BIN = path.join(ROOT, 'bin', 'k8s-audit.js');

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function cli(args: string[], opts: { cwd?: string; input?: string; env?: Record<string, string | undefined> } = {}): RunResult {
  const env: Record<string, string | undefined> = { ...process.env, NO_COLOR: undefined, FORCE_COLOR: undefined, GITHUB_ACTIONS: undefined, ...opts.env };
  for (const k of Object.keys(env)) if (env[k] === undefined) delete env[k];
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: opts.cwd ?? ROOT, input: opts.input ?? '', env: env as NodeJS.ProcessEnv, encoding: 'utf8', timeout: 60_000, maxBuffer: 64 * 1024 * 1024 });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

export interface SpawnResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Like spawnSync, without blocking the test worker. Use it for anything that can take more than a few
 * seconds (npm installs, builds, hook installs): a worker blocked for 60 s misses vitest's RPC deadline and the
 * whole run fails with "Timeout calling onTaskUpdate", even when every test passed.
 */
export function spawnAsync(cmd: string, args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv; timeout?: number } = {}): Promise<SpawnResult> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: opts.cwd, env: opts.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = opts.timeout ? setTimeout(() => child.kill('SIGKILL'), opts.timeout) : undefined;
    child.on('error', (e) => {
      if (timer) clearTimeout(timer);
      resolve({ status: null, stdout, stderr: stderr + String(e) });
    });
    child.on('close', (status) => {
      if (timer) clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}

/** A temporary directory with the given files (name -> content). */
export function tmpdir(files: Record<string, string | Buffer> = {}): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'k8s-audit-test-'));
  for (const [name, content] of Object.entries(files)) {
    const p = path.join(dir, name);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, content);
  }
  return dir;
}

export const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      securityContext: {runAsNonRoot: true, runAsUser: 101}
      containers:
      - {name: web, image: "nginxinc/nginx-unprivileged:1.27", resources: {requests: {cpu: 50m, memory: 64Mi}, limits: {memory: 128Mi}}}
`;

export const BAD_SERVICE = `apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector:
    app: wbe
  ports:
  - port: 80
`;

/** A finding for reporter tests: a Service selector warning at k8s/svc.yaml:6:3, with overrides. */
export function makeFinding(over: Partial<Finding> = {}): Finding {
  return {
    ruleId: 'service-selector-no-match',
    severity: 'warning',
    message: 'Service "web" selects nothing',
    file: 'k8s/svc.yaml',
    line: 6,
    column: 3,
    endLine: 6,
    endColumn: 11,
    resource: { apiVersion: 'v1', kind: 'Service', name: 'web', namespace: 'default' },
    hint: 'Fix the selector.',
    ...over,
  };
}

export const hasGit = spawnSync('git', ['--version']).status === 0;

/** git in `cwd` as a throwaway identity (no signing): its standard output; throws with git's error. */
export function git(cwd: string, ...args: string[]): string {
  const r = spawnSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', '-c', 'commit.gpgsign=false', ...args], { cwd, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}
