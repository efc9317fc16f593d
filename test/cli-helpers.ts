import { spawnSync } from 'node:child_process';
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
