// ~250 template expressions (Sprig, Go fmt, toYaml/toJson quirks, dates, semver, regex...) rendered by real helm v4.1.4:
// fixtures/helm/exprs/expected.yaml holds each expression's output base64-encoded under its key (eNNN = line NNN of exprs.txt).
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import YAML from 'yaml';
import { renderChart, formatAsHelmTemplate, type RenderResult } from '../src/render/helm/index.js';

const dir = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'helm', 'exprs');
const exprs = readFileSync(join(dir, 'exprs.txt'), 'utf8').split('\n').filter((l) => l.trim());
const decode = (text: string) => {
  const o: Record<string, string> = {};
  for (const d of YAML.parseAllDocuments(text)) Object.assign(o, d.toJS());
  for (const k of Object.keys(o)) o[k] = Buffer.from(String(o[k] ?? ''), 'base64').toString('utf8');
  return o;
};

describe('helm expressions vs real helm', () => {
  const expected = decode(readFileSync(join(dir, 'expected.yaml'), 'utf8'));
  const res = renderChart(dir) as RenderResult;
  const actual = decode(formatAsHelmTemplate(res));
  it('renders without errors', () => {
    expect(res.errors).toEqual([]);
  });
  exprs.forEach((e, i) => {
    const key = `e${String(i).padStart(3, '0')}`;
    it(`${key}: ${e.length > 90 ? e.slice(0, 87) + '...' : e}`, () => {
      expect(actual[key]).toBe(expected[key]);
    });
  });
});

// control flow / whitespace / scoping snippets (fixtures/helm/stmts/snippets.txt, separated by "-----" lines)
const sdir = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'helm', 'stmts');
const snippets = readFileSync(join(sdir, 'snippets.txt'), 'utf8').split('\n-----\n');

describe('helm statements vs real helm', () => {
  const expected = decode(readFileSync(join(sdir, 'expected.yaml'), 'utf8'));
  const res = renderChart(sdir) as RenderResult;
  const actual = decode(formatAsHelmTemplate(res));
  it('renders without errors', () => {
    expect(res.errors).toEqual([]);
  });
  snippets.forEach((snip, i) => {
    const key = `s${String(i).padStart(3, '0')}`;
    const title = snip.replace(/\s+/g, ' ');
    it(`${key}: ${title.length > 90 ? title.slice(0, 87) + '...' : title}`, () => {
      expect(actual[key]).toBe(expected[key]);
    });
  });
});
