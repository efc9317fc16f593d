/**
 * The pipeline: settings -> load (discover, build, render, read) -> parse -> resources by group -> rules on each
 * deployment unit -> suppressions -> report. Each stage is a module of its own in this folder.
 */
import path from 'node:path';
import type { Report, Severity } from '../types.js';
import type { Rule } from '../rule.js';
import type { Expanded, HelmSettings } from '../load/expand.js';
import type { Config } from './config.js';
import type { ReadFailure } from '../load/read.js';
import { resolveSettings } from './settings.js';
import { loadInputs } from './inputs.js';
import { groupResources, parseInputs } from './resources.js';
import { setBuildImages, skaffoldImages } from '../graph/build-images.js';
import { rawFindingMaker, type RawFinding } from './findings.js';
import { runDocumentRules, runResourceRules } from './rules-stage.js';
import { applySuppressions } from './suppressions.js';
import { buildReport } from './report.js';
import { timingFromEnv } from './timing.js';
import { schemaCacheUse } from '../schema/builtin.js';

export { UsageError } from './settings.js';
export { atOrAbove, sortFindings } from './report.js';

export interface AuditOptions {
  /** Working directory: paths and reported files are relative to it. */
  cwd?: string;
  /** Explicit configuration file. */
  configFile?: string;
  /** Use this configuration instead of looking for a file (library use). */
  config?: Config;
  kubeVersion?: string;
  namespace?: string;
  profile?: 'recommended' | 'all';
  /** Severity overrides on top of the configuration ('off' disables). */
  ruleOverrides?: Record<string, Severity | 'off'>;
  /** Text (or bytes, decoded as a file's are) for the path '-'. */
  stdinText?: string | Buffer;
  /** Why standard input was not read (over the size cap): reported in its place. */
  stdinFailure?: ReadFailure;
  helm?: HelmSettings;
  /** Build kustomizations with this installed kustomize (or kubectl) instead of the built-in build. */
  kustomizeBinary?: string;
  /** Rule registry (defaults to every built-in rule). */
  rules?: readonly Rule[];
  /**
   * Report only findings in these files or directories (relative to cwd); the other paths are read as
   * context for cross-resource rules (the pre-commit hook: `--context .` plus the staged files).
   */
  reportOnly?: string[];
  /**
   * Report only findings that changed files produced (absolute paths, such as `git diff --name-only` gives):
   * in a changed file, related to one, or from a kustomize build or chart rendering that reads one.
   */
  changedFiles?: readonly string[];
  /** Read only these files (absolute paths) of the directories walked: what git tracks (--context-git). */
  trackedFiles?: ReadonlySet<string>;
  /**
   * Called once, before parsing, when the input read is large (LARGE_INPUT characters or more): the CLI tunes
   * V8 for a long run then (a library leaves the process's settings alone).
   */
  onLargeInput?: () => void;
}

/** About 300 objects of YAML: where a run lasts long enough for V8's optimising compiler to matter. */
export const LARGE_INPUT = 512 * 1024;

const timing = timingFromEnv();

/** Whether one of the paths scanned is the configuration's directory or holds it (no configuration: the working directory). */
function coversProject(paths: readonly string[], cwd: string, configFile: string | undefined): boolean {
  const project = configFile ? path.dirname(configFile) : cwd;
  const list = paths.filter((p) => p !== '-');
  return (list.length ? list : paths.length ? [] : ['.']).some((p) => {
    const rel = path.relative(path.resolve(cwd, p), project);
    return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
  });
}

function inputChars(expanded: readonly Expanded[]): number {
  let n = 0;
  for (const e of expanded) {
    for (const s of e.sources) n += s.text.length;
    for (const d of e.documents ?? []) n += d.text.length;
  }
  return n;
}

export async function audit(paths: string[], options: AuditOptions = {}): Promise<Report> {
  const cwd = path.resolve(options.cwd ?? process.cwd());
  const run = await resolveSettings(cwd, options);

  timing?.start();
  const { expanded, refusals, scannedDirectory, tiltImages } = await loadInputs(paths, cwd, run, options);
  timing?.phase('load (discover, read, render)');

  if (options.onLargeInput && inputChars(expanded) >= LARGE_INPUT) options.onLargeInput();
  const docs = parseInputs(expanded);
  // Images a build tool of the scanned tree replaces when it deploys (skaffold.yaml artifacts, Tiltfile builds).
  setBuildImages([...docs.flatMap((d) => skaffoldImages(d.value).map((image) => ({ image, tool: 'Skaffold' }))), ...tiltImages.map((image) => ({ image, tool: 'Tilt' }))]);
  timing?.phase('parse');

  const { groups, skipped } = groupResources(docs, run.defaultNamespace);
  timing?.phase('resources');

  const raws: RawFinding[] = [];
  const stage = { enabled: run.enabled, baseSettings: run.baseSettings, makeRaw: rawFindingMaker(run.severityOf), scannedDirectory, timing };
  runDocumentRules(docs, stage, raws);
  runResourceRules(groups, stage, raws);
  timing?.phase('rules (including positions of findings)');

  const kept = applySuppressions(raws, { cwd, cfg: run.cfg, loaded: run.loaded, ruleById: run.ruleById, severityOf: run.severityOf, docs, groups, wholeProject: coversProject(paths, cwd, run.loaded.file) });
  const report = buildReport(kept, {
    cwd,
    reportOnly: options.reportOnly,
    changed: options.changedFiles,
    files: expanded.length - (refusals.problems.length ? 1 : 0),
    resources: [...groups.values()].reduce((a, g) => a + g.length, 0),
    skipped,
  });
  timing?.phase('suppressions, sorting');
  if (timing) {
    const c = schemaCacheUse();
    if (c.accepted + c.rejected + c.missing) timing.note(`schema modules: ${c.accepted} compiled from the code cache, ${c.rejected} with it rejected or out of date, ${c.missing} not in it`);
  }
  timing?.print();
  return report;
}
