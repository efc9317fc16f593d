/** The fast locator (js-yaml events) must agree with the yaml library's node ranges on every node. */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { splitDocuments } from '../src/parse/documents.js';
import { locateInDocument } from '../src/parse/locate.js';
import { locateWithTree, positionTree } from '../src/parse/positions.js';
import { blockPositionTree } from '../src/parse/block-yaml.js';
import { ROOT, SHARED } from './harness.js';

function paths(v: unknown, prefix: (string | number)[] = [], out: (string | number)[][] = [], limit = 4000): (string | number)[][] {
  if (out.length >= limit) return out;
  out.push(prefix);
  if (Array.isArray(v)) v.forEach((x, i) => paths(x, [...prefix, i], out, limit));
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) paths(x, [...prefix, k], out, limit);
  return out;
}

function files(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.ya?ml$/.test(e.name)) out.push(p);
    }
  };
  walk(dir);
  return out;
}

describe.each([
  ['js-yaml events', positionTree],
  ['block-YAML loader', blockPositionTree],
] as const)('positions from %s', (_name, treeOf) => {
  const inputs = [
    ...files(path.join(ROOT, 'fixtures', 'rules')),
    ...(fs.existsSync(SHARED) ? files(path.join(SHARED, 'corpus', 'real', 'installs', 'microservices-demo')) : []),
    ...(fs.existsSync(SHARED) ? files(path.join(SHARED, 'corpus', 'real', 'installs', 'ingress-nginx')) : []),
    ...(fs.existsSync(SHARED) ? files(path.join(SHARED, 'corpus', 'kube-linter')).slice(0, 60) : []),
    ...(fs.existsSync(SHARED) ? files(path.join(SHARED, 'corpus', 'real', 'kubernetes-examples')).slice(0, 120) : []),
  ];
  it('agree with the yaml library on every path (or decline)', () => {
    let compared = 0;
    let declined = 0;
    for (const f of inputs) {
      const text = fs.readFileSync(f, 'utf8');
      for (const c of splitDocuments(text)) {
        const doc = YAML.parseDocument(c.text, { merge: true, uniqueKeys: false, strict: false });
        if (doc.errors.length || /\*[a-z]/.test(c.text)) continue;
        const tree = treeOf(c.text);
        if (!tree) {
          declined++;
          continue;
        }
        const value = doc.toJS();
        if (value === null || typeof value !== 'object') continue;
        for (const p of paths(value)) {
          const a = locateWithTree(tree, c.text, p);
          const b = locateInDocument(doc, c.text, p);
          if (!a) {
            declined++;
            continue;
          }
          expect(a[0], `${f} ${p.join('.')}`).toBe(b![0]);
          compared++;
        }
      }
    }
    expect(compared).toBeGreaterThan(1000);
    expect(declined).toBeLessThan(compared / 100);
  });
});

describe('block-YAML position tree', () => {
  it('gives the same ranges (start and end) as the js-yaml tree, on the real installs, peer fixtures and ours', () => {
    if (!fs.existsSync(SHARED)) return;
    let compared = 0;
    const dirs = [path.join(SHARED, 'corpus', 'real', 'installs'), path.join(SHARED, 'corpus', 'polaris'), path.join(SHARED, 'corpus', 'kube-score'), path.join(ROOT, 'fixtures')];
    for (const f of dirs.flatMap((d) => files(d))) {
      const text = fs.readFileSync(f, 'utf8');
      for (const c of splitDocuments(text)) {
        const a = blockPositionTree(c.text);
        const b = positionTree(c.text);
        if (!a || !b) continue;
        let value: unknown;
        try {
          value = YAML.parse(c.text);
        } catch {
          continue;
        }
        if (value === null || typeof value !== 'object') continue;
        for (const p of paths(value, [], [], 1500)) {
          expect(locateWithTree(a, c.text, p), `${f} ${p.join('.')}`).toEqual(locateWithTree(b, c.text, p));
          compared++;
        }
      }
    }
    expect(compared).toBeGreaterThan(20000);
  });
});
