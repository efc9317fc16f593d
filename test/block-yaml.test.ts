import fs from 'node:fs';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import jsyaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { NOT_HANDLED, loadBlockYaml, loadBlockYamlWithDepth } from '../src/parse/block-yaml.js';
import { fastLoad, isBlank, splitDocuments } from '../src/parse/fast.js';
import { yamlMutants } from './yaml-mutants.js';
import { ROOT, yamlFiles } from './harness.js';

const SHARED = path.resolve(ROOT, '..', 'shared');
/** The corpus tests need ../shared (CI has it); a fresh clone skips them and says why. */
const HAVE_CORPUS = fs.existsSync(path.join(SHARED, 'corpus'));
const NO_CORPUS = HAVE_CORPUS ? '' : ' (skipped: needs ../shared/corpus, absent here)';

/** Same value, same key order, same types (Dates included). */
function same(a: unknown, b: unknown): boolean {
  const order = (v: unknown): unknown => (v instanceof Date ? `Date(${v.toISOString()})` : Array.isArray(v) ? v.map(order) : v && typeof v === 'object' ? Object.entries(v).map(([k, x]) => [k, order(x)]) : v);
  return isDeepStrictEqual(a, b) && JSON.stringify(order(a)) === JSON.stringify(order(b));
}

function jsYaml(text: string): { value?: unknown; error?: string } {
  try {
    return { value: jsyaml.load(text, { json: false }) };
  } catch (e) {
    return { error: (e as Error).message };
  }
}

/** Every document of every YAML file under the given directories: where the fast path answers, js-yaml agrees. */
function compare(dirs: string[]): { docs: number; handled: number; bytes: number; handledBytes: number; mismatches: string[] } {
  const r = { docs: 0, handled: 0, bytes: 0, handledBytes: 0, mismatches: [] as string[] };
  for (const file of dirs.flatMap((d) => yamlFiles(d))) {
    const text = fs.readFileSync(file, 'utf8');
    for (const c of splitDocuments(text)) {
      if (isBlank(c.text)) continue;
      r.docs++;
      r.bytes += c.text.length;
      const fast = loadBlockYaml(c.text);
      if (fast === NOT_HANDLED) continue;
      r.handled++;
      r.handledBytes += c.text.length;
      const slow = jsYaml(c.text);
      if (slow.error !== undefined || !same(fast, slow.value)) r.mismatches.push(`${path.relative(ROOT, file)}:${c.startLine + 1}${slow.error ? ` (js-yaml: ${slow.error.split('\n')[0]})` : ''}`);
    }
  }
  return r;
}

describe('block-YAML fast path', () => {
  it('agrees with js-yaml on every document it takes in our fixtures', () => {
    const r = compare([path.join(ROOT, 'fixtures')]);
    expect(r.mismatches).toEqual([]);
    expect(r.docs).toBeGreaterThan(500);
  });

  it.skipIf(!HAVE_CORPUS)(`agrees with js-yaml on every document it takes, in the corpus and our fixtures${NO_CORPUS}`, () => {
    const r = compare([path.join(SHARED, 'corpus'), path.join(ROOT, 'fixtures')]);
    expect(r.mismatches).toEqual([]);
    expect(r.docs).toBeGreaterThan(3000);
    // It must take most of what real installs look like, or it is not worth having.
    expect(r.handledBytes / r.bytes).toBeGreaterThan(0.8);
  });

  it.skipIf(!HAVE_CORPUS)(`takes the real installs almost entirely${NO_CORPUS}`, () => {
    const r = compare([path.join(SHARED, 'corpus', 'real', 'installs')]);
    expect(r.mismatches).toEqual([]);
    expect(r.handledBytes / r.bytes).toBeGreaterThan(0.95);
  });

  it.each([
    ['mapping and sequence at the same indentation', 'a:\n- 1\n- x\nb: {}\n'],
    ['compact mappings in a sequence', 'items:\n  - name: a\n    value: "1"\n  -   name: b\n      list: [1, two, "3"]\n'],
    ['plain scalars over several lines, with empty lines', 'description: one\n  two\n\n  three\n\n\n  four\nnext: x\n'],
    ['quoted scalars over several lines', "a: 'it''s\n  folded\n\n  here'\nb: \"tab\\there \\u00e9\"\n"],
    ['literal and folded block scalars with every chomping', 'a: |\n  x\n   y\n\n  z\n\nb: >-\n  one\n  two\n\n  three\nc: |+\n  k\n\nd: >\n\n  lead\ne: |-\n  s\n'],
    ['implicit types: null, bool, int, float, timestamp', 'a: ~\nb: true\nc: 0x1F\nd: 1.5e3\ne: .inf\nf: 2024-01-02\ng: 2024-01-02T03:04:05Z\nh: "1"\ni: yes\nj: -12\nk: 012\n'],
    ['comments everywhere', '# head\na: 1 # one\n# between\nb:\n  # inside\n  - x # ex\nc: "q" # quoted\n'],
    ['empty values', 'a:\nb:\n  -\n  - c:\nd: []\ne: {}\n'],
    ['document markers', '---\na: 1\n...\n'],
    ['continuation lines that start like indicators', 'a: run `kubectl apply\n  --dry-run` first (e.g.,\n  "Deployment").\n- x\n'.replace('\n- x\n', '\n')],
    ['a more-indented comment after a plain scalar', 'a: one\n    # note\nb: two\n'],
    ['characters outside the BMP and NEL', 'a: "\u{1F600}"\nb: \u{1F600} x\nc: one\u0085two\n'],
  ])('%s: the same value as js-yaml', (_what, text) => {
    const fast = loadBlockYaml(text);
    expect(fast).not.toBe(NOT_HANDLED);
    expect(same(fast, jsyaml.load(text))).toBe(true);
  });

  it.each([
    ['an anchor and alias', 'a: &x 1\nb: *x\n'],
    ['a tag', 'a: !!str 1\n'],
    ['a merge key', 'a: {x: 1}\nb:\n  <<: {y: 2}\n'],
    ['a duplicate key', 'a: 1\na: 2\n'],
    ['bad indentation', 'a:\n  b: 1\n c: 2\n'],
    ['a tab', 'a:\n\tb: 1\n'],
    ['a flow collection over two lines', 'a: [1,\n  2]\n'],
    ['a complex key', '? a\n: b\n'],
    ['a scalar document', 'just text\n'],
    ['an unclosed quote', 'a: "open\n'],
    ['a key that is not a string', '1: one\ntrue: yes\n'],
    ['an unpaired surrogate', 'a: x\uD800y\n'],
    ['a control character', 'a: x\u0007y\n'],
    ['CR line ends', 'a: 1\r\nb: 2\r\n'],
    ['text after a comment in a plain scalar', 'a: one # note\n  two\n'],
  ])('leaves %s to js-yaml', (_what, text) => {
    expect(loadBlockYaml(text)).toBe(NOT_HANDLED);
  });
});

describe('block-YAML fast path on mutated documents', () => {
  // Small random edits of real documents (seeded, so a failure reproduces): wherever the fast path still
  // answers, js-yaml must give the same value or the fast path must have given up.
  it('agrees with js-yaml or gives up, on 4,000 mutants', () => {
    const docs: string[] = [];
    // Without ../shared the mutants come from our own rule fixtures.
    const seeds = HAVE_CORPUS ? yamlFiles(path.join(SHARED, 'corpus', 'kube-linter')).slice(0, 80) : yamlFiles(path.join(ROOT, 'fixtures', 'rules')).slice(0, 200);
    for (const file of seeds) {
      for (const c of splitDocuments(fs.readFileSync(file, 'utf8'))) if (!isBlank(c.text) && c.text.length < 6000) docs.push(c.text);
    }
    expect(docs.length).toBeGreaterThan(50);
    const mismatches: string[] = [];
    let answered = 0;
    for (const text of yamlMutants(docs, { count: 4000, seed: 20261123, duplicateLines: true, pieces: [' ', '  ', ':', ': ', '#', ' #', '-', '- ', '"', "'", '|', '>', '|-', '>+', '[', ']', '{', '}', ',', '\n', '\n\n', 'x', '~', '1', '0x1', '2024-01-01', '&a ', '*a', '!', '? ', '\\', '%'] })) {
      const fast = loadBlockYaml(text);
      if (fast === NOT_HANDLED) continue;
      answered++;
      const slow = jsYaml(text);
      if (slow.error !== undefined || !same(fast, slow.value)) mismatches.push(JSON.stringify(text));
    }
    expect(mismatches.slice(0, 3)).toEqual([]);
    expect(answered).toBeGreaterThan(1000);
  });
});

describe('block-YAML depth', () => {
  const depthOf = (v: unknown): number => (v !== null && typeof v === 'object' ? 1 + Math.max(0, ...Object.values(v as object).map(depthOf)) : 0);

  it('is the depth of the value it loads, on the corpus', () => {
    let n = 0;
    for (const file of yamlFiles(path.join(SHARED, 'corpus', 'real', 'installs')).concat(yamlFiles(path.join(ROOT, 'fixtures', 'rules')))) {
      for (const c of splitDocuments(fs.readFileSync(file, 'utf8'))) {
        const r = loadBlockYamlWithDepth(c.text);
        if (r === NOT_HANDLED) continue;
        expect(r.depth, `${file}:${c.startLine + 1}`).toBe(depthOf(r.value));
        n++;
      }
    }
    expect(n).toBeGreaterThan(500);
  });

  it('lets the depth limit apply to block documents: 600 levels are too deep', () => {
    let text = '';
    for (let i = 0; i < 600; i++) text += `${' '.repeat(i)}k${i}:\n`;
    text += `${' '.repeat(600)}leaf: [1, {a: [2]}]\n`;
    const r = loadBlockYamlWithDepth(text);
    expect(r).not.toBe(NOT_HANDLED);
    expect((r as { depth: number }).depth).toBe(604); // 600 keys, the leaf mapping, a list, a mapping, a list
    expect(fastLoad(text).shape).toBe('deep');
  });
});
