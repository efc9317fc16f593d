/**
 * Conformance with kube-linter, Polaris and kube-score on their own fixtures (../shared/corpus). For every
 * peer check that maps to our rules (test/conformance-map.ts), our rules must fire on each fixture/object
 * the peer fails and stay silent on each one it passes, except where test/conformance-map.ts records a
 * deliberate disagreement with its reason. Prints the conformance table.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { rules } from '../rules/index.js';
import { audit } from '../src/engine/run.js';
import type { Finding } from '../src/types.js';
import { ROOT, SHARED } from './harness.js';
import { conformanceMap, deliberateDisagreements, renderConformanceMarkdown, unmapped, type PeerMapping, type PeerTool } from './conformance-map.js';

const CORPUS = path.join(SHARED, 'corpus');
const available = fs.existsSync(path.join(CORPUS, 'polaris'));

interface Case {
  mapping: PeerMapping;
  fixture: string; // relative to the peer folder
  object?: string;
  expect: 'fire' | 'silent';
}

interface KlObject {
  doc: number;
  kind: string;
  name: string | null;
  key: string;
}
interface KlTest {
  test: string;
  file: string | null;
  include: string[];
  config: string | null;
  objects?: KlObject[];
  expected_fail?: string[];
  expected_pass?: string[];
  pass_by_name?: string[];
}
interface KsTest {
  check_id: string | null;
  files: string[];
  verdict: string;
  config: string;
}

function readJson<T>(p: string): T {
  return JSON.parse(fs.readFileSync(p, 'utf8')) as T;
}

function casesOf(m: PeerMapping): Case[] {
  const out: Case[] = [];
  if (m.tool === 'polaris') {
    const dir = path.join(CORPUS, 'polaris', 'test', 'checks', m.check);
    for (const f of fs.existsSync(dir) ? fs.readdirSync(dir).sort() : []) {
      if (!/\.ya?ml$/.test(f) || f === 'check.yaml' || f.startsWith('mutated')) continue;
      out.push({ mapping: m, fixture: `test/checks/${m.check}/${f}`, expect: f.includes('failure') ? 'fire' : 'silent' });
    }
  } else if (m.tool === 'kube-linter') {
    const tests = readJson<{ tests: KlTest[] }>(path.join(CORPUS, 'kube-linter', 'expectations.json')).tests;
    for (const t of tests) {
      if (!t.file || t.config || !t.include.includes(m.check)) continue;
      for (const o of t.expected_fail ?? []) out.push({ mapping: m, fixture: t.file, object: o, expect: 'fire' });
      for (const o of [...(t.expected_pass ?? []), ...(t.pass_by_name ?? [])]) out.push({ mapping: m, fixture: t.file, object: o, expect: 'silent' });
    }
  } else {
    const tests = readJson<{ tests: KsTest[] }>(path.join(CORPUS, 'kube-score', 'expectations.json')).tests;
    for (const t of tests) {
      if (t.check_id !== m.check) continue;
      const verdict = t.verdict === 'FAIL' || t.verdict === 'FAIL (not skipped)' ? 'fire' : t.verdict === 'PASS' ? 'silent' : undefined;
      if (!verdict) continue;
      for (const f of t.files) {
        const rel = `score/testdata/${f}`;
        if (!fs.statSync(path.join(CORPUS, 'kube-score', rel)).isFile()) continue;
        // The same file can appear under two run configurations with opposite verdicts; keep each once.
        if (out.some((c) => c.fixture === rel && c.expect === verdict)) continue;
        out.push({ mapping: m, fixture: rel, expect: verdict });
      }
    }
  }
  return out;
}

/** 0-based index of the YAML document each line belongs to. */
function docIndexOfLine(text: string): (line: number) => number {
  const starts: number[] = [];
  let seenContent = false;
  text.split('\n').forEach((l, i) => {
    if (/^---(\s|$)/.test(l)) {
      if (seenContent) starts.push(i + 1);
      seenContent = false;
      return;
    }
    if (l.trim() && !l.trim().startsWith('#')) seenContent = true;
  });
  return (line) => starts.filter((s) => s < line).length;
}

const runCache = new Map<string, Promise<Finding[]>>();
function findingsFor(tool: PeerTool, fixture: string, ruleIds: readonly string[]): Promise<Finding[]> {
  const file = path.join(CORPUS, tool, fixture);
  const key = `${file}\u0000${[...ruleIds].sort().join(',')}`;
  let p = runCache.get(key);
  if (!p) {
    const chosen = rules.filter((r) => ruleIds.includes(r.id));
    const overrides = Object.fromEntries(chosen.map((r) => [r.id, r.meta.severity]));
    p = audit([file], { cwd: ROOT, config: {}, rules: chosen, ruleOverrides: overrides, kubeVersion: tool === 'kube-score' ? '1.18' : undefined }).then((r) => r.findings);
    runCache.set(key, p);
  }
  return p;
}

async function fired(c: Case): Promise<boolean> {
  const m = c.mapping;
  const all = (await findingsFor(m.tool, c.fixture, m.rules)).filter((f) => m.rules.includes(f.ruleId) && (!m.messageIncludes || f.message.includes(m.messageIncludes)));
  if (!c.object) return all.length > 0;
  const [, kind, name, doc] = /^([^/]+)\/(.*?)(?: #doc(\d+))?$/.exec(c.object) ?? [];
  const docOf = docIndexOfLine(fs.readFileSync(path.join(CORPUS, m.tool, c.fixture), 'utf8'));
  return all.some((f) => f.resource?.kind === kind && f.resource.name === name && (doc === undefined || docOf(f.line) === Number(doc)));
}

function peerDefaults(): { tool: PeerTool; check: string }[] {
  const out: { tool: PeerTool; check: string }[] = [];
  const pol = fs.readFileSync(path.join(CORPUS, 'polaris', 'config', 'default.yaml'), 'utf8');
  const checks = pol.slice(pol.indexOf('checks:'), pol.indexOf('\nmutations:'));
  for (const m of checks.matchAll(/^ {2}(\w+):\s*(warning|danger)\s*$/gm)) out.push({ tool: 'polaris', check: m[1] });
  const kl = fs.readFileSync(path.join(CORPUS, 'kube-linter', 'docs', 'checks.md'), 'utf8');
  let cur = '';
  for (const l of kl.split('\n')) {
    const h = /^## (\S+)/.exec(l);
    if (h) cur = h[1];
    if (/\*\*Enabled by default\*\*: Yes/.test(l) && cur) out.push({ tool: 'kube-linter', check: cur });
  }
  const ks = readJson<{ check_ids: Record<string, { enabled: string }> }>(path.join(CORPUS, 'kube-score', 'expectations.json')).check_ids;
  for (const [id, v] of Object.entries(ks)) if (v.enabled === 'default') out.push({ tool: 'kube-score', check: id });
  return out;
}

interface Row {
  m: PeerMapping;
  failFired: number;
  failTotal: number;
  passSilent: number;
  passTotal: number;
  deliberate: number;
  unexplained: string[];
}
const table: Row[] = [];
const usedDisagreements = new Set<number>();

describe.skipIf(!available)('conformance with peer fixtures', () => {
  const ids = new Set(rules.map((r) => r.id));

  it('maps only to rules that exist', () => {
    for (const m of [...conformanceMap, ...unmapped]) for (const r of m.rules ?? []) expect(ids.has(r), `${m.tool} ${m.check} -> ${r}`).toBe(true);
    const mapped = new Set(conformanceMap.map((m) => `${m.tool}:${m.check}`));
    expect(unmapped.filter((u) => mapped.has(`${u.tool}:${u.check}`))).toEqual([]);
  });

  it('covers every default check of the peers (mapped, or listed as unmapped with a reason)', () => {
    const known = new Set([...conformanceMap, ...unmapped].map((m) => `${m.tool}:${m.check}`));
    const missing = peerDefaults()
      .map((d) => `${d.tool}:${d.check}`)
      .filter((k) => !known.has(k));
    expect(missing).toEqual([]);
  });

  for (const m of conformanceMap) {
    it(`${m.tool} ${m.check} -> ${m.rules.join(', ')}`, async () => {
      const cases = casesOf(m);
      expect(cases.length, `no fixtures found for ${m.tool} ${m.check}`).toBeGreaterThan(0);
      const row: Row = { m, failFired: 0, failTotal: 0, passSilent: 0, passTotal: 0, deliberate: 0, unexplained: [] };
      for (const c of cases) {
        const f = await fired(c);
        const ok = c.expect === 'fire' ? f : !f;
        if (c.expect === 'fire') {
          row.failTotal++;
          if (f) row.failFired++;
        } else {
          row.passTotal++;
          if (!f) row.passSilent++;
        }
        if (ok) continue;
        const di = deliberateDisagreements.findIndex((d) => d.tool === m.tool && d.check === m.check && d.fixture === c.fixture && (d.object ?? undefined) === (c.object ?? undefined));
        if (di >= 0) {
          usedDisagreements.add(di);
          row.deliberate++;
        } else {
          row.unexplained.push(`${c.fixture}${c.object ? ` ${c.object}` : ''}: peer ${c.expect === 'fire' ? 'fails it, we are silent' : 'passes it, we fire'}`);
        }
      }
      table.push(row);
      expect(row.unexplained).toEqual([]);
    });
  }

  it('records no stale disagreement (each one still differs from the peer)', () => {
    const stale = deliberateDisagreements.filter((_, i) => !usedDisagreements.has(i)).map((d) => `${d.tool} ${d.check} ${d.fixture} ${d.object ?? ''}`);
    expect(stale).toEqual([]);
  });

  afterAll(() => {
    if (!table.length) return;
    const lines = ['', 'peer | check | our rules | failing fixtures we flag | passing fixtures we pass | deliberate | unexplained', '---|---|---|---|---|---|---'];
    for (const r of table) lines.push(`${r.m.tool} | ${r.m.check} | ${r.m.rules.join(', ')} | ${r.failFired}/${r.failTotal} | ${r.passSilent}/${r.passTotal} | ${r.deliberate} | ${r.unexplained.length}`);
    const tot = (f: (r: Row) => number) => table.reduce((n, r) => n + f(r), 0);
    lines.push('', `${table.length} peer checks compared: ${tot((r) => r.failFired)}/${tot((r) => r.failTotal)} failing and ${tot((r) => r.passSilent)}/${tot((r) => r.passTotal)} passing fixtures agree, ${tot((r) => r.deliberate)} deliberate disagreements, ${tot((r) => r.unexplained.length)} unexplained; ${unmapped.length} default peer checks not compared (see unmapped in test/conformance-map.ts)`);
    const mis = table.flatMap((r) => r.unexplained.map((u) => `  ${r.m.tool} ${r.m.check}: ${u}`));
    if (mis.length) lines.push('', 'unexplained mismatches:', ...mis);
    console.log(lines.join('\n'));
  });
});

describe('docs/parity.md conformance table', () => {
  it('is current (run `npm run docs`)', () => {
    const readme = fs.readFileSync(path.join(ROOT, 'docs', 'parity.md'), 'utf8');
    const m = /<!-- conformance:start -->\n([\s\S]*?)\n<!-- conformance:end -->/.exec(readme);
    expect(m?.[1]).toBe(renderConformanceMarkdown());
  });
});
