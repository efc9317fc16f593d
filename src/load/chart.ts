/**
 * A Helm chart as engine input: rendered (never parsed as raw YAML) with the built-in renderer, or with a
 * real helm binary when asked, once with the user's values and once more per `ci/*-values.yaml` scenario.
 * Each rendered template becomes a SourceText whose positions map back to the template lines.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { MappedPosition, SourceText } from '../parse/source.js';
import { parseSource } from '../parse/documents.js';
import type { RenderedTemplate, HelmError, RenderResult } from '../render/helm/index.js';
import { displayPath, type Input } from './files.js';
import { readTextLenient } from './read.js';
import { resolveWithin } from './sandbox.js';
import type { ExpandOptions, Expanded } from './expand.js';

interface Scenario {
  /** Shown in every finding's context. */
  name: string;
  values: string[];
}

/** The position in the template that produced a position in the rendered text. */
export function templatePosition(t: RenderedTemplate, tplLines: readonly string[], outLines: readonly string[], line: number, column: number): { line: number; column: number } {
  const tl = t.lineMap[Math.min(Math.max(line, 1), t.lineMap.length) - 1] ?? 1;
  const tpl = tplLines[tl - 1] ?? '';
  // The same text on both lines: the column carries over; otherwise point at the template line's text.
  const col = tpl === outLines[line - 1] ? column : tpl.length - tpl.trimStart().length + 1;
  return { line: tl, column: col };
}

function scenariosOf(chartDir: string, opts: ExpandOptions, root: string): Scenario[] {
  const base = opts.helm.values ?? [];
  const out: Scenario[] = [{ name: base.length ? `values ${base.map((v) => displayPath(opts.cwd, path.resolve(opts.cwd, v))).join(', ')}` : 'default values', values: base.map((v) => path.resolve(opts.cwd, v)) }];
  if (opts.helm.scenarios === false) return out;
  const ci = path.join(chartDir, 'ci');
  let names: string[] = [];
  try {
    names = fs.readdirSync(ci).filter((n) => /-values\.ya?ml$/.test(n)).sort();
  } catch {
    /* no scenarios */
  }
  for (const n of names) {
    const file = path.join(ci, n);
    // A scenario file is chart content: one that links out of the scanned tree is not read (the chart's
    // loader reports the link).
    if (resolveWithin(root, file).kind !== 'inside') continue;
    out.push({ name: `scenario ci/${n}`, values: [...out[0].values, file] });
  }
  return out;
}

export async function expandChart(input: Input, opts: ExpandOptions): Promise<Expanded> {
  const out: Expanded = { sources: [], problems: [] };
  const helm = await import('../render/helm/index.js');
  const chartDir = input.abs;
  const seenErrors = new Set<string>();
  const scenarios = scenariosOf(chartDir, opts, input.root);
  // The values files themselves (the chart's own and every scenario's), for what they hold in plain text.
  if (!/\.tgz$/i.test(chartDir)) {
    const files = new Set<string>([path.join(chartDir, 'values.yaml'), ...scenarios.flatMap((s) => s.values)]);
    for (const f of files) {
      const text = readQuietly(f);
      if (text === undefined) continue;
      // (origin helm: a values file that does not parse is the renderer's finding, not a second one)
      out.sources.push({ file: displayPath(opts.cwd, f), text, format: 'yaml', origin: 'helm', group: `chart-values:${input.rel}`, comments: true, role: 'helm-values', valuesOnly: true, context: `values of chart ${input.rel}` });
    }
  }
  const valuesSources = [...out.sources];
  const secretNames = new Set<string>();
  // Values the user's values files (-f, ci/ scenarios) set that no template reads (not the chart's own).
  if (!/\.tgz$/i.test(chartDir)) await unreadValues(chartDir, scenarios, opts, out);
  for (const sc of scenarios) {
    const result: RenderResult = opts.helm.binary
      ? await renderWithBinary(opts.helm.binary, chartDir, sc, opts)
      : helm.renderChart(chartDir, {
          valuesFiles: sc.values,
          set: opts.helm.set,
          setString: opts.helm.setString,
          setFile: opts.helm.setFile?.map((s) => s),
          setJson: opts.helm.setJson,
          kubeVersion: opts.helm.kubeVersion,
          apiVersions: opts.helm.apiVersions,
          namespace: opts.helm.namespace,
          releaseName: opts.helm.releaseName,
          root: input.root,
        });
    for (const e of result.refused ?? []) {
      const file = displayPath(opts.cwd, e.file.split('#')[0]);
      const key = `unsafe:${file}:${e.line}:${e.message}`;
      if (seenErrors.has(key)) continue;
      seenErrors.add(key);
      out.problems.push({ file, line: Math.max(e.line, 1), column: e.column ?? 1, problem: { kind: 'unsafe', message: e.message } });
    }
    const errors: HelmError[] = splitSchemaErrors([...result.errors, ...(opts.helm.binary ? [] : helm.manifestErrors(result))], chartDir, sc);
    for (const e of errors) {
      const file = displayPath(opts.cwd, e.file.split('#')[0]);
      const key = `${file}:${e.line}:${e.message}`;
      if (seenErrors.has(key)) continue; // the same error in every scenario is one finding
      seenErrors.add(key);
      const where = sc.name === 'default values' ? '' : ` (${sc.name})`;
      out.problems.push({ file, line: Math.max(e.line, 1), column: e.column ?? 1, problem: { kind: 'chart', message: `${e.message}${where}` } });
    }
    const inputs = chartInputs(input, sc);
    for (const t of result.templates) {
      if (!t.text.trim()) continue;
      out.sources.push({ ...templateSource(t, opts, input, sc), inputs, ...(opts.helm.namespace ? { namespace: opts.helm.namespace } : {}), ...(result.generated?.size ? { generated: result.generated } : {}) });
      for (const n of secretNamesIn(t.text)) secretNames.add(n);
    }
  }
  // A value the templates use as a Secret's name is that name, not a credential (helm-values-credential).
  if (secretNames.size) for (const s of valuesSources) s.secretNames = secretNames;
  return out;
}

/**
 * The Secret names a rendered template defines or refers to: `secretName:`, the `name:` of a `secretKeyRef`,
 * `secretRef` or `secret` block, and the `metadata.name` of a `kind: Secret`. Read from the text line by line
 * (the documents are parsed later, once): what matters is only which strings are used as names.
 */
export function secretNamesIn(text: string): string[] {
  const out: string[] = [];
  const NAME = /^\s*(?:-\s+)?name:\s*["']?([-a-z0-9.]{1,253})["']?\s*$/;
  const lines = text.split('\n');
  const isSecretDoc = (i: number) => {
    for (let j = i; j >= 0 && !lines[j].startsWith('---'); j--) if (/^kind:\s*["']?Secret["']?\s*$/.test(lines[j])) return true;
    for (let j = i + 1; j < lines.length && !lines[j].startsWith('---'); j++) if (/^kind:\s*["']?Secret["']?\s*$/.test(lines[j])) return true;
    return false;
  };
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i];
    const direct = /^\s*(?:-\s+)?secretName:\s*["']?([-a-z0-9.]{1,253})["']?\s*$/.exec(l);
    if (direct) out.push(direct[1]);
    const block = /^(\s*)(?:-\s+)?(?:secretKeyRef|secretRef|secret|metadata):\s*$/.exec(l);
    if (!block) continue;
    const metadata = /metadata:\s*$/.test(l);
    if (metadata && (block[1].length > 0 || !isSecretDoc(i))) continue;
    for (let j = i + 1; j < lines.length && j < i + 40; j++) {
      const indent = /^\s*/.exec(lines[j])![0].length;
      if (lines[j].trim() && indent <= block[1].length) break;
      const m = NAME.exec(lines[j]);
      if (m && indent === (/^\s*/.exec(lines[i + 1])![0].length)) {
        out.push(m[1]);
        break;
      }
    }
  }
  return out;
}

function templateSource(t: RenderedTemplate, opts: ExpandOptions, input: Input, sc: Scenario): SourceText {
  // The last values file that sets a key wins, as in Helm; the chart's values.yaml is the base.
  const valuesFiles = [...sc.values].reverse().concat(path.join(input.abs, 'values.yaml'));
  const setKeys = new Set([...(opts.helm.set ?? []), ...(opts.helm.setString ?? []), ...(opts.helm.setJson ?? []), ...(opts.helm.setFile ?? [])].flatMap((s) => s.split(',').map((kv) => kv.split('=')[0].trim())));
  const [diskFile, member] = t.file.split('#');
  // Templates inside a packaged chart (.tgz) are reported at the archive, line by line of the member.
  const file = displayPath(opts.cwd, diskFile) + (member ? `#${member}` : '');
  let tplLines: string[] = [];
  if (!member) {
    // (positions fall back to the line map alone when it cannot be read)
    tplLines = (readQuietly(diskFile) ?? '').split('\n');
  }
  const outLines = t.text.split('\n');
  return {
    file,
    text: t.text,
    format: 'yaml',
    origin: 'helm',
    group: `chart:${input.rel}#${sc.name}`,
    context: `chart ${input.rel}, ${sc.name}`,
    comments: true,
    mapPosition: (line, column): MappedPosition => ({ file, ...templatePosition(t, tplLines, outLines, line, column) }),
    contextAt: (line) => valuesNote(tplLines[(t.lineMap[line - 1] ?? 0) - 1], valuesFiles, setKeys),
  };
}

/** What a rendering reads: the chart (a directory or an archive) and the values files given to it. */
function chartInputs(input: Input, sc: Scenario): string[] {
  const real = (p: string) => {
    try {
      return fs.realpathSync.native(p);
    } catch {
      return path.resolve(p);
    }
  };
  return [real(input.abs), ...sc.values.map(real)];
}

/** "value image.tag from values.yaml:4" for the `.Values` a template line reads, where a values file sets them. */
function valuesNote(tplLine: string | undefined, files: string[], setKeys: ReadonlySet<string>): string | undefined {
  if (!tplLine || !tplLine.includes('.Values.')) return undefined;
  const refs = [...new Set([...tplLine.matchAll(/\.Values((?:\.[A-Za-z_][\w-]*)+)/g)].map((m) => m[1].slice(1)))];
  const parts: string[] = [];
  for (const ref of refs.slice(0, 3)) {
    if (setKeys.has(ref)) {
      parts.push(`${ref} (--set)`);
      continue;
    }
    const at = locateValue(files, ref.split('.'), true);
    parts.push(at ? `${ref} (${at.display}:${at.line})` : ref);
  }
  return parts.length ? `from values ${parts.join(', ')}` : undefined;
}

/**
 * The renderer validates values against values.schema.json with Helm's wording: one error listing every
 * violation as "- at '/json/pointer': problem". Each violation becomes its own error at the values line.
 */
function splitSchemaErrors(errors: HelmError[], chartDir: string, sc: Scenario): HelmError[] {
  const out: HelmError[] = [];
  for (const e of errors) {
    if (!/values don't meet the specifications of the schema/.test(e.message)) {
      out.push(e);
      continue;
    }
    const items = [...e.message.matchAll(/^- at '([^']*)': (.*)$/gm)];
    if (!items.length) {
      out.push(e);
      continue;
    }
    for (const [, pointer, problem] of items) {
      const keyPath = pointer ? pointer.slice(1).split('/').map((k) => k.replace(/~1/g, '/').replace(/~0/g, '~')) : [];
      const at = locateValue([...sc.values].reverse().concat(path.join(chartDir, 'values.yaml')), keyPath) ?? { file: e.file, line: 1, column: 1 };
      out.push({ ...at, message: `The value ${keyPath.length ? `"${keyPath.join('.')}"` : '(root)'} does not match values.schema.json (${problem}), so helm install refuses it` });
    }
  }
  return out;
}

async function unreadValues(chartDir: string, scenarios: Scenario[], opts: ExpandOptions, out: Expanded): Promise<void> {
  const { valuesReaders, unreadKeys } = await import('../render/helm/unread.js');
  // The chart's files that can read values, by chart-relative path; regular files only (Dirent does not follow links).
  const files = new Map<string, string>();
  const walk = (rel: string) => {
    let ents: fs.Dirent[];
    try {
      ents = fs.readdirSync(path.join(chartDir, rel), { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of ents) {
      const p = `${rel}/${e.name}`;
      if (e.isDirectory()) walk(p);
      else if (e.isFile() && (/^(charts\/[^/]+\/)*templates\//.test(p) || /^charts\/[^/]+(\/Chart\.yaml)?$/.test(p))) files.set(p, readQuietly(path.join(chartDir, p)) ?? '');
    }
  };
  walk('templates');
  walk('charts');
  files.set('values.yaml', readQuietly(path.join(chartDir, 'values.yaml')) ?? '');
  const chartYaml = parseSource({ file: 'Chart.yaml', text: readQuietly(path.join(chartDir, 'Chart.yaml')) ?? '', format: 'yaml', origin: 'file', group: '' })[0]?.value;
  const valueTexts = new Map([...new Set(scenarios.flatMap((s) => s.values))].map((f) => [f, readQuietly(f)] as const));
  const readers = valuesReaders(files, [...valueTexts.values()].map((t) => t ?? ''), chartYaml);
  if (!readers) return;
  for (const [f, text] of valueTexts) {
    if (text === undefined) continue;
    const doc = parseSource({ file: f, text, format: 'yaml', origin: 'file', group: '' })[0];
    if (!doc || !doc.value || typeof doc.value !== 'object') continue;
    for (const key of unreadKeys(doc.value, readers.refs, readers.skip)) {
      const r = doc.locate(key);
      out.problems.push({ file: displayPath(opts.cwd, f), line: r.line, column: r.column, problem: { kind: 'values-unread', message: `The value "${key.join('.')}" is read by no template of the chart ${path.basename(chartDir)}: setting it changes nothing` } });
    }
  }
}

function readQuietly(f: string): string | undefined {
  const r = readTextLenient(f);
  return 'text' in r ? r.text : undefined;
}

/** The line of a values key in the last values file that sets it (or its closest parent there). */
function locateValue(files: string[], keyPath: string[], exact = false): { file: string; line: number; column: number; display: string } | undefined {
  for (const f of files) {
    const text = readQuietly(f);
    if (text === undefined) continue;
    // a values file is a YAML stream whose documents helm merges in order: the last document that sets the
    // key wins; short of the whole path, the one that sets most of it
    const docs = parseSource({ file: f, text, format: 'yaml', origin: 'file', group: '' }).reverse();
    let best: { doc: (typeof docs)[number]; p: Array<string | number> } | undefined;
    for (const doc of docs) {
      if (!doc.has(keyPath.slice(0, 1))) continue;
      let p: Array<string | number> = keyPath.map((k) => (/^\d+$/.test(k) ? Number(k) : k));
      if (exact && !doc.has(p)) continue;
      while (p.length && !doc.has(p)) p = p.slice(0, -1);
      if (!best || p.length > best.p.length) best = { doc, p };
      if (p.length === keyPath.length) break;
    }
    if (!best) continue;
    const r = best.doc.locate(best.p);
    return { file: f, line: r.line, column: r.column, display: path.basename(f) };
  }
  return undefined;
}

/** Render with an installed helm (`helm template`), split at its `# Source:` comments. */
async function renderWithBinary(bin: string, chartDir: string, sc: Scenario, opts: ExpandOptions): Promise<RenderResult> {
  const { spawnSync } = await import('node:child_process');
  const args = ['template', opts.helm.releaseName ?? 'release-name', chartDir, '--namespace', opts.helm.namespace ?? 'default'];
  if (opts.helm.kubeVersion) args.push('--kube-version', opts.helm.kubeVersion.startsWith('v') ? opts.helm.kubeVersion : `v${opts.helm.kubeVersion}.0`);
  for (const a of opts.helm.apiVersions ?? []) args.push('--api-versions', a);
  for (const v of sc.values) args.push('--values', v);
  for (const s of opts.helm.set ?? []) args.push('--set', s);
  for (const s of opts.helm.setString ?? []) args.push('--set-string', s);
  for (const s of opts.helm.setFile ?? []) args.push('--set-file', s);
  for (const s of opts.helm.setJson ?? []) args.push('--set-json', s);
  const r = spawnSync(bin, args, { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (r.error || r.status !== 0) {
    const msg = (r.error?.message ?? r.stderr ?? '').trim() || `helm exited ${r.status}`;
    const m = /template: [^:]+\/(templates\/[^:]+):(\d+):(\d+)/.exec(msg);
    return { chartName: '', templates: [], values: {}, errors: [{ file: m ? path.join(chartDir, m[1]) : path.join(chartDir, 'Chart.yaml'), line: m ? Number(m[2]) : 1, column: m ? Number(m[3]) : undefined, message: msg.replace(/^Error: /, '') }] };
  }
  const templates: RenderedTemplate[] = [];
  const parts = r.stdout.split(/^---\n# Source: (.+)\n/m);
  const chartName = path.basename(chartDir);
  for (let i = 1; i < parts.length; i += 2) {
    const tpl = parts[i];
    const text = parts[i + 1] ?? '';
    const rel = tpl.split('/').slice(1).join('/');
    const file = path.join(chartDir, rel.replace(/^charts\/([^/]+)\//, 'charts/$1/'));
    // No line map from helm: match each output line to the first identical template line, else line 1.
    let tplLines: string[] = [];
    tplLines = (readQuietly(file) ?? '').split('\n');
    const lineMap = text.split('\n').map((l) => {
      const idx = l.trim() ? tplLines.findIndex((x) => x.trim() === l.trim()) : -1;
      return idx === -1 ? 1 : idx + 1;
    });
    templates.push({ template: tpl, file, text, lineMap });
  }
  void chartName;
  return { chartName, templates, errors: [], values: {} };
}
