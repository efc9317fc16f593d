/** Input discovery (the walk, .gitignore, config ignores) and safe reading of files. */
import fs from 'node:fs';
import { isUtf8 } from 'node:buffer';
import path from 'node:path';
import { resolveWithin, realpathOrUndefined, treeRootOf } from './sandbox.js';
import { walkInputs } from './walk.js';

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
  kind: 'unsafe' | 'unreadable';
  message: string;
}

export const MANIFEST_EXT = /\.(ya?ml|json)$/i;
export const MARKDOWN_EXT = /\.(md|markdown)$/i;
export const MAX_FILE_BYTES = 64 * 1024 * 1024;

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
}

function isChartDir(dir: string): boolean {
  return fs.existsSync(path.join(dir, 'Chart.yaml'));
}

/**
 * Expand paths into inputs. Directories are walked (walk.ts), honouring .gitignore and `ignore` globs;
 * a directory holding Chart.yaml is one chart input and its files are not read as manifests.
 */
export async function discover(paths: string[], cwd: string, ignore: string[]): Promise<DiscoverResult> {
  const inputs: Input[] = [];
  const missing: string[] = [];
  const refused: RefusedPath[] = [];
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
    if (!st.isDirectory()) continue;
    if (isChartDir(abs)) {
      add('chart', abs, root);
      continue;
    }
    // Links are listed, not followed: each is checked against the tree below. The ignore globs and
    // .gitignore files are matched in linear time (walk.ts says why globby is not used).
    const entries = walkInputs(abs, ignore);
    const files: string[] = [];
    const links: { path: string; to: ReturnType<typeof resolveWithin> }[] = [];
    const realOf = new Map<string, string>();
    for (const e of entries) {
      if (e.dirent.isFile()) files.push(e.path);
      else if (e.dirent.isSymbolicLink()) {
        const to = resolveWithin(root, e.path);
        if (to.kind === 'inside' && isRegularFile(to.real)) {
          files.push(e.path);
          realOf.set(e.path, to.real);
        } else if (to.kind !== 'inside') links.push({ path: e.path, to });
      }
    }
    files.sort();
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
  return { inputs, missing, refused };
}

/** A kustomization of kind Component (built only as part of the kustomizations that use it). */
function isComponent(file: string): boolean {
  try {
    return /^kind:\s*Component\s*$/m.test(fs.readFileSync(file, 'utf8'));
  } catch {
    return false;
  }
}

function isRegularFile(p: string): boolean {
  try {
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}

export type ReadProblem =
  | { kind: 'too-large'; message: string }
  | { kind: 'binary'; message: string }
  | { kind: 'encoding'; message: string; line: number; column: number }
  | { kind: 'unreadable'; message: string }
  | { kind: 'unsafe'; message: string };

/** Read a text file, refusing binaries, invalid UTF-8 and files over the size limit. */
export function readText(abs: string): { text: string } | { problem: ReadProblem } {
  let buf: Buffer;
  try {
    const st = fs.statSync(abs);
    if (st.size > MAX_FILE_BYTES) {
      return { problem: { kind: 'too-large', message: `the file is ${(st.size / 1048576).toFixed(1)} MiB, over the ${MAX_FILE_BYTES / 1048576} MiB limit; it was not read` } };
    }
    buf = fs.readFileSync(abs);
  } catch (e) {
    return { problem: { kind: 'unreadable', message: `cannot read the file: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` } };
  }
  return decode(buf);
}

export function decode(buf: Buffer): { text: string } | { problem: ReadProblem } {
  const probe = buf.subarray(0, 8192);
  if (probe.includes(0)) {
    // UTF-16 with a BOM is text, but Kubernetes tooling does not read it either.
    return { problem: { kind: 'binary', message: 'the file is binary (it contains NUL bytes), not YAML or JSON text' } };
  }
  // isUtf8 validates in native code; a fatal TextDecoder costs several times more on large files.
  if (isUtf8(buf)) {
    let text = buf.toString('utf8');
    // A BOM is not part of the text (TextDecoder's rule, kept: it drops one, and we dropped a second).
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    return { text };
  }
  const bad = firstInvalidUtf8(buf);
  const before = buf.subarray(0, bad).toString('utf8');
  const line = before.split('\n').length;
  const column = before.length - before.lastIndexOf('\n');
  return { problem: { kind: 'encoding', message: `invalid UTF-8 byte 0x${buf[bad]?.toString(16).padStart(2, '0')}; YAML and JSON must be UTF-8`, line, column } };
}

function firstInvalidUtf8(b: Buffer): number {
  let i = 0;
  while (i < b.length) {
    const c = b[i];
    let n = 0;
    if (c < 0x80) n = 0;
    else if (c >= 0xc2 && c <= 0xdf) n = 1;
    else if (c >= 0xe0 && c <= 0xef) n = 2;
    else if (c >= 0xf0 && c <= 0xf4) n = 3;
    else return i;
    for (let k = 1; k <= n; k++) if (i + k >= b.length || (b[i + k] & 0xc0) !== 0x80) return i;
    // Overlong forms, UTF-16 surrogates and code points past U+10FFFF (the second byte's allowed range).
    const d = b[i + 1];
    if ((c === 0xe0 && d < 0xa0) || (c === 0xed && d >= 0xa0) || (c === 0xf0 && d < 0x90) || (c === 0xf4 && d >= 0x90)) return i;
    i += n + 1;
  }
  return b.length;
}
