/**
 * Scores k8s-audit against the peers' own pass/fail fixtures (../shared/corpus/{polaris,kube-linter,kube-score,
 * checkov}), per fixture or object, in both profiles: `all` (every mapped rule on) and `default` (only the mapped
 * rules of the recommended profile, what a user gets without configuration). test/conformance.test.ts asserts
 * on the scores and docs/parity.md is rendered from them (test/gen-conformance.ts), so the page says what was
 * measured.
 */
import fs from 'node:fs';
import path from 'node:path';
import { rules } from '../rules/index.js';
import { audit } from '../src/engine/run.js';
import type { Finding } from '../src/types.js';
import { ROOT, SHARED } from './harness.js';
import { conformanceMap, deliberateDisagreements, profileDecisions, unmapped, type Disagreement, type PeerMapping, type PeerTool } from './conformance-map.js';

export const CORPUS = path.join(SHARED, 'corpus');
export const corpusAvailable = fs.existsSync(path.join(CORPUS, 'polaris')) && fs.existsSync(path.join(CORPUS, 'checkov'));

export type Profile = 'all' | 'default';
export const PROFILES: readonly Profile[] = ['all', 'default'];

export interface Case {
  mapping: PeerMapping;
  /** Relative to the peer's corpus folder; a directory for Checkov graph fixtures. */
  fixture: string;
  object?: string;
  expect: 'fire' | 'silent';
}

export interface CaseResult extends Case {
  fired: Record<Profile, boolean>;
  /** The recorded reason we differ from the peer here, if we do and it is recorded. */
  disagreement?: Disagreement;
}

export interface CheckScore {
  mapping: PeerMapping;
  cases: CaseResult[];
}

interface KlTest {
  file: string | null;
  include: string[];
  config: string | null;
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
interface CkTest {
  check_id: string;
  example_dir: string;
}

function readJson<T>(p: string): T {
  return JSON.parse(fs.readFileSync(p, 'utf8')) as T;
}

/** kube-score run configurations that change a check's threshold away from its default (2 replicas). */
function nonDefaultKubeScoreConfig(config: string): boolean {
  return [...config.matchAll(/MinReplicas(?:Deployment|HPA): (\d+)/g)].some((m) => m[1] !== '2');
}

/** Checkov verdict from a fixture file name (`-FAILED`, `-passed-`, `1FAILED`); undefined for mixed or unknown. */
function checkovVerdict(name: string): 'fire' | 'silent' | undefined {
  const n = name.toLowerCase();
  const failed = n.includes('failed') || n.includes('fails');
  const passed = n.includes('passed') || n.includes('passes');
  if (failed === passed) return undefined;
  return failed ? 'fire' : 'silent';
}

/** Checkov graph checks (CKV2_*): fixtures in graph/resources/<Name>/{Failing,Passing}/<n>/. */
function checkovGraphDir(id: string): string | undefined {
  const dir = path.join(CORPUS, 'checkov', 'graph', 'graph_checks');
  if (!fs.existsSync(dir)) return undefined;
  for (const f of fs.readdirSync(dir).sort()) {
    if (new RegExp(`id:\\s*"?${id}"?\\s*$`, 'm').test(fs.readFileSync(path.join(dir, f), 'utf8'))) return f.replace(/\.ya?ml$/, '');
  }
  return undefined;
}

export function casesOf(m: PeerMapping): Case[] {
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
  } else if (m.tool === 'kube-score') {
    const tests = readJson<{ tests: KsTest[] }>(path.join(CORPUS, 'kube-score', 'expectations.json')).tests;
    for (const t of tests) {
      if (t.check_id !== m.check || nonDefaultKubeScoreConfig(t.config)) continue;
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
  } else {
    const graph = m.check.startsWith('CKV2_') ? checkovGraphDir(m.check) : undefined;
    if (graph) {
      for (const [sub, expect] of [['Failing', 'fire'], ['Passing', 'silent']] as const) {
        const dir = path.join(CORPUS, 'checkov', 'graph', 'resources', graph, sub);
        for (const n of fs.existsSync(dir) ? fs.readdirSync(dir).sort() : []) out.push({ mapping: m, fixture: `graph/resources/${graph}/${sub}/${n}`, expect });
      }
      return out;
    }
    const tests = readJson<{ tests: CkTest[] }>(path.join(CORPUS, 'checkov', 'expectations.json')).tests;
    for (const dir of new Set(tests.filter((t) => t.check_id === m.check).map((t) => t.example_dir))) {
      const abs = path.join(CORPUS, 'checkov', 'checks', dir);
      for (const f of fs.existsSync(abs) ? fs.readdirSync(abs).sort() : []) {
        const expect = /\.(ya?ml|json)$/.test(f) ? checkovVerdict(f) : undefined;
        if (expect) out.push({ mapping: m, fixture: `checks/${dir}/${f}`, expect });
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

const recommended = new Set(rules.filter((r) => r.meta.recommended).map((r) => r.id));

/** The mapped rules a profile runs. */
export function rulesIn(m: PeerMapping, profile: Profile): readonly string[] {
  return profile === 'all' ? m.rules : m.rules.filter((r) => recommended.has(r));
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

async function fired(c: Case, ruleIds: readonly string[]): Promise<boolean> {
  if (!ruleIds.length) return false;
  const m = c.mapping;
  const all = (await findingsFor(m.tool, c.fixture, ruleIds)).filter((f) => ruleIds.includes(f.ruleId) && (!m.messageIncludes || f.message.includes(m.messageIncludes)));
  if (!c.object) return all.length > 0;
  const [, kind, name, doc] = /^([^/]+)\/(.*?)(?: #doc(\d+))?$/.exec(c.object) ?? [];
  const docOf = docIndexOfLine(fs.readFileSync(path.join(CORPUS, m.tool, c.fixture), 'utf8'));
  return all.some((f) => f.resource?.kind === kind && f.resource.name === name && (doc === undefined || docOf(f.line) === Number(doc)));
}

/** Checkov checks the rules' `peers` metadata claims, as mappings (Checkov has no default profile of its own). */
export function checkovMappings(): PeerMapping[] {
  const byId = new Map<string, string[]>();
  for (const r of rules) for (const p of r.meta.peers ?? []) if (p.tool === 'checkov' && /^CKV2?_K8S_\d+$/.test(p.id)) byId.set(p.id, [...(byId.get(p.id) ?? []), r.id]);
  const narrow = checkovNarrowing();
  return [...byId.entries()].sort(([a], [b]) => a.localeCompare(b, 'en', { numeric: true })).map(([check, ids]) => ({ tool: 'checkov' as const, check, rules: ids, ...(narrow[check] ? { messageIncludes: narrow[check] } : {}) }));
}

/** Checkov checks that cover one part of a broader rule (the message names the part). */
function checkovNarrowing(): Record<string, string> {
  return { CKV_K8S_10: 'cpu', CKV_K8S_12: 'memory', CKV_K8S_17: 'hostPID', CKV_K8S_18: 'hostIPC', CKV_K8S_19: 'hostNetwork' };
}

export function allMappings(): PeerMapping[] {
  return [...conformanceMap, ...checkovMappings()];
}

export async function scoreConformance(): Promise<CheckScore[]> {
  const out: CheckScore[] = [];
  for (const m of allMappings()) {
    const cases: CaseResult[] = [];
    for (const c of casesOf(m)) {
      const res = { all: await fired(c, rulesIn(m, 'all')), default: await fired(c, rulesIn(m, 'default')) };
      const wrong = PROFILES.some((p) => res[p] !== (c.expect === 'fire'));
      const disagreement = wrong ? deliberateDisagreements.find((d) => d.tool === m.tool && d.check === m.check && d.fixture === c.fixture && (d.object ?? undefined) === (c.object ?? undefined)) : undefined;
      cases.push({ ...c, fired: res, disagreement });
    }
    out.push({ mapping: m, cases });
  }
  return out;
}

export interface PeerSummary {
  tool: PeerTool;
  /** Peer checks with a counterpart that have fixtures. */
  checks: number;
  cases: number;
  agree: Record<Profile, number>;
  /** Cases that agree, or differ for a recorded reason. */
  explained: Record<Profile, number>;
}

export function summarise(scores: readonly CheckScore[]): PeerSummary[] {
  const tools: PeerTool[] = ['polaris', 'kube-linter', 'kube-score', 'checkov'];
  return tools.map((tool) => {
    const mine = scores.filter((s) => s.mapping.tool === tool && s.cases.length);
    const s: PeerSummary = { tool, checks: mine.length, cases: 0, agree: { all: 0, default: 0 }, explained: { all: 0, default: 0 } };
    for (const c of mine.flatMap((x) => x.cases)) {
      s.cases++;
      for (const p of PROFILES) {
        const ok = c.fired[p] === (c.expect === 'fire');
        if (ok) s.agree[p]++;
        if (ok || c.disagreement) s.explained[p]++;
      }
    }
    return s;
  });
}

/**
 * Why a case differs: the recorded reason, or, when only the default profile differs, the profile decision
 * (the rules that would agree are opt-in).
 */
function reasonOf(c: CaseResult): string {
  if (c.disagreement) return c.disagreement.reason;
  if (c.fired.all === (c.expect === 'fire')) {
    const optIn = c.mapping.rules.filter((r) => !recommended.has(r));
    return `default profile only: ${optIn.join(', ')} ${optIn.length > 1 ? 'are' : 'is'} opt-in (see the recommended profile above); profile all agrees`;
  }
  return 'not reviewed';
}

const pct = (n: number, d: number) => (d ? `${Math.round((1000 * n) / d) / 10}%` : '-');
const NAME: Record<PeerTool, string> = { 'kube-linter': 'kube-linter', polaris: 'Polaris', 'kube-score': 'kube-score', checkov: 'Checkov' };

/** The measured part of docs/parity.md. */
export function renderScores(scores: readonly CheckScore[]): string {
  const lines: string[] = [];
  lines.push('| peer | checks compared | cases | agree, profile all | agree, default profile | agree or recorded, all | agree or recorded, default |', '|---|---|---|---|---|---|---|');
  for (const s of summarise(scores)) {
    lines.push(`| ${NAME[s.tool]} | ${s.checks} | ${s.cases} | ${s.agree.all} (${pct(s.agree.all, s.cases)}) | ${s.agree.default} (${pct(s.agree.default, s.cases)}) | ${pct(s.explained.all, s.cases)} | ${pct(s.explained.default, s.cases)} |`);
  }
  lines.push('', '### Per check', '', 'Failing fixtures we flag and passing fixtures we pass, with every mapped rule on (all) and with the default profile.', '');
  lines.push('| peer | check | k8s-audit rules | failing flagged (all / default) | passing passed (all / default) | notes |', '|---|---|---|---|---|---|');
  const sorted = [...scores].sort((a, b) => (a.mapping.tool === b.mapping.tool ? a.mapping.check.localeCompare(b.mapping.check, 'en', { numeric: true }) : a.mapping.tool < b.mapping.tool ? -1 : 1));
  for (const s of sorted) {
    const m = s.mapping;
    const fail = s.cases.filter((c) => c.expect === 'fire');
    const pass = s.cases.filter((c) => c.expect === 'silent');
    const f = (p: Profile) => fail.filter((c) => c.fired[p]).length;
    const q = (p: Profile) => pass.filter((c) => !c.fired[p]).length;
    const rulesCell = m.rules.map((x) => `[${x}](rules/${x}.md)${recommended.has(x) ? '' : ' (opt-in)'}`).join(', ');
    const note = s.cases.length ? (m.note ?? '') : 'no fixture this scorer can read';
    lines.push(`| ${NAME[m.tool]} | \`${m.check}\` | ${rulesCell} | ${f('all')}/${fail.length} / ${f('default')}/${fail.length} | ${q('all')}/${pass.length} / ${q('default')}/${pass.length} | ${note.replace(/\|/g, '\\|')} |`);
  }
  lines.push('', '### Disagreements', '', 'Every case where a profile reaches another verdict than the peer, with the reason.', '');
  lines.push('| peer | check | fixture | peer says | we say (all / default) | reason |', '|---|---|---|---|---|---|');
  for (const s of sorted) {
    for (const c of s.cases) {
      const wrong = PROFILES.filter((p) => c.fired[p] !== (c.expect === 'fire'));
      if (!wrong.length) continue;
      const say = (p: Profile) => (c.fired[p] ? 'fire' : 'silent');
      lines.push(`| ${NAME[c.mapping.tool]} | \`${c.mapping.check}\` | \`${c.fixture}\`${c.object ? ` ${c.object}` : ''} | ${c.expect === 'fire' ? 'fail' : 'pass'} | ${say('all')} / ${say('default')} | ${reasonOf(c).replace(/\|/g, '\\|')} |`);
    }
  }
  lines.push('', '### Peer checks without a counterpart', '', 'Default checks of the peers that no rule compares, and why.', '');
  lines.push('| peer | check | related rules | reason |', '|---|---|---|---|');
  for (const u of [...unmapped].sort((a, b) => (a.tool === b.tool ? a.check.localeCompare(b.check) : a.tool < b.tool ? -1 : 1))) {
    lines.push(`| ${NAME[u.tool]} | \`${u.check}\` | ${(u.rules ?? []).map((x) => `[${x}](rules/${x}.md)`).join(', ') || '-'} | ${u.reason.replace(/\|/g, '\\|')} |`);
  }
  return lines.join('\n');
}

const INTRO = `# Parity with peer linters

How k8s-audit compares with Polaris, kube-linter, kube-score and Checkov on the peers' own pass/fail fixtures
(\`../shared/corpus\`). Generated by \`npm run docs\` from the scores \`test/conformance.test.ts\` checks: every case
(a fixture file, or an object of a kube-linter fixture) is run with every mapped rule on (profile \`all\`) and with
the default profile, and compared with the peer's verdict. With every mapped rule on, each case must agree unless
the disagreement is recorded with its reason; the default profile differs where the rules that agree are opt-in
(see the recommended profile below). Checkov checks are those the rules' pages claim. Each rule's page names its peer equivalents, and a test checks that those names are compared here.
`;

/** docs/parity.md. */
export function renderParityPage(scores: readonly CheckScore[]): string {
  const decisions = profileDecisions.length
    ? ['## The recommended profile', '', 'Decided per rule from how many peers run the check by default and what it does on `../shared/corpus/real/precision`.', '', '| rules | decision | why |', '|---|---|---|', ...profileDecisions.map((d) => `| ${d.rules.map((r) => `[${r}](rules/${r}.md)`).join(', ')} | ${d.decision} | ${d.why.replace(/\|/g, '\\|')} |`), '']
    : [];
  return `${INTRO}\n${decisions.join('\n')}${decisions.length ? '\n' : ''}## Agreement per peer\n\n${renderScores(scores)}\n`;
}
