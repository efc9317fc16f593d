/** The CLI end to end: formats, exit codes, --fail-on, --output, colours, stdin, config, suppressions. */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BAD_SERVICE, BIN, DEPLOYMENT, cli, tmpdir } from './cli-helpers.js';

const stack = (svc = BAD_SERVICE) => tmpdir({ 'k8s/app.yaml': `${DEPLOYMENT}---\n${svc}` });

describe('exit codes', () => {
  it('0 when clean', () => {
    const dir = tmpdir({ 'ok.yaml': DEPLOYMENT });
    const r = cli(['ok.yaml'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('No problems');
  });
  it('1 when something is at or above --fail-on, 0 below it', () => {
    const dir = stack();
    expect(cli(['k8s'], { cwd: dir }).code).toBe(0); // a warning, fail-on error
    expect(cli(['k8s', '--fail-on', 'warning'], { cwd: dir }).code).toBe(1);
    expect(cli(['k8s', '--fail-on', 'info'], { cwd: dir }).code).toBe(1);
    expect(cli(['k8s', '--fail-on', 'none', '--rule', 'service-selector-no-match=error'], { cwd: dir }).code).toBe(0);
    expect(cli(['k8s', '--rule', 'service-selector-no-match=error'], { cwd: dir }).code).toBe(1);
  });
  it('2 for usage errors: unknown option, bad choice, missing path, unknown rule', () => {
    const dir = stack();
    for (const args of [['--bogus'], ['--fail-on', 'sometimes'], ['does-not-exist.yaml'], ['--format', 'xml', 'k8s'], ['--rule', 'no-such-rule=off', 'k8s'], ['explain', 'no-such-rule']]) {
      const r = cli(args, { cwd: dir });
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(/k8s-audit: /);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
  });
});

describe('formats', () => {
  it('stylish: grouped by file, line:col, severity, message, rule id, summary', () => {
    const r = cli(['k8s', '--no-color'], { cwd: stack() });
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe('k8s/app.yaml');
    // as ESLint: the path once, as a header, then line:col on each finding's line
    expect(lines[1]).toMatch(/^ {2}23:3 {2}warning {2}Service "web" selects app=wbe .* {2}service-selector-no-match$/);
    expect(r.stdout).toMatch(/⚠ 0 errors, 1 warning, 0 info \(1 file, 2 resources\)/);
    expect(r.stdout).not.toMatch(/\x1b\[/);
  });
  it('colours: NO_COLOR and --no-color turn them off, FORCE_COLOR and --color on', () => {
    const dir = stack();
    expect(cli(['k8s'], { cwd: dir, env: { FORCE_COLOR: '1' } }).stdout).toMatch(/\x1b\[/);
    expect(cli(['k8s', '--color'], { cwd: dir }).stdout).toMatch(/\x1b\[/);
    expect(cli(['k8s'], { cwd: dir, env: { NO_COLOR: '1', FORCE_COLOR: '1' } }).stdout).not.toMatch(/\x1b\[/);
    expect(cli(['k8s', '--no-color'], { cwd: dir, env: { FORCE_COLOR: '1' } }).stdout).not.toMatch(/\x1b\[/);
  });
  it('json: the contract', () => {
    const r = cli(['k8s', '--format', 'json'], { cwd: stack() });
    const j = JSON.parse(r.stdout);
    expect(j.tool).toEqual({ name: 'k8s-audit', version: expect.stringMatching(/^\d+\.\d+\.\d+/) });
    expect(j.findings).toHaveLength(1);
    const f = j.findings[0];
    expect(f).toMatchObject({
      ruleId: 'service-selector-no-match',
      severity: 'warning',
      file: 'k8s/app.yaml',
      line: 23,
      column: 3,
      endLine: 23,
      endColumn: 11,
      resource: { apiVersion: 'v1', kind: 'Service', name: 'web', namespace: 'default' },
    });
    expect(typeof f.message).toBe('string');
    expect(f.hint).toMatch(/spec.selector/);
    expect(j.suppressed).toEqual([]);
    expect(j.summary).toEqual({ files: 1, resources: 2, errors: 0, warnings: 1, infos: 0, suppressed: 0, skipped: 0 });
  });
  it('json: findings are sorted by file, line, column, rule', () => {
    const dir = tmpdir({
      'b.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  name: y\n',
      'a.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  k: v\n  k: w\n---\na: [\n',
    });
    const j = JSON.parse(cli(['.', '--format', 'json'], { cwd: dir }).stdout);
    expect(j.findings.map((f: { file: string; line: number }) => `${f.file}:${f.line}`)).toEqual(['a.yaml:7', 'a.yaml:9', 'b.yaml:5']);
  });
  it('github: one workflow command per finding', () => {
    const r = cli(['k8s', '--format', 'github'], { cwd: stack() });
    expect(r.stdout.trim().split('\n')).toHaveLength(1);
    expect(r.stdout).toMatch(/^::warning file=k8s\/app\.yaml,line=23,col=3,endLine=23,endColumn=11,title=k8s-audit service-selector-no-match::Service "web"/);
  });
  it('sarif: rules and a result with a region', () => {
    const s = JSON.parse(cli(['k8s', '--format', 'sarif'], { cwd: stack() }).stdout);
    expect(s.version).toBe('2.1.0');
    const run = s.runs[0];
    expect(run.tool.driver.name).toBe('k8s-audit');
    expect(run.tool.driver.rules.map((r: { id: string }) => r.id)).toContain('service-selector-no-match');
    expect(run.results[0].locations[0].physicalLocation.region).toEqual({ startLine: 23, startColumn: 3, endLine: 23, endColumn: 11 });
    expect(run.results[0].partialFingerprints).toBeTruthy();
  });
  it('sarif fingerprints survive the finding moving down the file', () => {
    const a = JSON.parse(cli(['k8s', '--format', 'sarif'], { cwd: stack() }).stdout).runs[0].results[0];
    const moved = tmpdir({ 'k8s/app.yaml': `# a new comment\n# and another\n${DEPLOYMENT}---\n${BAD_SERVICE}` });
    const b = JSON.parse(cli(['k8s', '--format', 'sarif'], { cwd: moved }).stdout).runs[0].results[0];
    expect(b.locations[0].physicalLocation.region.startLine).toBe(25);
    expect(b.partialFingerprints).toEqual(a.partialFingerprints);
  });
  it('--output writes the report to a file (no colours)', () => {
    const dir = stack();
    const r = cli(['k8s', '--output', 'report.txt', '--color'], { cwd: dir });
    expect(r.stdout).toBe('');
    const text = fs.readFileSync(path.join(dir, 'report.txt'), 'utf8');
    expect(text).toContain('service-selector-no-match');
    expect(text).not.toMatch(/\x1b\[/);
  });

  it('K8S_AUDIT_TIMING=1 prints phases (with the memory at their end), the slowest rules and the peak memory on stderr, leaving the report alone', () => {
    const dir = stack();
    const plain = cli(['k8s', '--format', 'json'], { cwd: dir });
    const timed = cli(['k8s', '--format', 'json'], { cwd: dir, env: { K8S_AUDIT_TIMING: '1' } });
    expect(timed.stdout).toBe(plain.stdout);
    expect(plain.stderr).toBe('');
    expect(timed.stderr).toMatch(/^parse +\d+\.\d ms {2}heap +\d+ MiB, resident +\d+ MiB$/m);
    expect(timed.stderr).toMatch(/^peak resident memory \d+ MiB$/m);
    expect(timed.stderr).toMatch(/^ {2}rule service-selector-no-match +\d+\.\d ms$/m);
    expect(timed.stderr.match(/^ {2}rule /gm)).toHaveLength(10);
  });
});

describe('inputs', () => {
  it('- reads standard input', () => {
    const r = cli(['-', '--format', 'json'], { input: `${DEPLOYMENT}---\n${BAD_SERVICE}` });
    const j = JSON.parse(r.stdout);
    expect(j.findings[0]).toMatchObject({ file: '<stdin>', line: 23, ruleId: 'service-selector-no-match' });
  });
  it('defaults to . and honours .gitignore; skips node_modules and non-manifest files', () => {
    const dir = tmpdir({
      '.gitignore': 'generated/\n',
      'generated/bad.yaml': 'a: [\n',
      'node_modules/pkg/bad.yaml': 'a: [\n',
      'notes.txt': 'a: [\n',
      'ok.yml': DEPLOYMENT,
    });
    fs.mkdirSync(path.join(dir, '.git'));
    const j = JSON.parse(cli(['--format', 'json'], { cwd: dir }).stdout);
    expect(j.findings).toEqual([]);
    expect(j.summary.files).toBe(1);
    expect(j.summary.resources).toBe(1);
  });
  it('--list-rules and rules print every rule; explain prints docs', () => {
    const list = cli(['--list-rules']).stdout;
    expect(list).toMatch(/^duplicate-key\s+error/m);
    expect(cli(['rules', '--format', 'json']).stdout).toContain('"id": "syntax-error"');
    const ex = cli(['explain', 'service-selector-no-match']);
    expect(ex.code).toBe(0);
    expect(ex.stdout).toMatch(/Why it matters:/);
    expect(ex.stdout).toMatch(/How to fix:/);
    expect(ex.stdout).toMatch(/docs\/rules\/service-selector-no-match\.md/);
  });
});

describe('configuration', () => {
  it('is found walking up, switches rules and severities', () => {
    const dir = stack();
    fs.writeFileSync(path.join(dir, '.k8s-audit.yaml'), 'rules:\n  service-selector-no-match: error\n');
    const sub = path.join(dir, 'k8s');
    const j = JSON.parse(cli(['.', '--format', 'json'], { cwd: sub }).stdout);
    expect(j.findings[0].severity).toBe('error');
    expect(j.findings[0].file).toBe('app.yaml');
    fs.writeFileSync(path.join(dir, '.k8s-audit.yaml'), 'rules:\n  service-selector-no-match: off\n');
    expect(JSON.parse(cli(['.', '--format', 'json'], { cwd: sub }).stdout).findings).toEqual([]);
  });
  it('an invalid config exits 2 naming the bad key', () => {
    const dir = stack();
    const cases: [string, RegExp][] = [
      ['rulez: {}\n', /unknown key "rulez"/],
      ['rules:\n  service-selector-no-match: loud\n', /rules\.service-selector-no-match must be one of/],
      ['rules:\n  not-a-rule: error\n', /unknown rule "not-a-rule"/],
      ['exclude:\n  - kind: Service\n', /exclude\[0\]\.rules is required/],
      ['kubeVersion: banana\n', /kubeVersion "banana"/],
      ['ignore: vendor\n', /ignore must be a list/],
      ['rules: [\n', /invalid YAML/],
    ];
    for (const [text, msg] of cases) {
      fs.writeFileSync(path.join(dir, '.k8s-audit.yaml'), text);
      const r = cli(['k8s'], { cwd: dir });
      expect(r.code, text).toBe(2);
      expect(r.stderr, text).toMatch(msg);
    }
  });
  it('--config names the file; ignore globs, default namespace', () => {
    const dir = tmpdir({
      'conf/audit.yaml': 'ignore:\n  - ../vendor/**\nnamespace: shop\n',
      'vendor/bad.yaml': 'a: [\n',
      'app.yaml': `${DEPLOYMENT}---\n${BAD_SERVICE}`,
    });
    const j = JSON.parse(cli(['.', '--config', 'conf/audit.yaml', '--format', 'json'], { cwd: dir }).stdout);
    expect(j.findings.map((f: { file: string }) => f.file)).toEqual(['app.yaml']);
    expect(j.findings[0].resource.namespace).toBe('shop');
  });
  it('exclude entries suppress by kind/name/namespace glob and report when unused', () => {
    const dir = stack();
    fs.writeFileSync(
      path.join(dir, '.k8s-audit.yaml'),
      'exclude:\n  - kind: Serv*\n    name: "w*"\n    rules: [service-selector-no-match]\n    reason: third-party chart\n  - kind: Secret\n    rules: ["*"]\n    reason: nothing matches\n',
    );
    const j = JSON.parse(cli(['.', '--format', 'json'], { cwd: dir }).stdout);
    expect(j.suppressed).toHaveLength(1);
    expect(j.suppressed[0]).toMatchObject({ ruleId: 'service-selector-no-match', reason: 'third-party chart', via: 'config' });
    expect(j.summary.suppressed).toBe(1);
    expect(j.findings).toHaveLength(1);
    expect(j.findings[0]).toMatchObject({ ruleId: 'unused-suppression', severity: 'info', file: '.k8s-audit.yaml', line: 6 });
    // A subfolder is not the whole project: an entry may be for files outside it, so none is reported unused.
    const sub = JSON.parse(cli(['k8s', '--format', 'json'], { cwd: dir }).stdout);
    expect(sub.suppressed).toHaveLength(1);
    expect(sub.findings).toEqual([]);
  });
});

describe('suppressions', () => {
  it('a comment before the node, with its reason; shown with --show-suppressed', () => {
    const svc = BAD_SERVICE.replace('  selector:\n', '  # k8s-audit-ignore service-selector-no-match -- pods come from the platform repo\n  selector:\n');
    const dir = stack(svc);
    const j = JSON.parse(cli(['k8s', '--format', 'json'], { cwd: dir }).stdout);
    expect(j.findings).toEqual([]);
    expect(j.suppressed[0]).toMatchObject({ ruleId: 'service-selector-no-match', reason: 'pods come from the platform repo', via: 'comment' });
    expect(cli(['k8s', '--no-color'], { cwd: dir }).stdout).toMatch(/No problems .*1 suppressed/);
    expect(cli(['k8s', '--no-color', '--show-suppressed'], { cwd: dir }).stdout).toMatch(/service-selector-no-match \(suppressed: pods come from the platform repo\)/);
  });
  it('a comment before the document covers the whole document', () => {
    const dir = stack(`# k8s-audit-ignore service-selector-no-match -- legacy\n${BAD_SERVICE}`);
    expect(JSON.parse(cli(['k8s', '--format', 'json'], { cwd: dir }).stdout).summary.suppressed).toBe(1);
  });
  it('a comment elsewhere does not suppress, and is reported as unused', () => {
    const svc = BAD_SERVICE.replace('  ports:\n', '  # k8s-audit-ignore service-selector-no-match -- wrong node\n  ports:\n');
    const j = JSON.parse(cli(['k8s', '--format', 'json'], { cwd: stack(svc) }).stdout);
    expect(j.findings.map((f: { ruleId: string }) => f.ruleId).sort()).toEqual(['service-selector-no-match', 'unused-suppression']);
  });
  it('annotations on the object', () => {
    const svc = BAD_SERVICE.replace('  name: web\n', '  name: web\n  annotations:\n    ignore.k8s-audit.io/service-selector-no-match: "fronted by an external controller"\n');
    const j = JSON.parse(cli(['k8s', '--format', 'json'], { cwd: stack(svc) }).stdout);
    expect(j.findings).toEqual([]);
    expect(j.suppressed[0]).toMatchObject({ reason: 'fronted by an external controller', via: 'annotation' });
  });
  it('annotations on a pod template, and the list form', () => {
    const dir = tmpdir({
      'a.yaml':
        'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: w\nspec:\n  template:\n    metadata:\n      annotations:\n        k8s-audit.io/ignore: "duplicate-key, syntax-error -- generated"\n    spec:\n      containers:\n      - name: a\n        image: x:1\n        image: x:2\n',
    });
    // duplicate-key is a document rule (no resource), so only the document-level comment or config can suppress it;
    // the annotation matches nothing and is reported as unused.
    const j = JSON.parse(cli(['a.yaml', '--format', 'json'], { cwd: dir }).stdout);
    const mine = j.findings.filter((f: { ruleId: string }) => ['unused-suppression', 'duplicate-key', 'syntax-error'].includes(f.ruleId));
    expect(mine.map((f: { ruleId: string; line: number }) => `${f.line}:${f.ruleId}`)).toEqual(['9:unused-suppression', '14:duplicate-key']);
  });
});

describe('a reader that stops early', () => {
  it('`rules --format json | head` exits quietly, without EPIPE', () => {
    const r = spawnSync('bash', ['-c', `"${process.execPath}" "${BIN}" rules --format json | head -c 10 >/dev/null; echo "status \${PIPESTATUS[0]}"`], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    expect(r.stderr).not.toMatch(/EPIPE|Error/);
    expect(r.stdout.trim()).toBe('status 0');
  });
  it('a lint whose output goes into a closed pipe exits quietly with the code the run has (1: an error finding)', () => {
    // Enough findings that the report outgrows the pipe's buffer, so the write meets the closed pipe.
    const doc = (i: number) => `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p${i}\nspec:\n  containers:\n  - name: a\n    image: x:1\n    securityContext: {privileged: true}\n`;
    const dir = tmpdir({ 'a.yaml': Array.from({ length: 400 }, (_, i) => doc(i)).join('---\n') });
    for (const format of ['json', 'stylish']) {
      const r = spawnSync('bash', ['-c', `"${process.execPath}" "${BIN}" a.yaml --format ${format} | head -c 10 >/dev/null; echo "status \${PIPESTATUS[0]}"`], { cwd: dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
      expect(r.stderr).not.toMatch(/EPIPE|Error/);
      expect(r.stdout.trim(), format).toBe('status 1');
    }
  });
});
