/**
 * Conformance with Polaris, kube-linter, kube-score and Checkov on their own fixtures (../shared/corpus), scored
 * per fixture/object in both profiles by test/conformance-score.ts. With every mapped rule on, our rules must
 * fire on each case a peer check fails and stay silent on each one it passes, except where
 * test/conformance-map.ts records a deliberate disagreement with its reason. Each rule's `peers` metadata must name only checks that are compared here, or
 * declined with a reason. docs/parity.md must be the page rendered from these scores.
 */
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { rules } from '../rules/index.js';
import { ROOT } from './harness.js';
import { conformanceMap, deliberateDisagreements, unmapped, type PeerTool } from './conformance-map.js';
import { CORPUS, allMappings, casesOf, corpusAvailable, renderParityPage, scoreConformance, summarise, type CheckScore } from './conformance-score.js';

function readJson<T>(p: string): T {
  return JSON.parse(fs.readFileSync(p, 'utf8')) as T;
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

describe.skipIf(!corpusAvailable)('conformance with peer fixtures', () => {
  const ids = new Set(rules.map((r) => r.id));
  let scores: CheckScore[] = [];
  beforeAll(async () => {
    scores = await scoreConformance();
  }, 120_000);

  it('maps only to rules that exist', () => {
    for (const m of [...allMappings(), ...unmapped]) for (const r of m.rules ?? []) expect(ids.has(r), `${m.tool} ${m.check} -> ${r}`).toBe(true);
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

  it('rule `peers` metadata names only peer checks compared here with that rule, or declined with a reason', () => {
    const compared = new Set(allMappings().flatMap((m) => m.rules.map((r) => `${m.tool}:${m.check}:${r}`)));
    const declined = new Set(unmapped.flatMap((u) => (u.rules ?? []).map((r) => `${u.tool}:${u.check}:${r}`)));
    const wrong: string[] = [];
    for (const r of rules) {
      for (const p of r.meta.peers ?? []) {
        // (ids with spaces name a feature, such as kube-linter's handling of helm render errors, not a check)
        if (!['polaris', 'kube-linter', 'kube-score'].includes(p.tool) || p.id.includes(' ')) continue;
        const key = `${p.tool}:${p.id}:${r.id}`;
        if (!compared.has(key) && !declined.has(key)) wrong.push(key);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('every compared check has fixtures (Checkov checks without a readable fixture are listed)', () => {
    const empty = conformanceMap.filter((m) => !casesOf(m).length).map((m) => `${m.tool} ${m.check}`);
    expect(empty).toEqual([]);
  });

  it('agrees with Polaris, kube-linter, kube-score and Checkov on every case with every mapped rule on, except the recorded disagreements', () => {
    const unexplained: string[] = [];
    for (const s of scores) {
      for (const c of s.cases) {
        if (c.fired.all === (c.expect === 'fire') || c.disagreement) continue;
        unexplained.push(`${c.mapping.tool} ${c.mapping.check}: ${c.fixture}${c.object ? ` ${c.object}` : ''}: peer ${c.expect === 'fire' ? 'fails it, we are silent' : 'passes it, we fire'}`);
      }
    }
    expect(unexplained).toEqual([]);
  });

  it('records no stale disagreement (each one still differs from the peer in some profile)', () => {
    const used = new Set(scores.flatMap((s) => s.cases.map((c) => c.disagreement)).filter(Boolean));
    const stale = deliberateDisagreements.filter((d) => !used.has(d)).map((d) => `${d.tool} ${d.check} ${d.fixture} ${d.object ?? ''}`);
    expect(stale).toEqual([]);
  });

  it('docs/parity.md is the page rendered from these scores (run `npm run docs`)', () => {
    const summary = summarise(scores).map((s) => `${s.tool}: ${s.checks} checks, ${s.cases} cases, all ${s.agree.all}, default ${s.agree.default}`);
    console.log(summary.join('\n'));
    expect(fs.readFileSync(path.join(ROOT, 'docs', 'parity.md'), 'utf8')).toBe(renderParityPage(scores));
  });
});
