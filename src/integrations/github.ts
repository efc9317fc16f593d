/** What a GitHub Actions runner tells a step through its environment, for the reporters. */
import fs from 'node:fs';
import path from 'node:path';
import type { SarifOptions } from '../report/sarif.js';
import type { SummaryOptions } from '../report/github.js';

export interface GithubEnv {
  /** GITHUB_ACTIONS=true. */
  inActions: boolean;
  /** Options for the SARIF, annotation and summary reporters: repository-relative paths, links, provenance. */
  report: SarifOptions & SummaryOptions;
  /** $GITHUB_STEP_SUMMARY. */
  summaryFile?: string;
  /** $GITHUB_OUTPUT. */
  outputFile?: string;
}

export function githubEnv(env: NodeJS.ProcessEnv, cwd: string): GithubEnv {
  const inActions = env.GITHUB_ACTIONS === 'true';
  const report: SarifOptions & SummaryOptions = { cwd };
  const ws = env.GITHUB_WORKSPACE;
  if (ws) {
    const rel = path.relative(path.resolve(ws), path.resolve(cwd));
    // Annotations and code scanning want paths relative to the repository (the workspace), not to the step's
    // working-directory.
    if (!rel.startsWith('..') && !path.isAbsolute(rel)) report.root = path.resolve(ws);
  }
  const server = (env.GITHUB_SERVER_URL || 'https://github.com').replace(/\/$/, '');
  if (inActions && env.GITHUB_REPOSITORY) {
    const repositoryUri = `${server}/${env.GITHUB_REPOSITORY}`;
    const sha = env.GITHUB_SHA;
    if (report.root && sha) report.blobUrl = `${repositoryUri}/blob/${sha}`;
    report.provenance = { repositoryUri, ...(sha ? { revisionId: sha } : {}), ...(env.GITHUB_REF ? { branch: env.GITHUB_REF } : {}) };
  }
  return {
    inActions,
    report,
    ...(env.GITHUB_STEP_SUMMARY ? { summaryFile: env.GITHUB_STEP_SUMMARY } : {}),
    ...(env.GITHUB_OUTPUT ? { outputFile: env.GITHUB_OUTPUT } : {}),
  };
}

/** Append step outputs (`name<<delimiter` form, safe for any value) to $GITHUB_OUTPUT. */
export function writeOutputs(file: string, outputs: Record<string, string | number>): void {
  let text = '';
  for (const [k, v] of Object.entries(outputs)) {
    const value = String(v);
    let delim = 'K8S_AUDIT_EOF';
    while (value.includes(delim)) delim += '_';
    text += `${k}<<${delim}\n${value}\n${delim}\n`;
  }
  fs.appendFileSync(file, text);
}
