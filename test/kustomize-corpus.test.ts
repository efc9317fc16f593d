/**
 * The built-in kustomize build against kubectl's recorded output, without kubectl: every directory of
 * ../shared/corpus/real/kustomize (dirs.tsv, kubectl's stdout or stderr in expected/) and every probe of
 * ../shared/kustomize-probes (kubectl-output.yaml or kubectl-error.txt). `render` (the same function the CLI
 * prints) must equal kubectl's output as data, object order included, wherever kubectl builds; where kubectl
 * fails, the build must fail (or, for what cannot be known offline, say so) with the same meaning.
 *
 * test/kustomize-corpus.known-differences.json lists today's differences, one reason each: the test fails
 * on a difference not listed, and on a listed one that no longer differs (so the list stays honest).
 * KUSTOMIZE_CORPUS_REPORT=file writes every outcome there (the figures of a run).
 */
import fs from 'node:fs';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { parseAllDocuments } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { renderKustomizationDir, type KustomizeRender } from '../src/load/kustomize-render.js';
import { ROOT, SHARED } from './harness.js';

// Real paths: the build's tree boundary is a real path, and ../shared may be a link to a checkout elsewhere.
const real = (p: string) => (fs.existsSync(p) ? fs.realpathSync(p) : p);
const CORPUS = real(path.join(SHARED, 'corpus', 'real', 'kustomize'));
const PROBES = real(path.join(SHARED, 'kustomize-probes'));
const KNOWN_FILE = path.join(ROOT, 'test', 'kustomize-corpus.known-differences.json');
const known: Record<string, string> = JSON.parse(fs.readFileSync(KNOWN_FILE, 'utf8'));

interface Case {
  id: string;
  /** The directory to build. */
  dir: string;
  /** The scanned tree: what the build may read (the repository's folder, or the probe). */
  root: string;
  expectedYaml?: string;
  expectedError?: string;
}

function corpusCases(): Case[] {
  const tsv = path.join(CORPUS, 'dirs.tsv');
  if (!fs.existsSync(tsv)) return [];
  const rows = fs.readFileSync(tsv, 'utf8').split('\n').slice(1).filter(Boolean);
  return rows.map((row) => {
    const [repo, dir] = row.split('\t');
    const base = path.join(CORPUS, 'expected', repo, dir.replace(/\//g, '__'));
    return {
      id: `corpus:${repo}/${dir}`,
      dir: path.join(CORPUS, repo, dir),
      root: path.join(CORPUS, repo),
      expectedYaml: fs.existsSync(`${base}.yaml`) ? `${base}.yaml` : undefined,
      expectedError: fs.existsSync(`${base}.error.txt`) ? `${base}.error.txt` : undefined,
    };
  });
}

function probeCases(): Case[] {
  if (!fs.existsSync(PROBES)) return [];
  return fs
    .readdirSync(PROBES, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => {
      const p = path.join(PROBES, e.name);
      const build = fs.existsSync(path.join(p, 'BUILD')) ? fs.readFileSync(path.join(p, 'BUILD'), 'utf8').trim() : '';
      const out = path.join(p, 'kubectl-output.yaml');
      const err = path.join(p, 'kubectl-error.txt');
      return { id: `probe:${e.name}`, dir: path.join(p, build), root: p, expectedYaml: fs.existsSync(out) ? out : undefined, expectedError: fs.existsSync(err) ? err : undefined };
    })
    .sort((a, b) => a.id.localeCompare(b.id));
}

/**
 * What a build failure means, from kubectl's stderr or from the built-in build's problem: two failures agree
 * when they mean the same. Offline, kubectl fails on remote bases and plugins; the built-in build reports those
 * as not knowable (partial), which is the same meaning.
 */
const MEANINGS: [string, RegExp][] = [
  ['load-restrictor', /is not in or below|load restrictor/],
  ['remote', /no such host|Could not resolve host|git fetch|--repo https?:|not fetched|would be pulled from/],
  ['plugin', /external plugins disabled|runs no plugins|is a plugin/],
  ['empty-kustomization', /kustomization\.yaml is empty|kustomization is empty/i],
  ['no-kustomization', /unable to find one of 'kustomization\.yaml'|a directory without kustomization\.yaml/],
  ['missing-file', /no such file or directory|does not exist/],
  ['invalid-yaml', /MalformedYAMLError|yaml: line \d+|is not valid YAML/],
  ['invalid-kustomization', /invalid Kustomization|cannot unmarshal|unknown field/],
  ['json-patch', /doc is missing path|operation does not apply|JSON patch cannot be applied/],
];

export function meaningOf(message: string): string {
  for (const [m, re] of MEANINGS) if (re.test(message)) return m;
  return 'other';
}

type Status = 'identical' | 'different' | 'error-agrees' | 'error-disagrees';
interface Outcome {
  status: Status;
  detail: string;
}

const asPlain = (v: unknown): unknown => JSON.parse(JSON.stringify(v ?? null));

function idOf(o: unknown): string {
  const x = (o ?? {}) as Record<string, unknown>;
  const m = (x.metadata ?? {}) as Record<string, unknown>;
  return `${String(x.apiVersion)} ${String(x.kind)} ${m.namespace ? `${String(m.namespace)}/` : ''}${String(m.name)}`;
}

/** The first path where two values differ, for a readable reason. */
function firstDifference(a: unknown, b: unknown, at = ''): string {
  if (isDeepStrictEqual(a, b)) return '';
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) return `${at || '.'}: ${a.length} items, kubectl ${b.length}`;
    for (let i = 0; i < a.length; i++) {
      const d = firstDifference(a[i], b[i], `${at}[${i}]`);
      if (d) return d;
    }
  }
  if (a && b && typeof a === 'object' && typeof b === 'object' && !Array.isArray(a) && !Array.isArray(b)) {
    const ao = a as Record<string, unknown>;
    const bo = b as Record<string, unknown>;
    for (const k of new Set([...Object.keys(ao), ...Object.keys(bo)])) {
      if (!(k in bo)) return `${at}.${k}: only ours has it`;
      if (!(k in ao)) return `${at}.${k}: only kubectl has it`;
      const d = firstDifference(ao[k], bo[k], `${at}.${k}`);
      if (d) return d;
    }
  }
  if (typeof a === 'string' && typeof b === 'string') {
    let i = 0;
    while (i < a.length && a[i] === b[i]) i++;
    const from = Math.max(0, i - 20);
    return `${at || '.'}: from character ${i}, ours ${JSON.stringify(a.slice(from, i + 30))}, kubectl ${JSON.stringify(b.slice(from, i + 30))}`;
  }
  const show = (v: unknown) => JSON.stringify(v)?.slice(0, 80);
  return `${at || '.'}: ours ${show(a)}, kubectl ${show(b)}`;
}

function compareObjects(ours: unknown[], theirs: unknown[]): string {
  const mine = ours.map(asPlain);
  if (isDeepStrictEqual(mine, theirs)) return '';
  const ids = (l: unknown[]) => l.map(idOf);
  const a = ids(mine);
  const b = ids(theirs);
  const onlyOurs = a.filter((x) => !b.includes(x));
  const onlyTheirs = b.filter((x) => !a.includes(x));
  if (onlyOurs.length || onlyTheirs.length) {
    return `objects: ${onlyOurs.length} only ours (${onlyOurs.slice(0, 2).join(', ')}), ${onlyTheirs.length} only kubectl's (${onlyTheirs.slice(0, 2).join(', ')})`;
  }
  for (const id of b) {
    const d = firstDifference(mine[a.indexOf(id)], theirs[b.indexOf(id)]);
    if (d) return `${id}: ${d}`;
  }
  return `order: ours ${a.slice(0, 4).join(', ')}...; kubectl ${b.slice(0, 4).join(', ')}...`;
}

async function run(c: Case): Promise<Outcome> {
  let r: KustomizeRender;
  try {
    r = await renderKustomizationDir(c.dir, { cwd: c.root, root: c.root });
  } catch (e) {
    return { status: c.expectedError ? 'error-disagrees' : 'different', detail: `the build threw: ${(e as Error).stack?.split('\n').slice(0, 3).join(' ')}` };
  }
  const ourMeanings = [...r.errors, ...r.partial].map((p) => `${meaningOf(p.message)}: ${p.message}`);
  if (c.expectedError) {
    const text = fs.readFileSync(c.expectedError, 'utf8');
    const want = meaningOf(text);
    if (!r.errors.length && !r.partial.length) return { status: 'error-disagrees', detail: `kubectl fails (${want}), the built-in build succeeds` };
    if (ourMeanings.some((m) => m.startsWith(`${want}:`))) return { status: 'error-agrees', detail: '' };
    return { status: 'error-disagrees', detail: `kubectl fails (${want}); ours: ${ourMeanings.slice(0, 2).join(' | ').slice(0, 300)}` };
  }
  if (r.errors.length) return { status: 'error-disagrees', detail: `kubectl builds; ours fails: ${ourMeanings.slice(0, 2).join(' | ').slice(0, 300)}` };
  const theirs = parseAllDocuments(fs.readFileSync(c.expectedYaml!, 'utf8'))
    .map((d) => d.toJS())
    .filter((d) => d !== null && d !== undefined);
  const d = compareObjects(r.objects, theirs);
  return d ? { status: 'different', detail: d } : { status: 'identical', detail: '' };
}

const cases = [...corpusCases(), ...probeCases()];
const outcomes = new Map<string, Outcome>();

describe.skipIf(!cases.length)('built-in kustomize build = kubectl kustomize (recorded)', () => {
  it.each(cases.map((c) => [c.id, c] as const))('%s', async (_id, c) => {
    const o = await run(c);
    outcomes.set(c.id, o);
    const ok = o.status === 'identical' || o.status === 'error-agrees';
    if (known[c.id] !== undefined) expect(ok, `${c.id} is listed as a known difference (${known[c.id]}) but now agrees with kubectl: take it off ${path.basename(KNOWN_FILE)}`).toBe(false);
    else expect(ok, `${c.id}: ${o.status}: ${o.detail}`).toBe(true);
  });

  it('lists no known difference that is not a case', () => {
    const ids = new Set(cases.map((c) => c.id));
    expect(Object.keys(known).filter((k) => !ids.has(k))).toEqual([]);
  });

  afterAll(() => {
    const count = (prefix: string, s: Status) => [...outcomes].filter(([id, o]) => id.startsWith(prefix) && o.status === s).length;
    for (const prefix of ['corpus:', 'probe:']) {
      const n = [...outcomes.keys()].filter((id) => id.startsWith(prefix)).length;
      console.log(
        `${prefix} ${n} dirs: identical ${count(prefix, 'identical')}, different ${count(prefix, 'different')}, errors agree ${count(prefix, 'error-agrees')}, error disagreements ${count(prefix, 'error-disagrees')}`,
      );
    }
    const file = process.env.KUSTOMIZE_CORPUS_REPORT;
    if (file) fs.writeFileSync(file, JSON.stringify(Object.fromEntries(outcomes), null, 1));
  });
});

describe.skipIf(cases.length > 0)('built-in kustomize build = kubectl kustomize (recorded)', () => {
  it.skip(`needs ${CORPUS} and ${PROBES} (the shared reference data), absent here`, () => {});
});
