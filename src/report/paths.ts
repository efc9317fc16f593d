/** Paths in reports for code hosts: relative to the repository root rather than the working directory. */
import path from 'node:path';

export interface RootOptions {
  /** The directory finding paths are relative to (default: the process working directory). */
  cwd?: string;
  /**
   * The directory reported paths should be relative to, such as the repository root ($GITHUB_WORKSPACE):
   * annotations and code scanning resolve paths against the repository, not the step's working directory.
   * Default: cwd (paths unchanged).
   */
  root?: string;
}

/** A finding's file relative to `root`, forward slashes; files outside it and `<stdin>` are kept as they are. */
export function rootRelative(file: string, opts: RootOptions = {}): string {
  if (!opts.root || file === '<stdin>') return file;
  const cwd = path.resolve(opts.cwd ?? process.cwd());
  const root = path.resolve(opts.root);
  if (cwd === root) return file;
  const abs = path.resolve(cwd, file);
  const rel = path.relative(root, abs);
  if (!rel || rel.startsWith('..') || path.isAbsolute(rel)) return file;
  return rel.split(path.sep).join('/');
}
