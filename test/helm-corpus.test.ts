// Differential test: render the real-world charts with the built-in renderer and with a real `helm` binary,
// compare the resulting objects as data keyed by apiVersion/kind/namespace/name.
// Runs only when HELM_BIN points to a helm binary (eval "$(/work/shared/tools/oracles.sh)"). Scenarios: each
// chart's own values, each ci/*.yaml, and each `enabled: false` of values.yaml switched on with --set.
import { describe, it, expect } from 'vitest';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join, basename } from 'node:path';
import YAML from 'yaml';
import { renderChart, formatAsHelmTemplate, manifestErrors, type RenderResult } from '../src/render/helm/index.js';

const HELM = process.env.HELM_BIN;
const CHARTS = process.env.HELM_CORPUS_DIR ?? '/work/shared/corpus/real/charts';
const helmOk = !!HELM && existsSync(HELM);
const charts = existsSync(CHARTS) ? readdirSync(CHARTS).filter((c) => existsSync(join(CHARTS, c, 'Chart.yaml'))).sort() : [];
/** chart + optional values file (the charts' own ci/*.yaml scenarios) */
const cases: Array<[string, string | undefined]> = [];
for (const c of charts) {
  cases.push([c, undefined]);
  const ci = join(CHARTS, c, 'ci');
  if (existsSync(ci)) for (const f of readdirSync(ci).filter((x) => /\.ya?ml$/.test(x)).sort()) cases.push([c, join(ci, f)]);
}

/** Every `enabled: false` of a chart's values.yaml (to depth 4), each switched on in a scenario of its own. */
function toggles(obj: unknown, p: string[] = [], out: string[] = []): string[] {
  if (!obj || typeof obj !== 'object' || Array.isArray(obj) || p.length > 3) return out;
  for (const [k, v] of Object.entries(obj as Record<string, unknown>)) {
    if (/[.,=[\]\\]/.test(k)) continue;
    if (k === 'enabled' && v === false) out.push([...p, k].join('.'));
    else if (v && typeof v === 'object') toggles(v, [...p, k], out);
  }
  return out;
}
const toggleCases: Array<[string, string]> = [];
for (const c of charts) {
  const vf = join(CHARTS, c, 'values.yaml');
  if (!existsSync(vf)) continue;
  let values: unknown;
  try {
    values = YAML.parse(readFileSync(vf, 'utf8'));
  } catch {
    continue;
  }
  for (const t of toggles(values)) toggleCases.push([c, `${t}=true`]);
}

function parseDocs(text: string): Map<string, unknown> {
  const m = new Map<string, unknown>();
  for (const d of YAML.parseAllDocuments(text, { version: '1.1', merge: true, uniqueKeys: false })) {
    if ((d as YAML.Document).errors?.length) continue;
    const v = (d as YAML.Document).toJS() as Record<string, unknown> | null;
    if (!v || typeof v !== 'object') continue;
    const md = (v.metadata ?? {}) as Record<string, unknown>;
    const name = String(md.name ?? '').replace(/-test-[a-z0-9]{5}$/, '-test-<rand>');
    const key = `${v.apiVersion}/${v.kind}/${md.namespace ?? ''}/${name}`;
    let k = key;
    for (let i = 2; m.has(k); i++) k = `${key}#${i}`;
    m.set(k, normalize(v));
  }
  return m;
}

// values that are random per render (generated certs, passwords, checksums of them)
function normalize(v: unknown): unknown {
  return JSON.parse(JSON.stringify(v, (k, x) => {
    if (typeof x === 'string' && /-----BEGIN|^[A-Za-z0-9+/]{40,}={0,2}$/.test(x)) return '<random>';
    if (typeof k === 'string' && /^checksum\//.test(k)) return '<checksum>';
    if (typeof x === 'string' && /-test-[a-z0-9]{5}$/.test(x)) return x.replace(/[a-z0-9]{5}$/, '<rand>');
    // hashes of generated passwords (a Redis ACL's `#<sha256>`)
    if (typeof x === 'string' && /#[0-9a-f]{64}\b/.test(x)) return x.replace(/#[0-9a-f]{64}\b/g, '#<sha256>');
    if (typeof k === 'string' && /^(tls\.crt|tls\.key|ca\.crt|ca\.key|password|.*-password|.*Password)$/.test(k)) return '<secret>';
    return x;
  }));
}

/** mask values that are random per render (generated passwords, certificates, their checksums) */
function maskRandom(t: string): string {
  return t
    .replace(/-----BEGIN [A-Z ]+-----[\s\S]*?-----END [A-Z ]+-----/g, 'PEM')
    .replace(/(checksum\/[\w.-]+: )\S+/g, '$1X')
    .replace(/\$2a\$10\$[./A-Za-z0-9]{53}/g, 'BCRYPT')
    .replace(/(?<![\w/.-])[A-Za-z0-9+/]{10,}={0,2}(?![\w/.-])/g, 'B64')
    .replace(/-test-[a-z0-9]{5}\b/g, '-test-RAND');
}

export interface DiffResult { chart: string; same: boolean; sameText: boolean; sameMasked: boolean; missing: string[]; extra: string[]; differing: string[]; ms: number; helmError?: string; errors: string[] }

export function diffChart(name: string, valuesFile?: string, set: string[] = []): DiffResult {
  const dir = join(CHARTS, name);
  const t0 = performance.now();
  const res = renderChart(dir, { ...(valuesFile ? { valuesFiles: [valuesFile] } : {}), set }) as RenderResult;
  const ms = performance.now() - t0;
  const ourText = formatAsHelmTemplate(res);
  const ours = parseDocs(ourText);
  let helmOut = '';
  let helmError: string | undefined;
  try {
    helmOut = execFileSync(HELM!, ['template', dir, ...(valuesFile ? ['-f', valuesFile] : []), ...set.flatMap((x) => ['--set', x])], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    helmError = String((e as { stderr?: string }).stderr ?? e).slice(0, 500);
  }
  const theirs = parseDocs(helmOut);
  const missing = [...theirs.keys()].filter((k) => !ours.has(k));
  const extra = [...ours.keys()].filter((k) => !theirs.has(k));
  const differing = [...theirs.keys()].filter((k) => ours.has(k) && JSON.stringify(ours.get(k)) !== JSON.stringify(theirs.get(k)));
  // render errors, and rendered output helm's YAML check refuses
  const errors = [...res.errors, ...manifestErrors(res)].map((e) => `${e.file}:${e.line}: ${e.message}`);
  // both fail on missing dependencies: agreement (we still render what we can)
  const bothMissingDeps = !!helmError && /missing in charts\/ directory/.test(helmError) && errors.some((e) => /missing in charts\/ directory/.test(e));
  const same = bothMissingDeps || (!helmError && missing.length === 0 && extra.length === 0 && differing.length === 0 && errors.length === 0);
  const sameText = !helmError && helmOut === ourText;
  const sameMasked = !helmError && maskRandom(helmOut) === maskRandom(ourText);
  // both refuse the values (a chart's own `fail` on a combination it does not support): agreement
  const bothFail = !!helmError && errors.length > 0 && set.length > 0;
  return { chart: name + (valuesFile ? ` -f ${basename(valuesFile)}` : '') + set.map((x) => ` --set ${x}`).join(''), same: same || bothFail, sameText, sameMasked, missing, extra, differing, ms, helmError, errors };
}

describe('helm corpus differential', () => {
  it.skipIf(helmOk)('skipped: set HELM_BIN to a helm v4 binary (eval "$(/work/shared/tools/oracles.sh)") to run the differential comparison', () => {
    console.log('helm-corpus: HELM_BIN not set or not found; differential comparison skipped');
  });
  describe.skipIf(!helmOk || charts.length === 0)('charts', () => {
    const results: DiffResult[] = [];
    for (const [c, vf] of cases) {
      it(c + (vf ? ` -f ${basename(vf)}` : ''), () => {
        const r = diffChart(c, vf);
        results.push(r);
        if (process.env.HELM_CORPUS_DEBUG && !r.sameMasked) console.log(`${r.chart}: text differs beyond random values`);
        if (!r.same) console.log(`${r.chart}: missing ${JSON.stringify(r.missing)} extra ${JSON.stringify(r.extra)} differing ${JSON.stringify(r.differing)} errors ${JSON.stringify(r.errors)} ${r.helmError ?? ''}`);
        expect(r.same, `${r.chart} renders differently from helm template`).toBe(true);
      });
    }
    for (const [c, set] of toggleCases) {
      it(`${c} --set ${set}`, () => {
        const r = diffChart(c, undefined, [set]);
        results.push(r);
        if (!r.same) console.log(`${r.chart}: missing ${JSON.stringify(r.missing)} extra ${JSON.stringify(r.extra)} differing ${JSON.stringify(r.differing)} errors ${JSON.stringify(r.errors)} ${r.helmError ?? ''}`);
        expect(r.same, `${r.chart} renders differently from helm template`).toBe(true);
      });
    }
    it('summary', () => {
      const same = results.filter((r) => r.same).length;
      const objs = results.reduce((n, r) => n + r.differing.length + r.missing.length, 0);
      const avg = results.reduce((n, r) => n + r.ms, 0) / Math.max(1, results.length);
      const text = results.filter((r) => r.sameText).length;
      const masked = results.filter((r) => r.sameMasked).length;
      console.log(`helm corpus: ${same}/${results.length} chart renders identical as data (${text} byte-identical, ${masked} identical text once random secrets are masked); ${objs} objects differ or are missing; ${avg.toFixed(1)} ms per render (built-in renderer)`);
      expect(results.length).toBe(cases.length + toggleCases.length);
    });
  });
});
