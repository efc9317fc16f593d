/**
 * `k8s-audit --context . FILE...` (the pre-commit hook): read the context paths (the whole repository) so
 * cross-resource rules see every object, and report only on FILE... (the staged files).
 */
import path from 'node:path';

export function withContext(files: readonly string[], context: readonly string[], cwd: string): { paths: string[]; reportOnly: string[] } {
  const dirs = context.map((c) => path.resolve(cwd, c));
  // A file under a context directory is read through the directory walk (which knows charts and ignores);
  // read on its own, a chart template would be parsed as a plain manifest.
  // The walk skips dot-directories (.git, .github, ...): a staged file in one is read on its own.
  const inside = (p: string) => {
    const abs = path.resolve(cwd, p);
    return dirs.some((d) => {
      const rel = path.relative(d, abs);
      return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel) && !rel.split(path.sep).some((seg) => seg.startsWith('.'));
    });
  };
  const extra = files.filter((f) => f === '-' || !inside(f));
  return { paths: [...context, ...extra], reportOnly: files.map((f) => (f === '-' ? '<stdin>' : f)) };
}
