/**
 * The scanned tree's boundary. k8s-audit runs on untrusted pull requests: nothing found inside the scanned
 * tree may make it read or write outside it. Every path that comes from scanned content (a symlink, a chart
 * file, a values file named in a discovered config, a guide's file caption) is checked here against the
 * real path of the tree it was found in.
 */
import fs from 'node:fs';
import path from 'node:path';

/** Real path of `p`, or undefined when it cannot be resolved (missing, a symlink loop, no permission). */
export function realpathOrUndefined(p: string): string | undefined {
  try {
    return fs.realpathSync.native(p);
  } catch {
    return undefined;
  }
}

/** True when `target` is `root` or below it (both already real, absolute paths). */
export function isInside(root: string, target: string): boolean {
  if (target === root) return true;
  const r = path.relative(root, target);
  return r !== '' && !r.startsWith('..' + path.sep) && r !== '..' && !path.isAbsolute(r);
}

/**
 * Where a path found inside the tree really leads: `inside` (with its real path), `outside` (with the
 * target, for the message), or `broken` (a dangling link or a loop).
 */
export type Resolved = { kind: 'inside'; real: string } | { kind: 'outside'; real: string } | { kind: 'broken'; message: string };

export function resolveWithin(root: string, p: string): Resolved {
  const real = realpathOrUndefined(p);
  if (real === undefined) {
    let code = 'ENOENT';
    try {
      fs.statSync(p);
    } catch (e) {
      code = (e as NodeJS.ErrnoException).code ?? code;
    }
    return { kind: 'broken', message: code === 'ELOOP' ? 'the symbolic link is a loop' : `the path cannot be resolved (${code})` };
  }
  return isInside(root, real) ? { kind: 'inside', real } : { kind: 'outside', real };
}

/**
 * A relative path taken from scanned content (a `.Files.Get` argument, an archive member, a caption) that
 * would climb out of its base or is absolute. Backslashes count as separators, as they do on Windows.
 */
export function climbsOut(rel: string): boolean {
  if (rel.startsWith('/') || rel.startsWith('\\') || /^[A-Za-z]:[\\/]/.test(rel)) return true;
  let depth = 0;
  for (const part of rel.split(/[\\/]+/)) {
    if (part === '..') depth--;
    else if (part !== '.' && part !== '') depth++;
    if (depth < 0) return true;
  }
  return false;
}

/**
 * Write `text` at `rel` under `root`, refusing a path that would leave it: `..`, an absolute path, or a
 * symbolic link on the way (an existing directory or file that links elsewhere). Throws with the reason.
 */
export function writeInside(root: string, rel: string, text: string): string {
  const base = path.resolve(root);
  if (climbsOut(rel)) throw new Error(`refusing to write "${rel}": the path leaves ${base}`);
  const target = path.resolve(base, rel);
  fs.mkdirSync(base, { recursive: true });
  const realBase = fs.realpathSync.native(base);
  // Walk down from the base: every existing component must be a real directory, not a link.
  const parts = path.relative(base, target).split(path.sep);
  let cur = base;
  for (let i = 0; i < parts.length; i++) {
    cur = path.join(cur, parts[i]);
    let st: fs.Stats | undefined;
    try {
      st = fs.lstatSync(cur);
    } catch {
      st = undefined;
    }
    if (!st) {
      if (i < parts.length - 1) fs.mkdirSync(cur);
      continue;
    }
    if (st.isSymbolicLink()) {
      const real = realpathOrUndefined(cur);
      if (!real || !isInside(realBase, real)) throw new Error(`refusing to write "${rel}": ${path.relative(base, cur) || cur} is a symbolic link out of ${base}`);
      throw new Error(`refusing to write "${rel}": ${path.relative(base, cur)} is a symbolic link`);
    }
    if (i < parts.length - 1 && !st.isDirectory()) throw new Error(`refusing to write "${rel}": ${path.relative(base, cur)} is not a directory`);
  }
  fs.writeFileSync(target, text, { flag: 'w' });
  return target;
}

/**
 * The tree a scan may read: the repository the scanned path belongs to (the nearest directory above it with
 * `.git`), else the working directory when the path is inside it, else the path itself. A kustomize overlay
 * scanned alone may read its `../../base`; nothing above the repository is reachable.
 */
export function treeRootOf(scanned: string, cwd: string): string {
  const dir = realDirOf(scanned);
  const repo = repositoryOf(scanned);
  if (repo) return repo;
  const realCwd = realpathOrUndefined(cwd) ?? path.resolve(cwd);
  if (isInside(realCwd, dir)) return realCwd;
  return dir;
}

/** The real directory of a path (its own, or the one holding it). */
function realDirOf(scanned: string): string {
  const real = realpathOrUndefined(scanned) ?? path.resolve(scanned);
  try {
    return fs.statSync(real).isDirectory() ? real : path.dirname(real);
  } catch {
    return path.dirname(real);
  }
}

/** The nearest directory at or above a path that holds `.git` (its repository's top), if any. */
export function repositoryOf(scanned: string): string | undefined {
  for (let d = realDirOf(scanned); ; d = path.dirname(d)) {
    if (fs.existsSync(path.join(d, '.git'))) return d;
    if (path.dirname(d) === d) return undefined;
  }
}

/**
 * The real path a path would have: its deepest existing ancestor resolved, the missing rest appended (for
 * judging, against the real boundary, where a file that does not exist would be).
 */
export function realpathOfMissing(p: string): string {
  const abs = path.resolve(p);
  let dir = abs;
  const rest: string[] = [];
  for (;;) {
    const real = realpathOrUndefined(dir);
    if (real !== undefined) return path.join(real, ...rest.reverse());
    const up = path.dirname(dir);
    if (up === dir) return abs;
    rest.push(path.basename(dir));
    dir = up;
  }
}
