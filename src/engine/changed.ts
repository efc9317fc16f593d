/**
 * `--changed-since REF`: the whole scan is read and linted, and findings are reported when what produced them
 * changed: the finding's file or one of its related locations is a changed file (a file inside a Helm chart
 * standing for the whole chart, as for the pre-commit hook), or the finding comes from a built text (a
 * kustomize overlay, a chart rendering) one of whose inputs changed, so a base, patch or values change reaches
 * every overlay and rendering that reads it. Plain manifests are not widened to their deployment unit: the
 * cross-object findings they share carry the other object as a related location.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Finding } from '../types.js';
import type { SourceText } from '../parse/source.js';
import { reportScope } from './scope.js';

function real(p: string): string {
  try {
    return fs.realpathSync.native(p);
  } catch {
    return path.resolve(p);
  }
}

/** A predicate over findings; `changed` holds absolute paths of the changed files. */
export function changedScope(cwd: string, changed: readonly string[], sourceOf: WeakMap<Finding, SourceText>): (f: Finding) => boolean {
  // Real paths: the builds record real paths, and the working directory may be reached through a link.
  const changedReal = new Set(changed.map(real));
  // (a deleted file still widens to its chart)
  const byFile = reportScope(cwd, changed);
  const covers = (input: string) => {
    if (changedReal.has(input)) return true;
    const prefix = input.endsWith(path.sep) ? input : input + path.sep;
    for (const c of changedReal) if (c.startsWith(prefix)) return true;
    return false;
  };
  const touched = new WeakMap<SourceText, boolean>();
  const sourceChanged = (s: SourceText) => {
    let t = touched.get(s);
    if (t === undefined) touched.set(s, (t = (s.inputs ?? []).some(covers)));
    return t;
  };
  return (f) => {
    if (changed.length === 0) return false;
    if (byFile(f)) return true;
    const s = sourceOf.get(f);
    return !!s && sourceChanged(s);
  };
}
