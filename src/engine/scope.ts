/**
 * Report scope: audit a whole tree for context but report only on some files (the pre-commit hook passes the
 * staged files; the rest of the repository is read so cross-resource rules see every object).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Finding } from '../types.js';
import { displayPath } from '../load/files.js';

/**
 * A predicate over findings: true when the finding, or one of its related locations, lies in one of `only`
 * (files or directories, relative to cwd or absolute). A file inside a Helm chart widens to the whole chart,
 * since a changed values.yaml shows up as findings in the chart's templates.
 */
export function reportScope(cwd: string, only: readonly string[]): (f: Finding) => boolean {
  const roots = new Set<string>();
  for (const p of only) {
    const abs = path.resolve(cwd, p);
    if (abs === path.resolve(cwd)) return () => true;
    roots.add(displayPath(cwd, abs));
    const chart = chartRoot(cwd, abs);
    if (chart) roots.add(displayPath(cwd, chart));
  }
  const list = [...roots];
  const inScope = (file: string) => list.some((r) => file === r || file.startsWith(r + '/'));
  return (f) => inScope(f.file) || (f.related ?? []).some((r) => inScope(r.file));
}

/** The nearest directory at or above `abs` (and not above cwd) that holds Chart.yaml. */
function chartRoot(cwd: string, abs: string): string | undefined {
  const top = path.resolve(cwd);
  let dir = path.dirname(abs);
  for (;;) {
    if (fs.existsSync(path.join(dir, 'Chart.yaml'))) return dir;
    if (dir === top || !dir.startsWith(top + path.sep)) return undefined;
    dir = path.dirname(dir);
  }
}
