// Chart loading: directories and .tgz archives, .helmignore, Chart.yaml, values, subcharts.
import { readdirSync, statSync, existsSync, type Dirent } from 'node:fs';
import { basename, join } from 'node:path';
import { readBytes, lenientText } from '../../load/read.js';
import { createRequire } from 'node:module';
import { climbsOut, isInside, realpathOrUndefined } from '../../load/sandbox.js';
import { loadYaml, loadValuesYaml } from './yaml.js';
import { isMap } from './values.js';
import { compileGlob, type Glob, type GlobDialect } from '../../util/glob.js';

export interface ChartFile {
  name: string; // chart-relative, '/' separated
  data: Buffer;
  disk: string; // path on disk (or archive#path)
}

export interface Chart {
  name: string;
  metadata: Record<string, unknown>;
  templates: ChartFile[];
  values: Record<string, unknown>;
  valuesFile: string;
  valuesError?: { message: string; line: number };
  schema?: { text: string; disk: string };
  files: ChartFile[];
  subcharts: Chart[];
  dir: string;
  loadErrors: Array<{ file: string; line: number; message: string }>;
  /** helm's loader refuses the chart (an irregular file, a file over its size limit): nothing is rendered. */
  unloadable?: boolean;
  /** Files not read because they lead outside the scanned tree (links, archive members with `..`). */
  refused: Array<{ file: string; line: number; message: string }>;
}

/** Helm's limits on a packaged chart (helm v3.17+, v4): the whole archive unpacked, and one file in it. */
export const MAX_DECOMPRESSED_CHART = 100 * 1024 * 1024;
export const MAX_DECOMPRESSED_FILE = 5 * 1024 * 1024;

export interface LoadOptions {
  /** Real path of the scanned tree: files (through links) outside it are not read. Default: the chart itself. */
  root?: string;
}

type Refusal = { file: string; line: number; message: string };

// ------------------------------------------------------------------ tar

export function readTar(buf: Buffer, refused?: (name: string, why: string) => void): Array<{ name: string; data: Buffer }> {
  const out: Array<{ name: string; data: Buffer }> = [];
  let off = 0;
  let longName: string | null = null;
  let paxPath: string | null = null;
  while (off + 512 <= buf.length) {
    const h = buf.subarray(off, off + 512);
    if (h.every((b) => b === 0)) break;
    const str = (a: number, l: number) => h.subarray(a, a + l).toString('utf8').replace(/\0.*$/s, '');
    let name = str(0, 100);
    const size = parseInt(str(124, 12).trim() || '0', 8);
    const type = String.fromCharCode(h[156]);
    const prefix = str(345, 155);
    if (prefix) name = prefix + '/' + name;
    const data = buf.subarray(off + 512, off + 512 + size);
    off += 512 + Math.ceil(size / 512) * 512;
    if (type === 'L') { longName = data.toString('utf8').replace(/\0.*$/s, ''); continue; }
    if (type === 'x') {
      const m = /\d+ path=([^\n]*)\n/.exec(data.toString('utf8'));
      if (m) paxPath = m[1];
      continue;
    }
    if (type === 'g') continue;
    if (longName) { name = longName; longName = null; }
    if (paxPath) { name = paxPath; paxPath = null; }
    if (type !== '0' && type !== '\0' && type !== '7') continue;
    // zip-slip: a member that climbs out of the archive's directory is never taken (helm refuses the chart)
    if (climbsOut(name)) { refused?.(name, 'its path leaves the archive'); continue; }
    if (size > MAX_DECOMPRESSED_FILE) { refused?.(name, `it unpacks to ${size} bytes, over Helm's ${MAX_DECOMPRESSED_FILE}-byte limit for one file`); continue; }
    out.push({ name, data: Buffer.from(data) });
  }
  return out;
}

// ------------------------------------------------------------------ .helmignore

/**
 * .helmignore patterns (`*` and `?` within a segment, `**` across, `[..]` classes with `!`; '\\' is a literal),
 * matched in linear time (src/util/glob.ts): the file is the chart's.
 */
const HELMIGNORE: GlobDialect = { globstar: 'anywhere', classes: true, braces: false, escapes: false };

/**
 * A .helmignore pattern as a test. Most lines are a name (`.git`, `.DS_Store`) or `*` and a suffix (`*.swp`,
 * `*~`): those compare strings, which is what the glob would do, without building and running its matcher in
 * code that runs cold, once per file of the chart. A suffix test is only for patterns matched against a base
 * name, where `*` (which never crosses '/') can take everything before the suffix.
 */
export function helmignoreTest(pattern: string, base: boolean): (s: string) => boolean {
  if (!/[*?[]/.test(pattern)) return (s) => s === pattern;
  const suffix = pattern.slice(1);
  if (base && pattern[0] === '*' && !/[*?[]/.test(suffix)) return (s) => s.endsWith(suffix);
  const g: Glob = compileGlob(pattern, HELMIGNORE);
  return (s) => g.test(s);
}

function makeIgnore(text: string | null): (path: string, isDir: boolean) => boolean {
  const rules: Array<{ neg: boolean; dirOnly: boolean; test: (s: string) => boolean; base: boolean }> = [];
  for (let line of (text ?? '').split(/\r?\n/)) {
    line = line.trim();
    if (!line || line.startsWith('#')) continue;
    let neg = false;
    if (line.startsWith('!')) { neg = true; line = line.slice(1); }
    let dirOnly = false;
    if (line.endsWith('/')) { dirOnly = true; line = line.slice(0, -1); }
    const base = !line.includes('/');
    line = line.replace(/^\//, '');
    rules.push({ neg, dirOnly, base, test: helmignoreTest(line, base) });
  }
  return (path, isDir) => {
    let ignored = false;
    const b = path.slice(path.lastIndexOf('/') + 1);
    for (const r of rules) {
      if (r.dirOnly && !isDir) continue;
      const hit = r.test(r.base ? b : path);
      if (hit) ignored = !r.neg;
    }
    return ignored;
  };
}

// ------------------------------------------------------------------ loading

interface RawFile { name: string; data: Buffer; disk: string }

/**
 * A chart member, through the one read path, or helm's own refusal: helm's loader fails the whole chart on
 * an irregular file (a FIFO, a device; helm itself would block on a FIFO's open otherwise) and on a file
 * over its per-file limit, whatever the file is (a 10 MB Chart.yaml included).
 */
function readMember(full: string, fatal: Refusal[]): Buffer | undefined {
  const r = readBytes(full, { cap: MAX_DECOMPRESSED_FILE });
  if ('buf' in r) return r.buf;
  const f = r.failure;
  if (f.kind === 'special') fatal.push({ file: full, line: 1, message: `cannot load irregular file ${full} as it has file mode type bits set (${f.message})` });
  else if (f.kind === 'too-large') fatal.push({ file: full, line: 1, message: `chart file ${JSON.stringify(basename(full))} is larger than the maximum file size ${MAX_DECOMPRESSED_FILE}` });
  else fatal.push({ file: full, line: 1, message: `cannot load ${basename(full)}: ${f.message}` });
  return undefined;
}

function listDir(root: string, tree: string, refused: Refusal[], fatal: Refusal[]): RawFile[] {
  const ignoreFile = join(root, '.helmignore');
  const ignoreData = existsSync(ignoreFile) ? readMember(ignoreFile, fatal) : undefined;
  const ignoreText = ignoreData ? lenientText(ignoreData) : null;
  const ign = makeIgnore(ignoreText);
  const out: RawFile[] = [];
  // Helm follows links; here a link is followed only while it stays inside the scanned tree, and a
  // directory already on the way down (a link loop) is not entered twice.
  // `realDir` is the directory's real path: a child reached without a link is realDir/name, so only links
  // cost a realpath.
  // `relDir` is the directory's path from the chart root ('' at the root): a child's is relDir/name, built by
  // concatenation rather than path.relative per file (names from readdir have no separators).
  const walk = (dir: string, realDir: string, relDir: string, onPath: Set<string>) => {
    let ents: Dirent[];
    try { ents = readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)); } catch { return; }
    for (const ent of ents) {
      const e = ent.name;
      const full = join(dir, e);
      const rel = relDir ? relDir + '/' + e : e;
      let isDir = ent.isDirectory();
      let real = join(realDir, e);
      if (ent.isSymbolicLink()) {
        const target = realpathOrUndefined(full);
        if (target === undefined) {
          if (!ign(rel, false)) refused.push({ file: full, line: 1, message: `${rel} is a symbolic link that cannot be resolved (a loop or a missing target); it was not read` });
          continue;
        }
        if (!isInside(tree, target)) {
          if (!ign(rel, false)) refused.push({ file: full, line: 1, message: `${rel} is a symbolic link to ${target}, outside the scanned tree ${tree}; it was not read` });
          continue;
        }
        try {
          const st = statSync(full);
          isDir = st.isDirectory();
        } catch { continue; }
        real = target;
      }
      if (isDir) {
        if (ign(rel, true)) continue;
        if (onPath.has(real)) continue;
        walk(full, real, rel, new Set(onPath).add(real));
      } else {
        // a FIFO, a device or a socket too: helm refuses the chart for it, unless .helmignore leaves it out
        if (ign(rel, false)) continue;
        const data = readMember(full, fatal);
        if (data) out.push({ name: rel, data, disk: full });
      }
    }
  };
  const realRoot = realpathOrUndefined(root) ?? root;
  walk(root, realRoot, '', new Set([realRoot]));
  return out;
}

/** gunzip within Helm's limit for a whole chart: an archive that unpacks to more is a decompression bomb. */
function gunzipLimited(buf: Buffer): Buffer {
  // zlib loads only for archives: most charts are directories
  const { gunzipSync } = createRequire(import.meta.url)('node:zlib') as typeof import('node:zlib');
  try {
    return gunzipSync(buf, { maxOutputLength: MAX_DECOMPRESSED_CHART });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE' || /Cannot create a Buffer larger|maxOutputLength/i.test((e as Error).message)) {
      throw new Error(`the archive unpacks to more than Helm's ${MAX_DECOMPRESSED_CHART / 1048576} MiB limit for a chart; it was not read`);
    }
    throw e;
  }
}

function filesFromTgz(path: string, refused: Refusal[]): RawFile[] {
  const archive = readBytes(path, { cap: MAX_DECOMPRESSED_CHART });
  if ('failure' in archive) throw new Error(archive.failure.kind === 'special' ? `${path} is ${archive.failure.message}; it was not read` : archive.failure.message);
  const entries = readTar(gunzipLimited(archive.buf), (name, why) => refused.push({ file: path, line: 1, message: `the archive member "${name}" was not read: ${why}` }));
  // strip the top-level directory
  const out: RawFile[] = [];
  let ignoreText: string | null = null;
  for (const e of entries) {
    const rel = e.name.split('/').slice(1).join('/');
    if (rel === '.helmignore') ignoreText = e.data.toString('utf8');
  }
  const ign = makeIgnore(ignoreText);
  for (const e of entries) {
    const rel = e.name.split('/').slice(1).join('/');
    if (!rel) continue;
    const parts = rel.split('/');
    let skip = false;
    for (let i = 1; i < parts.length; i++) if (ign(parts.slice(0, i).join('/'), true)) skip = true;
    if (skip || ign(rel, false)) continue;
    out.push({ name: rel, data: e.data, disk: `${path}#${rel}` });
  }
  return out;
}

export function loadChartFromFiles(files: RawFile[], dir: string, refused: Refusal[] = []): Chart {
  const chart: Chart = { name: '', metadata: {}, templates: [], values: {}, valuesFile: join(dir, 'values.yaml'), files: [], subcharts: [], dir, loadErrors: [], refused };
  const subchartFiles = new Map<string, RawFile[]>();
  const subTgz: RawFile[] = [];
  for (const f of files) {
    if (f.name === 'Chart.yaml') {
      try {
        const m = loadYaml(f.data.toString('utf8'));
        chart.metadata = isMap(m) ? m : {};
      } catch (e) {
        chart.loadErrors.push({ file: f.disk, line: (e as { line?: number }).line ?? 1, message: `cannot load Chart.yaml: ${(e as Error).message}` });
      }
    } else if (f.name === 'values.yaml' || f.name === 'values.yml') {
      if (f.name === 'values.yml' && files.some((x) => x.name === 'values.yaml')) continue;
      chart.valuesFile = f.disk;
      try {
        chart.values = loadValuesYaml(f.data.toString('utf8'));
      } catch (e) {
        chart.valuesError = { message: (e as Error).message, line: (e as { line?: number }).line ?? 1 };
      }
    } else if (f.name.startsWith('templates/')) {
      chart.templates.push({ name: f.name, data: f.data, disk: f.disk });
    } else if (f.name.startsWith('charts/')) {
      const rest = f.name.slice('charts/'.length);
      const slash = rest.indexOf('/');
      if (slash < 0) {
        if (rest.endsWith('.tgz') || rest.endsWith('.tar.gz')) subTgz.push(f);
        continue;
      }
      const sub = rest.slice(0, slash);
      if (!subchartFiles.has(sub)) subchartFiles.set(sub, []);
      subchartFiles.get(sub)!.push({ name: rest.slice(slash + 1), data: f.data, disk: f.disk });
    } else if (f.name === 'values.schema.json') {
      chart.schema = { text: f.data.toString('utf8'), disk: f.disk };
    } else if (f.name === 'Chart.lock' || f.name === 'requirements.lock') {
      // not part of .Files
    } else if (f.name === 'requirements.yaml') {
      try {
        const r = loadYaml(f.data.toString('utf8'));
        if (isMap(r) && Array.isArray(r.dependencies)) (chart as { requirements?: unknown }).requirements = r.dependencies;
      } catch { /* ignore */ }
    } else {
      chart.files.push({ name: f.name, data: f.data, disk: f.disk });
    }
  }
  chart.name = String(chart.metadata.name ?? '');
  if ((chart as { requirements?: unknown }).requirements && !chart.metadata.dependencies) chart.metadata.dependencies = (chart as { requirements?: unknown }).requirements;
  for (const [sub, fs] of [...subchartFiles.entries()].sort()) {
    if (!fs.some((f) => f.name === 'Chart.yaml')) continue;
    chart.subcharts.push(loadChartFromFiles(fs, join(dir, 'charts', sub), refused));
  }
  for (const t of subTgz) {
    try {
      const tmp = t.disk.includes('#') ? tgzFromBuffer(t.data, t.disk, refused) : filesFromTgz(t.disk, refused);
      chart.subcharts.push(loadChartFromFiles(tmp, t.disk, refused));
    } catch (e) {
      chart.loadErrors.push({ file: t.disk, line: 1, message: `cannot load subchart archive: ${(e as Error).message}` });
    }
  }
  return chart;
}

function tgzFromBuffer(data: Buffer, disk: string, refused: Refusal[]): RawFile[] {
  const entries = readTar(gunzipLimited(data), (name, why) => refused.push({ file: disk, line: 1, message: `the archive member "${name}" was not read: ${why}` }));
  return entries
    .map((e) => ({ name: e.name.split('/').slice(1).join('/'), data: e.data, disk: `${disk}#${e.name.split('/').slice(1).join('/')}` }))
    .filter((e) => e.name);
}

export function loadChart(path: string, opts: LoadOptions = {}): Chart {
  const refused: Refusal[] = [];
  if (statSync(path).isFile()) return loadChartFromFiles(filesFromTgz(path, refused), path, refused);
  const tree = opts.root ?? realpathOrUndefined(path) ?? path;
  const fatal: Refusal[] = [];
  const files = listDir(path, tree, refused, fatal);
  if (fatal.length) {
    // helm loads nothing of such a chart: neither do we (what would be linted is not what helm installs)
    const chart = loadChartFromFiles([], path, refused);
    chart.loadErrors.push(...fatal);
    chart.unloadable = true;
    return chart;
  }
  return loadChartFromFiles(files, path, refused);
}

export function isChartDir(dir: string): boolean {
  try {
    return statSync(dir).isDirectory() && statSync(join(dir, 'Chart.yaml')).isFile();
  } catch {
    return false;
  }
}
