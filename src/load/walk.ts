/**
 * The directory walk of input discovery: the files a directory holds that may be inputs, leaving out what
 * .gitignore files and the configured `ignore` globs exclude, `node_modules`, and dot files and directories.
 *
 * Why not globby: both kinds of glob are input (a pull request brings its .gitignore and .k8s-audit.yaml), and
 * globby hands them to the `ignore` package and micromatch, which compile each to a backtracking RegExp: one
 * `**∕*a*a*a*a*a*a*a*b.yaml` against a long file name runs for minutes, and 100,000 globs take minutes to
 * compile. Here they are matched by src/util/glob.ts, in time linear in the path for each glob.
 *
 * What is kept from globby (`gitignore: true`, fast-glob's `ignore` and `dot: false`):
 * - .gitignore files as git reads them: the nearest directory holding `.git` is the repository root, the
 *   .gitignore files from there down to the scanned directory apply, and so does each one met on the way
 *   down, to the paths below its own directory; the last matching line wins, a later (deeper) file over an
 *   earlier one; `!` re-includes, a trailing '/' matches directories only, a '/' at the start or in the
 *   middle anchors the pattern to the file's directory (else it matches a name at any depth); an excluded
 *   directory is not entered, so nothing below it can be re-included.
 * - `ignore` globs (picomatch: `*`, `?`, `[...]`, `{a,b}`, `**` as a whole segment) against the path relative to
 *   the scanned directory; a directory they match is not entered.
 * - Links are listed, never followed; names starting with '.' are neither listed nor entered.
 */
import fs from 'node:fs';
import path from 'node:path';
import { compileGlob, GIT, PICOMATCH, type Glob } from '../util/glob.js';
import { oddName } from './read.js';

export interface WalkEntry {
  /** Absolute path. */
  path: string;
  dirent: fs.Dirent;
}

interface IgnoreRule {
  glob: Glob;
  negated: boolean;
  dirOnly: boolean;
  /** No '/' but a trailing one: the pattern matches a name at any depth below its file's directory. */
  basename: boolean;
}

interface IgnoreFile {
  /** Its directory, relative to the base (the repository root or the scanned directory), '' or ending in '/'. */
  dir: string;
  rules: IgnoreRule[];
}

/** The largest .gitignore read; a larger one is left out. */
const MAX_IGNORE_FILE_BYTES = 8 * 1024 * 1024;

/** One .gitignore line as git reads it, or null for a blank line or a comment. */
export function parseGitignoreLine(raw: string): IgnoreRule | null {
  let line = stripTrailingSpace(raw);
  if (!line || line.startsWith('#')) return null;
  let negated = false;
  if (line.startsWith('!')) {
    negated = true;
    line = line.slice(1);
  }
  let dirOnly = false;
  if (line.endsWith('/') && !line.endsWith('\\/')) {
    dirOnly = true;
    line = line.slice(0, -1);
  }
  if (!line) return null;
  const basename = !line.includes('/');
  if (line.startsWith('/')) line = line.slice(1);
  return { glob: compileGlob(line, GIT), negated, dirOnly, basename };
}

/** Trailing spaces are dropped unless the last one is escaped with a backslash (git). */
function stripTrailingSpace(line: string): string {
  let end = line.length;
  while (end > 0 && (line[end - 1] === ' ' || line[end - 1] === '\t')) end--;
  if (end === line.length) return line;
  let slashes = 0;
  for (let k = end - 1; k >= 0 && line[k] === '\\'; k--) slashes++;
  return slashes % 2 === 1 ? line.slice(0, end) + ' ' : line.slice(0, end);
}

export function parseGitignore(text: string): IgnoreRule[] {
  const rules: IgnoreRule[] = [];
  for (const raw of text.replace(/^\uFEFF/, '').split(/\r?\n/)) {
    const r = parseGitignoreLine(raw);
    if (r) rules.push(r);
  }
  return rules;
}

/** Whether `rel` (relative to the base, with '/') is excluded by the ignore files that apply to it. */
function gitIgnored(files: IgnoreFile[], rel: string, isDir: boolean): boolean {
  let ignored = false;
  for (const f of files) {
    if (f.dir && !rel.startsWith(f.dir)) continue;
    const sub = rel.slice(f.dir.length);
    const name = sub.slice(sub.lastIndexOf('/') + 1);
    for (const r of f.rules) {
      if (r.dirOnly && !isDir) continue;
      if (r.negated === ignored && (r.basename ? r.glob.test(name) : r.glob.test(sub))) ignored = !r.negated;
    }
  }
  return ignored;
}

function readIgnoreFile(file: string): IgnoreRule[] {
  try {
    const st = fs.lstatSync(file);
    // A link is not followed (it could lead out of the tree); nor is an oversized file read.
    if (!st.isFile() || st.size > MAX_IGNORE_FILE_BYTES) return [];
    return parseGitignore(fs.readFileSync(file, 'utf8'));
  } catch {
    return [];
  }
}

/** The nearest directory at or above `dir` that holds `.git` (a directory, or a file for a worktree). */
function gitRootOf(dir: string): string | undefined {
  for (let d = dir; ; ) {
    if (fs.existsSync(path.join(d, '.git'))) return d;
    const up = path.dirname(d);
    if (up === d) return undefined;
    d = up;
  }
}

function toPosix(p: string): string {
  return path.sep === '/' ? p : p.split(path.sep).join('/');
}

/**
 * Whether a file name is one discovery looks at (globby's `**∕*.{yaml,yml,json,md,markdown}`, `**∕Kustomization`),
 * or a Tiltfile (read for the images Tilt builds, not as a manifest).
 */
export function isCandidateName(name: string): boolean {
  return /\.(yaml|yml|json|md|markdown)$/.test(name) || name === 'Kustomization' || name === 'Tiltfile';
}

/**
 * The files and links below `root` whose names discovery looks at, less what .gitignore files and the
 * `ignore` globs (relative to `root`) exclude.
 */
export function walkInputs(root: string, ignore: string[], onOdd?: (dir: string, raw: Buffer, isDir: boolean, why: string) => void): WalkEntry[] {
  const globs = ignore.map((g) => compileGlob(g, PICOMATCH));
  const configIgnored = (rel: string) => {
    for (const g of globs) if (g.test(rel)) return true;
    return false;
  };
  const repo = gitRootOf(root);
  const base = repo ?? root;
  // The .gitignore files from the repository root down to the scanned directory (its own is read as the walk enters it).
  // They apply to what is below the scanned directory only: a directory the user names is scanned even when an
  // outer .gitignore excludes it (a path the user names is trusted as given; globby did the same without ignore globs).
  const outer: IgnoreFile[] = [];
  if (repo && repo !== root) {
    const chain: string[] = [];
    for (let d = path.dirname(root); ; d = path.dirname(d)) {
      chain.unshift(d);
      if (d === repo || path.dirname(d) === d) break;
    }
    for (const d of chain) {
      const rules = readIgnoreFile(path.join(d, '.gitignore'));
      if (rules.length) outer.push({ dir: dirKey(toPosix(path.relative(base, d))), rules });
    }
  }
  const out: WalkEntry[] = [];
  // An explicit stack: a deep tree must not overflow the call stack.
  const stack: { dir: string; files: IgnoreFile[] }[] = [{ dir: root, files: outer }];
  while (stack.length) {
    const { dir, files: inherited } = stack.pop()!;
    let ents: fs.Dirent[];
    try {
      // names as bytes: one that is not UTF-8 (or holds a control character) is reported, not mangled
      ents = fs.readdirSync(dir, { withFileTypes: true, encoding: 'buffer' }) as unknown as fs.Dirent[];
    } catch {
      continue;
    }
    const odd: { raw: Buffer; name: string; why: string; isDir: boolean }[] = [];
    ents = ents.filter((e) => {
      const raw = e.name as unknown as Buffer;
      const name = raw.toString('utf8');
      const why = oddName(raw);
      if (why) odd.push({ raw, name, why, isDir: e.isDirectory() });
      else (e as unknown as { name: string }).name = name;
      return !why;
    });
    let files = inherited;
    if (ents.some((e) => e.name === '.gitignore')) {
      const rules = readIgnoreFile(path.join(dir, '.gitignore'));
      if (rules.length) files = [...inherited, { dir: dirKey(toPosix(path.relative(base, dir))), rules }];
    }
    for (const o of odd) {
      // as the walk: hidden entries are not scanned, files only with a name it takes, nothing the ignores leave out
      if (!onOdd || o.name.startsWith('.') || (!o.isDir && !isCandidateName(o.name))) continue;
      const abs = path.join(dir, o.name);
      if (globs.length && configIgnored(toPosix(path.relative(root, abs)))) continue;
      if (files.length && gitIgnored(files, toPosix(path.relative(base, abs)), o.isDir)) continue;
      onOdd(dir, o.raw, o.isDir, o.why);
    }
    for (const e of ents) {
      if (e.name.startsWith('.')) continue;
      const abs = path.join(dir, e.name);
      const isDir = e.isDirectory();
      if (isDir && e.name === 'node_modules') continue;
      // (a FIFO, a device or a socket with such a name is listed too: its read is refused, naming what it is)
      if (!isDir && !isCandidateName(e.name)) continue;
      if (globs.length && configIgnored(toPosix(path.relative(root, abs)))) continue;
      if (files.length && gitIgnored(files, toPosix(path.relative(base, abs)), isDir)) continue;
      if (isDir) stack.push({ dir: abs, files });
      else out.push({ path: abs, dirent: e });
    }
  }
  return out;
}

function dirKey(rel: string): string {
  return rel ? `${rel}/` : '';
}
