/** Bad input never crashes: each case ends within seconds, exit 0 or 1, a clear finding, no stack trace. */
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cli, tmpdir } from './cli-helpers.js';

interface Json {
  findings: { ruleId: string; severity: string; message: string; file: string; line: number; column: number }[];
  summary: { files: number; resources: number; errors: number; skipped: number };
}

function run(dir: string, target: string) {
  const started = Date.now();
  const r = cli(['--format', 'json', target], { cwd: dir });
  const ms = Date.now() - started;
  expect(r.stderr).not.toMatch(/at .*\.js:\d+|internal error|TypeError|RangeError/);
  expect([0, 1]).toContain(r.code);
  return { ...r, ms, json: JSON.parse(r.stdout) as Json };
}

describe('bad input', () => {
  let dir: string;
  beforeAll(() => {
    dir = tmpdir({
      'invalid.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  a: [1, 2\n  b: c\n',
      'dup.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  name: y\n',
      'tab.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n\tname: x\n',
      'bomb.yaml':
        'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\ng: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]\n',
      'deep.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: deep\ndata:\n  x: ' + '['.repeat(20000) + ']'.repeat(20000) + '\n',
      'binary.yaml': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52]),
      'latin1.yaml': Buffer.concat([Buffer.from('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  city: M'), Buffer.from([0xfc]), Buffer.from('nchen\n')]),
      'surrogate.yaml': Buffer.concat([Buffer.from('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  k: a'), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from('b\n')]),
      'empty.yaml': '',
      'comments.yaml': '# only a comment\n\n# and another\n',
      'docs.yaml': '- a list\n- as a document\n---\njust a scalar\n---\n',
      'types.yaml': 'apiVersion: v1\nkind: [x]\nmetadata:\n  name: a\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: []\n',
      'manifest.json': JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'from-json' }, data: { a: 'b' } }, null, '\t'),
      'broken.json': '{"apiVersion": "v1",\n "kind": "ConfigMap",\n "metadata": {"name": "x"}\n "data": {}}\n',
    });
    fs.mkdirSync(path.join(dir, 'loop'));
    fs.symlinkSync('..', path.join(dir, 'loop', 'up'));
    fs.symlinkSync('.', path.join(dir, 'loop', 'self'));
    fs.writeFileSync(path.join(dir, 'loop', 'ok.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: in-loop\n');
  });

  const cases: [string, string, RegExp, number][] = [
    ['invalid YAML', 'invalid.yaml', /YAML syntax error/, 6],
    ['duplicate keys', 'dup.yaml', /Duplicate key "name"/, 5],
    ['tab indentation', 'tab.yaml', /tab is used for indentation/, 4],
    ['an alias bomb', 'bomb.yaml', /alias bomb/, 2],
    ['20,000-deep nesting', 'deep.yaml', /nests deeper than/, 6],
    ['a binary file named .yaml', 'binary.yaml', /binary/, 1],
    ['invalid UTF-8', 'latin1.yaml', /Invalid UTF-8/, 6],
    ['a UTF-16 surrogate encoded as UTF-8', 'surrogate.yaml', /invalid UTF-8 byte 0xed\)/, 6],
    ['kind: [x] and metadata: []', 'types.yaml', /kind must be a non-empty string/, 2],
    ['a broken JSON manifest', 'broken.json', /JSON syntax error/, 4],
  ];
  for (const [what, file, message, line] of cases) {
    it(`${what}: an error finding at the line, exit 1`, () => {
      const r = run(dir, file);
      expect(r.code).toBe(1);
      const f = r.json.findings.find((x) => message.test(x.message));
      expect(f, JSON.stringify(r.json.findings)).toBeTruthy();
      expect(f!.file).toBe(file);
      expect(f!.line).toBe(line);
      expect(f!.severity).toBe('error');
      expect(r.ms).toBeLessThan(15_000);
    });
  }

  it('metadata: [] is reported too', () => {
    const r = run(dir, 'types.yaml');
    expect(r.json.findings.map((f) => [f.line, f.message.split(',')[0]])).toEqual([
      [2, 'kind must be a non-empty string'],
      [8, 'metadata must be a mapping'],
    ]);
  });

  it('empty and comment-only files: clean, exit 0', () => {
    for (const f of ['empty.yaml', 'comments.yaml']) {
      const r = run(dir, f);
      expect(r.code).toBe(0);
      expect(r.json.findings).toEqual([]);
      expect(r.json.summary.resources).toBe(0);
    }
  });

  it('lists and scalars as documents are skipped quietly and counted', () => {
    const r = run(dir, 'docs.yaml');
    expect(r.code).toBe(0);
    expect(r.json.findings).toEqual([]);
    expect(r.json.summary.skipped).toBe(2);
  });

  it('a JSON manifest (tab-indented) is read as JSON', () => {
    const r = run(dir, 'manifest.json');
    expect(r.code).toBe(0);
    expect(r.json.summary.resources).toBe(1);
  });

  it('a symlink loop is not followed forever', () => {
    const r = run(dir, 'loop');
    expect(r.json.summary.resources).toBe(1);
  });

  it('the whole directory: every bad file reported, the good ones still read', () => {
    const r = run(dir, '.');
    expect(r.code).toBe(1);
    const files = new Set(r.json.findings.map((f) => f.file));
    for (const [, file] of cases) expect(files.has(file), file).toBe(true);
    // from-json, in-loop, dup (the duplicate key still leaves a readable object)
    expect(r.json.summary.resources).toBeGreaterThanOrEqual(3);
  });

  it('a 30 MB file ends within seconds', () => {
    const big = tmpdir();
    const doc = (i: number) => `---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-${i}\ndata:\n  key: "${'x'.repeat(400)}"\n`;
    const parts: string[] = [];
    let size = 0;
    for (let i = 0; size < 30 * 1024 * 1024; i++) {
      const d = doc(i);
      parts.push(d);
      size += d.length;
    }
    parts.push('---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: last\n  name: again\n');
    fs.writeFileSync(path.join(big, 'huge.yaml'), parts.join(''));
    const r = run(big, 'huge.yaml');
    expect(r.code).toBe(1);
    expect(r.json.findings).toHaveLength(1);
    expect(r.json.findings[0].line).toBe(parts.join('').split('\n').length - 1);
    expect(r.ms).toBeLessThan(30_000);
  });
});
