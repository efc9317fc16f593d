/**
 * Hostile input, round two: unbounded work from a single committed file. Each case ends within seconds (the
 * bound asserted is generous, for a loaded machine), with a clear finding at the file and line that asked for
 * the work, and the findings of a neighbouring file are still reported.
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { BIN, DEPLOYMENT, tmpdir } from './cli-helpers.js';

interface Finding { ruleId: string; message: string; file: string; line: number }

const NEIGHBOUR = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: n\n  name: again\n';
const CM_HEAD = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: big\ndata:\n';
/** Generous: these cases take a few seconds on an idle machine; the suite may run beside others. */
const BOUND_MS = 30_000;

/** The CLI on dir, killed after 3 minutes (so that a regression fails on the time bound, not on a kill). */
function scan(dir: string): { findings: Finding[]; ms: number } {
  const started = Date.now();
  const r = spawnSync(process.execPath, [BIN, '--format', 'json', '.'], { cwd: dir, encoding: 'utf8', timeout: 180_000, maxBuffer: 64 * 1024 * 1024 });
  const ms = Date.now() - started;
  expect(r.stderr).not.toMatch(/at .*\.js:\d+|internal error|TypeError|RangeError|heap out of memory/);
  expect(r.status, `${r.signal ?? ''} ${r.stderr}`).toBe(1);
  return { findings: (JSON.parse(r.stdout) as { findings: Finding[] }).findings, ms };
}

/** The neighbour's duplicate key is still reported. */
function expectNeighbour(findings: Finding[]): void {
  expect(findings.some((f) => f.file === 'neighbour.yaml' && f.ruleId === 'duplicate-key' && f.line === 5), JSON.stringify(findings)).toBe(true);
}

function chart(template: string): string {
  return tmpdir({
    'chart/Chart.yaml': 'apiVersion: v2\nname: c\nversion: 0.1.0\n',
    'chart/templates/cm.yaml': template,
    'neighbour.yaml': NEIGHBOUR,
  });
}

describe('helm templates that ask for unbounded work stop at the budget', () => {
  const cases: [string, string, number, RegExp][] = [
    ['until 100000000', CM_HEAD + '  n: {{ len (until 100000000) | quote }}\n', 6, /until 100000000.*builds more than \d+ MB/],
    ['range until 1000000', CM_HEAD + '{{- range $i := until 1000000 }}\n  k{{ $i }}: "v{{ $i }}"\n{{- end }}\n', 7, /more than \d+ steps/],
    ['repeat 250000000', CM_HEAD + '  a: {{ repeat 250000000 "ab" | len | quote }}\n', 6, /repeat 250000000.*builds more than/],
    [
      'toYaml of a dict that holds itself twice per level',
      CM_HEAD + '{{- $d := dict "a" (repeat 1000 "x") }}\n{{- range until 40 }}{{ $d = dict "l" $d "r" $d }}{{ end }}\n  y: {{ toYaml $d | len | quote }}\n',
      8,
      /toYaml \$d.*builds more than/,
    ],
    ['splitList "" of a 100 MB string', CM_HEAD + '  n: {{ splitList "" (repeat 100000000 "x") | len | quote }}\n', 6, /splitList "".*builds more than/],
    ['a string doubled by cat in a loop', CM_HEAD + '{{- $s := "xy" }}\n{{- range until 40 }}{{ $s = cat $s $s }}{{ end }}\n  y: {{ len $s | quote }}\n', 7, /cat \$s \$s.*builds more than/],
    [
      'an include that calls itself twice, 40 deep',
      '{{- define "r" }}{{ if lt (len .) 40 }}{{ include "r" (append . 1) }}{{ include "r" (append . 1) }}{{ end }}x{{ end }}\n' + CM_HEAD + '  y: {{ include "r" list | len | quote }}\n',
      1,
      /more than \d+ steps/,
    ],
    [
      'tpl that includes itself twice, 40 deep',
      '{{- define "t" }}{{ if lt (len .l) 40 }}{{ tpl "{{ include \\"t\\" (dict \\"l\\" (append .l 1)) }}{{ include \\"t\\" (dict \\"l\\" (append .l 1)) }}" . }}{{ end }}x{{ end }}\n' +
        CM_HEAD + '  y: {{ include "t" (dict "l" list) | len | quote }}\n',
      1,
      /more than \d+ steps/,
    ],
  ];
  for (const [what, template, line, message] of cases) {
    it(`${what}: a render error at the template line, in seconds`, () => {
      const dir = chart(template);
      const { findings, ms } = scan(dir);
      const f = findings.find((x) => x.ruleId === 'helm-render-error');
      expect(f, JSON.stringify(findings)).toBeTruthy();
      expect(f!.file).toBe('chart/templates/cm.yaml');
      expect(f!.line).toBe(line);
      expect(f!.message).toMatch(message);
      // worded as a limit of the built-in renderer, not as a Helm failure
      expect(f!.message).toMatch(/built-in renderer's limit/);
      expect(f!.message).not.toMatch(/fail the same way/);
      expectNeighbour(findings);
      expect(ms).toBeLessThan(BOUND_MS);
    });
  }

  it('deep include recursion: Helm\'s nested-reference error, not a crash', () => {
    const dir = chart('{{- define "d" }}{{ include "d" . }}{{ end }}\n' + CM_HEAD + '  y: {{ include "d" . | quote }}\n');
    const { findings, ms } = scan(dir);
    const f = findings.find((x) => x.ruleId === 'helm-render-error');
    expect(f?.message).toMatch(/nested reference name: d/);
    expect(f?.file).toBe('chart/templates/cm.yaml');
    expect(f?.line).toBe(1);
    expectNeighbour(findings);
    expect(ms).toBeLessThan(BOUND_MS);
  });

  it('many templates each under the limit: the chart total stops them, the rest are named as not rendered', { timeout: 200_000 }, () => {
    const files: Record<string, string> = { 'chart/Chart.yaml': 'apiVersion: v2\nname: c\nversion: 0.1.0\n', 'neighbour.yaml': NEIGHBOUR };
    // 1.9 million steps each: t7..t3 (Helm renders in reverse lexical order) take 9.5 million of the chart's 10
    for (let i = 1; i <= 7; i++) files[`chart/templates/t${i}.yaml`] = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: t${i}\n{{- range until 1900000 }}{{ end }}\n`;
    const { findings, ms } = scan(tmpdir(files));
    const errors = findings.filter((f) => f.ruleId === 'helm-render-error');
    expect(errors.map((f) => [f.file, f.line]), JSON.stringify(errors)).toEqual([
      ['chart/templates/t1.yaml', 1],
      ['chart/templates/t2.yaml', 5],
    ]);
    expect(errors[1].message).toMatch(/the chart's templates together take more than 10000000 steps/);
    expect(errors[0].message).toMatch(/not rendered: .*1 template\(s\) were left out: c\/templates\/t1\.yaml/);
    expectNeighbour(findings);
    expect(ms).toBeLessThan(BOUND_MS * 2);
  });

  it('a chart within the budget renders as before (a 10,000-iteration range)', () => {
    const dir = chart(CM_HEAD + '{{- range $i := until 10000 }}\n  k{{ $i }}: "v{{ $i }}"\n{{- end }}\n  k0: dup\n');
    const { findings } = scan(dir);
    expect(findings.filter((f) => f.ruleId === 'helm-render-error')).toEqual([]);
    expect(findings.some((f) => f.file === 'chart/templates/cm.yaml' && f.ruleId === 'duplicate-key'), JSON.stringify(findings)).toBe(true);
  });
});

describe('inputs whose cost grew faster than their size', () => {
  it('a 10 MB Markdown fence: linted, the finding at its guide line', { timeout: 200_000 }, () => {
    const lines: string[] = [];
    let size = 0;
    for (let i = 0; size < 10 * 1024 * 1024; i++) {
      const l = `  key${i}: "${'v'.repeat(40)}"`;
      lines.push(l);
      size += l.length + 1;
    }
    const guide = '# Guide\n\nSome text.\n\n```yaml\n' + CM_HEAD + lines.join('\n') + '\n```\n';
    const dir = tmpdir({ 'guide.md': guide, 'neighbour.yaml': NEIGHBOUR });
    const { findings, ms } = scan(dir);
    // the API server's 3 MiB limit on a request, at the object's first line in the fence (guide line 6)
    const big = findings.find((f) => f.file === 'guide.md' && /over the 3 MiB the API server accepts/.test(f.message));
    expect(big, JSON.stringify(findings.map((f) => [f.line, f.message.slice(0, 80)]))).toBeTruthy();
    expect(big!.line).toBe(6);
    expectNeighbour(findings);
    expect(ms).toBeLessThan(BOUND_MS * 2);
  });

  it('5,000 kustomize replacement targets: built, each target replaced, in seconds', { timeout: 200_000 }, () => {
    const n = 5000;
    const res = ['apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: source\ndata:\n  v: nginx:latest\n'];
    for (let i = 0; i < n; i++) res.push(`apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-${i}\ndata:\n  x: old\n`);
    // the last target's value lands where a rule sees it: a container image
    res.push(DEPLOYMENT);
    const targets: string[] = [];
    for (let i = 0; i < n; i++) targets.push(`  - select:\n      kind: ConfigMap\n      name: cm-${i}\n    fieldPaths:\n    - data.x\n`);
    targets.push('  - select:\n      kind: Deployment\n      name: web\n    fieldPaths:\n    - spec.template.spec.containers.[name=web].image\n');
    const kustomization = 'resources:\n- resources.yaml\nreplacements:\n- source:\n    kind: ConfigMap\n    name: source\n    fieldPath: data.v\n  targets:\n' + targets.join('');
    const dir = tmpdir({ 'app/resources.yaml': res.join('---\n'), 'app/kustomization.yaml': kustomization, 'neighbour.yaml': NEIGHBOUR });
    const { findings, ms } = scan(dir);
    const latest = findings.find((f) => f.ruleId === 'image-tag-latest');
    expect(latest, JSON.stringify(findings)).toBeTruthy();
    expect(latest!.message).toMatch(/nginx:latest/);
    // the replaced value is where the target's fieldPath put it
    expect(latest!.file).toBe('app/kustomization.yaml');
    expect(latest!.line).toBe(kustomization.split('\n').findIndex((l) => l.includes('containers.[name=web].image')) + 1);
    expectNeighbour(findings);
    expect(ms).toBeLessThan(BOUND_MS);
  });

  // 200,000 anchors and aliases in one map with a duplicate key: the precise parser's path (the fast path
  // refuses the duplicate). Half as many took more than five minutes before (quadratic).
  it('200,000 anchors and aliases and a duplicate key: the duplicate found, in seconds', { timeout: 200_000 }, () => {
    const n = 100_000;
    const parts = [CM_HEAD];
    for (let i = 0; i < n; i++) parts.push(`  a${i}: &a${i} v${i}\n  b${i}: *a${i}\n`);
    parts.push('  a0: dup\n');
    const text = parts.join('');
    const dir = tmpdir({ 'anchors.yaml': text, 'neighbour.yaml': NEIGHBOUR });
    const { findings, ms } = scan(dir);
    const dup = findings.find((f) => f.file === 'anchors.yaml' && f.ruleId === 'duplicate-key');
    expect(dup, JSON.stringify(findings.slice(0, 5))).toBeTruthy();
    expect(dup!.line).toBe(text.split('\n').length - 1);
    expectNeighbour(findings);
    expect(ms).toBeLessThan(BOUND_MS * 2);
  });

  // A million anchors and aliases (22 MB in one object): read in near-linear time, and an object the API
  // server could never accept (over 3 MiB) is reported, not walked key by key by every rule.
  it('a million anchors and aliases: one finding in seconds', { timeout: 200_000 }, () => {
    const n = 500_000;
    const parts = [CM_HEAD];
    for (let i = 0; i < n; i++) parts.push(`  a${i}: &a${i} v${i}\n`);
    for (let i = 0; i < n; i++) parts.push(`  b${i}: *a${i}\n`);
    const dir = tmpdir({ 'anchors.yaml': parts.join(''), 'neighbour.yaml': NEIGHBOUR });
    const { findings, ms } = scan(dir);
    expect(findings.filter((f) => f.file === 'anchors.yaml').map((f) => [f.ruleId, f.line, /over the 3 MiB/.test(f.message)])).toEqual([['unreadable-file', 1, true]]);
    expectNeighbour(findings);
    expect(ms).toBeLessThan(BOUND_MS);
  });
});

