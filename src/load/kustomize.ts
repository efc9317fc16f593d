/**
 * Kustomizations as engine input: each directory holding kustomization.yaml is built (the built-in build, or
 * an installed kustomize when the command line names one) and linted as what it deploys. The built text
 * maps every line back to the file line that produced it (a base line, a patch line, a generator entry).
 * A kustomization that another one in the scan builds on is a base: linted on its own as a partial set
 * (what it references may come from the overlay), and again inside each overlay.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { MappedPosition, SourceText } from '../parse/source.js';
import type { Expanded, ExpandOptions } from './expand.js';
import { displayPath, type Input } from './files.js';
import { readTextLenient } from './read.js';
import { realpathOrUndefined } from './sandbox.js';
import type { Built, KustomizeProblem, LineOrigin } from '../render/kustomize/index.js';
import { commentDirectives, type CommentDirective } from '../suppress.js';

export interface KustomizeExpansion {
  expanded: Expanded[];
  /** Real paths of every file some build read: they are not linted again as standalone manifests. */
  claimed: Set<string>;
}

function problemsOf(list: KustomizeProblem[]): Expanded['problems'] {
  return list.map((p) => ({
    file: p.file,
    line: p.line,
    column: p.column,
    problem: { kind: p.kind === 'error' ? ('kustomize' as const) : p.kind === 'unsafe' ? ('unsafe' as const) : ('kustomize-partial' as const), message: p.message },
  }));
}

export async function expandKustomizations(inputs: Input[], opts: ExpandOptions & { kustomizeBinary?: string }): Promise<KustomizeExpansion> {
  const k = await import('../render/kustomize/index.js');
  const nodes = await import('../render/kustomize/nodes.js');
  // The Helm renderer loads only when some kustomization inflates a chart.
  const wantsHelm = inputs.some((i) => inflatesHelm(path.join(i.abs, kustFileName(i.abs))));
  const helm = wantsHelm ? await import('../render/helm/index.js') : undefined;
  const claimed = new Set<string>();
  for (const c of inputs.filter((i) => i.component)) for (const f of k.componentFiles(c.abs, { root: c.root, display: logicalDisplay(c, opts.cwd) })) claimed.add(f);
  const builds = inputs.filter((i) => !i.component).map((input) => {
    // what the build's helmCharts generate while rendering (randAlphaNum, genCA): not committed values
    const generated = new Set<string>();
    const result = k.buildKustomization(input.abs, {
      root: input.root,
      display: logicalDisplay(input, opts.cwd),
      renderHelm: helm ? (chartDir, h) => renderHelmChart(helm, nodes, chartDir, h, opts, input.root, generated) : undefined,
    });
    for (const f of result.files) claimed.add(f);
    return { input, result, real: realpathOrUndefined(input.abs) ?? input.abs, generated };
  });
  // A kustomization whose directory another build read is a base.
  const usedDirs = new Map<string, string[]>();
  for (const b of builds) {
    for (const f of b.result.files) {
      if (!k.KUSTOMIZATION_FILES.includes(path.basename(f)) || path.dirname(f) === b.real) continue;
      let by = usedDirs.get(path.dirname(f));
      if (!by) usedDirs.set(path.dirname(f), (by = []));
      by.push(b.input.rel || '.');
    }
  }
  const expanded: Expanded[] = [];
  const seenProblems = new Set<string>();
  const shared = new Map<string, Shared>();
  // a base's problems show again in each overlay: once is enough, naming every build they concern
  const problemKey = (p: KustomizeProblem) => `${p.file}:${p.line}:${p.column}:${p.message}`;
  const buildsOf = new Map<string, string[]>();
  const buildDir = (input: Input) => (path.resolve(input.abs) === path.resolve(opts.cwd) ? '.' : input.rel || '.');
  for (const { input, result } of builds) for (const p of result.problems) buildsOf.set(problemKey(p), [...(buildsOf.get(problemKey(p)) ?? []), buildDir(input)]);
  for (const { input, result, real, generated } of builds) {
    const base = usedDirs.has(real);
    const overlays = usedDirs.get(real);
    let objects = result.objects;
    const fresh = result.problems.filter((p) => {
      const key = problemKey(p);
      if (seenProblems.has(key)) return false;
      seenProblems.add(key);
      return true;
    });
    const problems = problemsOf(fresh.map((p) => (p.kind === 'unsafe' ? p : { ...p, message: `${namingBuilds(buildsOf.get(problemKey(p)) ?? [buildDir(input)])}: ${p.message}` })));
    if (opts.kustomizeBinary) {
      const real = await buildWithBinary(opts.kustomizeBinary, input, opts, objects);
      if ('error' in real) problems.push({ file: input.rel + '/' + kustFileName(input.abs), line: 1, column: 1, problem: { kind: 'kustomize', message: real.error } });
      else objects = real.objects;
    }
    const ex: Expanded = { sources: [], problems };
    if (objects.length) ex.sources.push({ ...builtSource(objects, input, base, k.emitDocuments, opts.cwd, shared), inputs: [...result.files], ...(overlays ? { overlays } : {}), ...(generated.size ? { generated } : {}) });
    expanded.push(ex);
  }
  return { expanded, claimed };
}

/** `kustomize build overlays/prod`, or the first build and the others the same problem stops. */
function namingBuilds(dirs: string[]): string {
  const uniq = [...new Set(dirs)];
  return `kustomize build ${uniq[0]}${uniq.length > 1 ? ` (also ${uniq.slice(1, 4).join(', ')}${uniq.length > 4 ? ` and ${uniq.length - 4} more` : ''})` : ''}`;
}

/**
 * Display paths for what a build reads. The build resolves real paths (the tree's boundary is real); a scan
 * through a symbolic link (a checkout reached by a link) reports them under the path the user gave.
 */
function logicalDisplay(input: Input, cwd: string): (abs: string) => string {
  const real = realpathOrUndefined(input.abs) ?? input.abs;
  const logical = path.resolve(input.abs);
  let realRoot = input.root;
  let logicalRoot = realRoot;
  const rel = path.relative(realRoot, real);
  if (real !== logical && !rel.startsWith('..') && logical.endsWith(rel)) logicalRoot = logical.slice(0, logical.length - rel.length).replace(/[\\/]$/, '') || logical;
  else realRoot = '';
  return (abs: string) => {
    const shown = realRoot && (abs === realRoot || abs.startsWith(realRoot + path.sep)) ? logicalRoot + abs.slice(realRoot.length) : abs;
    return displayPath(cwd, shown);
  };
}

function readQuietly(f: string): string {
  const r = readTextLenient(f);
  return 'text' in r ? r.text : '';
}

/** Whether a kustomization file inflates Helm charts (the Helm renderer loads only then). */
export function inflatesHelm(kustomizationFile: string): boolean {
  return /\bhelmCharts\s*:|helmChartInflationGenerator/.test(readQuietly(kustomizationFile));
}

function kustFileName(dir: string): string {
  for (const n of ['kustomization.yaml', 'kustomization.yml', 'Kustomization']) if (fs.existsSync(path.join(dir, n))) return n;
  return 'kustomization.yaml';
}

type Shared = NonNullable<CommentDirective['shared']>;

/**
 * The `# k8s-audit-ignore` comments of the files a build drew on, carried into the built text: a directive
 * covers the built lines whose origin lies in the lines it covers in its own file.
 */
function carriedDirectives(lines: LineOrigin[], cwd: string, shared: Map<string, Shared>): CommentDirective[] {
  const files = new Set<string>();
  for (const l of lines) if (l.origin) files.add(l.origin.file);
  const out: CommentDirective[] = [];
  for (const file of files) {
    const text = linesOf(cwd, file).join('\n');
    if (!text.includes('k8s-audit-ignore')) continue;
    for (const d of commentDirectives({ file, text, format: 'yaml', origin: 'file', group: '' })) {
      const key = `${file}:${d.line}:${d.column}`;
      let sh = shared.get(key);
      if (!sh) shared.set(key, (sh = { used: false, at: { file, line: d.line, column: d.column } }));
      let start = -1;
      const close = (end: number) => {
        if (start >= 0) out.push({ rules: d.rules, reason: d.reason, line: start + 1, column: 1, from: start + 1, to: end, used: false, shared: sh });
        start = -1;
      };
      lines.forEach((l, i) => {
        const inside = l.origin?.file === file && l.origin.line >= d.from && l.origin.line <= d.to;
        if (inside && start < 0) start = i;
        else if (!inside) close(i);
      });
      close(lines.length);
      // a directive that covers no built line still counts, to be reported stale if no build uses it
      out.push({ rules: d.rules, reason: d.reason, line: 0, column: 1, from: -1, to: -1, used: false, shared: sh });
    }
  }
  return out;
}

function builtSource(objects: Built[], input: Input, base: boolean, emit: typeof import('../render/kustomize/index.js').emitDocuments, cwd: string, shared: Map<string, Shared>): SourceText {
  const { text, lines } = emit(objects.map((b) => b.obj));
  const outLines = text.split('\n');
  const kfile = `${input.rel === '.' ? '' : `${input.rel}/`}${kustFileName(input.abs)}`;
  const dirName = input.rel || '.';
  return {
    file: kfile,
    text,
    format: 'yaml',
    origin: 'kustomize',
    // Overlays are whole deployments; a base is linted as a partial set (its overlays complete it).
    group: `${base ? 'kustomize-base' : 'kustomize'}:${dirName}`,
    context: `kustomize build ${dirName}`,
    comments: true,
    commentDirectives: () => carriedDirectives(lines, cwd, shared),
    mapPosition: (line: number, column: number): MappedPosition => mapLine(cwd, lines, outLines, kfile, line, column),
  };
}

const sourceLines = new Map<string, string[]>();

/** The lines of a file by its display path (relative to the working directory of the run). */
function linesOf(cwd: string, file: string): string[] {
  const abs = path.resolve(cwd, file);
  let l = sourceLines.get(abs);
  if (!l) {
    l = readQuietly(abs).split('\n');
    if (sourceLines.size > 500) sourceLines.clear();
    sourceLines.set(abs, l);
  }
  return l;
}

/**
 * A built line's position in its source: the origin's line; the column moves with the finding's column when
 * the source line holds the same text (a base line copied as is), else it is the origin's own column (a
 * generator literal, a patch written as JSON 6902).
 */
function mapLine(cwd: string, lines: LineOrigin[], outLines: string[], fallback: string, line: number, column: number): MappedPosition {
  const l = lines[line - 1];
  const o = l?.origin;
  if (!o) return { file: fallback, line: 1, column: 1 };
  const out = (outLines[line - 1] ?? '').slice(l.column - 1);
  const src = (linesOf(cwd, o.file)[o.line - 1] ?? '').slice(o.column - 1);
  const head = (s: string) => s.replace(/^-\s+/, '').split(':')[0].trim();
  const same = out !== '' && head(out) !== '' && head(out) === head(src);
  return { file: o.file, line: o.line, column: same ? o.column + Math.max(0, column - l.column) : o.column };
}

type HelmChartOptions = import('../render/kustomize/index.js').HelmChartOptions;
type RenderedTemplate = import('../render/helm/index.js').RenderedTemplate;

/** helmCharts: the chart rendered by the built-in Helm renderer, each value at its template line. */
export function renderHelmChart(helm: typeof import('../render/helm/index.js'), nodes: typeof import('../render/kustomize/nodes.js'), chartDir: string, h: HelmChartOptions, opts: ExpandOptions, root: string, generated?: Set<string>) {
  const result = helm.renderChart(chartDir, {
    valuesFiles: h.valuesFiles,
    extraValues: h.valuesInline,
    releaseName: h.releaseName,
    namespace: h.namespace ?? opts.helm.namespace,
    // the chart's kubeVersion, else the one the lint was told, else what kustomize's helm v3 assumes
    kubeVersion: h.kubeVersion ?? opts.helm.kubeVersion ?? h.defaultKubeVersion,
    apiVersions: h.apiVersions,
    root,
  });
  for (const g of result.generated ?? []) generated?.add(g);
  const docs: Record<string, unknown>[] = [];
  for (const t of [...(h.includeCrds ? (result.crds ?? []) : []), ...result.templates]) docs.push(...loadRendered(nodes, t, opts.cwd));
  return { docs, errors: result.errors.map((e) => ({ file: displayPath(opts.cwd, e.file.split('#')[0]), line: e.line, message: e.message })) };
}

/** A rendered template's documents with origins moved from output lines to template lines. */
function loadRendered(nodes: typeof import('../render/kustomize/nodes.js'), t: RenderedTemplate, cwd: string): Record<string, unknown>[] {
  const file = displayPath(cwd, t.file.split('#')[0]);
  let docs;
  try {
    docs = nodes.loadDocuments(t.text, file);
  } catch {
    return [];
  }
  const fix = (o: import('../render/kustomize/index.js').Origin | undefined) => (o ? { ...o, line: t.lineMap[o.line - 1] ?? o.line } : o);
  const remap = (v: unknown, seen: Set<unknown>) => {
    if (typeof v !== 'object' || v === null || seen.has(v)) return;
    seen.add(v);
    if (Array.isArray(v)) {
      nodes.setItems(v, [...v], v.map((_, i) => fix(nodes.originOfItem(v, i))));
      v.forEach((x) => remap(x, seen));
      return;
    }
    const o = v as Record<string, unknown>;
    nodes.setSelfOrigin(o, fix(nodes.originOfNode(o)));
    for (const key of Object.keys(o)) {
      nodes.setKey(o, key, o[key], fix(nodes.originOfKey(o, key)));
      remap(o[key], seen);
    }
  };
  const out: Record<string, unknown>[] = [];
  for (const d of docs) {
    if (!nodes.isObj(d.value)) continue;
    remap(d.value, new Set());
    out.push(d.value);
  }
  return out;
}

/** Build with an installed kustomize (`kustomize build DIR`) or kubectl (`kubectl kustomize DIR`). */
async function buildWithBinary(bin: string, input: Input, opts: ExpandOptions, ours: Built[]): Promise<{ objects: Built[] } | { error: string }> {
  const { spawnSync } = await import('node:child_process');
  const args = /kubectl[^/\\]*$/.test(bin) ? ['kustomize', input.abs] : ['build', input.abs];
  const r = spawnSync(bin, args, { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, cwd: opts.cwd });
  if (r.error || r.status !== 0) return { error: `${path.basename(bin)} ${args[0]} failed: ${(r.error?.message ?? r.stderr ?? '').trim().split('\n').slice(-1)[0] || `exit ${r.status}`}` };
  const nodes = await import('../render/kustomize/nodes.js');
  const kfile = `${input.rel === '.' ? '' : `${input.rel}/`}${kustFileName(input.abs)}`;
  let docs;
  try {
    docs = nodes.loadDocuments(r.stdout, kfile);
  } catch (e) {
    return { error: `the output of ${path.basename(bin)} is not valid YAML: ${(e as Error).message}` };
  }
  const key = (o: Record<string, unknown>) => {
    const m = (nodes.isObj(o.metadata) ? o.metadata : {}) as Record<string, unknown>;
    return `${String(o.apiVersion)}/${String(o.kind)}/${String(m.namespace ?? '')}/${String(m.name ?? '')}`;
  };
  const byKey = new Map(ours.map((b) => [key(b.obj), b.obj]));
  // Positions: the built-in build's origins wherever the same object has the same field.
  const copy = (real: unknown, mine: unknown) => {
    if (Array.isArray(real) && Array.isArray(mine)) {
      nodes.setItems(real, [...real], real.map((_, i) => nodes.originOfItem(mine, i)));
      real.forEach((x, i) => copy(x, mine[i]));
    } else if (nodes.isObj(real) && nodes.isObj(mine)) {
      nodes.setSelfOrigin(real, nodes.originOfNode(mine));
      for (const k of Object.keys(real)) {
        if (!(k in mine)) continue;
        nodes.setKey(real, k, real[k], nodes.originOfKey(mine, k));
        copy(real[k], mine[k]);
      }
    }
  };
  const objects: Built[] = [];
  for (const d of docs) {
    if (!nodes.isObj(d.value)) continue;
    const mine = byKey.get(key(d.value));
    if (mine) copy(d.value, mine);
    else nodes.stamp(d.value, { file: kfile, line: 1, column: 1 });
    objects.push({ obj: d.value, ids: [] });
  }
  return { objects };
}
