// Runs every chart in /work/shared/helm-probes through the built-in renderer and compares with real Helm's output.
import { describe, it, expect } from 'vitest';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderChart, formatAsHelmTemplate, type RenderResult } from '../src/render/helm/index.js';

const here = dirname(fileURLToPath(import.meta.url));
const PROBES = process.env.HELM_PROBES_DIR ?? '/work/shared/helm-probes';
const knownFailures: Record<string, string> = JSON.parse(readFileSync(join(here, 'helm-probes.known-failures.json'), 'utf8'));

/** The part of Helm's error message that carries the meaning (innermost cause). */
export function errorKeyPhrase(expected: string): string {
  const text = expected.replace(/^Error: /, '').trim();
  // multi-line (indented) format: last line is the cause
  const lines = text.split('\n').map((l) => l.trim()).filter(Boolean);
  let last = lines[lines.length - 1];
  if (lines.length > 1) return last.replace(/^template: /, '').replace(/^.*error calling \w+: /, '');
  last = text;
  // "execution error at (file:l:c): msg"
  const ex = /execution error at \([^)]*\): (.*)$/s.exec(last);
  if (ex) return ex[1].trim();
  const pe = /parse error at \([^)]*\): (.*)$/s.exec(last);
  if (pe) return pe[1].trim();
  const i = last.lastIndexOf('error calling ');
  if (i >= 0) return last.slice(i).replace(/^error calling \w+: /, '').replace(/^template: /, '').trim();
  const j = last.lastIndexOf('>: ');
  if (j >= 0) return last.slice(j + 3).trim();
  return last;
}

function errorFiles(expected: string): string[] {
  return [...expected.matchAll(/([\w.-]+\/templates\/[\w./-]+?):\d+/g)].map((m) => m[1]);
}

export interface ProbeOutcome { ok: boolean; reason: string }

export function runProbe(name: string): ProbeOutcome {
  const dir = join(PROBES, name);
  let res: RenderResult;
  try {
    res = renderChart(join(dir, 'chart')) as RenderResult;
  } catch (e) {
    return { ok: false, reason: `threw: ${(e as Error).message}` };
  }
  const errFile = join(dir, 'expected-error.txt');
  if (existsSync(errFile)) {
    const exp = readFileSync(errFile, 'utf8');
    if (res.errors.length === 0) return { ok: false, reason: `expected error, got output:\n${formatAsHelmTemplate(res)}` };
    const phrase = errorKeyPhrase(exp);
    const files = errorFiles(exp);
    const hit = res.errors.find((e) => e.message.includes(phrase));
    if (!hit) return { ok: false, reason: `error phrase ${JSON.stringify(phrase)} not found in ${JSON.stringify(res.errors.map((e) => e.message))}` };
    const base = hit.file.replace(/\\/g, '/');
    if (files.length && !files.some((f) => base.endsWith(f.split('/').slice(1).join('/')))) {
      return { ok: false, reason: `error file ${hit.file} not among ${files.join(', ')}` };
    }
    if (!(hit.line >= 1)) return { ok: false, reason: `error without line: ${JSON.stringify(hit)}` };
    // fail/required: helm reports the action of the rendered template ("execution error at (file:line:col)")
    const exe = /execution error at \(([^:]+):(\d+):(\d+)\)/.exec(exp);
    if (exe && (hit.line !== Number(exe[2]) || hit.column !== Number(exe[3]) + 1 || !hit.message.includes(exe[0]))) {
      return { ok: false, reason: `error at ${hit.line}:${hit.column} (1-based column), helm says ${exe[2]}:${exe[3]} (0-based column): ${hit.message}` };
    }
    // innermost "file:line:col" of other execution errors
    if (!exe) {
      const locs = [...exp.matchAll(/([\w.-]+\/templates\/[\w./-]+?):(\d+):(\d+)/g)];
      const last = locs[locs.length - 1];
      if (last && (hit.line !== Number(last[2]) || hit.column !== Number(last[3]) + 1)) {
        return { ok: false, reason: `error at ${hit.line}:${hit.column} (1-based column), helm says ${last[2]}:${last[3]} (0-based column)` };
      }
    }
    return { ok: true, reason: '' };
  }
  const expPath = existsSync(join(dir, 'expected.yaml')) ? join(dir, 'expected.yaml') : join(dir, 'expected-raw.txt');
  const expected = readFileSync(expPath, 'utf8');
  if (res.errors.length) return { ok: false, reason: `unexpected errors: ${JSON.stringify(res.errors.map((e) => e.message))}` };
  const actual = formatAsHelmTemplate(res);
  if (actual !== expected) return { ok: false, reason: `output differs:\n--- expected\n${expected}\n--- actual\n${actual}` };
  return { ok: true, reason: '' };
}

const probes = existsSync(PROBES) ? readdirSync(PROBES).filter((p) => existsSync(join(PROBES, p, 'chart'))).sort() : [];

describe.skipIf(probes.length === 0)('helm probes', () => {
  const results = new Map<string, ProbeOutcome>();
  for (const p of probes) {
    it(p, () => {
      const r = runProbe(p);
      results.set(p, r);
      if (knownFailures[p] !== undefined) {
        expect(r.ok, `probe ${p} is listed as a known failure but now passes: remove it from helm-probes.known-failures.json`).toBe(false);
      } else {
        expect(r.ok, r.reason).toBe(true);
      }
    });
  }
  it('summary', () => {
    const passed = [...results.values()].filter((r) => r.ok).length;
    console.log(`helm probes: ${passed}/${probes.length} pass, ${Object.keys(knownFailures).length} known failures`);
    for (const k of Object.keys(knownFailures)) expect(probes, `known failure ${k} is not a probe`).toContain(k);
  });
});

/**
 * The same probes through the CLI, as a user runs them: `k8s-audit render PROBE/chart` prints what helm
 * template printed (expected.yaml); for output that is not valid YAML, `render --debug` prints the raw text
 * helm --debug printed (expected-raw.txt) and exits 1; a chart helm refuses exits 1 with the meaning of
 * helm's error (expected-error.txt) on standard error.
 */
describe.skipIf(probes.length === 0)('helm probes through the CLI', () => {
  it.each(probes)('%s', async (p) => {
    const { cli } = await import('./cli-helpers.js');
    const dir = join(PROBES, p);
    const chart = join(dir, 'chart');
    if (existsSync(join(dir, 'expected-error.txt'))) {
      const r = cli(['render', chart]);
      expect(r.code, r.stdout).toBe(1);
      expect(r.stderr).toContain(errorKeyPhrase(readFileSync(join(dir, 'expected-error.txt'), 'utf8')));
    } else if (existsSync(join(dir, 'expected.yaml'))) {
      const r = cli(['render', chart]);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(r.stdout).toBe(readFileSync(join(dir, 'expected.yaml'), 'utf8'));
    } else {
      const r = cli(['render', '--debug', chart]);
      expect(r.stdout).toBe(readFileSync(join(dir, 'expected-raw.txt'), 'utf8'));
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/YAML parse error/);
    }
  });
});
