/**
 * The GitHub Action (action.yml), run the way a runner runs a composite action: each step's `run:` script in
 * bash, `${{ inputs.* }}` expanded from the `with:` values or the input defaults, in the step's
 * working-directory, with the environment a runner sets (GITHUB_ACTIONS, GITHUB_WORKSPACE,
 * GITHUB_ACTION_PATH, GITHUB_STEP_SUMMARY, GITHUB_OUTPUT, GITHUB_REPOSITORY, GITHUB_SHA, ...).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { ROOT } from './harness.js';
import { BAD_SERVICE, DEPLOYMENT, cli, spawnAsync, tmpdir } from './cli-helpers.js';
import { SARIF_SCHEMA } from './oracles.js';

/* eslint-disable @typescript-eslint/no-explicit-any */
const action = parse(fs.readFileSync(path.join(ROOT, 'action.yml'), 'utf8')) as any;
const INPUT_EXPR = /\$\{\{\s*inputs\.([A-Za-z0-9_-]+)\s*\}\}/g;

interface ActionRun {
  code: number;
  stdout: string;
  stderr: string;
  summary: string;
  outputs: Record<string, string>;
  /** The action's outputs, as `${{ steps.audit.outputs.x }}` evaluates. */
  actionOutputs: Record<string, string>;
}

/** GITHUB_OUTPUT's `name<<DELIM` / `name=value` lines. */
function parseOutputs(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const heredoc = /^([^=<]+)<<(.+)$/.exec(lines[i]);
    if (heredoc) {
      const body: string[] = [];
      for (i++; i < lines.length && lines[i] !== heredoc[2]; i++) body.push(lines[i]);
      out[heredoc[1]] = body.join('\n');
    } else if (lines[i].includes('=')) out[lines[i].slice(0, lines[i].indexOf('='))] = lines[i].slice(lines[i].indexOf('=') + 1);
  }
  return out;
}

/** A step's script, run as the runner does (the fresh install takes a minute or more, so never synchronously). */
const sh = (script: string, cwd: string, env: Record<string, string>) => spawnAsync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', script], { cwd, env });

async function runAction(workspace: string, withInputs: Record<string, string> = {}, actionPath = ROOT): Promise<ActionRun> {
  const runnerTemp = fs.mkdtempSync(path.join(workspace, '..', 'runner-'));
  const summaryFile = path.join(runnerTemp, 'step_summary');
  const outputFile = path.join(runnerTemp, 'output');
  fs.writeFileSync(summaryFile, '');
  fs.writeFileSync(outputFile, '');
  const inputs: Record<string, string> = {};
  for (const [name, spec] of Object.entries<any>(action.inputs)) inputs[name] = withInputs[name] ?? String(spec.default ?? '');
  for (const name of Object.keys(withInputs)) if (!(name in action.inputs)) throw new Error(`action.yml has no input "${name}"`);
  const expand = (s: string) => s.replace(INPUT_EXPR, (_, n) => inputs[n] ?? '');

  const baseEnv: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '',
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    GITHUB_WORKSPACE: workspace,
    GITHUB_ACTION_PATH: actionPath,
    npm_config_prefer_offline: 'true',
    npm_config_update_notifier: 'false',
    GITHUB_STEP_SUMMARY: summaryFile,
    GITHUB_OUTPUT: outputFile,
    GITHUB_ENV: path.join(runnerTemp, 'env'),
    GITHUB_REPOSITORY: 'acme/platform',
    GITHUB_SHA: '0123456789abcdef0123456789abcdef01234567',
    GITHUB_REF: 'refs/pull/7/merge',
    GITHUB_SERVER_URL: 'https://github.com',
    RUNNER_TEMP: runnerTemp,
  };
  let stdout = '';
  let stderr = '';
  let code = 0;
  for (const step of action.runs.steps) {
    const env = { ...baseEnv, ...Object.fromEntries(Object.entries<string>(step.env ?? {}).map(([k, v]) => [k, expand(String(v))])) };
    const cwd = path.resolve(workspace, expand(String(step['working-directory'] ?? '.')));
    const r = await sh(expand(step.run), cwd, env);
    stdout += r.stdout;
    stderr += r.stderr;
    code = r.status ?? -1;
    if (code !== 0) break;
  }
  const outputs = parseOutputs(fs.readFileSync(outputFile, 'utf8'));
  const actionOutputs: Record<string, string> = {};
  for (const [name, spec] of Object.entries<any>(action.outputs ?? {})) {
    actionOutputs[name] = String(spec.value).replace(/\$\{\{\s*steps\.audit\.outputs\.([A-Za-z0-9_-]+)\s*\}\}/g, (_, n) => outputs[n] ?? '');
  }
  return { code, stdout, stderr, summary: fs.readFileSync(summaryFile, 'utf8'), outputs, actionOutputs };
}

/** A workspace (a repository checkout) with a broken Service next to its Deployment under deploy/k8s. */
function workspace(extra: Record<string, string> = {}): string {
  const parent = tmpdir();
  const ws = path.join(parent, 'ws');
  fs.mkdirSync(ws);
  for (const [name, content] of Object.entries({ 'deploy/k8s/svc.yaml': BAD_SERVICE, 'deploy/k8s/deploy.yaml': DEPLOYMENT, ...extra })) {
    fs.mkdirSync(path.dirname(path.join(ws, name)), { recursive: true });
    fs.writeFileSync(path.join(ws, name), content);
  }
  return ws;
}

const annotationLines = (stdout: string) => stdout.split('\n').filter((l) => /^::(error|warning|notice) file=/.test(l));

describe('action.yml', () => {
  it('is a composite action whose steps only use declared inputs, and passes every input to the entry point', () => {
    expect(action.runs.using).toBe('composite');
    const declared = new Set(Object.keys(action.inputs));
    const text = JSON.stringify(action.runs);
    for (const m of text.matchAll(INPUT_EXPR)) expect(declared, `undeclared input ${m[1]}`).toContain(m[1]);
    const run = action.runs.steps.find((s: any) => s.id === 'audit');
    expect(run.run).toContain('bin/action.js');
    for (const name of declared) {
      if (name === 'working-directory') continue;
      expect(run.env[`INPUT_${name.toUpperCase().replace(/-/g, '_')}`], name).toBe(`\${{ inputs.${name} }}`);
    }
    for (const [name, spec] of Object.entries<any>(action.inputs)) expect(spec.description, name).toBeTruthy();
    for (const key of ['paths', 'config', 'fail-on', 'kube-version', 'values', 'sarif-file']) expect(declared).toContain(key);
    expect(action.description.length).toBeLessThanOrEqual(125);
  });

  it('the install step is skipped when the packages are installed (it would run npm ci in the action checkout)', () => {
    expect(fs.existsSync(path.join(ROOT, 'node_modules'))).toBe(true);
    expect(action.runs.steps[0].run).toMatch(/if \[ ! -d "\$GITHUB_ACTION_PATH\/node_modules" \]/);
  });
});

describe('running the action', () => {
  it('annotates, summarises, writes SARIF and outputs; fails on the configured severity', async () => {
    const ws = workspace();
    const r = await runAction(ws, { 'working-directory': 'deploy', paths: 'k8s', 'fail-on': 'warning', 'sarif-file': 'reports/k8s-audit.sarif' });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);

    // Annotations: one per finding, paths relative to the repository root.
    const lines = annotationLines(r.stdout);
    expect(lines.length).toBe(Number(r.outputs.findings));
    expect(lines).toContainEqual(expect.stringMatching(/^::warning file=deploy\/k8s\/svc\.yaml,line=6,col=3,endLine=6,endColumn=11,title=k8s-audit service-selector-no-match::Service "web" selects app=wbe/));
    // The human-readable report is folded into a group, shielded from command parsing.
    expect(r.stdout).toMatch(/^::group::k8s-audit report\n::stop-commands::(k8s-audit-[0-9a-f]+)\n[\s\S]*\n::\1::\n::endgroup::\n/);

    // Job summary.
    expect(r.summary).toMatch(/^### k8s-audit: \d+ errors?, \d+ warnings?, \d+ info\n/);
    expect(r.summary).toContain(
      '| ⚠️ warning | [deploy/k8s/svc.yaml:6:3](https://github.com/acme/platform/blob/0123456789abcdef0123456789abcdef01234567/deploy/k8s/svc.yaml#L6) | [service-selector-no-match](',
    );

    // SARIF: where the input said, repository-relative, with provenance.
    const sarifPath = path.join(ws, 'deploy', 'reports', 'k8s-audit.sarif');
    expect(r.outputs['sarif-file']).toBe(sarifPath);
    expect(r.actionOutputs['sarif-file']).toBe(sarifPath);
    const sarif = JSON.parse(fs.readFileSync(sarifPath, 'utf8'));
    const run = sarif.runs[0];
    expect(run.versionControlProvenance[0]).toMatchObject({ repositoryUri: 'https://github.com/acme/platform', revisionId: '0123456789abcdef0123456789abcdef01234567' });
    const res = run.results.find((x: any) => x.ruleId === 'service-selector-no-match');
    expect(res.locations[0].physicalLocation.artifactLocation).toEqual({ uri: 'deploy/k8s/svc.yaml', uriBaseId: '%SRCROOT%' });
    expect(run.results.length).toBe(lines.length);
    if (SARIF_SCHEMA) {
      const require = createRequire(import.meta.url);
      const Ajv2020 = require('ajv/dist/2020').default;
      const addFormats = require('ajv-formats').default ?? require('ajv-formats');
      const ajv = new Ajv2020({ strict: false, allErrors: true });
      addFormats(ajv);
      const validate = ajv.compile(JSON.parse(fs.readFileSync(SARIF_SCHEMA, 'utf8')));
      validate(sarif);
      expect(validate.errors ?? []).toEqual([]);
    }

    // Outputs.
    expect(r.outputs.failed).toBe('true');
    expect(Number(r.outputs.warnings)).toBeGreaterThanOrEqual(1);
    expect(r.actionOutputs.findings).toBe(r.outputs.findings);
  });

  it('passes with the default fail-on (error) when only warnings are found, and honours annotations/summary off', async () => {
    const ws = workspace();
    const r = await runAction(ws, { paths: 'deploy/k8s', annotations: 'false', summary: 'false', 'sarif-file': '' });
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('service-selector-no-match');
    // Exit 1 only for errors (other rules may have something to say about these objects).
    expect(r.code).toBe(Number(r.outputs.errors) > 0 ? 1 : 0);
    expect(r.outputs.failed).toBe(String(r.code === 1));
    expect(annotationLines(r.stdout)).toEqual([]);
    expect(r.summary).toBe('');
    expect(r.outputs['sarif-file']).toBe('');
    expect(fs.existsSync(path.join(ws, 'k8s-audit.sarif'))).toBe(false);
  });

  it('fails on a manifest that does not parse, with the annotation on its line', async () => {
    const ws = workspace({ 'deploy/k8s/broken.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  key: [unclosed\n' });
    const r = await runAction(ws);
    expect(r.code).toBe(1);
    expect(annotationLines(r.stdout)).toContainEqual(expect.stringMatching(/^::error file=deploy\/k8s\/broken\.yaml,line=6,.*title=k8s-audit syntax-error::/));
    expect(fs.existsSync(path.join(ws, 'k8s-audit.sarif'))).toBe(true);
    expect(r.summary).toContain('syntax-error');
  });

  it('several paths on separate lines; fail-on none never fails', async () => {
    const ws = workspace({ 'deploy/k8s/svc.yaml': BAD_SERVICE.replace('wbe', 'web'), 'other/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n' });
    const r = await runAction(ws, { paths: 'deploy/k8s\nother # the second tree\n', 'fail-on': 'none' });
    expect(r.code).toBe(0);
    expect(r.summary).toMatch(/Scanned 3 files, 3 resources/);
    expect(r.stdout).not.toContain('service-selector-no-match');
  });

  it('renders charts with the Helm values given as input', async () => {
    const chart = {
      'charts/web/Chart.yaml': 'apiVersion: v2\nname: web\nversion: 0.1.0\n',
      'charts/web/values.yaml': 'app: wbe\n',
      'charts/web/templates/svc.yaml': BAD_SERVICE.replace('app: wbe', 'app: {{ .Values.app }}'),
      'charts/web/templates/deploy.yaml': DEPLOYMENT,
      'charts/values-prod.yaml': 'app: web\n',
    };
    const ws = workspace(chart);
    const broken = await runAction(ws, { paths: 'charts/web', 'fail-on': 'none' });
    expect(annotationLines(broken.stdout)).toContainEqual(expect.stringMatching(/^::warning file=charts\/web\/templates\/svc\.yaml,line=6,.*service-selector-no-match::/));
    const fixed = await runAction(ws, { paths: 'charts/web', values: 'charts/values-prod.yaml', 'fail-on': 'none' });
    // The chart was rendered with those values (stylish names the rendering when something is reported).
    expect(fixed.summary).toMatch(/Scanned \d+ files?, 2 resources/);
    expect(annotationLines(fixed.stdout).filter((l) => l.includes('service-selector-no-match'))).toEqual([]);
  });

  it('baseline: known findings pass, a new one fails; changed-since: only what the change produced', async () => {
    const ws = workspace();
    const w = cli(['.', '--write-baseline', 'baseline.json'], { cwd: ws });
    expect(w.code, w.stderr).toBe(0);
    const known = await runAction(ws, { baseline: 'baseline.json', 'fail-on': 'warning' });
    expect(known.code, known.stdout).toBe(0);
    expect(known.stdout).toMatch(/baseline baseline\.json: [1-9]\d* known findings? left out, 0 new, 0 entries gone/);
    fs.writeFileSync(path.join(ws, 'deploy/k8s/svc2.yaml'), BAD_SERVICE.replace('name: web', 'name: web2'));
    const fresh = await runAction(ws, { baseline: 'baseline.json', 'fail-on': 'warning' });
    expect(fresh.code).toBe(1);
    expect(annotationLines(fresh.stdout)).toEqual([expect.stringMatching(/^::warning file=deploy\/k8s\/svc2\.yaml,line=6,.*service-selector-no-match::/)]);
    // a git repository: the committed tree, then one file changed
    const git = (...args: string[]) => expect(spawnSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', '-c', 'commit.gpgsign=false', ...args], { cwd: ws }).status).toBe(0);
    git('init', '-q');
    git('add', '.');
    git('commit', '-qm', 'init');
    fs.writeFileSync(path.join(ws, 'deploy/k8s/svc2.yaml'), BAD_SERVICE.replace('name: web', 'name: web3'));
    const changed = await runAction(ws, { 'changed-since': 'HEAD', 'fail-on': 'warning' });
    expect(annotationLines(changed.stdout)).toEqual([expect.stringMatching(/^::warning file=deploy\/k8s\/svc2\.yaml,line=6,.*Service "web3"/)]);
    const bad = await runAction(ws, { 'changed-since': 'no-such-ref' });
    expect(bad.code).toBe(2);
    expect(bad.stdout).toMatch(/::error title=k8s-audit::--changed-since: "no-such-ref" is not a commit/);
  });

  it('rejects a bad input with exit code 2 and an error annotation', async () => {
    const ws = workspace();
    const r = await runAction(ws, { 'fail-on': 'sometimes' });
    expect(r.code).toBe(2);
    expect(r.stdout).toContain('::error title=k8s-audit::input fail-on must be error, warning, info or none, got "sometimes"');
    const r2 = await runAction(ws, { paths: 'no/such/dir' });
    expect(r2.code).toBe(2);
    expect(r2.stdout).toMatch(/::error title=k8s-audit::no such file or directory: no\/such\/dir/);
  });
});

describe('the action from a fresh checkout (no node_modules: the install step runs npm ci --omit=dev, no build)', () => {
  it('installs the runtime packages and runs the committed bundle', async () => {
    // The files a `uses: k8s-audit/k8s-audit@ref` checkout has (tracked, not ignored), without node_modules/dist.
    const list = spawnSync('git', ['ls-files', '-co', '--exclude-standard', '-z'], { cwd: ROOT, encoding: 'utf8' });
    if (list.status !== 0) return;
    const checkout = path.join(tmpdir(), 'action');
    for (const f of list.stdout.split('\0')) {
      if (!/^(package(-lock)?\.json|tsconfig\.json|\.npmrc|action\.yml|README\.md|dist\/bundle\/(cli\.cjs|inputs\.json)|(bin|src|rules|schema|scripts)\/.*)$/.test(f)) continue;
      if (!fs.statSync(path.join(ROOT, f), { throwIfNoEntry: false })?.isFile()) continue;
      fs.mkdirSync(path.dirname(path.join(checkout, f)), { recursive: true });
      fs.copyFileSync(path.join(ROOT, f), path.join(checkout, f));
    }
    const started = Date.now();
    const r = await runAction(workspace(), { 'fail-on': 'none' }, checkout);
    console.log(`action: fresh install and run in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    // nothing was built, and no build tool installed: the committed bundle ran
    expect(fs.existsSync(path.join(checkout, 'dist', 'src'))).toBe(false);
    expect(fs.existsSync(path.join(checkout, 'node_modules', 'typescript'))).toBe(false);
    expect(annotationLines(r.stdout)).toContainEqual(expect.stringMatching(/^::warning file=deploy\/k8s\/svc\.yaml,line=6,.*service-selector-no-match/));
    expect(r.summary).toContain('### k8s-audit:');
  }, 600_000);
});
