// Helm chart rendering: values, dependencies, template set, per-template execution.
import { existsSync } from 'node:fs';
import { readTextLenient } from '../../load/read.js';
import { resolve } from 'node:path';
import { loadChart, type Chart, type ChartFile } from './chart.js';
import { Executor, ExecError, FuncError, Out, isStackOverflow, type FuncDef } from './exec.js';
import { ParseError, lineCol } from './parse.js';
import { builtinFuncs, recordGenerated, valuesTyped, toStr, semverCompare, parseSemver } from './funcs.js';
import { goQuote } from './gofmt.js';
import { isMap, isNil, int, typeName } from './values.js';
import { loadYaml, loadValuesYaml, toYamlString, toToml, jsonNormalize, goJson } from './yaml.js';
import { makeFiles, makeCapabilities, type FilesGuard } from './objects.js';
import { climbsOut, isInside, realpathOrUndefined } from '../../load/sandbox.js';
import { parseSetInto } from './strvals.js';
import { MAX_BYTES, MAX_CHART_STEPS, MAX_STEPS, Meter, isBudgetStop, metered } from './budget.js';
import { validateSchema } from './schema.js';
import type { HelmError, HelmRenderOptions, RenderResult, RenderedTemplate } from './types.js';

type Dict = Record<string, unknown>;

function deepCopy<T>(v: T): T {
  if (Array.isArray(v)) return v.map(deepCopy) as T;
  if (isMap(v)) {
    const o: Dict = {};
    for (const k of Object.keys(v)) o[k] = deepCopy(v[k]);
    return o as T;
  }
  return v;
}

/** mergeMaps from Helm's values options: b overrides a, maps merged recursively */
export function mergeMaps(a: Dict, b: Dict): Dict {
  const out: Dict = { ...a };
  for (const [k, v] of Object.entries(b)) {
    if (isMap(v) && isMap(out[k])) out[k] = mergeMaps(out[k] as Dict, v);
    else out[k] = v;
  }
  return out;
}

/** coalesceTablesFullKey: dst has precedence; nulls in dst delete keys */
function coalesceTables(dst: Dict, src: Dict, merge = false): Dict {
  for (const [k, sv] of Object.entries(src)) {
    const has = Object.prototype.hasOwnProperty.call(dst, k);
    const dv = dst[k];
    if (has && dv === null && !merge) delete dst[k];
    else if (!has) dst[k] = deepCopy(sv);
    else if (isMap(sv) && isMap(dv)) coalesceTables(dv, sv, merge);
  }
  return dst;
}

function coalesceValues(chart: Chart, v: Dict, merge = false): void {
  for (const [k, cv] of Object.entries(chart.values)) {
    const has = Object.prototype.hasOwnProperty.call(v, k);
    if (has) {
      const uv = v[k];
      if (uv === null && !merge) delete v[k];
      else if (isMap(uv) && isMap(cv)) coalesceTables(uv, cv, merge);
    } else v[k] = deepCopy(cv);
  }
}

function coalesceGlobals(dest: Dict, src: Dict): void {
  const dg: Dict = isMap(dest.global) ? (dest.global as Dict) : {};
  const sg: Dict = isMap(src.global) ? (src.global as Dict) : {};
  for (const [k, val] of Object.entries(sg)) {
    if (isMap(val)) {
      const vv = deepCopy(val);
      if (!Object.prototype.hasOwnProperty.call(dg, k)) dg[k] = vv;
      else if (isMap(dg[k])) {
        coalesceTables(vv, dg[k] as Dict, true);
        dg[k] = vv;
      }
    } else if (isMap(dg[k])) {
      // keep table
    } else dg[k] = val;
  }
  dest.global = dg;
}

let coalesceErrors: string[] | null = null;

function coalesce(chart: Chart, dest: Dict, merge = false): Dict {
  coalesceValues(chart, dest, merge);
  for (const sub of chart.subcharts) {
    if (!isMap(dest[sub.name])) {
      if (Object.prototype.hasOwnProperty.call(dest, sub.name) && coalesceErrors && !isNil(dest[sub.name])) {
        const msg = `type mismatch on ${sub.name}: %!t(${typeName(dest[sub.name])}=${toStr(dest[sub.name])})`;
        if (!coalesceErrors.includes(msg)) coalesceErrors.push(msg);
      }
      dest[sub.name] = {};
    }
    const sv = dest[sub.name] as Dict;
    coalesceGlobals(sv, dest);
    coalesce(sub, sv, merge);
  }
  return dest;
}

function pathValue(v: Dict, path: string): { found: boolean; value: unknown } {
  const parts = path.split('.');
  let cur: unknown = v;
  for (const p of parts) {
    if (!isMap(cur) || !Object.prototype.hasOwnProperty.call(cur, p)) return { found: false, value: null };
    cur = cur[p];
  }
  return { found: true, value: cur };
}

function versionCompatible(range: unknown, version: unknown): boolean {
  if (!range || typeof range !== 'string') return true;
  try {
    return semverCompare(range, String(version ?? ''));
  } catch {
    return false;
  }
}

interface DepMeta {
  name: string;
  version?: string;
  condition?: string;
  tags?: string[];
  alias?: string;
  'import-values'?: unknown[];
  enabled?: boolean;
}

function withName(c: Chart, name: string): Chart {
  return { ...c, name, metadata: { ...c.metadata, name } };
}

function processDependencies(chart: Chart, topVals: Dict, path: string, userVals: Dict, missing: string[] = []): void {
  const deps = (Array.isArray(chart.metadata.dependencies) ? chart.metadata.dependencies : []).filter(isMap) as unknown as DepMeta[];
  if (deps.length === 0) {
    for (const s of chart.subcharts) processDependencies(s, topVals, path + s.name + '.', userVals, missing);
    return;
  }
  const result: Chart[] = [];
  outer: for (const existing of chart.subcharts) {
    for (const req of deps) if (existing.name === req.name && versionCompatible(req.version, existing.metadata.version)) continue outer;
    result.push(existing);
  }
  const reqs = deps.map((d) => ({ ...d }));
  for (const req of reqs) {
    const found = chart.subcharts.find((c) => c.name === req.name && versionCompatible(req.version, c.metadata.version));
    if (found) result.push(req.alias ? withName(found, req.alias) : found);
    else if (path === '' && !chart.subcharts.some((c) => c.name === req.name)) missing.push(req.name);
    if (req.alias) req.name = req.alias;
    req.enabled = true;
  }
  chart.subcharts = result;
  const cvals = coalesce(chart, deepCopy(topVals));
  // tags
  const tags = isMap(cvals.tags) ? (cvals.tags as Dict) : {};
  for (const r of reqs) {
    let hasTrue = false, hasFalse = false;
    for (const t of r.tags ?? []) {
      const b = tags[t];
      if (typeof b === 'boolean') { if (b) hasTrue = true; else hasFalse = true; }
    }
    if (!hasTrue && hasFalse) r.enabled = false;
    else r.enabled = true;
  }
  // conditions
  for (const r of reqs) {
    if (!r.condition) continue;
    for (const c of String(r.condition).split(',')) {
      const pv = pathValue(cvals, path + c.trim());
      if (pv.found && typeof pv.value === 'boolean') { r.enabled = pv.value; break; }
    }
  }
  const disabled = new Set(reqs.filter((r) => !r.enabled).map((r) => r.name));
  chart.subcharts = chart.subcharts.filter((c) => !disabled.has(c.name));
  (chart as Chart & { reqs?: DepMeta[] }).reqs = reqs.filter((r) => r.enabled);
  chart.metadata = { ...chart.metadata, dependencies: reqs.filter((r) => r.enabled) };
  for (const s of chart.subcharts) processDependencies(s, cvals, path + s.name + '.', userVals, missing);
}

function processImportValues(chart: Chart): void {
  for (const s of chart.subcharts) processImportValues(s);
  const reqs = (chart as Chart & { reqs?: DepMeta[] }).reqs ?? [];
  if (!reqs.some((r) => Array.isArray(r['import-values']) && r['import-values'].length)) return;
  const cvals = coalesce(chart, {});
  let b: Dict = {};
  for (const r of reqs) {
    for (const iv of r['import-values'] ?? []) {
      if (isMap(iv)) {
        const child = String(iv.child ?? ''), parent = String(iv.parent ?? '');
        const pv = pathValue(cvals, r.name + '.' + child);
        if (!pv.found || !isMap(pv.value)) continue;
        let m: Dict = deepCopy(pv.value as Dict);
        if (parent && parent !== '.') for (const p of parent.split('.').reverse()) m = { [p]: m };
        b = coalesceTables(m, b);
      } else if (typeof iv === 'string') {
        const pv = pathValue(cvals, r.name + '.exports.' + iv);
        if (!pv.found || !isMap(pv.value)) continue;
        b = coalesceTables(deepCopy(pv.value as Dict), b);
      }
    }
  }
  chart.values = coalesceTables(deepCopy(chart.values), b);
}

function chartMeta(c: Chart, isRoot: boolean): Dict {
  const md = c.metadata;
  const s = (k: string) => (isNil(md[k]) ? '' : toStr(md[k]));
  const list = (k: string) => (Array.isArray(md[k]) ? md[k] : []);
  const maint = list('maintainers').map((m) => (isMap(m) ? { Name: m.name ?? '', Email: m.email ?? '', URL: m.url ?? '' } : m));
  const deps = list('dependencies').map((d) => (isMap(d) ? {
    Name: d.name ?? '', Version: d.version ?? '', Repository: d.repository ?? '', Condition: d.condition ?? '', Tags: d.tags ?? [],
    Enabled: d.enabled ?? false, ImportValues: d['import-values'] ?? [], Alias: d.alias ?? '',
  } : d));
  return {
    Name: c.name, Home: s('home'), Sources: list('sources'), Version: s('version'), Description: s('description'), Keywords: list('keywords'),
    Maintainers: maint, Icon: s('icon'), APIVersion: s('apiVersion'), Condition: s('condition'), Tags: s('tags'), AppVersion: s('appVersion'),
    Deprecated: md.deprecated === true, Annotations: isMap(md.annotations) ? md.annotations : {}, KubeVersion: s('kubeVersion'),
    Dependencies: deps, Type: s('type'), IsRoot: isRoot,
  };
}

interface TplEntry {
  key: string; // e.g. mychart/charts/sub/templates/x.yaml
  file: ChartFile;
  chart: Chart;
  chartPath: string;
  dot: () => Dict;
  library: boolean;
}

function collect(chart: Chart, parentPath: string | null, vals: Dict, common: Dict, out: TplEntry[], isRoot: boolean, parentLibrary = false, guard?: FilesGuard): Dict {
  const chartPath = parentPath ? `${parentPath}/charts/${chart.name}` : chart.name;
  const subObjs: Dict = {};
  const library = parentLibrary || chart.metadata.type === 'library';
  for (const s of chart.subcharts) {
    const sv = isMap(vals[s.name]) ? (vals[s.name] as Dict) : {};
    subObjs[s.name] = collect(s, chartPath, sv, common, out, false, false, guard);
  }
  // A subchart's .Values is the parent's values[sub] as Helm's Values type (vals.Table): the same map, seen
  // as common.Values from the subchart and as a plain map from the parent (`dig` takes only the latter).
  const typedVals = isRoot ? vals : new Proxy(vals, {});
  valuesTyped.add(typedVals);
  const base: Dict = {
    Values: typedVals, Release: common.Release, Capabilities: common.Capabilities, Chart: chartMeta(chart, isRoot), Files: makeFiles(chart.files, guard), Subcharts: subObjs,
  };
  // One top-level map per chart, shared by all its templates as in Helm (only .Template changes): what a
  // template stores in $ (`set $ "Values" ...`) is seen by the templates that run after it.
  for (const f of chart.templates) {
    out.push({
      key: `${chartPath}/${f.name}`, file: f, chart, chartPath, library,
      dot: () => {
        base.Template = valuesTyped.add({ Name: `${chartPath}/${f.name}`, BasePath: `${chartPath}/templates` });
        return base;
      },
    });
  }
  return base;
}

/** Helm's sort: deeper paths first, then reverse lexical; later parses override earlier defines. */
function sortTemplates(keys: TplEntry[]): TplEntry[] {
  return [...keys].sort((a, b) => {
    const ca = a.key.split('/').length, cb = b.key.split('/').length;
    if (ca !== cb) return cb - ca;
    return a.key < b.key ? 1 : a.key > b.key ? -1 : 0;
  });
}

function computeLineMap(out: Out, text: string): number[] {
  const map: number[] = [];
  let assigned = false;
  let lastLine = 1;
  for (let c = 0; c < out.chunks.length; c++) {
    const s = out.chunks[c].includes('<no value>') ? out.chunks[c].split('<no value>').join('') : out.chunks[c];
    let line = out.lines[c];
    const lit = out.lit[c];
    for (let i = 0; i < s.length; i++) {
      const ch = s[i];
      if (ch === '\n') {
        if (!assigned) map.push(line);
        assigned = false;
        if (lit) line++;
        lastLine = line;
      } else if (!assigned && ch !== ' ' && ch !== '\t' && ch !== '\r') {
        map.push(line);
        assigned = true;
      }
    }
    lastLine = line;
  }
  const nLines = text.split('\n').length;
  while (map.length < nLines) map.push(lastLine);
  map.length = nLines;
  return map;
}

export function renderChartImpl(chartDir: string, opts: HelmRenderOptions = {}): RenderResult {
  const errors: HelmError[] = [];
  let chart: Chart;
  try {
    chart = loadChart(chartDir, { root: opts.root });
  } catch (e) {
    return { chartName: '', templates: [], errors: [{ file: chartDir, line: 1, message: `cannot load chart: ${(e as Error).message}` }], values: {} };
  }
  if (!existsSync(resolve(chartDir, 'Chart.yaml')) && !chartDir.endsWith('.tgz')) {
    return { chartName: '', templates: [], errors: [{ file: resolve(chartDir, 'Chart.yaml'), line: 1, message: `unable to detect chart at ${resolve(chartDir, 'Chart.yaml')}: Chart.yaml file is missing` }], values: {} };
  }
  for (const le of chart.loadErrors) errors.push(le);
  if (chart.unloadable) return { chartName: chart.name, templates: [], errors, values: {}, refused: chart.refused };
  // What the chart asked for outside the scanned tree: never read, each reported where it was asked.
  const refused: HelmError[] = [...chart.refused];
  refuseOutsideDependencies(chart, chartDir, opts.root, refused);
  refuseRemoteSchemaRefs(chart, refused);
  validateChart(chart, chartDir, opts, errors);
  if (chart.valuesError) errors.push({ file: chart.valuesFile, line: chart.valuesError.line, message: `cannot parse values.yaml: ${chart.valuesError.message}` });

  // ---- user values
  let user: Dict = {};
  for (const vf of opts.valuesFiles ?? []) {
    const read = readTextLenient(vf);
    if ('failure' in read) {
      errors.push({ file: vf, line: 1, message: `cannot read the values file ${vf}: ${read.failure.kind === 'special' ? `it is ${read.failure.message}; it was not read` : read.failure.message}` });
      continue;
    }
    try {
      user = mergeMaps(user, loadValuesYaml(read.text));
    } catch (e) {
      errors.push({ file: vf, line: (e as { line?: number }).line ?? 1, message: `failed to parse ${vf}: ${(e as Error).message}` });
    }
  }
  if (isMap(opts.extraValues)) user = mergeMaps(user, jsonNormalize(opts.extraValues) as Dict);
  const setGroups: Array<[string[] | undefined, 'json' | 'typed' | 'string' | 'file']> = [
    [opts.setJson, 'json'], [opts.set, 'typed'], [opts.setString, 'string'], [opts.setFile, 'file'],
  ];
  for (const [list, mode] of setGroups) {
    for (const expr of list ?? []) {
      try {
        parseSetInto(user, expr, mode, (p) => readOrThrow(resolve(p)));
      } catch (e) {
        errors.push({ file: '<command line>', line: 0, message: `failed parsing --set${mode === 'typed' ? '' : '-' + mode} data: ${(e as Error).message}` });
      }
    }
  }

  // ---- dependencies and values
  try {
    const missing: string[] = [];
    coalesceErrors = [];
    processDependencies(chart, user, '', user, missing);
    for (const m of coalesceErrors) {
      const key = /^type mismatch on ([^:]+):/.exec(m)?.[1] ?? '';
      let line = 1;
      try {
        const idx = readOrThrow(chart.valuesFile).split('\n').findIndex((l) => l.startsWith(key + ':') || l.startsWith(`"${key}":`));
        if (idx >= 0) line = idx + 1;
      } catch { /* archive or missing */ }
      errors.push({ file: chart.valuesFile, line, message: `chart dependencies processing failed: ${m}` });
    }
    coalesceErrors = null;
    if (missing.length) {
      errors.push({ file: resolve(chartDir, 'Chart.yaml'), line: 1, message: `found in Chart.yaml, but missing in charts/ directory: ${missing.join(', ')} (rendered without them)` });
    }
    processImportValues(chart);
  } catch (e) {
    errors.push({ file: resolve(chartDir, 'Chart.yaml'), line: 1, message: `dependency processing failed: ${(e as Error).message}` });
  }
  const vals = coalesce(chart, deepCopy(user));
  validateValues(chart, vals, errors);
  const releaseName = opts.releaseName ?? 'release-name';
  if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/.test(releaseName) || releaseName.length > 53) {
    errors.push({ file: '<command line>', line: 0, message: `release name check failed: release name ${JSON.stringify(releaseName)}: invalid release name, must match regex ^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$ and the length must not be longer than 53` });
  }
  const common: Dict = {
    Release: { Name: releaseName, Namespace: opts.namespace ?? 'default', IsUpgrade: !!opts.isUpgrade, IsInstall: !opts.isUpgrade, Revision: int(1), Service: 'Helm' },
    Capabilities: makeCapabilities(opts.kubeVersion, opts.apiVersions ?? []),
  };
  const entries: TplEntry[] = [];
  let ex: Executor | undefined;
  let current: TplEntry | undefined;
  const guard: FilesGuard = {
    refuse(method, p) {
      const site = ex?.callSite;
      const e = entries.find((x) => x.key === site?.srcName) ?? current;
      const at = site && e && e.key === site.srcName ? lineCol(site.src, site.pos) : { line: 1, col: 0 };
      refused.push({ file: e?.file.disk ?? chartDir, line: at.line, column: at.col + 1, message: `.Files.${method} ${JSON.stringify(p)} asks for a file outside the chart; .Files holds only the chart's own files, so it gets nothing (as in Helm), and nothing outside was read` });
    },
  };
  collect(chart, null, vals, common, entries, true, false, guard);
  const crds: RenderedTemplate[] = [];
  const collectCrds = (c: Chart, path: string) => {
    for (const f of [...c.files].sort((a, b) => (a.name < b.name ? -1 : 1))) {
      if (!f.name.startsWith('crds/') || !/\.(ya?ml|json)$/.test(f.name)) continue;
      const text = f.data.toString('utf8');
      const crd = { template: `${path}/${f.name}`, file: f.disk, text } as RenderedTemplate;
      let lm: number[] | undefined;
      Object.defineProperty(crd, 'lineMap', {
        enumerable: true,
        get: () => (lm ??= text.split('\n').map((_, i) => i + 1)),
      });
      crds.push(crd);
    }
    for (const s of c.subcharts) collectCrds(s, `${path}/charts/${s.name}`);
  };
  collectCrds(chart, chart.name);

  // ---- template set
  const funcs = builtinFuncs();
  ex = new Executor(funcs);
  const diskOf = new Map<string, string>();
  for (const e of entries) diskOf.set(e.key, e.file.disk);
  installHelmFuncs(funcs, ex);
  const generated = recordGenerated(funcs);
  const tops = new Map<string, ReturnType<Executor['addTemplate']>>();
  for (const e of sortTemplates(entries)) {
    try {
      tops.set(e.key, ex.addTemplate(e.key, e.file.data.toString('utf8')));
    } catch (err) {
      if (err instanceof ParseError) {
        const { line, col } = lineCol(e.file.data.toString('utf8'), err.pos);
        errors.push({ file: e.file.disk, line, column: col + 1, message: `parse error at (${e.key}:${line}): ${err.message}` });
      } else errors.push({ file: e.file.disk, line: 1, message: `parse error in ${e.key}: ${(err as Error).message}` });
    }
  }

  // ---- render
  const templates: RenderedTemplate[] = [];
  // Each template has the full budget; all of them together have a few times that, so that a chart of many
  // templates that each run long still ends in seconds.
  let chartSteps = 0;
  const unrendered: string[] = [];
  // executed in Helm's order (deepest paths first, then reverse lexical): side effects on shared values match
  for (const e of sortTemplates(entries)) {
    const base = e.file.name.slice(e.file.name.lastIndexOf('/') + 1);
    if (base.startsWith('_') || e.library) continue;
    // NOTES.txt is rendered (its errors abort `helm template`) but is not part of the manifests
    const notes = e.key.endsWith('/templates/NOTES.txt');
    const top = tops.get(e.key);
    if (!top) continue;
    if (chartSteps >= MAX_CHART_STEPS) {
      unrendered.push(e.key);
      continue;
    }
    const out = new Out();
    current = e;
    const left = MAX_CHART_STEPS - chartSteps;
    const meter = left < MAX_STEPS ? new Meter(left, MAX_BYTES, true) : new Meter();
    try {
      ex.includeCounts.clear();
      metered(meter, () => ex!.executeDef(top, e.dot(), out, true));
      const text = out.toString().split('<no value>').join('');
      if (notes) continue;
      templates.push({ template: e.key, file: e.file.disk, text, lineMap: computeLineMap(out, text) });
    } catch (err) {
      errors.push(toHelmError(err, diskOf, e));
    } finally {
      chartSteps += meter.steps;
    }
  }
  if (unrendered.length) {
    const first = entries.find((x) => x.key === unrendered[0])!;
    errors.push({ file: first.file.disk, line: 1, message: `not rendered: the chart's templates together took more than ${MAX_CHART_STEPS} steps, the built-in renderer's limit for one chart; ${unrendered.length} template(s) were left out: ${unrendered.join(', ')}` });
  }
  templates.sort((a, b) => (a.template < b.template ? -1 : a.template > b.template ? 1 : 0));
  return { chartName: chart.name, templates, crds, errors, values: vals, refused, generated, ...(opts.includeCrds ? { includeCrds: true } : {}) };
}

/** `repository: file://../x` dependencies that lead out of the scanned tree (never read: only charts/ is). */
function refuseOutsideDependencies(chart: Chart, chartDir: string, root: string | undefined, refused: HelmError[]): void {
  if (chartDir.endsWith('.tgz')) return;
  const file = resolve(chartDir, 'Chart.yaml');
  const deps = Array.isArray(chart.metadata.dependencies) ? chart.metadata.dependencies : [];
  let text = '';
  for (const d of deps) {
    if (!isMap(d) || typeof d.repository !== 'string' || !d.repository.startsWith('file://')) continue;
    const rel = d.repository.slice('file://'.length);
    const base = realpathOrUndefined(chartDir) ?? resolve(chartDir);
    if (!climbsOut(rel) || isInside(root ?? base, resolve(base, rel))) continue;
    try { text ||= readOrThrow(file); } catch { /* keep line 1 */ }
    const i = text.split('\n').findIndex((l) => l.includes(d.repository as string));
    // helm template renders what charts/ holds: a copy vendored there is read and linted, only the path is not
    const vendored = chart.subcharts.find((s) => s.name === d.name);
    const what = vendored
      ? `${d.repository} was not read; the copy vendored under ${vendoredPath(vendored.dir)} was read and linted in its place`
      : `it was not read (vendor it under charts/ to have it linted)`;
    refused.push({ file, line: i + 1 || 1, column: i >= 0 ? text.split('\n')[i].indexOf('file://') + 1 : 1, message: `the dependency ${JSON.stringify(d.name ?? '')} comes from ${d.repository}, outside the scanned tree; ${what}` });
  }
}

/** charts/x (or charts/x.tgz) of a vendored subchart, relative to its parent chart */
function vendoredPath(subDir: string): string {
  const i = subDir.lastIndexOf('charts/');
  return i >= 0 ? subDir.slice(i).replace(/\/$/, '') : subDir;
}

/** values.schema.json `$ref`s to URLs or to files outside the chart: never fetched or read. */
function refuseRemoteSchemaRefs(chart: Chart, refused: HelmError[]): void {
  const visit = (c: Chart) => {
    if (c.schema && c.schema.text.includes('$ref')) {
      const lines = c.schema.text.split('\n');
      lines.forEach((l, i) => {
        for (const m of l.matchAll(/"\$ref"\s*:\s*"([^"]*)"/g)) {
          const ref = m[1];
          if (ref.startsWith('#')) continue;
          const remote = /^[a-z][a-z0-9+.-]*:/i.test(ref);
          if (!remote && !climbsOut(ref.split('#')[0])) continue;
          refused.push({ file: c.schema!.disk, line: i + 1, column: (m.index ?? 0) + 1, message: `the schema reference ${JSON.stringify(ref)} points ${remote ? 'at a URL' : 'outside the chart'}; it was not ${remote ? 'fetched' : 'read'}, so the values it describes are not checked against it` });
        }
      });
    }
    c.subcharts.forEach(visit);
  };
  visit(chart);
}


/** A file's text through the one read path (regular files only, capped), or an Error saying why not. */
function readOrThrow(file: string): string {
  const r = readTextLenient(file);
  if ('failure' in r) throw new Error(`${file}: ${r.failure.kind === 'special' ? `it is ${r.failure.message}; it was not read` : r.failure.message}`);
  return r.text;
}

function keyLine(text: string, key: string): number {
  const i = text.split('\n').findIndex((l) => l.startsWith(key + ':'));
  return i >= 0 ? i + 1 : 1;
}

/** Chart.yaml checks `helm template` performs before rendering. */
function validateChart(chart: Chart, chartDir: string, opts: HelmRenderOptions, errors: HelmError[]): void {
  const file = resolve(chartDir, 'Chart.yaml');
  let text = '';
  try { text = readOrThrow(file); } catch { /* archive */ }
  const md = chart.metadata;
  const err = (key: string, message: string) => errors.push({ file, line: keyLine(text, key), message });
  if (md.apiVersion !== undefined && md.apiVersion !== 'v1' && md.apiVersion !== 'v2') err('apiVersion', 'invalid chart apiVersion');
  if (!md.name) err('name', 'validation: chart.metadata.name is required');
  if (md.version === undefined || md.version === null || md.version === '') err('version', 'validation: chart.metadata.version is required');
  else {
    try { parseSemver(String(md.version)); } catch { err('version', `validation: chart.metadata.version ${JSON.stringify(String(md.version))} is invalid`); }
  }
  if (md.type === 'library') err('type', 'library charts are not installable');
  if (typeof md.kubeVersion === 'string' && md.kubeVersion) {
    const kv = opts.kubeVersion ? (opts.kubeVersion.startsWith('v') ? opts.kubeVersion : 'v' + opts.kubeVersion) : 'v1.35.0';
    let ok = true;
    try { ok = semverCompare(md.kubeVersion, kv); } catch { ok = true; }
    if (!ok) err('kubeVersion', `chart requires kubeVersion: ${md.kubeVersion} which is incompatible with Kubernetes ${kv}`);
  }
}

/** values.schema.json of the chart and of each subchart, against the coalesced values (as Helm does before rendering) */
function validateValues(chart: Chart, vals: Dict, errors: HelmError[]): void {
  if (chart.schema) {
    let schema: unknown;
    try {
      schema = JSON.parse(chart.schema.text);
    } catch (e) {
      errors.push({ file: chart.schema.disk, line: 1, message: `cannot parse values.schema.json of ${chart.name}: ${(e as Error).message}` });
    }
    if (schema !== undefined && (isMap(schema) || typeof schema === 'boolean')) {
      const plain = JSON.parse(goJson(vals, false));
      for (const i of validateSchema(schema as Record<string, unknown>, plain)) {
        errors.push({ file: chart.schema.disk, line: 1, message: `values don't meet the specifications of the schema(s) in the following chart(s):\n${chart.name}:\n- at '${i.path}': ${i.message}` });
      }
    }
  }
  for (const s of chart.subcharts) {
    const sv = vals[s.name];
    if (isMap(sv)) validateValues(s, sv, errors);
  }
}

function toHelmError(err: unknown, diskOf: Map<string, string>, e: TplEntry): HelmError {
  if (err instanceof ExecError) {
    const r = err.root;
    const failMsg = (r as ExecError & { failMsg?: string }).failMsg;
    if (failMsg !== undefined) {
      // like Helm: `fail`/`required` are reported at the action of the template being rendered
      const file = diskOf.get(err.srcName) ?? e.file.disk;
      return { file, line: err.line, column: err.col + 1, message: `execution error at (${err.srcName}:${err.line}:${err.col}): ${failMsg}` };
    }
    const file = diskOf.get(r.srcName) ?? e.file.disk;
    return { file, line: r.line, column: r.col + 1, message: r.message };
  }
  if (isStackOverflow(err)) return { file: e.file.disk, line: 1, message: `template: ${e.key}: rendering template has a nested reference name: maximum call stack exceeded` };
  return { file: e.file.disk, line: 1, message: `template: ${e.key}: ${(err as Error)?.message ?? String(err)}` };
}

function findNonFinite(v: unknown): string | null {
  if (typeof v === 'number' && !Number.isFinite(v)) return Number.isNaN(v) ? 'NaN' : v > 0 ? '+Inf' : '-Inf';
  if (Array.isArray(v)) { for (const e of v) { const r = findNonFinite(e); if (r) return r; } }
  else if (isMap(v)) { for (const e of Object.values(v)) { const r = findNonFinite(e); if (r) return r; } }
  return null;
}

const RECURSION_MAX = 1000;
/** JS stack safety: nested include depth (Helm's own limit is 1000 per name) */
const INCLUDE_DEPTH_MAX = 250;

function installHelmFuncs(funcs: Map<string, FuncDef>, root: Executor): void {
  const def = (name: string, fn: FuncDef['fn'], params?: string[]) => funcs.set(name, { fn, params });
  def('include', function (this, name, data) {
    const n = name as string;
    const ex = this.ex;
    const cnt = ex.includeCounts.get(n) ?? 0;
    const depth = ex.includeCounts.get('\0depth') ?? 0;
    if (cnt > RECURSION_MAX || depth > INCLUDE_DEPTH_MAX) throw new FuncError(`rendering template has a nested reference name: ${n}: unable to execute template`);
    ex.includeCounts.set(n, cnt + 1);
    ex.includeCounts.set('\0depth', depth + 1);
    try {
      return ex.execute(n, data);
    } catch (e) {
      if (isStackOverflow(e)) throw new FuncError(`rendering template has a nested reference name: ${n}: unable to execute template`);
      throw e;
    } finally {
      ex.includeCounts.set(n, (ex.includeCounts.get(n) ?? 1) - 1);
      ex.includeCounts.set('\0depth', (ex.includeCounts.get('\0depth') ?? 1) - 1);
    }
  }, ['s', 'a']);
  def('tpl', function (this, text, data) {
    const ex = this.ex.clone();
    const caller = this.state.def.srcName;
    let tname = caller;
    if (isMap(data) && isMap(data.Template) && typeof data.Template.Name === 'string') tname = data.Template.Name;
    let top;
    try {
      top = ex.addTemplate(tname, text as string, tname);
    } catch (e) {
      if (e instanceof ParseError) {
        const { line } = lineCol(text as string, e.pos);
        throw new FuncError(`cannot parse template ${goQuote(text as string)}: template: ${tname}:${line}: ${e.message}`);
      }
      throw e;
    }
    return ex.executeDef(top, data).split('<no value>').join('');
  }, ['s', 'a']);
  def('required', (msg, v) => {
    if (isNil(v) || (typeof v === 'string' && v === '')) throw new FuncError(msg as string, true);
    return v;
  }, ['s', 'a']);
  funcs.set('fail', { fn: (msg) => { throw new FuncError(msg as string, true); }, params: ['s'] });
  def('toYaml', (v) => { try { return toYamlString(v).replace(/\n$/, ''); } catch (e) { if (isBudgetStop(e)) throw e; return ''; } }, ['a']);
  def('mustToYaml', (v) => toYamlString(v).replace(/\n$/, ''), ['a']);
  def('toYamlPretty', (v) => { try { return toYamlString(v, { pretty: true }).replace(/\n$/, ''); } catch (e) { if (isBudgetStop(e)) throw e; return ''; } }, ['a']);
  def('fromYaml', (s) => {
    try {
      const v = loadYaml(s as string);
      const inf = findNonFinite(v);
      if (inf) return { Error: `error converting YAML to JSON: json: unsupported value: ${inf}` };
      if (v === null) return {};
      if (!isMap(v)) return { Error: `error unmarshaling JSON: while decoding JSON: json: cannot unmarshal ${Array.isArray(v) ? 'array' : typeof v === 'string' ? 'string' : typeof v === 'boolean' ? 'bool' : 'number'} into Go value of type map[string]interface {}` };
      return v;
    } catch (e) {
      return { Error: `error converting YAML to JSON: ${(e as Error).message}` };
    }
  }, ['s']);
  def('fromYamlArray', (s) => {
    try {
      const v = loadYaml(s as string);
      if (v === null) return [];
      if (!Array.isArray(v)) return [`error unmarshaling JSON: while decoding JSON: json: cannot unmarshal ${isMap(v) ? 'object' : typeof v === 'string' ? 'string' : 'number'} into Go value of type []interface {}`];
      return v;
    } catch (e) {
      return [`error converting YAML to JSON: ${(e as Error).message}`];
    }
  }, ['s']);
  def('toToml', (v) => toToml(v), ['a']);
  def('toJson', (v) => { try { return goJson(v); } catch { return ''; } }, ['a']);
  def('mustToJson', (v) => goJson(v), ['a']);
  def('lookup', () => ({}), ['s', 's', 's', 's']);
  void root;
}
