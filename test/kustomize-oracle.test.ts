/**
 * The built-in kustomize build against the real one (`kubectl kustomize`, kustomize v5, from
 * ../shared/tools/oracles.sh): every kustomization in fixtures/ (the written cases, the error cases, the
 * rule fixtures, the reference stacks) and in ../shared/corpus, compared as data, objects keyed by
 * apiVersion/kind/namespace/name. Where kubectl fails, the built-in build must report the failure.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { buildKustomization, emitDocuments } from '../src/render/kustomize/index.js';
import { ROOT, SHARED } from './harness.js';
import { KUBECTL_BIN, ORACLES_HINT } from './oracles.js';

const NAMES = new Set(['kustomization.yaml', 'kustomization.yml', 'Kustomization']);

function kustomizations(dir: string): string[] {
  const out: string[] = [];
  if (!fs.existsSync(dir)) return out;
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory() && e.name !== 'node_modules' && e.name !== '.git') walk(p);
      else if (e.isFile() && NAMES.has(e.name) && !/^kind:\s*Component\s*$/m.test(fs.readFileSync(p, 'utf8'))) out.push(d);
    }
  };
  walk(dir);
  return out.sort();
}

type Obj = Record<string, unknown>;
const keyOf = (o: Obj) => {
  const m = (o.metadata ?? {}) as Obj;
  return `${String(o.apiVersion)}/${String(o.kind)}/${String(m.namespace ?? '')}/${String(m.name)}`;
};
const sorted = (v: unknown): unknown =>
  Array.isArray(v) ? v.map(sorted) : v && typeof v === 'object' ? Object.fromEntries(Object.keys(v as Obj).sort().map((k) => [k, sorted((v as Obj)[k])])) : v;

function asData(text: string): Map<string, unknown> {
  const docs = parseAllDocuments(text).map((d) => d.toJS() as Obj).filter((d) => d && typeof d === 'object');
  return new Map(docs.map((d) => [keyOf(d), sorted(d)]));
}

// helmCharts: kubectl's kustomize (v5.7) runs its Helm plugin only with helm v3, and the oracles install helm
// v4, so those builds are compared in test/kustomize.test.ts instead.
const usesHelm = (d: string) => /^helmCharts:/m.test(fs.readFileSync(path.join(d, fs.readdirSync(d).find((n) => NAMES.has(n))!), 'utf8'));
// ../shared/corpus/real/kustomize carries kubectl's recorded output and is compared, with its list of known
// differences, by test/kustomize-corpus.test.ts.
const RECORDED = path.join(SHARED, 'corpus', 'real', 'kustomize');
const dirs = [...kustomizations(path.join(ROOT, 'fixtures')), ...kustomizations(path.join(SHARED, 'corpus'))].filter((d) => !usesHelm(d) && !d.startsWith(RECORDED + path.sep));
const written = dirs.filter((d) => d.startsWith(path.join(ROOT, 'fixtures', 'kustomize', 'cases')));

describe.skipIf(!KUBECTL_BIN)(`built-in kustomize build = kubectl kustomize${KUBECTL_BIN ? '' : ` (skipped: no kubectl; ${ORACLES_HINT})`}`, () => {
  it('covers at least 30 written cases', () => {
    expect(written.length).toBeGreaterThanOrEqual(30);
  });

  it.each(dirs.map((d) => [path.relative(ROOT, d), d]))('%s', (_rel, dir) => {
    // (a CRD bundle prints megabytes: past spawnSync's 1 MiB default, kubectl would look as if it failed)
    const real = spawnSync(KUBECTL_BIN!, ['kustomize', dir], { encoding: 'utf8', timeout: 60_000, maxBuffer: 256 * 1024 * 1024 });
    // (the build's fidelity is tested here, not the tree boundary: / lets a linked ../shared in)
    const ours = buildKustomization(dir, { root: fs.realpathSync('/'), display: (a) => path.relative(ROOT, a) });
    const failures = ours.problems.filter((p) => p.kind === 'error' || p.kind === 'unsupported');
    if (real.status !== 0) {
      // kubectl stops; the built-in build names the cause (or, for a remote base, says it was not fetched)
      expect(failures.length, `kubectl failed (${real.stderr.trim().split('\n').pop()}) but the built-in build reported nothing`).toBeGreaterThan(0);
      return;
    }
    expect(ours.problems.filter((p) => p.kind === 'error')).toEqual([]);
    const theirs = asData(real.stdout);
    const mine = asData(emitDocuments(ours.objects.map((b) => b.obj)).text);
    expect([...mine.keys()].sort()).toEqual([...theirs.keys()].sort());
    for (const [k, v] of theirs) expect(mine.get(k), k).toEqual(v);
  });
});
