/**
 * The pre-commit hooks (.pre-commit-hooks.yaml), with the real `pre-commit` (Debian package `pre-commit`) in a
 * temporary git repository: pre-commit clones this package (a snapshot of the working tree, committed into a
 * local repository), installs it with `language: node` (npm install, npm pack, npm install -g), and runs it
 * on `git commit`. A commit adding a broken manifest is refused with the finding; the fixed one goes through.
 *
 * Skipped, with a message, when pre-commit or git is not installed. The hook environment is cached under the
 * system temp directory, keyed by the snapshot's commit (deterministic), so a second run skips the ~1 minute
 * npm install + build.
 */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from './harness.js';
import { BAD_SERVICE, spawnAsync } from './cli-helpers.js';

/** A Deployment other rules have nothing to say about, so the test is about the hook. */
const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 2
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      automountServiceAccountToken: false
      securityContext:
        runAsNonRoot: true
        runAsUser: 10001
        seccompProfile:
          type: RuntimeDefault
      containers:
      - name: web
        image: nginx:1.27
        ports:
        - containerPort: 8080
        readinessProbe:
          httpGet:
            path: /healthz
            port: 8080
        resources:
          requests:
            cpu: 100m
            memory: 128Mi
          limits:
            memory: 128Mi
        securityContext:
          allowPrivilegeEscalation: false
          readOnlyRootFilesystem: true
          capabilities:
            drop: [ALL]
`;

const has = (cmd: string, args: string[]) => {
  try {
    return spawnSync(cmd, args, { encoding: 'utf8' }).status === 0;
  } catch {
    return false;
  }
};
const PRE_COMMIT = has('pre-commit', ['--version']);
const GIT = has('git', ['--version']);

const CACHE = path.join(os.tmpdir(), 'k8s-audit-pre-commit-test');
const FIXED_DATE = '2020-01-01T00:00:00Z';

/** A clean environment: no GitHub Actions defaults, a fixed git identity, npm from its cache when it can. */
function env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const e: NodeJS.ProcessEnv = {
    ...process.env,
    GIT_AUTHOR_NAME: 'Test',
    GIT_AUTHOR_EMAIL: 'test@example.com',
    GIT_COMMITTER_NAME: 'Test',
    GIT_COMMITTER_EMAIL: 'test@example.com',
    GIT_CONFIG_NOSYSTEM: '1',
    PRE_COMMIT_HOME: path.join(CACHE, 'home'),
    PRE_COMMIT_COLOR: 'never',
    NO_COLOR: '1',
    npm_config_prefer_offline: 'true',
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    npm_config_update_notifier: 'false',
    ...extra,
  };
  for (const k of ['GITHUB_ACTIONS', 'GITHUB_STEP_SUMMARY', 'FORCE_COLOR', 'GIT_DIR', 'GIT_INDEX_FILE', 'GIT_WORK_TREE']) delete e[k];
  return e;
}

function run(cmd: string, args: string[], cwd: string, extra: Record<string, string> = {}): SpawnSyncReturns<string> {
  return spawnSync(cmd, args, { cwd, env: env(extra), encoding: 'utf8', timeout: 600_000 });
}

/** The same, without blocking the worker (the first hook install takes about a minute). */
const runAsync = (cmd: string, args: string[], cwd: string) => spawnAsync(cmd, args, { cwd, env: env() });

function git(args: string[], cwd: string, extra: Record<string, string> = {}): string {
  const r = run('git', args, cwd, extra);
  if (r.status !== 0) throw new Error(`git ${args.join(' ')} failed: ${r.stderr}`);
  return r.stdout.trim();
}

/** Snapshot the working tree (tracked and untracked, not ignored) into a local git repository pre-commit can clone. */
function hookRepo(): { repo: string; rev: string } {
  // Each source change makes a new snapshot: drop snapshots unused for an hour (another test run may be using a
  // recent one); `pre-commit gc` below then frees their hook environments.
  if (fs.existsSync(CACHE)) {
    for (const d of fs.readdirSync(CACHE)) {
      const p = path.join(CACHE, d);
      if (/^(hooks|staging)-/.test(d) && Date.now() - fs.statSync(p).mtimeMs > 3_600_000) fs.rmSync(p, { recursive: true, force: true, maxRetries: 3 });
    }
  }
  fs.mkdirSync(CACHE, { recursive: true });
  const staging = fs.mkdtempSync(path.join(CACHE, 'staging-'));
  const files = git(['ls-files', '-co', '--exclude-standard', '-z'], ROOT)
    .split('\0')
    // What installing the package needs (the build's inputs), so test or fixture edits keep the cached hook.
    .filter((f) => /^(package(-lock)?\.json|tsconfig\.json|\.npmrc|\.pre-commit-hooks\.yaml|README\.md|dist\/bundle\/(cli\.cjs|inputs\.json)|(bin|src|rules|schema|scripts)\/.*)$/.test(f))
    .filter((f) => fs.statSync(path.join(ROOT, f), { throwIfNoEntry: false })?.isFile());
  for (const f of files) {
    fs.mkdirSync(path.dirname(path.join(staging, f)), { recursive: true });
    fs.copyFileSync(path.join(ROOT, f), path.join(staging, f));
  }
  const dated = { GIT_AUTHOR_DATE: FIXED_DATE, GIT_COMMITTER_DATE: FIXED_DATE };
  git(['init', '-q'], staging);
  git(['add', '-A'], staging);
  git(['commit', '-q', '--no-verify', '-m', 'k8s-audit snapshot'], staging, dated);
  const rev = git(['rev-parse', 'HEAD'], staging);
  const repo = path.join(CACHE, `hooks-${rev.slice(0, 12)}`);
  try {
    if (fs.existsSync(repo)) throw new Error('exists');
    fs.renameSync(staging, repo);
  } catch {
    fs.rmSync(staging, { recursive: true, force: true }); // the same snapshot is already there (maybe from a parallel run)
  }
  fs.utimesSync(repo, new Date(), new Date());
  return { repo, rev };
}

const BROKEN = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  mode: [unclosed\n';
const FIXED = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  mode: strict\n';

describe.skipIf(!PRE_COMMIT || !GIT)('pre-commit hooks with the real pre-commit', () => {
  let project = '';
  let hooks = { repo: '', rev: '' };

  const commit = (msg: string) => run('git', ['commit', '-m', msg], project);
  const head = () => git(['rev-parse', 'HEAD'], project);
  const write = (file: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(project, file)), { recursive: true });
    fs.writeFileSync(path.join(project, file), text);
    git(['add', file], project);
  };

  beforeAll(async () => {
    hooks = hookRepo();
    project = fs.mkdtempSync(path.join(os.tmpdir(), 'k8s-audit-pre-commit-project-'));
    git(['init', '-q'], project);
    fs.writeFileSync(
      path.join(project, '.pre-commit-config.yaml'),
      [
        'repos:',
        `  - repo: ${hooks.repo}`,
        `    rev: ${hooks.rev}`,
        '    hooks:',
        '      - id: k8s-audit',
        '',
      ].join('\n'),
    );
    fs.writeFileSync(
      path.join(project, 'all.pre-commit-config.yaml'),
      ['repos:', `  - repo: ${hooks.repo}`, `    rev: ${hooks.rev}`, '    hooks:', '      - id: k8s-audit-all', ''].join('\n'),
    );
    // The Deployment exists before the hook does: it is context for the Service staged later. The config makes
    // the selector rule an error, so the hook (failing on errors, the default) refuses it.
    write('.pre-commit-config.yaml', fs.readFileSync(path.join(project, '.pre-commit-config.yaml'), 'utf8'));
    write('.k8s-audit.yaml', 'rules:\n  service-selector-no-match: error\n');
    write('k8s/deploy.yaml', DEPLOYMENT);
    git(['commit', '-q', '--no-verify', '-m', 'init'], project);
    run('pre-commit', ['gc'], project);
    const started = Date.now();
    const inst = await runAsync('pre-commit', ['install-hooks'], project);
    expect(inst.status, inst.stdout + inst.stderr).toBe(0);
    console.log(`pre-commit: hook environment ready in ${((Date.now() - started) / 1000).toFixed(1)} s (cached under ${CACHE})`);
    const install = run('pre-commit', ['install'], project);
    expect(install.status, install.stdout + install.stderr).toBe(0);
  }, 600_000);

  afterAll(() => {
    if (project) fs.rmSync(project, { recursive: true, force: true });
  });

  it('refuses a commit that adds a broken manifest, naming the file, line and rule; the fixed one passes', () => {
    const before = head();
    write('k8s/settings.yaml', BROKEN);
    const refused = commit('add settings');
    expect(refused.status).not.toBe(0);
    const out = refused.stdout + refused.stderr;
    expect(out).toMatch(/k8s-audit\.+Failed/);
    expect(out).toMatch(/k8s\/settings\.yaml\n\s+6:\d+\s+error\s+.*syntax-error/);
    expect(head()).toBe(before);

    write('k8s/settings.yaml', FIXED);
    const ok = commit('add settings');
    expect(ok.status, ok.stdout + ok.stderr).toBe(0);
    expect(ok.stdout + ok.stderr).toMatch(/k8s-audit\.+Passed/);
    expect(head()).not.toBe(before);
  });

  it('sees the rest of the repository: a Service staged alone is checked against the committed Deployment', () => {
    write('k8s/svc.yaml', BAD_SERVICE);
    const refused = commit('add service');
    expect(refused.status).not.toBe(0);
    const out = refused.stdout + refused.stderr;
    expect(out).toMatch(/k8s\/svc\.yaml\n\s+6:3\s+error\s+Service "web" selects app=wbe .*service-selector-no-match/);

    write('k8s/svc.yaml', BAD_SERVICE.replace('app: wbe', 'app: web').replace('port: 80', 'port: 80\n    targetPort: 8080'));
    const ok = commit('add service');
    expect(ok.status, ok.stdout + ok.stderr).toBe(0);
    expect(ok.stdout + ok.stderr).not.toContain('service-selector-no-match');
  });

  it('takes no context from untracked files: a Service matching only a never-committed Deployment is refused', () => {
    fs.mkdirSync(path.join(project, 'scratch'), { recursive: true });
    fs.writeFileSync(path.join(project, 'scratch/api.yaml'), DEPLOYMENT.replace(/web/g, 'api'));
    write('k8s/api-svc.yaml', BAD_SERVICE.replace(/web/g, 'api').replace('app: wbe', 'app: api'));
    const refused = commit('add api service');
    expect(refused.status).not.toBe(0);
    expect(refused.stdout + refused.stderr).toMatch(/k8s\/api-svc\.yaml\n\s+6:3\s+error\s+Service "api" selects app=api .*service-selector-no-match/);
    fs.rmSync(path.join(project, 'scratch'), { recursive: true });
    git(['rm', '-q', '--cached', 'k8s/api-svc.yaml'], project);
    fs.rmSync(path.join(project, 'k8s/api-svc.yaml'));
  });

  it('k8s-audit-all audits the whole repository, including files that were not staged', () => {
    // A broken file that got in without the hook.
    write('legacy/old.yaml', BROKEN);
    git(['commit', '-q', '--no-verify', '-m', 'legacy'], project);
    write('k8s/extra.yaml', FIXED.replace('settings', 'extra'));
    const perFile = run('pre-commit', ['run', '--config', 'all.pre-commit-config.yaml', 'k8s-audit-all', '--files', 'k8s/extra.yaml'], project);
    expect(perFile.status).not.toBe(0);
    expect(perFile.stdout).toMatch(/legacy\/old\.yaml\n\s+6:\d+\s+error\s+.*syntax-error/);
    // The per-file hook, on the same staged file, does not report the legacy file.
    const staged = run('pre-commit', ['run', 'k8s-audit', '--files', 'k8s/extra.yaml'], project);
    expect(staged.stdout).not.toContain('legacy/old.yaml');
  });
});

describe('pre-commit availability', () => {
  it.skipIf(PRE_COMMIT && GIT)('skipped the pre-commit integration test: `pre-commit` (apt-get install -y pre-commit) or git is not installed', () => {
    console.warn('integration-precommit: pre-commit or git not found on PATH; the hook test was skipped (.ci/run installs pre-commit with apt-get)');
  });

  it('the hook manifest declares both hooks for node, on YAML, JSON and Markdown', async () => {
    const { parse } = await import('yaml');
    const hooks = parse(fs.readFileSync(path.join(ROOT, '.pre-commit-hooks.yaml'), 'utf8')) as Record<string, unknown>[];
    const byId = Object.fromEntries(hooks.map((h) => [h.id, h]));
    expect(Object.keys(byId).sort()).toEqual(['k8s-audit', 'k8s-audit-all']);
    for (const h of hooks) {
      expect(h.language).toBe('node');
      expect(h.types_or).toEqual(['yaml', 'json', 'markdown']);
      expect(String(h.entry)).toMatch(/^k8s-audit\b/);
    }
    expect(byId['k8s-audit'].entry).toBe('k8s-audit --context=. --context-git');
    const exclude = new RegExp(String(byId['k8s-audit'].exclude));
    for (const f of ['tsconfig.json', 'web/tsconfig.build.json', '.vscode/settings.json', '.devcontainer/devcontainer.json']) expect(exclude.test(f), f).toBe(true);
    for (const f of ['k8s/deploy.json', 'k8s/tsconfig.yaml', 'deploy/settings.json']) expect(exclude.test(f), f).toBe(false);
    expect(byId['k8s-audit-all'].pass_filenames).toBe(false);
    // The package's bin is what `entry` runs.
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
    expect(pkg.bin['k8s-audit']).toBeTruthy();
  });
});
