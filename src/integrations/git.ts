/**
 * The files git says changed, for `--changed-since REF`. git runs only because the command line (or the
 * Action's input) asked for it, never because of anything in the scanned tree; it runs without a shell, with
 * the hooks a repository's own configuration could name switched off (fsmonitor, external diff, textconv).
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';

export class GitError extends Error {
  override name = 'GitError';
}

/** Settings that keep git from running other programs while it lists files. */
const SAFE = ['-c', 'core.fsmonitor=false', '-c', 'diff.external=', '-c', 'core.hooksPath=/dev/null'];

function git(cwd: string, args: string[]): string {
  const r = spawnSync('git', [...SAFE, ...args], { cwd, encoding: 'utf8', timeout: 60_000, maxBuffer: 64 * 1024 * 1024, stdio: ['ignore', 'pipe', 'pipe'] });
  if (r.error) throw new GitError(`cannot run git: ${(r.error as NodeJS.ErrnoException).code ?? r.error.message}`);
  if (r.status !== 0) throw new GitError(`git ${args.filter((a) => a !== '-z').join(' ')} failed: ${(r.stderr || '').trim().split('\n')[0] || `exit ${r.status}`}`);
  return r.stdout;
}

const split = (z: string) => z.split('\0').filter(Boolean);

/**
 * Absolute paths of the files changed since the point where HEAD branched from REF (as `git diff REF...`
 * compares, so commits on REF's side after the branch point are not counted), in the working tree (committed,
 * staged or not), plus untracked files that are not ignored: the scan reads the working tree, so a new file
 * not yet added is as much a change as an edited one.
 */
export function changedSince(ref: string, cwd: string): string[] {
  if (!ref || ref.startsWith('-')) throw new GitError(`--changed-since takes a git revision, got "${ref}"`);
  const top = git(cwd, ['rev-parse', '--show-toplevel']).trim();
  // (verify first: a ref that does not exist gets git's own clear message, not merge-base's)
  try {
    git(top, ['rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`]);
  } catch {
    throw new GitError(`--changed-since: "${ref}" is not a commit of this repository (a shallow clone may not have it: fetch more history, such as actions/checkout's fetch-depth: 0)`);
  }
  const base = git(top, ['merge-base', '--end-of-options', ref, 'HEAD']).trim();
  const diffed = split(git(top, ['diff', '--name-only', '--no-renames', '--no-ext-diff', '--no-textconv', '-z', base, '--']));
  const untracked = split(git(top, ['ls-files', '--others', '--exclude-standard', '-z', '--']));
  return [...new Set([...diffed, ...untracked])].map((f) => path.join(top, f));
}

/**
 * Absolute paths of the files git tracks (the index: what the pre-commit hook commits on top of), for
 * --context-git: an untracked file, never committed, is not context for a commit.
 */
export function trackedFiles(cwd: string): Set<string> {
  const top = git(cwd, ['rev-parse', '--show-toplevel']).trim();
  return new Set(split(git(top, ['ls-files', '--cached', '-z', '--'])).map((f) => path.join(top, f)));
}
