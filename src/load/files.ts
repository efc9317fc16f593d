/** Input discovery (the walk, .gitignore, config ignores) and safe reading of files. */
import fs from 'node:fs';
import path from 'node:path';
import { resolveWithin, realpathOrUndefined, treeRootOf } from './sandbox.js';
import { MAX_FILE_BYTES, readBytes, decodeText, lenientText, escapeName } from './read.js';
import { walkInputs } from './walk.js';

export { MAX_FILE_BYTES };

export type InputKind = 'manifest' | 'markdown' | 'chart' | 'kustomize';

const KUSTOMIZATION_NAMES = new Set(['kustomization.yaml', 'kustomization.yml', 'Kustomization']);

export interface Input {
  kind: InputKind;
  /** Absolute path (a chart: its directory or .tgz). */
  abs: string;
  /** Display path: relative to cwd, forward slashes. */
  rel: string;
  /**
   * Real path of the scanned tree the input was found in (the directory given on the command line, or the
   * given file's directory): what the input may read must stay inside it.
   */
  root: string;
  /** A kustomize Component: not built on its own; its files are claimed by the builds (or left unlinted). */
  component?: boolean;
}

/** A path inside the scanned tree that was not read: a symbolic link out of the tree, or a broken one. */
export interface RefusedPath {
  rel: string;
  kind: 'unsafe' | 'unreadable' | 'name';
  message: string;
}

export const MANIFEST_EXT = /\.(ya?ml|json)$/i;
export const MARKDOWN_EXT = /\.(md|markdown)$/i;

export function displayPath(cwd: string, abs: string): string {
  const r = path.relative(cwd, abs);
  return (r && !r.startsWith('..') ? r : abs).split(path.sep).join('/');
}

export interface DiscoverResult {
  inputs: Input[];
  /** Paths given on the command line that do not exist. */
  missing: string[];
  /** Links found while walking a directory that were not followed. */
  refused: RefusedPath[];
  /** Tiltfiles in the walked directories (regular files): read for the image names Tilt replaces. */
  tiltfiles: string[];
}

function isChartDir(dir: string): boolean {
  return fs.existsSync(path.join(dir, 'Chart.yaml'));
}

/**
 * Expand paths into inputs. Directories are walked (walk.ts), honouring .gitignore and `ignore` globs;
 * a directory holding Chart.yaml is one chart input and its files are not read as manifests.
 */
/**
 * `tracked`: when given (--context-git), files found by walking a directory are read only when git tracks
 * them (absolute paths); an untracked chart or kustomization is not found at all. Paths named directly are
 * always read.
 */
export async function discover(paths: string[], cwd: string, ignore: string[], tracked?: ReadonlySet<string>): Promise<DiscoverResult> {
  const inputs: Input[] = [];
  const missing: string[] = [];
  const refused: RefusedPath[] = [];
  const tiltfiles: string[] = [];
  const seen = new Set<string>();
  const add = (kind: InputKind, abs: string, root: string, real?: string, component?: boolean) => {
    const key = real ?? realpathOrUndefined(abs) ?? abs; // the native realpath: the JS one lstat()s every component, 10x slower
    if (seen.has(key)) return;
    seen.add(key);
    inputs.push({ kind, abs, rel: displayPath(cwd, abs), root, ...(component ? { component } : {}) });
  };
  for (const p of paths) {
    const abs = path.resolve(cwd, p);
    let st: fs.Stats;
    try {
      st = fs.statSync(abs);
    } catch {
      missing.push(p);
      continue;
    }
    // A path the user names is trusted as given (even through a link); what is found below it may read
    // only inside its repository (or the working directory).
    const root = treeRootOf(abs, cwd);
    if (st.isFile()) {
      if (/\.tgz$/i.test(abs)) add('chart', abs, root);
      else if (KUSTOMIZATION_NAMES.has(path.basename(abs))) {
        add('kustomize', path.dirname(abs), root, undefined, isComponent(abs));
      } else add(MARKDOWN_EXT.test(abs) ? 'markdown' : 'manifest', abs, root);
      continue;
    }
    if (!st.isDirectory()) {
      // A FIFO, a device or a socket named on the command line: its read is refused with what it is.
      add(MARKDOWN_EXT.test(abs) ? 'markdown' : 'manifest', abs, root);
      continue;
    }
    if (isChartDir(abs)) {
      add('chart', abs, root);
      continue;
    }
    // Links are listed, not followed: each is checked against the tree below. The ignore globs and
    // .gitignore files are matched in linear time (walk.ts says why globby is not used). Names that are not
    // UTF-8 or hold control characters are reported, escaped, unless the ignore rules leave them out.
    const seenOdd = new Set<string>();
    const entries = walkInputs(abs, ignore, (dirAbs, raw, isDir, why) => {
      const at = dirAbs === path.resolve(cwd) ? '' : displayPath(cwd, dirAbs);
      const rel = at === '' ? escapeName(raw) : `${at}/${escapeName(raw)}`;
      if (seenOdd.has(rel)) return;
      seenOdd.add(rel);
      refused.push({ rel, kind: 'name', message: `the ${isDir ? 'directory' : 'file'} "${escapeName(raw)}": ${why}; rename it` });
    });
    const files: string[] = [];
    const links: { path: string; to: ReturnType<typeof resolveWithin> }[] = [];
    const realOf = new Map<string, string>();
    for (const e of entries) {
      if (e.dirent.isFile() && path.basename(e.path) === 'Tiltfile') tiltfiles.push(e.path);
      else if (e.dirent.isFile()) files.push(e.path);
      else if (e.dirent.isSymbolicLink()) {
        const to = resolveWithin(root, e.path);
        // A link to a FIFO or a device inside the tree is kept: its read is refused, naming what it is.
        if (to.kind === 'inside' && !isDirectory(to.real)) {
          files.push(e.path);
          realOf.set(e.path, to.real);
        } else if (to.kind !== 'inside') links.push({ path: e.path, to });
      } else if (!e.dirent.isDirectory()) files.push(e.path); // a FIFO, a device, a socket: reported, never opened
    }
    files.sort();
    if (tracked) {
      let n = 0;
      for (const f of files) if (tracked.has(f) || tracked.has(realOf.get(f) ?? realpathOrUndefined(f) ?? f)) files[n++] = f;
      files.length = n;
    }
    // Charts first: their directories claim the files below them.
    const chartDirs = files.filter((f) => path.basename(f) === 'Chart.yaml').map((f) => path.dirname(f));
    const topCharts = chartDirs.filter((d) => !chartDirs.some((o) => o !== d && d.startsWith(o + path.sep)));
    for (const d of topCharts) add('chart', d, root);
    // Kustomizations: each directory with a kustomization file is built (components only inside a build);
    // the kustomization files themselves are not manifests.
    for (const f of files) {
      if (!KUSTOMIZATION_NAMES.has(path.basename(f)) || topCharts.some((d) => f.startsWith(d + path.sep))) continue;
      add('kustomize', path.dirname(f), root, undefined, isComponent(f));
    }
    // A link out of the tree, or a broken one, is reported here unless a chart claims it (its loader does).
    for (const { path: p, to } of links) {
      if (topCharts.some((d) => p.startsWith(d + path.sep))) continue;
      const rel = displayPath(cwd, p);
      if (to.kind === 'outside') refused.push({ rel, kind: 'unsafe', message: `a symbolic link to ${to.real}, outside the scanned tree ${root}; it was not followed` });
      else if (to.kind === 'broken') refused.push({ rel, kind: 'unreadable', message: to.message });
    }
    for (const f of files) {
      if (topCharts.some((d) => f.startsWith(d + path.sep))) continue;
      if (KUSTOMIZATION_NAMES.has(path.basename(f))) continue;
      if (MARKDOWN_EXT.test(f)) add('markdown', f, root, realOf.get(f));
      else if (MANIFEST_EXT.test(f)) add('manifest', f, root, realOf.get(f));
    }
  }
  return { inputs, missing, refused, tiltfiles };
}

/** A kustomization of kind Component (built only as part of the kustomizations that use it). */
function isComponent(file: string): boolean {
  const r = readBytes(file);
  return 'buf' in r && /^kind:\s*Component\s*$/m.test(lenientText(r.buf));
}

function isDirectory(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}

export type ReadProblem =
  | { kind: 'too-large'; message: string }
  | { kind: 'binary'; message: string }
  | { kind: 'encoding'; message: string; line: number; column: number }
  | { kind: 'unreadable'; message: string }
  | { kind: 'special'; message: string }
  | { kind: 'name'; message: string }
  | { kind: 'unsafe'; message: string };

/** Read a text file (through the one read path: regular files only, capped), refusing binaries and invalid UTF-8. */
export function readText(abs: string): { text: string } | { problem: ReadProblem } {
  const r = readBytes(abs);
  if ('failure' in r) return { problem: r.failure };
  return decode(r.buf);
}

/** Bytes as manifest text, as kubectl decodes them (UTF-16 with a BOM included), or why they are not text. */
export function decode(buf: Buffer): { text: string } | { problem: ReadProblem } {
  const r = decodeText(buf);
  return 'problem' in r ? { problem: r.problem } : { text: r.text };
}
