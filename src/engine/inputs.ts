/**
 * The load stage: discover the inputs (files, charts, kustomizations, guides, standard input), build and render
 * what is built, and read the rest; what is refused or unused becomes a problem to report in its place.
 */
import fs from 'node:fs';
import path from 'node:path';
import { discover, displayPath } from '../load/files.js';
import { unusedKustomizeFiles } from '../load/kustomize-unused.js';
import { realpathOrUndefined } from '../load/sandbox.js';
import { readTextLenient } from '../load/read.js';
import { tiltImages } from '../graph/build-images.js';
import { expandInput, stdinSource, type Expanded, type HelmSettings } from '../load/expand.js';
import type { AuditOptions } from './run.js';
import { UsageError, type RunSettings } from './settings.js';
import { chartSettings } from './charts.js';

export interface Loaded {
  expanded: Expanded[];
  /** The problems that belong to no input (links refused, unsafe settings, unused kustomize files). */
  refusals: Expanded;
  /** A whole directory was scanned (a stack), not single files (a pre-commit hook's list, a snippet). */
  scannedDirectory: boolean;
  /** The image names the scanned tree's Tiltfiles build (Tilt replaces references to them when it deploys). */
  tiltImages: string[];
}

export async function loadInputs(paths: string[], cwd: string, run: RunSettings, options: AuditOptions): Promise<Loaded> {
  const { cfg, loaded, trusted, kubeVersion, defaultNamespace } = run;
  const ignore = (cfg.ignore ?? []).map((g) => (loaded.file ? path.relative(cwd, path.resolve(path.dirname(loaded.file), g)).split(path.sep).join('/') : g));
  const wantsStdin = paths.includes('-');
  const fsPaths = paths.filter((p) => p !== '-');
  const { inputs, missing, refused, tiltfiles } = await discover(wantsStdin && fsPaths.length === 0 ? [] : fsPaths.length ? fsPaths : ['.'], cwd, ignore, options.trackedFiles);
  if (missing.length) throw new UsageError(`no such file or directory: ${missing.join(', ')}`);
  // A whole directory is a stack; single files (a pre-commit hook's list, a snippet) are partial input.
  const scannedDirectory = fsPaths.length === 0 || fsPaths.some((p) => isDirectory(path.resolve(cwd, p)));

  // What every chart gets; the command line's values go only to the charts it names (./charts.ts).
  const helm: HelmSettings = {
    ...cfg.helm,
    scenarios: options.helm?.scenarios ?? cfg.helm?.scenarios,
    // The program that renders: the caller's choice, else a trusted configuration's (never undefined over it).
    binary: options.helm?.binary ?? cfg.helm?.binary,
    values: [...(cfg.helm?.values ?? [])],
    set: [...(cfg.helm?.set ?? [])],
    apiVersions: [...(cfg.helm?.apiVersions ?? []), ...(options.helm?.apiVersions ?? [])],
    kubeVersion,
    namespace: defaultNamespace,
  };
  const helmFor = chartSettings({ cwd, cfg, loaded, common: helm, cli: options.helm, paths: fsPaths.length ? fsPaths : ['.'], charts: inputs.filter((i) => i.kind === 'chart') });
  const expanded: Expanded[] = [];
  const refusals: Expanded = { sources: [], problems: [] };
  for (const r of trusted.refused) refusals.problems.push({ file: displayPath(cwd, r.file), line: r.line, column: r.column, problem: { kind: 'unsafe', message: r.message } });
  for (const r of refused) refusals.problems.push({ file: r.rel, line: 1, column: 1, problem: { kind: r.kind, message: r.message } });
  if (refusals.problems.length) expanded.push(refusals);
  if (wantsStdin) expanded.push(stdinSource(options.stdinText ?? '', options.stdinFailure));
  // Kustomizations first, all together: which are bases of others, and which files their builds read
  // (patches, resources, generator inputs are linted inside the builds, not as objects of their own).
  const kustomizations = inputs.filter((i) => i.kind === 'kustomize');
  let claimed = new Set<string>();
  if (kustomizations.length) {
    const k = await (await import('../load/kustomize.js')).expandKustomizations(kustomizations, { cwd, helm, kustomizeBinary: options.kustomizeBinary });
    expanded.push(...k.expanded);
    claimed = k.claimed;
  }
  // Files of a kustomize tree that no build read are not objects anyone deploys: noted, not linted.
  const { unused, problems: unusedNotes } = unusedKustomizeFiles(
    inputs.filter((i) => i.kind === 'manifest'),
    kustomizations,
    claimed,
    cwd,
  );
  if (unusedNotes.length) refusals.problems.push(...unusedNotes);
  if (refusals.problems.length && !expanded.includes(refusals)) expanded.push(refusals);
  for (const input of inputs) {
    if (input.kind === 'kustomize' || unused.has(input)) continue;
    if (input.kind === 'manifest' && claimed.size && claimed.has(realpathOrUndefined(input.abs) ?? input.abs)) continue;
    expanded.push(await expandInput(input, { cwd, helm: input.kind === 'chart' ? helmFor(input) : helm }));
  }

  // (read through the one capped read path; a Tiltfile that cannot be read builds nothing the rules need to know)
  const tiltImagesFound = tiltfiles.flatMap((f) => {
    const r = readTextLenient(f);
    return 'text' in r ? tiltImages(r.text) : [];
  });
  return { expanded, refusals, scannedDirectory, tiltImages: tiltImagesFound };
}

function isDirectory(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}

