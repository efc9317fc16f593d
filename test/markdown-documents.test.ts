/**
 * A guide's YAML block is classified document by document: one document with an anchor or a syntax error
 * sends only itself to the yaml library, not the block's other documents (a few MB of them took seconds).
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import YAML from 'yaml';
import { analyseGuide } from '../src/load/markdown.js';

const object = (i: number) => ['apiVersion: v1', 'kind: ConfigMap', 'metadata:', `  name: config-${i}`, 'data:', `  key: value-${i}`].join('\n');

afterEach(() => vi.restoreAllMocks());

describe('classifying a long YAML block', () => {
  it('reads only the document with an anchor with the yaml library, and still sees every object', () => {
    const docs = Array.from({ length: 20 }, (_, i) => object(i));
    docs[7] = ['apiVersion: v1', 'kind: ConfigMap', 'metadata:', '  name: anchored', '  labels: &l', '    a: b', '  annotations: *l'].join('\n');
    const spy = vi.spyOn(YAML, 'parseAllDocuments');
    const a = analyseGuide(['# Guide', '', '```yaml', docs.join('\n---\n'), '```', ''].join('\n'), 'guide.md');
    expect(a.units.map((u) => [u.category, u.objects])).toEqual([['manifest', 20]]);
    expect(spy.mock.calls.map((c) => String(c[0]).length)).toEqual([docs[7].length + 5]);
  });

  it('keeps a syntax error in one document an error of the block', () => {
    const docs = Array.from({ length: 5 }, (_, i) => object(i));
    docs[2] = ['apiVersion: v1', 'kind: ConfigMap', 'metadata:', '  name: "unclosed'].join('\n');
    const a = analyseGuide(['```yaml', docs.join('\n---\n'), '```', ''].join('\n'), 'guide.md');
    // The objects around the broken one are found, as the lint finds them (a `---` at column 0 ends the unclosed
    // quote: YAML forbids it inside a scalar; the yaml library read on through the next two documents).
    expect(a.units.map((u) => [u.category, u.objects])).toEqual([['manifest', 4]]);
  });
});
