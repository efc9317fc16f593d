/**
 * The GitHub Action's entry point (action.yml runs `node bin/action.js`, which calls it from the CLI bundle): inputs from INPUT_* variables,
 * annotations on standard output, a Markdown job summary appended to $GITHUB_STEP_SUMMARY, a SARIF file for
 * github/codeql-action/upload-sarif, and step outputs in $GITHUB_OUTPUT.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Severity } from './types.js';
import { escapeData } from './report/github.js';
import { checkKubeVersion } from './engine/kube-version.js';

export interface ActionIo {
  env: NodeJS.ProcessEnv;
  cwd: string;
  stdout: (s: string) => void;
}

/** An input the way the runner passes it: INPUT_<NAME> upper-cased, spaces as '_' (hyphens kept or as '_'). */
export function getInput(env: NodeJS.ProcessEnv, name: string): string {
  const key = `INPUT_${name.replace(/ /g, '_').toUpperCase()}`;
  return (env[key] ?? env[key.replace(/-/g, '_')] ?? '').trim();
}

/** A list input: one entry per line (or separated by whitespace when it has no newline); '#' starts a comment. */
export function getList(env: NodeJS.ProcessEnv, name: string, splitSpaces = true): string[] {
  const raw = getInput(env, name);
  const lines = raw.split(/\r?\n/).map((l) => l.replace(/(^|\s)#.*$/, '').trim()).filter(Boolean);
  return lines.length === 1 && splitSpaces ? lines[0].split(/\s+/) : lines;
}

function bool(env: NodeJS.ProcessEnv, name: string, dflt: boolean): boolean {
  const v = getInput(env, name).toLowerCase();
  if (!v) return dflt;
  if (['true', 'yes', '1', 'on'].includes(v)) return true;
  if (['false', 'no', '0', 'off'].includes(v)) return false;
  throw new InputError(`input ${name} must be true or false, got "${v}"`);
}

class InputError extends Error {}

/** The kube-version input, checked as --kube-version is (a workflow's unquoted `1.30` arrives as "1.3"). */
function actionKubeVersion(v: string): string | undefined {
  if (!v) return undefined;
  const checked = checkKubeVersion(v);
  if ('error' in checked) throw new InputError(`input kube-version ${checked.error}`);
  return checked.version;
}

/** Run the action; returns the exit code (0 clean, 1 findings at or above fail-on, 2 bad inputs). */
export async function runAction(io: ActionIo = { env: process.env, cwd: process.cwd(), stdout: (s) => process.stdout.write(s) }): Promise<number> {
  const { env, cwd } = io;
  const { audit, atOrAbove, UsageError } = await import('./engine/run.js');
  const { ConfigError } = await import('./engine/config.js');
  const { rules } = await import('../rules/index.js');
  const { formatGithub, formatGithubSummary } = await import('./report/github.js');
  const { formatSarif } = await import('./report/sarif.js');
  const { formatStylish } = await import('./report/stylish.js');
  const { githubEnv, writeOutputs } = await import('./integrations/github.js');
  const gh = githubEnv(env, cwd);

  let failOn: Severity | 'none';
  let annotations: boolean;
  let summary: boolean;
  let report;
  try {
    const f = getInput(env, 'fail-on') || 'error';
    if (!['error', 'warning', 'info', 'none'].includes(f)) throw new InputError(`input fail-on must be error, warning, info or none, got "${f}"`);
    failOn = f as Severity | 'none';
    annotations = bool(env, 'annotations', true);
    summary = bool(env, 'summary', true);
    const paths = getList(env, 'paths');
    const profile = getInput(env, 'profile');
    if (profile && profile !== 'recommended' && profile !== 'all') throw new InputError(`input profile must be recommended or all, got "${profile}"`);
    const since = getInput(env, 'changed-since');
    const changedFiles = since ? (await import('./integrations/git.js')).changedSince(since, cwd) : undefined;
    report = await audit(paths.length ? paths : ['.'], {
      cwd,
      changedFiles,
      configFile: getInput(env, 'config') || undefined,
      kubeVersion: actionKubeVersion(getInput(env, 'kube-version')),
      profile: (profile || undefined) as 'recommended' | 'all' | undefined,
      helm: { values: getList(env, 'values'), set: getList(env, 'set', false) },
    });
    const baselineFile = getInput(env, 'baseline');
    if (baselineFile) {
      const b = await import('./report/baseline.js');
      const r = b.applyBaseline(report, b.readBaseline(path.resolve(cwd, baselineFile)));
      report = r.report;
      io.stdout(b.baselineNote(r, baselineFile).replace(/^k8s-audit: /gm, ''));
    }
  } catch (e) {
    if (e instanceof Error && (e.name === 'BaselineError' || e.name === 'GitError')) {
      io.stdout(`::error title=k8s-audit::${escapeData(e.message)}\n`);
      return 2;
    }
    if (e instanceof InputError || e instanceof UsageError || e instanceof ConfigError) {
      io.stdout(`::error title=k8s-audit::${escapeData(e.message)}\n`);
      return 2;
    }
    throw e;
  }

  // The human-readable report, folded in the log; then one annotation per finding.
  // The text comes from the manifests: stop-commands keeps a '::' line in it from acting as a workflow command.
  const { Chalk } = await import('chalk');
  const token = `k8s-audit-${randomBytes(8).toString('hex')}`;
  const text = formatStylish(report, { chalk: new Chalk({ level: 0 }), showSuppressed: true, showHints: true });
  io.stdout(`::group::k8s-audit report\n::stop-commands::${token}\n${text.endsWith('\n') ? text : text + '\n'}::${token}::\n::endgroup::\n`);
  if (annotations) io.stdout(formatGithub(report, gh.report));

  if (summary && gh.summaryFile) fs.appendFileSync(gh.summaryFile, formatGithubSummary(report, gh.report));

  const sarifInput = getInput(env, 'sarif-file');
  let sarifFile = '';
  if (sarifInput) {
    sarifFile = path.resolve(cwd, sarifInput);
    fs.mkdirSync(path.dirname(sarifFile), { recursive: true });
    fs.writeFileSync(sarifFile, formatSarif(report, rules, gh.report));
  }

  const failed = report.findings.some((f) => atOrAbove(f.severity, failOn));
  if (gh.outputFile) {
    writeOutputs(gh.outputFile, {
      'sarif-file': sarifFile,
      findings: report.findings.length,
      errors: report.summary.errors,
      warnings: report.summary.warnings,
      infos: report.summary.infos,
      suppressed: report.summary.suppressed,
      failed: String(failed),
    });
  }
  return failed ? 1 : 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(fs.realpathSync(process.argv[1])).href) {
  runAction().then(
    (code) => {
      process.exitCode = code;
    },
    (err) => {
      process.stdout.write(`::error title=k8s-audit::${escapeData(`internal error: ${err?.stack ?? err}`)}\n`);
      process.exitCode = 2;
    },
  );
}
