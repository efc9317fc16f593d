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
