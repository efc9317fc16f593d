/** GitHub Actions output: workflow-command escaping, one line per finding, the job summary, the Actions default. */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { escapeCell, escapeData, escapeProperty, formatGithub, formatGithubSummary } from '../src/report/github.js';
import type { Finding, Report } from '../src/types.js';
import { BAD_SERVICE, DEPLOYMENT, cli, makeFinding, tmpdir } from './cli-helpers.js';

const finding = (over: Partial<Finding> = {}): Finding => makeFinding({ hint: 'fix the selector', ...over });

function report(findings: Finding[]): Report {
  const n = (s: Finding['severity']) => findings.filter((f) => f.severity === s).length;
  return {
    tool: { name: 'k8s-audit', version: '1.2.3' },
    findings,
    suppressed: [],
    summary: { files: 2, resources: 3, errors: n('error'), warnings: n('warning'), infos: n('info'), suppressed: 0, skipped: 0 },
  };
}

/** Undo the workflow-command escaping, as the runner does. */
function unescape(s: string): string {
  return s.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%3A/g, ':').replace(/%2C/g, ',').replace(/%25/g, '%');
}

/** Parse `::cmd k=v,k=v::message` the way the runner's command parser splits it. */
function parseCommand(line: string): { cmd: string; props: Record<string, string>; message: string } {
  const m = /^::([a-z]+) ([^:]*)::(.*)$/.exec(line);
  if (!m) throw new Error(`not a workflow command: ${line}`);
  const props: Record<string, string> = {};
  for (const kv of m[2].split(',')) {
    const i = kv.indexOf('=');
    props[kv.slice(0, i)] = unescape(kv.slice(i + 1));
  }
  return { cmd: m[1], props, message: unescape(m[3]) };
}

describe('workflow-command escaping', () => {
  it('escapes %, CR and LF in data, and additionally : and , in properties', () => {
    expect(escapeData('100% sure\r\nnext: a,b')).toBe('100%25 sure%0D%0Anext: a,b');
    expect(escapeProperty('dir,1/a:b%.yaml\n')).toBe('dir%2C1/a%3Ab%25.yaml%0A');
    // % first: an escaped sequence in the input must survive the round trip.
    expect(unescape(escapeProperty('%0A literal, %25: x'))).toBe('%0A literal, %25: x');
  });

  it('emits one line per finding, with the level, position, title and hint', () => {
    const out = formatGithub(
      report([
        finding({ severity: 'error', file: 'odd, dir/a:b%.yaml', message: 'line one\nline two: 100%\r', hint: 'do x, then y' }),
        finding(),
        finding({ severity: 'info', ruleId: 'unused-suppression', line: 1, column: 1, endLine: 1, endColumn: 2 }),
      ]),
    );
    const lines = out.split('\n');
    expect(lines.pop()).toBe('');
    expect(lines).toHaveLength(3);
    const [a, b, c] = lines.map(parseCommand);
    expect(a.cmd).toBe('error');
    expect(a.props).toEqual({ file: 'odd, dir/a:b%.yaml', line: '6', col: '3', endLine: '6', endColumn: '11', title: 'k8s-audit service-selector-no-match' });
    expect(a.message).toBe('line one\nline two: 100%\r\nFix: do x, then y');
    expect(b.cmd).toBe('warning');
    expect(c.cmd).toBe('notice');
    expect(c.props.title).toBe('k8s-audit unused-suppression');
    // Nothing in a line may break the command apart.
    for (const l of lines) expect(l).not.toMatch(/[\r\n]/);
  });

  it('puts findings on standard input on the run, not on a file', () => {
    const out = formatGithub(report([finding({ file: '<stdin>', line: 12, column: 3 })]));
    const c = parseCommand(out.trim());
    expect(c.props).toEqual({ title: 'k8s-audit service-selector-no-match' });
    expect(c.message.startsWith('<stdin>:12:3: Service "web"')).toBe(true);
  });

  it('names the rendering a finding came from (a chart scenario, a guide block)', () => {
    const c = parseCommand(formatGithub(report([finding({ context: 'chart web, ci/prod-values.yaml' })])).trim());
    expect(c.message).toBe('Service "web" selects nothing [chart web, ci/prod-values.yaml]\nFix: fix the selector');
  });

  it('prints nothing when there are no findings', () => {
    expect(formatGithub(report([]))).toBe('');
  });

  it('makes paths relative to the repository root when the step runs in a subdirectory', () => {
    const root = path.resolve('/repo');
    const out = formatGithub(report([finding()]), { root, cwd: path.join(root, 'deploy') });
    expect(parseCommand(out.trim()).props.file).toBe('deploy/k8s/svc.yaml');
    // Outside the root: unchanged.
    const out2 = formatGithub(report([finding({ file: '/elsewhere/x.yaml' })]), { root, cwd: path.join(root, 'deploy') });
    expect(parseCommand(out2.trim()).props.file).toBe('/elsewhere/x.yaml');
  });
});

describe('job summary', () => {
  it('is a Markdown table with one row per finding, linked to the file line and the rule docs', () => {
    const md = formatGithubSummary(report([finding({ severity: 'error', message: 'a | b <script>\nc' }), finding()]), {
      blobUrl: 'https://github.com/o/r/blob/abc123',
    });
    const lines = md.split('\n');
    expect(lines[0]).toBe('### k8s-audit: 1 error, 1 warning, 0 info');
    expect(md).toContain('Scanned 2 files, 3 resources with k8s-audit 1.2.3.');
    const rows = lines.filter((l) => l.startsWith('| '));
    expect(rows[0]).toBe('| Severity | Location | Rule | Message |');
    expect(rows).toHaveLength(3);
    expect(rows[1]).toContain('[k8s/svc.yaml:6:3](https://github.com/o/r/blob/abc123/k8s/svc.yaml#L6)');
    expect(rows[1]).toContain('[service-selector-no-match](https://github.com/k8s-audit/k8s-audit/blob/');
    expect(rows[1]).toContain('docs/rules/service-selector-no-match.md)');
    expect(rows[1]).toContain('a \\| b &lt;script&gt;<br>c');
    // Every row has exactly four cells: no unescaped pipe leaks.
    for (const r of rows) expect(r.replace(/\\\|/g, '').split('|').length - 2).toBe(4);
  });

  it('says so when there is nothing to report, and caps the rows', () => {
    expect(formatGithubSummary(report([]))).toMatch(/^### k8s-audit: no findings\n/);
    const many = Array.from({ length: 7 }, (_, i) => finding({ line: i + 1 }));
    const md = formatGithubSummary(report(many), { maxRows: 5 });
    expect(md.split('\n').filter((l) => l.startsWith('| ')).length).toBe(6);
    expect(md).toContain('…and 2 more');
  });

  it('escapes table cells', () => {
    expect(escapeCell('a|b\\c\r\nd & <e>')).toBe('a\\|b\\\\c<br>d &amp; &lt;e&gt;');
  });
});

describe('the CLI inside GitHub Actions', () => {
  it('defaults to annotations plus a job summary, with repository-relative paths', () => {
    const repo = tmpdir({ 'deploy/k8s/svc.yaml': BAD_SERVICE, 'deploy/k8s/deploy.yaml': DEPLOYMENT });
    const summary = path.join(repo, 'summary.md');
    fs.writeFileSync(summary, '# earlier step\n');
    const r = cli(['k8s', '--fail-on', 'warning'], {
      cwd: path.join(repo, 'deploy'),
      env: { GITHUB_ACTIONS: 'true', GITHUB_WORKSPACE: repo, GITHUB_STEP_SUMMARY: summary, GITHUB_REPOSITORY: 'o/r', GITHUB_SHA: 'abc123' },
    });
    expect(r.code).toBe(1);
    // Other rules may also speak about these objects; every line is one workflow command, one per finding.
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines.every((l) => /^::(error|warning|notice) file=deploy\/k8s\/[a-z]+\.yaml,line=\d+,col=\d+,endLine=\d+,endColumn=\d+,title=k8s-audit [a-z0-9-]+::\S/.test(l))).toBe(true);
    const json = JSON.parse(cli(['k8s', '--format', 'json'], { cwd: path.join(repo, 'deploy') }).stdout);
    expect(lines).toHaveLength(json.findings.length);
    expect(lines).toContainEqual(expect.stringMatching(/^::warning file=deploy\/k8s\/svc\.yaml,line=6,col=3,.*title=k8s-audit service-selector-no-match::Service "web" selects/));
    const md = fs.readFileSync(summary, 'utf8');
    const s = json.summary;
    expect(md.startsWith(`# earlier step\n### k8s-audit: ${s.errors} error${s.errors === 1 ? '' : 's'}, ${s.warnings} warning${s.warnings === 1 ? '' : 's'}, ${s.infos} info\n`)).toBe(true);
    expect(md.split('\n').filter((l) => l.startsWith('| ')).length).toBe(json.findings.length + 1);
    expect(md).toContain('[deploy/k8s/svc.yaml:6:3](https://github.com/o/r/blob/abc123/deploy/k8s/svc.yaml#L6)');
  });

  it('keeps an explicit --format, and writes no summary for it', () => {
    const repo = tmpdir({ 'k8s/svc.yaml': BAD_SERVICE, 'k8s/deploy.yaml': DEPLOYMENT });
    const summary = path.join(repo, 'summary.md');
    const r = cli(['k8s', '--format', 'json'], { cwd: repo, env: { GITHUB_ACTIONS: 'true', GITHUB_WORKSPACE: repo, GITHUB_STEP_SUMMARY: summary } });
    expect(JSON.parse(r.stdout).findings.some((f: { ruleId: string }) => f.ruleId === 'service-selector-no-match')).toBe(true);
    expect(fs.existsSync(summary)).toBe(false);
  });

  it('outside Actions the default stays stylish', () => {
    const repo = tmpdir({ 'k8s/svc.yaml': BAD_SERVICE, 'k8s/deploy.yaml': DEPLOYMENT });
    const r = cli(['k8s'], { cwd: repo });
    expect(r.stdout).not.toContain('::warning');
    expect(r.stdout).toMatch(/^k8s\/svc\.yaml\n {2}6:3 /m);
  });
});
