/**
 * Issue 25 ("Hostile input, round two"): every pattern that comes from the scanned input runs in linear time,
 * with Go's RE2 semantics where the tool that reads it is written in Go. Each CLI case commits one
 * catastrophic-backtracking pattern next to an ordinary file with a known finding: the run must end within the
 * budget with the right result for both. With a backtracking RegExp each of these ran for minutes (the inputs
 * are sized so; the time doubles with each extra character).
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, spawnAsync, tmpdir } from './cli-helpers.js';
import { compileGlob, GIT, PICOMATCH } from '../src/util/glob.js';
import { walkInputs } from '../src/load/walk.js';
import { compileGo } from '../src/util/re2.js';

/** Wall-clock budget of one CLI run: seconds of work at most, with room for a loaded CI machine. */
const BUDGET_MS = 20_000;

/** An ordinary neighbour: one invalid-name finding, which must still be reported. */
const NEIGHBOUR = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: Bad_Name\ndata:\n  a: b\n';

const A40 = 'a'.repeat(40);
const LONG_NAME = `${'a'.repeat(80)}.yaml`;

interface Run {
  ms: number;
  findings: { ruleId: string; file: string; message: string }[];
  stdout: string;
  stderr: string;
  status: number | null;
}

async function lint(dir: string, args: string[] = ['.', '-F', 'json']): Promise<Run> {
  const t = Date.now();
  const r = await spawnAsync(process.execPath, [BIN, ...args], { cwd: dir, timeout: BUDGET_MS * 2 });
  const ms = Date.now() - t;
  let findings: Run['findings'] = [];
  try {
    findings = JSON.parse(r.stdout).findings;
  } catch {
    // not JSON (a render, or a killed run): the assertions below say what went wrong
  }
  return { ms, findings, stdout: r.stdout, stderr: r.stderr, status: r.status };
}

// (the same neighbour object in several files is a duplicate-object too: what matters here is which files were read)
const ids = (r: Run) => r.findings.filter((f) => f.ruleId !== 'duplicate-object').map((f) => `${f.ruleId}@${path.basename(f.file)}`).sort();

describe('hostile patterns through the CLI', () => {
  it('a chart template calling regexMatch "^(a+)+$" (or toDate with a hostile layout) renders as helm does and the neighbour is linted', async () => {
    const dir = tmpdir({
      'svc.yaml': NEIGHBOUR,
      'c/Chart.yaml': 'apiVersion: v2\nname: c\nversion: 0.1.0\n',
      'c/templates/cm.yaml': `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\ndata:\n  m: {{ regexMatch "^(a+)+$" "${A40}!" | quote }}\n  f: {{ regexFind "(x+x+)+y" "${'x'.repeat(40)}" | quote }}\n  t: {{ toDate "${'1'.repeat(34)}" "${'1'.repeat(50)}x" | quote }}\n`,
    });
    const r = await lint(dir);
    expect(r.status, r.stderr).toBe(1);
    expect(r.ms).toBeLessThan(BUDGET_MS);
    expect(ids(r)).toEqual(['invalid-name@svc.yaml']);
    const rendered = await lint(dir, ['render', 'c']);
    expect(rendered.status, rendered.stderr).toBe(0);
    expect(rendered.stdout).toContain('m: "false"');
    expect(rendered.stdout).toContain('f: ""');
    // a time layout of 34 one-or-two-digit fields: helm's time.Parse fails, toDate gives the zero time
    expect(rendered.stdout).toContain('t: "0001-01-01 00:00:00 +0000 UTC"');
  });

  it('a kustomize patch target name "(a+)+b" selects by Go regexp, anchored', async () => {
    const cm = (name: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata:\n  a: b\n`;
    const dir = tmpdir({
      'svc.yaml': NEIGHBOUR,
      'k/kustomization.yaml': 'resources:\n- long.yaml\n- short.yaml\npatches:\n- target:\n    kind: ConfigMap\n    name: "(a+)+b"\n  patch: |-\n    - op: add\n      path: /metadata/labels\n      value: {tier: "not a valid label!"}\n',
      'k/long.yaml': cm(A40), // no match: the backtracking case
      'k/short.yaml': cm('aaab'), // matches: patched
    });
    const r = await lint(dir);
    expect(r.ms).toBeLessThan(BUDGET_MS);
    expect(ids(r)).toEqual(['invalid-label@kustomization.yaml', 'invalid-name@svc.yaml'].sort());
    expect(r.findings.find((f) => f.ruleId === 'invalid-label')?.message).toContain('not a valid label!');
  });

  it("a scanned CRD's pattern '^(a+)+$' is checked with Go's regexp against its custom resources", async () => {
    const dir = tmpdir({
      'svc.yaml': NEIGHBOUR,
      'crd.yaml': `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.example.com
spec:
  group: example.com
  names: {kind: Widget, plural: widgets, singular: widget, listKind: WidgetList}
  scope: Namespaced
  versions:
  - name: v1
    served: true
    storage: true
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec:
            type: object
            properties:
              size: {type: string, pattern: '^(a+)+$'}
              code: {type: string, pattern: '^(?i)[[:alpha:]]+\\z'}
`,
      'bad.yaml': `apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: bad\nspec:\n  size: "${A40}!"\n`,
      'good.yaml': `apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: good\nspec:\n  size: "${A40}"\n  code: AbC\n`,
    });
    const r = await lint(dir);
    expect(r.ms).toBeLessThan(BUDGET_MS);
    expect(ids(r)).toEqual(['invalid-name@svc.yaml', 'schema-invalid@bad.yaml']);
    expect(r.findings.find((f) => f.ruleId === 'schema-invalid')?.message).toContain('does not match the pattern "^(a+)+$"');
  });

  it('an ignore glob in .k8s-audit.yaml is matched in linear time and still ignores what it names', async () => {
    const dir = tmpdir({
      '.k8s-audit.yaml': 'ignore:\n  - "**/*a*a*a*a*a*a*a*b.yaml"\n',
      'svc.yaml': NEIGHBOUR,
      [LONG_NAME]: NEIGHBOUR, // no match: the backtracking case
      'sub/aaaaaaab.yaml': NEIGHBOUR, // matches: ignored
    });
    const r = await lint(dir);
    expect(r.ms).toBeLessThan(BUDGET_MS);
    expect(ids(r)).toEqual([`invalid-name@${LONG_NAME}`, 'invalid-name@svc.yaml'].sort());
  });

  it('a .gitignore glob is matched in linear time and still ignores what it names', async () => {
    const dir = tmpdir({
      '.gitignore': '**/*a*a*a*a*a*a*a*b.yaml\n',
      'svc.yaml': NEIGHBOUR,
      [LONG_NAME]: NEIGHBOUR,
      'sub/aaaaaaab.yaml': NEIGHBOUR,
    });
    const r = await lint(dir);
    expect(r.ms).toBeLessThan(BUDGET_MS);
    expect(ids(r)).toEqual([`invalid-name@${LONG_NAME}`, 'invalid-name@svc.yaml'].sort());
  });

  it('100,000 ignore globs take seconds, and the last of them still applies', async () => {
    const globs = Array.from({ length: 100_000 }, (_, i) => `  - "dir${i}/**/*.yaml"`);
    globs.push('  - "skip/**"');
    const dir = tmpdir({
      '.k8s-audit.yaml': `ignore:\n${globs.join('\n')}\n`,
      'svc.yaml': NEIGHBOUR,
      'skip/x.yaml': NEIGHBOUR,
      'dir99999/a/b.yaml': NEIGHBOUR,
      'dir100000/b.yaml': NEIGHBOUR,
    });
    const r = await lint(dir);
    expect(r.ms).toBeLessThan(BUDGET_MS);
    expect(ids(r)).toEqual(['invalid-name@b.yaml', 'invalid-name@svc.yaml']);
    expect(r.findings.filter((f) => f.ruleId !== 'duplicate-object').map((f) => f.file).sort()).toEqual(['dir100000/b.yaml', 'svc.yaml']);
  });
});

describe('rules reading manifest text', () => {
  it('anonymous-admin-access reads a Kiali auth block with many blank lines at once, and still finds the strategy', async () => {
    const kiali = (tail: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: kiali\n  namespace: istio-system\ndata:\n  config.yaml: "istio_namespace: istio-system\\nauth:\\n${' \\n'.repeat(40)}${tail}\\nserver:\\n  port: 20001\\n"\n`;
    const dir = tmpdir({
      'slow.yaml': kiali('  strategy_note: x'), // no strategy line: the old regex backtracked for hours
      'anon.yaml': kiali('  strategy: anonymous'),
    });
    const r = await lint(dir, ['.', '-F', 'json', '--rule', 'anonymous-admin-access=warning']);
    expect(r.ms).toBeLessThan(BUDGET_MS);
    expect(ids(r).filter((i) => i.startsWith('anonymous-admin-access'))).toEqual(['anonymous-admin-access@anon.yaml']);
  });
});

describe('the linear-time glob matcher', () => {
  it('reads git wildmatch and picomatch globs', () => {
    const cases: [string, typeof GIT, string, boolean][] = [
      ['*.yaml', GIT, 'a.yaml', true],
      ['*.yaml', GIT, 'x/a.yaml', false],
      ['**/a.yaml', GIT, 'x/y/a.yaml', true],
      ['**/a.yaml', GIT, 'a.yaml', true],
      ['a/**/b', GIT, 'a/b', true],
      ['a/**/b', GIT, 'a/x/y/b', true],
      ['a/**', GIT, 'a', false],
      ['a/**', GIT, 'a/x/y', true],
      ['foo**bar', GIT, 'foo/bar', false],
      ['[!a-c]x', GIT, 'dx', true],
      ['[!a-c]x', GIT, 'bx', false],
      ['[[:digit:]]?', GIT, '5z', true],
      ['\\*', GIT, '*', true],
      ['\\*', GIT, 'a', false],
      ['a/**', PICOMATCH, 'a', true],
      ['{a,b/c}.yaml', PICOMATCH, 'b/c.yaml', true],
      ['x{a,{b,c}d}', PICOMATCH, 'xcd', true],
      ['{a,b}', PICOMATCH, 'c', false],
      ['{a', PICOMATCH, '{a', true],
      ['{a}.yaml', PICOMATCH, '{a}.yaml', true],
      ['f{1..3}.yaml', PICOMATCH, 'f2.yaml', true],
      ['f{1..3}.yaml', PICOMATCH, 'f4.yaml', false],
      ['f{01..10}', PICOMATCH, 'f07', true],
      ['f{1..9..2}', PICOMATCH, 'f4', false],
      ['{a..c}x', PICOMATCH, 'bx', true],
    ];
    for (const [g, d, s, want] of cases) expect(compileGlob(g, d).test(s), `${g} ~ ${s}`).toBe(want);
  });

  it('takes linear time on globs that make a backtracking RegExp explode', () => {
    const t = Date.now();
    const star = compileGlob('**/*a*a*a*a*a*a*a*a*a*a*b.yaml', PICOMATCH);
    expect(star.test(`${'a'.repeat(20_000)}.yaml`)).toBe(false);
    expect(star.test(`x/${'a'.repeat(20_000)}b.yaml`)).toBe(true);
    // deep braces are cut off instead of recursing without bound
    expect(compileGlob('{'.repeat(50_000), PICOMATCH).test('{'.repeat(50_000))).toBe(true);
    expect(compileGlob(`${'{'.repeat(50_000)}a${'}'.repeat(50_000)}`, PICOMATCH).test('a')).toBe(false);
    expect(Date.now() - t).toBeLessThan(5_000);
  });
});

describe('.Files.Glob and .helmignore', () => {
  it("match as helm v4 does (outputs recorded from helm's own run), an unclosed '[' matching everything", async () => {
    const pats = ['*.txt', '**/*.txt', 'conf/?.txt', '{a,b}.txt', '[!a].txt', 'data/d[12].json', '**.json', 'br\\\\[a\\\\].txt', '[ab'];
    const files: Record<string, string> = {
      'Chart.yaml': 'apiVersion: v2\nname: hg\nversion: 0.1.0\n',
      '.helmignore': '*.log\ndata/skip.json\n/keep.md\nconf/sub/\n',
      'templates/cm.yaml': `{{- range $p := list ${pats.map((p) => `"${p}"`).join(' ')} }}\n{{ $p | quote }}: [{{ range $k, $_ := ($.Files.Glob $p) }}{{ $k | quote }}, {{ end }}]\n{{- end }}\n`,
    };
    for (const f of ['a.txt', 'b.txt', 'c.log', 'conf/x.txt', 'conf/yy.txt', 'conf/sub/z.txt', 'data/d1.json', 'data/d2.json', 'data/skip.json', 'keep.md', 'br[a].txt']) files[f] = 'hi\n';
    const r = await spawnAsync(process.execPath, [BIN, 'render', tmpdir(files)], { timeout: BUDGET_MS });
    expect(r.status, r.stderr).toBe(0);
    const all = '[".helmignore", "a.txt", "b.txt", "br[a].txt", "conf/x.txt", "conf/yy.txt", "data/d1.json", "data/d2.json", ]';
    for (const line of [
      '"*.txt": ["a.txt", "b.txt", "br[a].txt", ]',
      '"**/*.txt": ["conf/x.txt", "conf/yy.txt", ]',
      '"conf/?.txt": ["conf/x.txt", ]',
      '"{a,b}.txt": ["a.txt", "b.txt", ]',
      '"[!a].txt": ["b.txt", ]',
      '"data/d[12].json": ["data/d1.json", "data/d2.json", ]',
      '"**.json": ["data/d1.json", "data/d2.json", ]',
      '"br\\\\[a\\\\].txt": ["br[a].txt", ]',
      `"[ab": ${all}`,
    ]) expect(r.stdout).toContain(line);
  });
});

describe('.gitignore semantics of the walk', () => {
  it('nested files, negation, dir-only and anchored patterns; an excluded directory is not entered', () => {
    const files: Record<string, string> = {
      '.gitignore': '/build/\nlogs/*\n!logs/keep.yaml\n*.generated.yaml\nq[12].yaml\n!q2.yaml\nout/\n!out/in.yaml\n',
      'a/.gitignore': '*.yaml\n!y.yaml\n',
      'a/x.yaml': '',
      'a/y.yaml': '',
      'build/b.yaml': '',
      'sub/build/s.yaml': '',
      'logs/l.yaml': '',
      'logs/keep.yaml': '',
      'm.generated.yaml': '',
      'q1.yaml': '',
      'q2.yaml': '',
      'out/in.yaml': '',
      '.hidden/h.yaml': '',
      'node_modules/n.yaml': '',
      'root.yaml': '',
      'README.txt': '',
    };
    const dir = tmpdir(files);
    fs.mkdirSync(path.join(dir, '.git'));
    const found = walkInputs(dir, []).map((e) => path.relative(dir, e.path).split(path.sep).join('/')).sort();
    expect(found).toEqual(['a/y.yaml', 'logs/keep.yaml', 'q2.yaml', 'root.yaml', 'sub/build/s.yaml']);
    // scanning a subdirectory still applies the repository root's .gitignore
    const sub = walkInputs(path.join(dir, 'logs'), []).map((e) => path.basename(e.path));
    expect(sub).toEqual(['keep.yaml']);
  });
});

describe("Go's regexp for chart patterns", () => {
  it('RE2 syntax, and the errors Go gives', () => {
    expect(compileGo('(?P<n>x)\\z').test('ax')).toBe(true);
    expect(compileGo('[[:alpha:]]+\\Q.*\\E').test('ab.*')).toBe(true);
    expect(compileGo('a(?i)b').test('aB')).toBe(true);
    expect(compileGo('a(?i)b').test('AB')).toBe(false);
    expect(() => compileGo('(?=a)')).toThrow('error parsing regexp: invalid or unsupported Perl syntax: `(?=`');
    expect(() => compileGo('a\\1')).toThrow('error parsing regexp: invalid escape sequence: `\\1`');
    expect(() => compileGo('(a')).toThrow('error parsing regexp: missing closing ): `(a`');
  });

  it("renders the regex functions as helm v4 does (outputs recorded from helm's own run)", async () => {
    // [expression, helm v4.1.4's toJson of it]
    const cases: [string, string][] = [
      ['regexReplaceAll "a(x*)b" "-ab-axxb-" "${1}W"', '"-W-xxW-"'],
      ['regexReplaceAll "a(?P<n>x*)b" "-ab-axxb-" "<$n>$1x"', '"-\\u003c\\u003e-\\u003cxx\\u003e-"'],
      ['regexReplaceAllLiteral "a(x*)b" "-ab-axxb-" "$1"', '"-$1-$1-"'],
      ['regexSplit "a*" "baaac" -1', '["b","c"]'],
      ['regexFindAll "a*" "baaac" -1', '["","aaa",""]'],
      ['regexSplit "," "a,b," -1', '["a","b",""]'],
      ['regexSplit "" "abc" 2', '["a","bc"]'],
      ['regexFind "(?i)É" "xé"', '"é"'],
      ['regexFind "(?U)a+" "aaa"', '"a"'],
      ['regexMatch "(?<=a)b" "ab"', 'false'],
      ['regexReplaceAll "(?m)^" "a\\nb" "> "', '"\\u003e a\\n\\u003e b"'],
    ];
    const dir = tmpdir({
      'Chart.yaml': 'apiVersion: v2\nname: c\nversion: 0.1.0\n',
      'templates/cm.yaml': `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\ndata:\n${cases.map(([e], i) => `  k${i}: {{ ${e} | toJson | quote }}`).join('\n')}\n`,
    });
    const r = await spawnAsync(process.execPath, [BIN, 'render', dir], { timeout: BUDGET_MS });
    expect(r.status, r.stderr).toBe(0);
    cases.forEach(([e, want], i) => expect(r.stdout, e).toContain(`k${i}: ${JSON.stringify(want)}`));
  });

  it('fails as helm does on a bad pattern: MustCompile text for plain functions, Compile text for must*', async () => {
    for (const [expr, text] of [
      ['regexFind "(" "x"', 'error calling regexFind: regexp: Compile(`(`): error parsing regexp: missing closing ): `(`'],
      ['mustRegexFind "(" "x"', 'error calling mustRegexFind: error parsing regexp: missing closing ): `(`'],
    ]) {
      const dir = tmpdir({ 'Chart.yaml': 'apiVersion: v2\nname: c\nversion: 0.1.0\n', 'templates/cm.yaml': `a: {{ ${expr} }}\n` });
      const r = await spawnAsync(process.execPath, [BIN, 'render', dir], { timeout: BUDGET_MS });
      expect(r.status).not.toBe(0);
      expect(r.stderr).toContain(text);
    }
  });
});
