/**
 * `k8s-audit --context . FILE...` (the pre-commit hook): read the context paths (the whole repository) so
 * cross-resource rules see every object, and report only on FILE... (the staged files).
 */
import path from 'node:path';

export function withContext(files: readonly string[], context: readonly string[], cwd: string): { paths: string[]; reportOnly: string[] } {
  const dirs = context.map((c) => path.resolve(cwd, c));
  // A file under a context directory is read through the directory walk (which knows charts and ignores);
  // read on its own, a chart template would be parsed as a plain manifest.
  const inside = (p: string) => {
    const abs = path.resolve(cwd, p);
    return dirs.some((d) => abs === d || abs.startsWith(d.endsWith(path.sep) ? d : d + path.sep));
  };
  const extra = files.filter((f) => f === '-' || !inside(f));
  return { paths: [...context, ...extra], reportOnly: files.map((f) => (f === '-' ? '<stdin>' : f)) };
}
