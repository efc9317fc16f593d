/**
 * The product's examples and its hardest regression tests: for every stack the deployment guides describe,
 * fixtures/broken/<stack>/ reproduces what the guide teaches and fixtures/reference/<stack>/ is what a senior
 * SRE would ship instead.
 *
 * - Every reference is clean: nothing at warning or above with every rule on (`profile: 'all'`), and no
 *   schema finding at all (no-schema, which only says a CRD is not among the files, is informational).
 * - Every broken stack yields exactly the findings its `# expect: <rule-id>` markers name, at those lines.
 *   Only rule ids that appear in the stack's markers are compared (rules from other issues keep landing, and
 *   a new info or warning rule must not break this test), but every error-severity finding must be expected.
 *   A marker naming a rule that is not registered (yet) is skipped with a note.
 * - Charts (fixtures/*\/akidb): rendered with their default values and with each examples/*values*.yaml.
 *   Markers in templates hold for every scenario; `# expect[<scenario>]: <rule-id>` only for that scenario
 *   (the scenario is the values file's base name without extension, `default` for the chart's values).
 *   Both charts must render identically (as parsed data) with the built-in renderer and real helm.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { audit } from '../src/engine/run.js';
import { rules } from '../rules/index.js';
import { renderChart, formatAsHelmTemplate } from '../src/render/helm/index.js';
import type { Finding } from '../src/types.js';
import { ROOT, expectationsOf } from './harness.js';

const REFERENCE = path.join(ROOT, 'fixtures', 'reference');
const BROKEN = path.join(ROOT, 'fixtures', 'broken');
/** The stacks of the five guides (the DiskANN broken stack is fixtures/examples/diskann-broken, another issue's). */
const REFERENCE_STACKS = ['akidb', 'diskann', 'llm-schema-registry', 'mlcf', 'omendb'];
const BROKEN_STACKS: string[] = ['akidb', 'llm-schema-registry', 'mlcf', 'omendb'];
const registered = new Set(rules.map((r) => r.id));
const schemaRules = new Set(rules.filter((r) => r.meta.category === 'schema' || r.meta.category === 'syntax').map((r) => r.id));

const rel = (p: string) => path.relative(ROOT, p).split(path.sep).join('/');
const stacksIn = (dir: string) => (fs.existsSync(dir) ? fs.readdirSync(dir).filter((n) => fs.statSync(path.join(dir, n)).isDirectory()).sort() : []);
const isChart = (dir: string) => fs.existsSync(path.join(dir, 'Chart.yaml'));

function walk(p: string): string[] {
  if (fs.statSync(p).isFile()) return [p];
  return fs.readdirSync(p).sort().flatMap((n) => walk(path.join(p, n)));
}

function show(findings: Finding[]): string {
  return findings.map((f) => `${f.file}:${f.line}:${f.column} ${f.severity} ${f.ruleId}: ${f.message}`).join('\n');
}

// ---------------------------------------------------------------------------------------------------------
// Charts

/** The scenarios of a chart: its own values, then each examples/*values*.yaml. */
function scenariosOf(chartDir: string): { name: string; values?: string }[] {
  const ex = path.join(chartDir, 'examples');
  const files = fs.existsSync(ex) ? fs.readdirSync(ex).filter((f) => /values.*\.ya?ml$/.test(f)).sort() : [];
  return [{ name: 'default' }, ...files.map((f) => ({ name: f.replace(/\.ya?ml$/, ''), values: path.join(ex, f) }))];
}

/**
 * Lint a chart with one values file. Uses the engine's own chart expansion when it renders charts; until it
 * does, renders with the built-in renderer, lints the rendered templates as a partial input (like a chart)
 * and maps every finding back to its template line through the renderer's line map.
 */
async function lintChart(chartDir: string, valuesFile?: string): Promise<{ findings: Finding[]; resources: number; via: string }> {
  // Installed like `helm install akidb <chart> --namespace akidb [-f values]`.
  const viaEngine = await audit([rel(chartDir)], { cwd: ROOT, profile: 'all', config: {}, namespace: 'akidb', helm: { releaseName: 'akidb', ...(valuesFile ? { values: [valuesFile] } : {}) } });
  if (viaEngine.summary.resources > 0) return { findings: viaEngine.findings, resources: viaEngine.summary.resources, via: 'engine' };

  const res = renderChart(chartDir, { valuesFiles: valuesFile ? [valuesFile] : [], releaseName: 'akidb', namespace: 'akidb' });
  expect(res.errors, `render errors in ${rel(chartDir)}`).toEqual([]);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'k8s-audit-chart-'));
  try {
    const map = new Map<string, { file: string; lineMap: number[] }>();
    const files: string[] = [];
    res.templates.forEach((t, i) => {
      if (!/\.ya?ml$/.test(t.template) || !t.text.trim()) return;
      const out = path.join(tmp, `${i}-${path.basename(t.template)}`);
      fs.writeFileSync(out, t.text);
      files.push(out);
      map.set(out, { file: rel(t.file), lineMap: t.lineMap });
    });
    const r = await audit(files, { cwd: ROOT, profile: 'all', config: {}, namespace: 'akidb' });
    const findings = r.findings.map((f) => {
      const m = map.get(path.resolve(ROOT, f.file));
      return m ? { ...f, file: m.file, line: m.lineMap[f.line - 1] ?? f.line } : f;
    });
    return { findings, resources: r.summary.resources, via: 'built-in renderer (engine does not render charts yet)' };
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

/** Expectations of a chart scenario from `# expect: id` and `# expect[scenario]: id` markers in its files. */
function chartExpectations(chartDir: string, scenario: string): string[] {
  const out: string[] = [];
  for (const f of walk(chartDir)) {
    if (!/\.(ya?ml|tpl)$/.test(f)) continue;
    fs.readFileSync(f, 'utf8').split('\n').forEach((l, i) => {
      const m = /#\s*expect(?:\[([\w.,-]+)\])?:\s*(.*?)\s*$/.exec(l);
      if (!m || (m[1] && !m[1].split(',').includes(scenario))) return;
      // A marker may sit in a template comment: {{/* # expect: id */}}.
      const ids = m[2].replace(/\*\/\s*-?\}\}.*$/, '');
      for (const id of ids.split(/[\s,]+/).filter(Boolean)) if (id !== 'none') out.push(`${rel(f)}:${i + 1}:${id}`);
    });
  }
  return out.sort();
}

// ---------------------------------------------------------------------------------------------------------
// Plain manifest stacks

async function lintStack(dir: string) {
  return audit([rel(dir)], { cwd: ROOT, profile: 'all', config: {} });
}

function stackExpectations(dir: string): string[] {
  const out: string[] = [];
  for (const f of walk(dir)) {
    if (!/\.(ya?ml|json)$/.test(f)) continue;
    for (const e of expectationsOf(fs.readFileSync(f, 'utf8')).expected) out.push(`${rel(f)}:${e.line}:${e.ruleId}`);
  }
  return out.sort();
}

/** Compare only the rule ids the markers name; every error must be expected. */
function compare(findings: Finding[], expectedAll: string[], label: string) {
  const pending = [...new Set(expectedAll.map((e) => e.split(':').pop()!).filter((id) => !registered.has(id)))];
  if (pending.length) console.warn(`${label}: markers name rules that are not registered yet, skipped: ${pending.join(', ')}`);
  const expected = expectedAll.filter((e) => registered.has(e.split(':').pop()!));
  const ids = new Set(expected.map((e) => e.split(':').pop()!));
  const key = (f: Finding) => `${f.file}:${f.line}:${f.ruleId}`;
  const actual = [...new Set(findings.filter((f) => ids.has(f.ruleId)).map(key))].sort();
  expect(actual, `${label}: findings of the marked rules\n${show(findings.filter((f) => ids.has(f.ruleId)))}`).toEqual([...new Set(expected)]);
  const unexpectedErrors = findings.filter((f) => f.severity === 'error' && !expected.includes(key(f)));
  expect(unexpectedErrors.map(key), `${label}: error findings without a marker\n${show(unexpectedErrors)}`).toEqual([]);
}

// ---------------------------------------------------------------------------------------------------------

describe('reference stacks', () => {
  const stacks = stacksIn(REFERENCE);
  it('exist for every guide', () => {
    expect(stacks).toEqual(expect.arrayContaining(REFERENCE_STACKS));
  });

  for (const stack of stacks) {
    const dir = path.join(REFERENCE, stack);
    describe(stack, () => {
      it('has a README with the table of defects, rules and fixes', () => {
        const readme = path.join(dir, 'README.md');
        expect(fs.existsSync(readme), `${rel(readme)} is missing`).toBe(true);
        expect(fs.readFileSync(readme, 'utf8')).toMatch(/\|\s*what was wrong\s*\|\s*rule\s*\|\s*how the reference fixes it\s*\|/i);
      });

      it('silences nothing: no suppression comments or annotations', () => {
        const hits = walk(dir).filter((f) => /(k8s-audit-ignore|k8s-audit\.io\/ignore)/.test(fs.readFileSync(f, 'utf8'))).map(rel);
        expect(hits, 'a reference fixes the manifest instead of suppressing the finding').toEqual([]);
      });

      if (isChart(dir)) {
        for (const sc of scenariosOf(dir)) {
          it(`chart, ${sc.name} values: nothing at warning or above, schema-valid`, async () => {
            const { findings, resources, via } = await lintChart(dir, sc.values);
            expect(resources, `no resources rendered (${via})`).toBeGreaterThan(0);
            const bad = findings.filter((f) => f.severity !== 'info' || (schemaRules.has(f.ruleId) && f.ruleId !== 'no-schema'));
            expect(bad, `${via}\n${show(bad)}`).toEqual([]);
          });
        }
      } else {
        it('nothing at warning or above with every rule on', async () => {
          const r = await lintStack(dir);
          expect(r.summary.resources).toBeGreaterThan(0);
          const bad = r.findings.filter((f) => f.severity !== 'info');
          expect(bad, show(bad)).toEqual([]);
        });
        it('passes schema validation', async () => {
          const r = await lintStack(dir);
          const bad = r.findings.filter((f) => schemaRules.has(f.ruleId) && f.ruleId !== 'no-schema');
          expect(bad, show(bad)).toEqual([]);
        });
      }
    });
  }
});

describe('broken stacks', () => {
  const stacks = stacksIn(BROKEN);
  it('exist for every guide but DiskANN (fixtures/examples/diskann-broken)', () => {
    expect(stacks).toEqual(expect.arrayContaining(BROKEN_STACKS));
  });

  for (const stack of stacks) {
    const dir = path.join(BROKEN, stack);
    if (isChart(dir)) {
      for (const sc of scenariosOf(dir)) {
        it(`${stack} chart, ${sc.name} values: exactly the expected findings`, async () => {
          const { findings, via } = await lintChart(dir, sc.values);
          const expected = chartExpectations(dir, sc.name);
          expect(expected.length, `${stack}/${sc.name} has no markers`).toBeGreaterThan(0);
          compare(findings, expected, `${stack} (${sc.name}, ${via})`);
        });
      }
    } else {
      it(`${stack}: exactly the expected findings`, async () => {
        const r = await lintStack(dir);
        const expected = stackExpectations(dir);
        expect(expected.length, `${stack} has no markers`).toBeGreaterThan(0);
        compare(r.findings, expected, stack);
      });
    }
  }
});

// ---------------------------------------------------------------------------------------------------------
// The reference chart renders the same with the built-in renderer and with real helm.

const HELM = process.env.HELM_BIN || [path.join(process.env.ORACLES_DIR || path.join(os.homedir(), '.cache', 'k8s-audit-oracles'), 'bin', 'helm')].find((p) => fs.existsSync(p)) || findOnPath('helm');

function findOnPath(bin: string): string | undefined {
  for (const d of (process.env.PATH ?? '').split(path.delimiter)) {
    const p = path.join(d, bin);
    if (d && fs.existsSync(p)) return p;
  }
  return undefined;
}

function docsByKey(text: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const d of YAML.parseAllDocuments(text, { version: '1.1' })) {
    const v = d.toJS() as Record<string, any> | null;
    if (!v || typeof v !== 'object') continue;
    out[`${v.apiVersion}/${v.kind}/${v.metadata?.namespace ?? ''}/${v.metadata?.name ?? ''}`] = v;
  }
  return out;
}

describe('reference and broken charts: built-in renderer agrees with helm', () => {
  const charts = [REFERENCE, BROKEN].flatMap((root) => stacksIn(root).map((s) => path.join(root, s))).filter(isChart);
  if (!HELM) {
    it.skip('skipped: no helm binary (run `eval "$(/work/shared/tools/oracles.sh)"` or set HELM_BIN)', () => {});
    return;
  }
  for (const dir of charts) {
    for (const sc of scenariosOf(dir)) {
      it(`${rel(dir)}, ${sc.name} values`, () => {
        const args = ['template', 'akidb', dir, '--namespace', 'akidb', ...(sc.values ? ['-f', sc.values] : [])];
        const theirs = execFileSync(HELM, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
        const res = renderChart(dir, { valuesFiles: sc.values ? [sc.values] : [], releaseName: 'akidb', namespace: 'akidb' });
        expect(res.errors).toEqual([]);
        const ours = docsByKey(formatAsHelmTemplate(res));
        const helmDocs = docsByKey(theirs);
        expect(Object.keys(ours).sort()).toEqual(Object.keys(helmDocs).sort());
        expect(ours).toEqual(helmDocs);
      });
    }
  }
});
