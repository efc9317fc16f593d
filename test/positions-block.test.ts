/**
 * Positions without a second parse: locateInBlockYaml follows a path through the lines of a document the block
 * loader took and must answer exactly what the position tree of a full parse answers (locateWithTree over
 * blockPositionTree), for every node of every document, for missing keys and items (the closest ancestor), and
 * for paths that go on through a scalar.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { NOT_HANDLED, blockPositionTree, loadBlockYaml, locateInBlockYaml, positionInBlockYaml } from '../src/parse/block-yaml.js';
import { parseSource } from '../src/parse/documents.js';
import { isBlank, splitDocuments } from '../src/parse/fast.js';
import { locateWithTree } from '../src/parse/positions.js';
import { LineIndex } from '../src/parse/source.js';
import type { Path } from '../src/types.js';
import { ROOT, SHARED, yamlFiles } from './harness.js';
import { yamlMutants } from './yaml-mutants.js';

const HAVE_CORPUS = fs.existsSync(path.join(SHARED, 'corpus'));
const NO_CORPUS = HAVE_CORPUS ? '' : ' (skipped: needs ../shared/corpus, absent here)';

/** Paths to every node, plus a missing key or item under each collection and one step past each scalar. */
function pathsOf(value: unknown, limit: number): Path[] {
  const out: Path[] = [];
  const walk = (v: unknown, p: (string | number)[]) => {
    if (out.length >= limit) return;
    out.push(p);
    if (Array.isArray(v)) {
      out.push([...p, v.length], [...p, -1], [...p, 'name']);
      if (v.length) out.push([...p, '0']);
      v.forEach((x, i) => walk(x, [...p, i]));
    } else if (v !== null && typeof v === 'object' && !(v instanceof Date)) {
      out.push([...p, 'no-such-key'], [...p, 0]);
      for (const [k, x] of Object.entries(v)) walk(x, [...p, k]);
    } else out.push([...p, 'past'], [...p, 0]);
  };
  walk(value, []);
  return out;
}

/** Differences between the two locators on one document (none when the block loader does not take it). */
function differences(text: string, limit = 400): string[] {
  const value = loadBlockYaml(text);
  if (value === NOT_HANDLED) return [];
  const tree = blockPositionTree(text);
  if (!tree) return ['no position tree for a document the loader took'];
  const out: string[] = [];
  for (const p of pathsOf(value, limit)) {
    const want = locateWithTree(tree, text, p);
    const got = locateInBlockYaml(text, p);
    if (JSON.stringify(want) !== JSON.stringify(got)) out.push(`${JSON.stringify(p)}: ${JSON.stringify(got)} instead of ${JSON.stringify(want)}`);
  }
  // Lines and columns from the lines the locator split, as LineIndex gives them (ends of text included).
  const lines = new LineIndex(text);
  locateInBlockYaml(text, []);
  for (const offset of [0, 1, text.length - 2, text.length - 1, text.length, text.length + 1, text.indexOf('\n'), text.indexOf('\n') + 1, text.lastIndexOf('\n'), text.lastIndexOf('\n') + 1, text.length >> 1]) {
    if (offset < 0) continue;
    const want = lines.position(offset);
    const got = positionInBlockYaml(text, offset);
    if (JSON.stringify(want) !== JSON.stringify(got)) out.push(`offset ${offset}: ${JSON.stringify(got)} instead of ${JSON.stringify(want)}`);
  }
  return out;
}

/** `limit`: paths per document (each locate walks lines: the corpus's large CRDs would take long). */
function compareFiles(dirs: string[], limit = 400): { docs: number; mismatches: string[] } {
  const r = { docs: 0, mismatches: [] as string[] };
  for (const file of dirs.flatMap((d) => yamlFiles(d))) {
    const text = fs.readFileSync(file, 'utf8');
    for (const c of splitDocuments(text)) {
      if (isBlank(c.text) || c.text.length > 300_000) continue;
      r.docs++;
      for (const d of differences(c.text, limit)) r.mismatches.push(`${path.relative(ROOT, file)}:${c.startLine + 1} ${d}`);
    }
  }
  return r;
}

describe('positions from the lines of a block document', () => {
  it('answer what the position tree answers, on hand-written edge cases', () => {
    const cases = [
      'a: 1\n',
      'a: 1   \n',
      'a: 1   ',
      'a: {b: 1}  \n',
      'a:\n  - x: 1   \n',
      'a:\n- 1\n- 2\nb: 3\n',
      'items:\n- a: 1  # note\n- b: [1, {c: d}]   \n  e: |\n    # not a comment\n    text\n- \n- x\n',
      'a:\n  b: "two\n    lines"  \n  c: >-\n    folded\n    text\n\n  d:\n  e: plain\n    continued\n    # a comment\n',
      '---\nk: v\n...\n',
      'list:\n  - - 1\n',
      'list:\n  - name: a\n    value:\n    - 1\n  -   name: b   \n',
      'x: [a, b]',
      'top:\n  only:\n    deeper: 1',
      'top:\n  only: 1  ',
      "'quoted key': 1\n\"q\": {a: 'b'}\n",
    ];
    for (const text of cases) expect([text, differences(text)]).toEqual([text, []]);
  });

  it('stay the same when a document located many times goes over to its position tree', () => {
    const items = Array.from({ length: 40 }, (_, i) => `- kind: Pod\n  metadata:\n    name: pod-${i}   \n  spec: {a: [1]}\n`).join('');
    const src = { file: 'list.yaml', text: `kind: List\nitems:\n${items}`, format: 'yaml', origin: 'file', group: '' } as const;
    const [doc] = parseSource(src);
    for (let i = 0; i < 40; i++) {
      for (const p of [['items', i, 'metadata', 'name'], ['items', i], ['items', i, 'spec', 'a', 0], ['items', i, 'metadata', 'labels']]) {
        expect([p, doc.locate(p)]).toEqual([p, parseSource(src)[0].locate(p)]);
      }
    }
    expect(doc.locate(['items', 39, 'metadata', 'name'])).toEqual({ line: 5 + 4 * 39, column: 11, endLine: 5 + 4 * 39, endColumn: 17 });
  });

  it('a copy without caches (how the rules stage locates a batch) is still read from its lines, and answers alike', () => {
    const src = { file: 'd.yaml', text: 'kind: ConfigMap\nmetadata:\n  name: a\ndata:\n  k: v\n', format: 'yaml', origin: 'file', group: '' } as const;
    const [doc] = parseSource(src);
    expect(doc.block).toBe(true);
    const copy = doc.withoutCaches();
    expect(copy).not.toBe(doc);
    expect([copy.block, copy.text, copy.value, copy.problems, copy.startLine, copy.index]).toEqual([doc.block, doc.text, doc.value, doc.problems, doc.startLine, doc.index]);
    expect(copy.locate(['data', 'k'])).toEqual(doc.locate(['data', 'k']));
  });

  it('answer what the position tree answers, on our fixtures', () => {
    const r = compareFiles([path.join(ROOT, 'fixtures')]);
    expect(r.mismatches.slice(0, 5)).toEqual([]);
    expect(r.docs).toBeGreaterThan(500);
  });

  it.skipIf(!HAVE_CORPUS)(`answer what the position tree answers, on the corpus${NO_CORPUS}`, () => {
    const r = compareFiles([path.join(SHARED, 'corpus')], 120);
    expect(r.mismatches.slice(0, 5)).toEqual([]);
    expect(r.docs).toBeGreaterThan(3000);
  });

  it('answer what the position tree answers, on 3,000 mutants the loader still takes', () => {
    const docs: string[] = [];
    for (const file of yamlFiles(path.join(ROOT, 'fixtures', 'rules')).slice(0, 200)) {
      for (const c of splitDocuments(fs.readFileSync(file, 'utf8'))) if (!isBlank(c.text) && c.text.length < 6000) docs.push(c.text);
    }
    expect(docs.length).toBeGreaterThan(50);
    const mismatches: string[] = [];
    let taken = 0;
    for (const text of yamlMutants(docs, { count: 3000, seed: 20261207, pieces: [' ', '  ', ':', ': ', '#', ' #', '-', '- ', '"', "'", '|', '>', '|-', '>+', '[', ']', '{', '}', ',', '\n', '\n\n', 'x', '~', '1', '\n# c\n', '\n  # c\n', '  \n'] })) {
      if (loadBlockYaml(text) === NOT_HANDLED) continue;
      taken++;
      for (const d of differences(text, 150)) mismatches.push(`${JSON.stringify(text)} ${d}`);
    }
    expect(mismatches.slice(0, 3)).toEqual([]);
    expect(taken).toBeGreaterThan(500);
  });
});
