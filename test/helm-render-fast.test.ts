// The render path's shortcuts (docs/performance.md, Helm) against what they stand in for: each must decide
// exactly as the slow path does, or not decide at all.
import { describe, it, expect } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { SHARED } from './harness.js';
import { documentHead, splitManifests } from '../src/render/helm/format.js';
import { renderChart } from '../src/render/helm/index.js';
import { helmignoreTest } from '../src/render/helm/chart.js';
import { goQuote } from '../src/render/helm/gofmt.js';
import { compileGlob } from '../src/util/glob.js';

/** The head as the memo keeps it, errors by message (an Error does not compare as data). */
function head(doc: string, viaBlockLoader: boolean): unknown {
  const h = documentHead(doc, viaBlockLoader);
  return 'error' in h ? { error: h.error.message } : h;
}

describe('rendered documents: the block-YAML head equals the js-yaml head', () => {
  // Documents where a YAML 1.2 reader and go-yaml's YAML 1.1 scalars differ on `kind`, or that are not
  // mappings, or not valid: the block loader must leave each to js-yaml or agree with it.
  const tricky = [
    'kind: yes', 'kind: "yes"', 'kind: on', 'kind: Off', 'kind: y', 'kind: n', 'kind: 012', 'kind: 0o17', 'kind: 1_000',
    'kind: .inf', 'kind: 2001-01-01', 'kind: ~', 'kind:', 'kind: null', 'kind: "null"', 'kind: 0x1F', 'kind: <<', 'kind: 1e3',
    'kind: Deployment\nmetadata:\n  annotations:\n    helm.sh/hook: pre-install', 'kind: [a]', 'kind: {a: 1}',
    'kind: Job\nmetadata:\n  annotations:    \n    "helm.sh/hook": test', 'kind: Job\nmetadata: []', '- a\n- b', 'just text',
    'true', '12', 'kind: a\nkind: b', 'a: b: c', 'kind: Pod\n  bad: indent', '{"kind": "Pod"}', 'kind: Pod\n...\nkind: x',
    'kind: Pod # comment', "kind: 'Pod'", 'kind: |\n  Pod', 'kind: Secret\ndata:\n  x: !!binary aGk=',
  ];
  it.each(tricky)('%j', (doc) => {
    expect(head(doc, true)).toEqual(head(doc, false));
  });

  const charts = path.join(SHARED, 'corpus', 'real', 'charts');
  it.skipIf(!fs.existsSync(charts))('every document of the corpus charts (skipped: no ../shared)', () => {
    let n = 0;
    for (const c of fs.readdirSync(charts).sort()) {
      if (!fs.existsSync(path.join(charts, c, 'Chart.yaml'))) continue;
      for (const t of renderChart(path.join(charts, c)).templates) {
        for (const doc of splitManifests(t.text)) {
          expect(head(doc, true), `${t.template}`).toEqual(head(doc, false));
          n++;
        }
      }
    }
    expect(n).toBeGreaterThan(100);
  });
});

describe('.helmignore: the string tests equal the glob', () => {
  const patterns = ['.git', '.DS_Store', '*.swp', '*~', '*.tmproj', '.vscode', 'ci', 'templates/x.yaml', '*', '*.*', '*a', 'a*', 'é.txt', '*é', '\\x', '*\\', '[ab]', '*.[ch]', '?x', '**', 'a/*.y', '*/x', ']', '*]'];
  const names = ['.git', 'x.git', '.DS_Store', 'a.swp', '.swp', 'swp', 'notes~', '~', 'ci', 'templates/x.yaml', 'templates', 'a', '', 'ba', 'ab', 'é.txt', 'aé', '\\x', 'a\\', 'a.c', 'xx', 'a/b.y', 'q/x', ']', 'a]', 'dir/a.swp'];
  for (const p of patterns) {
    for (const base of [true, false]) {
      it(`${JSON.stringify(p)} (${base ? 'base name' : 'path'})`, () => {
        const g = compileGlob(p, { globstar: 'anywhere', classes: true, braces: false, escapes: false });
        const t = helmignoreTest(p, base);
        // a base-name pattern is only ever tested against a name without '/'
        for (const n of names) if (!base || !n.includes('/')) expect(t(n), n).toBe(g.test(n));
      });
    }
  }
});

describe('goQuote: printable ASCII copied as is, as the per-character loop gives it', () => {
  it('each printable ASCII character, and strings of them', () => {
    // 'é' is printable and kept as is: with it, the same text goes through the loop
    const viaLoop = (s: string) => goQuote(s + 'é').replace(/é"$/, '"');
    for (let c = 0x20; c < 0x7f; c++) {
      const s = String.fromCharCode(c);
      expect(goQuote(s)).toBe(viaLoop(s));
    }
    for (const s of ['', 'release-name', 'a "b" c', 'back\\slash', 'tab\there', 'line\nbreak', '{{ x }}', '\x7f', 'ünïcode']) {
      expect(goQuote(s)).toBe(viaLoop(s));
    }
  });
});

describe('toYaml: simple scalars get the styles the per-code-point analysis gives', () => {
  it('names, values, edge cases', async () => {
    const { analyze, analyzeCodePoints } = await import('../src/render/helm/yaml.js');
    const samples = ['a', 'release-name', 'nginx:1.25', 'a b', 'a  b', 'a ', ' a', '-a', 'a-', '.a', '_a', 'a.b/c=d+e', '---', '...', '1.0', 'a #b', 'a#b',
      'a: b', 'a,b', 'a?', '~', 'é', 'a\tb', 'a\nb', '', 'A_B-9', 'x/y', '-', '+a', '=a', 'a=', '/a', 'a b-', 'a - b'];
    // and every two-character string over the characters that matter
    const chars = ['a', '0', '_', '.', '/', '=', '+', '-', ' ', '#', ':', ',', '\n', '?', '~'];
    for (const x of chars) for (const y of chars) samples.push(x + y, x + 'b' + y);
    for (const s of samples) expect(analyze(s), JSON.stringify(s)).toEqual(analyzeCodePoints(s));
  });
});

describe('trunc: ASCII cut without a UTF-8 copy, as helm cuts bytes', () => {
  it('agrees with helm v4 (outputs recorded from helm template)', async () => {
    const { builtinFuncs } = await import('../src/render/helm/funcs.js');
    const { int } = await import('../src/render/helm/values.js');
    const trunc = builtinFuncs().get('trunc')!.fn as (n: unknown, s: unknown) => unknown;
    const call = (n: number, s: string) => trunc.call({} as never, int(n), s);
    const long = 'release-name-kube-state-metrics-with-a-very-long-name-beyond-the-limit';
    expect(call(3, 'abcdef')).toBe('abc');
    expect(call(-3, 'abcdef')).toBe('def');
    expect(call(0, 'abc')).toBe('');
    expect(call(10, 'abc')).toBe('abc');
    expect(call(-10, 'abc')).toBe('abc');
    expect(call(63, long)).toBe(long.slice(0, 63));
    expect(call(5, 'a\u0000b')).toBe('a\u0000b');
    expect(call(-1, '')).toBe('');
    // non-ASCII: cut by bytes (3 bytes of "héllo" are "hé")
    expect(call(3, 'héllo')).toBe('hé');
    expect(call(-2, 'hé')).toBe('é');
    expect(call(-3, 'héllo')).toBe('llo');
  });
});

describe('values.yaml and Chart.yaml: the block-YAML reading equals go-yaml\'s reading through js-yaml', () => {
  const read = async (text: string, viaBlockLoader: boolean) => {
    const { loadYamlStream } = await import('../src/render/helm/yaml.js');
    try {
      return loadYamlStream(text, viaBlockLoader);
    } catch (e) {
      return { error: (e as Error).message };
    }
  };
  // texts where YAML 1.1 (go-yaml) and YAML 1.2 scalars differ, or that are not one plain mapping
  const tricky = [
    'a: yes\n', 'a: "yes"\n', 'yes: a\n', '"on": a\n', 'a: on\n', 'a: y\n', 'a: 0755\n', 'a: "0755"\n', 'a: 0o17\n', 'a: 0x1F\n', 'a: 0b11\n',
    'a: 1_000\n', 'a: 1e3\n', 'a: -0.0\n', 'a: +0\n', 'a: -0.5\n', 'a: .5\n', 'a: -.5\n', 'a: +.5\n', 'a: 1.\n', 'a: -0\n', 'a: 0\n', 'a: 0.5\n', 'a: .inf\n', 'a: -.Inf\n', 'a: .NaN\n',
    'a: 2001-01-01\n', 'a: 2001-1-1\n', 'a: 12345678901234567890\n', 'a: ~\n', 'a:\n', 'a: Null\n', 'a: TRUE\n', 'a: True\n', 'a: <<\n',
    'a: 1\na: 2\n', '<<: {a: 1}\n', 'a: &x 1\nb: *x\n', 'a: !!str 1\n', 'a: 1\n---\nb: 2\n', '---\na: 1\n', '- a\n', 'a\n', '', '# only a comment\n',
    'a: |\n  x\n', 'a: |\n  x', 'a: b\n  c\n', 'a: [1, 2, "3"]\n', 'a: {b: 1}\n', 'a: "x\\ty"\n', "a: 'it''s'\n", 'a:\n- 1\n- two\n', 'a: b: c\n',
    'port: "8080"\n', 'tag: 1.2.3\n', 'v: 1.10\n', 'key_1: 2\n', 'n: -12\n', 'n: +12\n', '__proto__: 1\n', 'a:\tb\n', 'a: 1 # c\n',
  ];
  it.each(tricky)('%j', async (text) => {
    expect(await read(text, true)).toEqual(await read(text, false));
  });

  it('3,000 generated mappings of tricky scalars, plain and quoted, as keys and values', async () => {
    const words = ['yes', 'No', 'on', 'OFF', 'y', 'n', 'true', 'False', 'null', '~', '', '0', '-0', '+0', '0.0', '-0.0', '7', '-7', '+7', '012', '0o12', '0x1f',
      '0b11', '1_0', '1e3', '1E-3', '.5', '-.5', '+.5', '1.', '.inf', '-.INF', '.nan', '2001-01-01', '2001-1-1', '12:30', '1.2.3', 'v1', 'a_1', 'x', '<<', '9999999999999999999'];
    let seed = 42;
    const rnd = (n: number) => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0), (seed >>> 8) % n);
    const scalar = () => {
      const w = words[rnd(words.length)];
      const q = rnd(4);
      return q === 0 ? `"${w}"` : q === 1 ? `'${w}'` : w;
    };
    for (let i = 0; i < 3000; i++) {
      let text = '';
      for (let j = 0, n = 1 + rnd(4); j < n; j++) {
        const k = rnd(3) === 0 ? scalar() : `k${j}`;
        text += rnd(4) === 0 ? `${k}:\n  - ${scalar()}\n  - ${scalar()}\n` : `${k}: ${scalar()}\n`;
      }
      expect(await read(text, true), text).toEqual(await read(text, false));
    }
  });

  it.skipIf(!fs.existsSync(SHARED))('every values and Chart.yaml file under ../shared and fixtures/ (skipped: no ../shared)', async () => {
    const files: string[] = [];
    const walk = (d: string) => {
      for (const e of fs.readdirSync(d, { withFileTypes: true })) {
        const f = path.join(d, e.name);
        if (e.isDirectory()) walk(f);
        else if (/^(values.*|Chart)\.ya?ml$/.test(e.name) || (/\.ya?ml$/.test(e.name) && path.basename(d) === 'ci')) files.push(f);
      }
    };
    walk(SHARED);
    walk(path.join(import.meta.dirname, '..', 'fixtures'));
    let fast = 0;
    const { blockMapping } = await import('../src/render/helm/yaml.js');
    for (const f of files) {
      const text = fs.readFileSync(f, 'utf8');
      expect(await read(text, true), f).toEqual(await read(text, false));
      if (blockMapping(text)) fast++;
    }
    expect(files.length).toBeGreaterThan(100);
    // the comparison above means something only if the block loader decides for many of them
    expect(fast).toBeGreaterThan(files.length / 3);
    console.log(`values/Chart.yaml: ${fast} of ${files.length} read by the block loader`);
  });
});
