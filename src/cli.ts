/** The command line: `k8s-audit [paths..]`, `k8s-audit rules`, `k8s-audit explain <rule-id>`. */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import type { Report, Severity } from './types.js';
import type { ReadFailure } from './load/read.js';
import type { ChalkLike } from './report/stylish.js';
import { VERSION } from './version.js';

export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_USAGE = 2;

const FORMATS = ['stylish', 'json', 'sarif', 'github', 'junit', 'gitlab'] as const;
type Format = (typeof FORMATS)[number];

function fail(msg: string): never {
  process.stderr.write(`k8s-audit: ${msg}\n`);
  process.exit(EXIT_USAGE);
}

/** How long a report waits on a FIFO whose reader takes nothing before giving up. */
const STALLED_WRITE_MS = 30_000;

/**
 * Write a report file (--output, --sarif-file, the job summary). A regular file, a missing one, a character
 * device (/dev/null, a terminal) and a FIFO someone reads (/dev/stdout in a pipeline) are written; a block
 * device, a socket or a directory is refused before opening, and a FIFO nothing reads is refused too: the
 * open is non-blocking, so it fails at once (ENXIO) where a plain open would wait for a reader forever.
 */
function writeReport(file: string, content: string | Iterable<string>, append = false): void {
  let st: fs.Stats | undefined;
  try {
    st = fs.statSync(file);
  } catch {
    st = undefined;
  }
  if (st && (st.isBlockDevice() || st.isSocket() || st.isDirectory())) throw new Error(`it is ${st.isBlockDevice() ? 'a block device' : st.isSocket() ? 'a socket' : 'a directory'}; a report is not written there`);
  const c = fs.constants;
  let fd: number;
  try {
    fd = fs.openSync(file, c.O_WRONLY | c.O_CREAT | (append ? c.O_APPEND : c.O_TRUNC) | (c.O_NONBLOCK ?? 0), 0o666);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENXIO') throw new Error('it is a FIFO (named pipe) that nothing reads; writing to it would wait forever');
    throw e;
  }
  try {
    for (const piece of typeof content === 'string' ? [content] : content) {
      const buf = Buffer.from(piece, 'utf8');
      let off = 0;
      let stalledSince = 0;
      while (off < buf.length) {
        try {
          off += fs.writeSync(fd, buf, off, buf.length - off);
          stalledSince = 0;
        } catch (e) {
          // a full pipe (the fd is non-blocking): wait for its reader, a little at a time
          if ((e as NodeJS.ErrnoException).code !== 'EAGAIN') throw e;
          stalledSince ||= Date.now();
          if (Date.now() - stalledSince > STALLED_WRITE_MS) throw new Error(`its reader took nothing for ${STALLED_WRITE_MS / 1000} s`);
          Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5);
        }
      }
    }
  } finally {
    fs.closeSync(fd);
  }
}

/** Standard input, capped as every input is: `yes | k8s-audit -` stops at the cap instead of filling memory. */
async function readStdin(): Promise<{ text: Buffer; failure?: ReadFailure }> {
  if (process.stdin.isTTY) return { text: Buffer.alloc(0) };
  const { readStream } = await import('./load/read.js');
  const r = await readStream(process.stdin);
  return 'buf' in r ? { text: r.buf } : { text: Buffer.alloc(0), failure: r.failure };
}

/** What chalk without colours (level 0) gives: the text as it is. */
const plain = (text: string) => text;
const NO_COLOURS: ChalkLike = { red: plain, yellow: plain, blue: plain, dim: plain, bold: plain, underline: plain, green: plain, gray: plain };

/**
 * Whether chalk's own detection (supports-color, for standard output) would say "no colours" because standard
 * output is no terminal, decided without loading it: supports-color loads node:tty, which loads node:net, about
 * 2 ms of a one-file run that writes to a pipe or a file. Its checks that come before the terminal test (a
 * --color-like argument, Azure Pipelines) send the decision to it.
 */
function outputIsNoTerminal(): boolean {
  if (process.argv.some((a) => a.includes('color')) || ('TF_BUILD' in process.env && 'AGENT_NAME' in process.env)) return false;
  return !process.stdout.isTTY;
}

async function colorChalk(colorFlag: boolean | undefined, toFile: boolean): Promise<ChalkLike> {
  if (toFile || colorFlag === false || (process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== '' && colorFlag !== true)) return NO_COLOURS;
  if (colorFlag === undefined && process.env.FORCE_COLOR === undefined && outputIsNoTerminal()) return NO_COLOURS;
  const { Chalk, supportsColor } = await import('chalk');
  let level: 0 | 1 | 2 | 3;
  if (colorFlag === true) level = supportsColor ? supportsColor.level || 1 : 1;
  else if (process.env.FORCE_COLOR !== undefined) {
    const n = process.env.FORCE_COLOR === '' || process.env.FORCE_COLOR === 'true' ? 1 : Number(process.env.FORCE_COLOR);
    level = (Number.isFinite(n) ? Math.min(Math.max(n, 0), 3) : 1) as 0 | 1 | 2 | 3;
  } else level = supportsColor ? supportsColor.level : 0;
  return new Chalk({ level });
}

/** Paths relative to the repository: GitLab's checkout ($CI_PROJECT_DIR), else what GitHub's says. */
function ciRoot(github: { cwd?: string; root?: string }): { cwd?: string; root?: string } {
  return process.env.GITLAB_CI && process.env.CI_PROJECT_DIR ? { cwd: process.cwd(), root: process.env.CI_PROJECT_DIR } : github;
}

/** --release-name, checked as helm checks one (its regex: DNS labels joined by dots, at most 53 characters). */
function cliReleaseName(args: Args): string | undefined {
  const v = args['release-name'];
  if (v === undefined) return undefined;
  const name = String(v);
  if (name.length > 53 || !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/.test(name)) fail(`--release-name takes a release name helm accepts (lower-case letters, digits, '-' and '.', at most 53 characters), got "${name}"`);
  return name;
}

/** --kube-version, checked as the configuration's kubeVersion is: a bad value is a usage error (exit 2). */
async function cliKubeVersion(args: Args): Promise<string | undefined> {
  const v = args['kube-version'];
  if (v === undefined) return undefined;
  const { checkKubeVersion } = await import('./engine/kube-version.js');
  const checked = checkKubeVersion(String(v));
  if ('error' in checked) fail(`--kube-version ${checked.error}`);
  return checked.version;
}

function parseRuleFlags(list: string[] | undefined): Record<string, Severity | 'off'> {
  const out: Record<string, Severity | 'off'> = {};
  for (const item of list ?? []) {
    const m = /^([a-z0-9-]+)(?:[=:](off|error|warning|info))?$/.exec(item.trim());
    if (!m) fail(`--rule takes <rule-id>=<off|error|warning|info>, got "${item}"`);
    out[m[1]] = (m[2] as Severity | 'off' | undefined) ?? 'error';
  }
  return out;
}

/** Every lint option, once: used by the light parser on the hot path and by yargs for help and errors. */
const OPTIONS = {
  format: { alias: 'F', type: 'string', describe: `Output format: ${FORMATS.join(', ')}` },
  output: { alias: 'o', type: 'string', describe: 'Write the report to this file' },
  'fail-on': { type: 'string', choices: ['error', 'warning', 'info', 'none'], default: 'error', describe: 'Lowest severity that makes the exit code 1' },
  quiet: { alias: 'q', type: 'boolean', describe: 'Report errors only (as ESLint --quiet): warnings and info are left out of the output' },
  'max-warnings': { type: 'string', describe: 'Exit 1 when there are more than N warnings, whatever --fail-on says (as ESLint --max-warnings)' },
  config: { alias: 'c', type: 'string', describe: 'Configuration file (default: .k8s-audit.yaml found walking up from the working directory)' },
  'kube-version': { type: 'string', describe: 'Target Kubernetes version, such as 1.34' },
  namespace: { alias: 'n', type: 'string', describe: 'Namespace of objects that name none (default: default)' },
  profile: { type: 'string', choices: ['recommended', 'all'], describe: 'Rule set before per-rule settings' },
  rule: { type: 'string', array: true, describe: 'Rule severity override, <rule-id>=<off|error|warning|info> (repeatable, one value each: --rule a=off --rule b=info)' },
  'show-suppressed': { type: 'boolean', default: false, describe: 'Also print suppressed findings (stylish)' },
  hints: { type: 'boolean', default: false, describe: 'Print how to fix each finding (stylish)' },
  color: { type: 'boolean', describe: 'Force colours on or off (NO_COLOR and FORCE_COLOR are honoured)' },
  'list-rules': { type: 'boolean', default: false, describe: 'List the rules and exit' },
  values: { alias: 'f', type: 'string', array: true, describe: 'Helm values file for charts (repeatable, one value each)' },
  set: { type: 'string', array: true, describe: 'Helm --set for charts (repeatable, one value each)' },
  'set-string': { type: 'string', array: true, describe: 'Helm --set-string for charts (repeatable, one value each)' },
  'set-file': { type: 'string', array: true, describe: 'Helm --set-file for charts (repeatable, one value each)' },
  'set-json': { type: 'string', array: true, describe: 'Helm --set-json for charts (repeatable, one value each)' },
  'release-name': { type: 'string', describe: 'Helm release name for charts (.Release.Name; default release-name, as helm template)' },
  'api-versions': { alias: 'a', type: 'string', array: true, describe: 'Helm --api-versions for charts: an API version (group/version or group/version/Kind) the cluster serves, for .Capabilities.APIVersions (repeatable, one value each)' },
  'helm-binary': { type: 'string', describe: 'Render charts with this helm binary instead of the built-in renderer' },
  'kustomize-binary': { type: 'string', describe: 'Build kustomizations with this kustomize (or kubectl) instead of the built-in build' },
  context: { type: 'string', describe: 'Also read this path for cross-resource context, but report only on the given paths (pre-commit: --context=.)' },
  'context-git': { type: 'boolean', describe: 'Read only the files git tracks in the directories walked (runs git ls-files): untracked files are no context for a commit (what the pre-commit hook runs)' },
  'sarif-file': { type: 'string', describe: 'Also write a SARIF report to this file' },
  'changed-since': { type: 'string', describe: 'Report only findings that files changed since this git revision produce (runs git): in a changed file, related to one, or from a kustomize build or chart that reads one' },
  baseline: { type: 'string', describe: 'Report (and fail on) only the findings not recorded in this baseline file; list its entries that are gone on standard error' },
  'write-baseline': { type: 'string', describe: 'Record the current findings in this baseline file (then nothing is new: exit 0 unless --max-warnings says otherwise)' },
} as const satisfies Record<string, OptionSpec>;

interface OptionSpec {
  alias?: string;
  type: 'string' | 'boolean';
  array?: boolean;
  choices?: readonly string[];
  default?: string | boolean;
  describe: string;
}

/** Options of `render`: what `helm template` takes (and the output format), nothing of the lint. */
const RENDER_OPTIONS: Record<string, OptionSpec> = {
  format: { alias: 'F', type: 'string', choices: ['yaml', 'json'], describe: 'Output format of a kustomization: yaml (as kubectl kustomize prints it) or json (an array of the objects)' },
  values: OPTIONS.values,
  set: OPTIONS.set,
  'set-string': OPTIONS['set-string'],
  'set-file': OPTIONS['set-file'],
  'set-json': OPTIONS['set-json'],
  'api-versions': OPTIONS['api-versions'],
  'release-name': OPTIONS['release-name'],
  'kube-version': OPTIONS['kube-version'],
  namespace: OPTIONS.namespace,
  config: OPTIONS.config,
  debug: { type: 'boolean', describe: 'Print the rendered text even when it is not valid YAML (as helm template --debug), with the error' },
};

const COMMANDS: Record<string, { positional?: string; options?: Record<string, OptionSpec>; only?: boolean }> = {
  rules: { options: { format: { type: 'string', choices: ['text', 'json', 'markdown'], default: 'text', describe: 'Output format' } }, only: true },
  explain: { positional: 'rule', options: {}, only: true },
  extract: { positional: 'guide', options: { out: { type: 'string', describe: 'Directory to write the files to' } }, only: true },
  render: { positional: 'chart', options: RENDER_OPTIONS, only: true },
  init: { options: { force: { type: 'boolean', describe: 'Overwrite an existing .k8s-audit.yaml' } }, only: true },
};

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Args = Record<string, any> & { _: (string | number)[] };

/**
 * The hot path (a pre-commit hook runs it on every commit) parses with yargs-parser alone; yargs itself,
 * which costs ~100 ms to load, is only loaded to print help, the version, or a usage error.
 */
async function parseLight(argv: string[]): Promise<Args | undefined> {
  if (argv.some((a) => a === '--help' || a === '-h' || a === '--version' || a === '-v')) return undefined;
  const { default: parse } = await import('yargs-parser');
  // A subcommand takes its own options only; the lint takes the lint options.
  const sub = COMMANDS[argv[0]];
  const specs: Record<string, OptionSpec> = sub?.only ? { ...(sub.options ?? {}) } : { ...OPTIONS, ...(sub?.options ?? {}) };
  const opts = {
    alias: {} as Record<string, string[]>,
    string: [] as string[],
    boolean: [] as string[],
    array: [] as string[],
    // 'greedy-arrays' off: a repeatable option takes one value each time, so `-f v.yaml chart/` lints chart/
    configuration: { 'strip-aliased': true, 'camel-case-expansion': false, 'unknown-options-as-args': false, 'greedy-arrays': false },
  };
  for (const [k, s] of Object.entries(specs)) {
    if (s.alias) opts.alias[k] = [s.alias];
    (s.type === 'boolean' ? opts.boolean : opts.string).push(k);
    if (s.array) opts.array.push(k);
  }
  const res = parse.detailed(argv, opts);
  if (res.error) return undefined;
  const args = res.argv as Args;
  for (const [k, v] of Object.entries(args)) {
    if (k === '_' || k === '$0') continue;
    const s = specs[k];
    if (!s) return undefined; // unknown option: let yargs explain
    if (s.choices && v !== undefined && !s.choices.includes(String(v))) return undefined;
    if (!s.array && Array.isArray(v)) return undefined;
  }
  for (const [k, s] of Object.entries(specs)) if (args[k] === undefined && s.default !== undefined) args[k] = s.default;
  const cmd = String(args._[0] ?? '');
  if (cmd in COMMANDS) {
    const pos = COMMANDS[cmd].positional;
    if (pos) {
      if (args._.length !== 2) return undefined;
      args[pos] = String(args._[1]);
    }
  } else args.paths = args._.map(String);
  return args;
}

async function parseFull(argv: string[]): Promise<Args> {
  const { default: yargs } = await import('yargs');
  const toYargs = (s: OptionSpec) => ({ ...s, type: s.type, ...(s.choices ? { choices: [...s.choices] } : {}) });
  const parser = yargs(argv)
    .scriptName('k8s-audit')
    .usage('$0 [paths..]\n\nLint Kubernetes manifests, Helm charts and Markdown deployment guides.')
    .epilogue('Repeatable options take one value each time, before or after the paths: k8s-audit -f a.yaml -f b.yaml charts/web')
    // Each command lists and accepts only its own options.
    .command('$0 [paths..]', 'Lint files and directories (default: .; - reads standard input)', (y) =>
      y.positional('paths', { type: 'string', array: true, describe: 'Files or directories' }).options(Object.fromEntries(Object.entries(OPTIONS).map(([k, s]) => [k, toYargs(s)]))),
    )
    .command('rules', 'List the rules', (y) => y.option('format', toYargs(COMMANDS.rules.options!.format)))
    .command('explain <rule>', "Print a rule's documentation", (y) => y.positional('rule', { type: 'string', demandOption: true }))
    .command('extract <guide>', 'Write the files and manifests a Markdown guide teaches to --out <dir>', (y) =>
      y.positional('guide', { type: 'string', demandOption: true }).option('out', toYargs(COMMANDS.extract.options!.out)),
    )
    .command('render <chart>', 'Print the manifests a chart renders to, as `helm template` does, or what a kustomization directory builds, as `kubectl kustomize` does', (y) =>
      y.positional('chart', { type: 'string', demandOption: true }).options(Object.fromEntries(Object.entries(RENDER_OPTIONS).map(([k, s]) => [k, toYargs(s)]))),
    )
    .command('init', 'Write a commented .k8s-audit.yaml in the working directory', (y) => y.option('force', toYargs(COMMANDS.init.options!.force)))
    .parserConfiguration({ 'greedy-arrays': false })
    .strictOptions()
    .version(VERSION)
    .alias('h', 'help')
    .alias('v', 'version')
    .wrap(Math.min(110, process.stdout.columns || 100))
    .fail((msg, err) => {
      fail(msg || err?.message || 'invalid arguments (see --help)');
    });
  return (await parser.parseAsync()) as Args;
}

/**
 * A reader that stops early (`k8s-audit rules --format json | head`) closes the pipe: the rest of the output
 * has nowhere to go, which is no error of ours. Stay quiet, as `cat` does, instead of dying on EPIPE, but let the
 * run finish: its exit code (1 for findings at --fail-on) is what `set -o pipefail` and CI read, and exiting at
 * the first EPIPE gave 0 because the code is set only once the run ends. Writes after the pipe closed are dropped
 * by the destroyed stream.
 */
function quietOnClosedPipe(): void {
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') return;
    throw e;
  });
}

/**
 * The GitHub Action's entry point (bin/action.js): inside the CLI bundle, so the Action runs the committed
 * bundle as the CLI does, with no build and no second bundle of the same code.
 */
export async function action(): Promise<number> {
  return (await import('./action.js')).runAction();
}

/**
 * For the bundle's build (scripts/code-cache.mjs): V8's code cache of the schema modules the training runs
 * loaded, and the file it is read from (src/schema/builtin.ts).
 */
export async function schemaCodeCache(): Promise<{ file: string; data: Buffer }> {
  const { schemaCodeCache, schemaCodeCacheFile } = await import('./schema/builtin.js');
  return { file: schemaCodeCacheFile, data: schemaCodeCache() };
}

/**
 * A long run (a large input, audit's LARGE_INPUT): TurboFan without inlining. Compiling hot functions with their
 * callees inlined costs more CPU, on V8's background threads, than the faster code gives back before a lint run
 * ends: about 10-15% less CPU on 10,000 generated resources and 18% on 1,000, the same on 50,000 (bench/run.mjs,
 * issue 31). Not at start-up: loading node:v8 costs a one-file run a few ms, and short runs compile little.
 */
function tuneForLongRun(): void {
  (createRequire(import.meta.url)('node:v8') as typeof import('node:v8')).setFlagsFromString('--no-turbo-inlining');
}

export async function main(argv = process.argv): Promise<number> {
  quietOnClosedPipe();
  const raw = argv.slice(2);
  const args = (await parseLight(raw)) ?? (await parseFull(raw));
  const cmd = String(args._[0] ?? '');
  // render, extract and init need no rules: they start without loading them
  if (cmd === 'render') return renderCommand(args);
  if (cmd === 'extract') return (await import('./load/markdown-extract.js')).extractCommand(args.guide as string | undefined, args.out as string | undefined);
  if (cmd === 'init') return (await import('./init.js')).initCommand(process.cwd(), Boolean(args.force));
  const { rules } = await import('../rules/index.js');

  if (cmd === 'rules' || args['list-rules']) {
    const { rulesText, rulesJson, renderRulesMarkdown } = await import('./docs.js');
    const f = cmd === 'rules' ? String(args.format ?? 'text') : 'text';
    process.stdout.write(f === 'json' ? rulesJson(rules) : f === 'markdown' ? renderRulesMarkdown(rules) : rulesText(rules));
    return EXIT_OK;
  }

  if (cmd === 'explain') {
    const id = String(args.rule);
    // a custom rule of the configuration found from the working directory (customRules:)
    const rule = rules.find((r) => r.id === id) ?? (await import('./cel/explain.js')).customRule(id, process.cwd(), rules);
    if (!rule) {
      const near = rules.filter((r) => r.id.includes(id) || id.includes(r.id)).map((r) => r.id);
      fail(`unknown rule "${id}"${near.length ? ` (did you mean ${near.join(', ')}?)` : ''}; see \`k8s-audit rules\``);
    }
    const { explainText } = await import('./docs.js');
    process.stdout.write(explainText(rule));
    return EXIT_OK;
  }

  // In GitHub Actions the default is annotations plus a job summary.
  const { githubEnv } = await import('./integrations/github.js');
  const gh = githubEnv(process.env, process.cwd());
  const format = (args.format ?? (gh.inActions ? 'github' : 'stylish')) as Format;
  if (!FORMATS.includes(format)) fail(`unknown --format "${format}" (expected one of: ${FORMATS.join(', ')})`);
  const kubeVersion = await cliKubeVersion(args);
  let paths = ((args.paths as string[] | undefined) ?? []).map(String);
  let reportOnly: string[] | undefined;
  const context = [args.context ?? []].flat().map(String);
  if (context.length) ({ paths, reportOnly } = (await import('./integrations/context.js')).withContext(paths, context, process.cwd()));
  let changedFiles: string[] | undefined;
  let trackedFiles: Set<string> | undefined;
  if (args['context-git']) {
    const git = await import('./integrations/git.js');
    try {
      trackedFiles = git.trackedFiles(process.cwd());
    } catch (e) {
      if (e instanceof git.GitError) fail(`--context-git: ${e.message}`);
      throw e;
    }
  }
  if (args['changed-since'] !== undefined) {
    const git = await import('./integrations/git.js');
    try {
      changedFiles = git.changedSince(String(args['changed-since']), process.cwd());
    } catch (e) {
      if (e instanceof git.GitError) fail(e.message);
      throw e;
    }
  }
  const { audit, UsageError } = await import('./engine/run.js');
  const { ConfigError } = await import('./engine/config.js');
  let report: Report;
  const stdin = paths.includes('-') ? await readStdin() : undefined;
  try {
    report = await audit(paths.length ? paths : ['.'], {
      configFile: args.config,
      kubeVersion,
      namespace: args.namespace,
      profile: args.profile,
      ruleOverrides: parseRuleFlags(args.rule),
      stdinText: stdin?.text,
      stdinFailure: stdin?.failure,
      reportOnly,
      changedFiles,
      trackedFiles,
      onLargeInput: tuneForLongRun,
      kustomizeBinary: args['kustomize-binary'] ?? (process.env.K8S_AUDIT_KUSTOMIZE_BINARY || undefined),
      helm: {
        values: args.values,
        set: args.set,
        setString: args['set-string'],
        setFile: args['set-file'],
        setJson: args['set-json'],
        apiVersions: args['api-versions'],
        releaseName: cliReleaseName(args),
        // A program to run comes from the command line or the environment, never from a discovered config.
        binary: args['helm-binary'] ?? (process.env.K8S_AUDIT_HELM_BINARY || undefined),
      },
    });
  } catch (e) {
    if (e instanceof UsageError || e instanceof ConfigError) fail(e.message);
    throw e;
  }

  report = await withBaseline(report, args);
  // --quiet: errors only, as ESLint does (the summary counts what is shown).
  const warnings = report.summary.warnings;
  if (args.quiet) {
    report = { ...report, findings: report.findings.filter((f) => f.severity === 'error') };
    report.summary = { ...report.summary, warnings: 0, infos: 0 };
  }
  let maxWarnings: number | undefined;
  if (args['max-warnings'] !== undefined) {
    maxWarnings = Number(args['max-warnings']);
    if (!Number.isInteger(maxWarnings) || maxWarnings < 0) fail(`--max-warnings takes a whole number of warnings (0 or more), got "${args['max-warnings']}"`);
  }
  // (a JSON report is written a piece at a time: a large one is not held whole as a string and as bytes)
  let text: string | Iterable<string>;
  switch (format) {
    case 'json':
      text = (await import('./report/json.js')).formatJsonPieces(report);
      break;
    case 'sarif':
      text = (await import('./report/sarif.js')).formatSarif(report, rules, gh.report);
      break;
    case 'github':
      text = (await import('./report/github.js')).formatGithub(report, gh.report);
      break;
    case 'junit':
      text = (await import('./report/junit.js')).formatJunit(report, ciRoot(gh.report));
      break;
    case 'gitlab':
      text = (await import('./report/gitlab.js')).formatGitlab(report, ciRoot(gh.report));
      break;
    default: {
      const chalk = await colorChalk(args.color, Boolean(args.output));
      text = (await import('./report/stylish.js')).formatStylish(report, { chalk, showSuppressed: args['show-suppressed'], showHints: args.hints });
    }
  }
  if (args.output) {
    try {
      writeReport(args.output, text);
    } catch (e) {
      fail(`cannot write ${args.output}: ${(e as Error).message}`);
    }
  } else {
    let last = '';
    for (const piece of typeof text === 'string' ? [text] : text) {
      if (last) process.stdout.write(last);
      last = piece;
    }
    await new Promise<void>((resolve) => process.stdout.write(last, () => resolve()));
  }
  const writeExtra = (file: string, content: string, append = false) => {
    try {
      writeReport(file, content, append);
    } catch (e) {
      fail(`cannot write ${file}: ${(e as Error).message}`);
    }
  };
  if (args['sarif-file']) writeExtra(args['sarif-file'], (await import('./report/sarif.js')).formatSarif(report, rules, gh.report));
  if (format === 'github' && !args.format && gh.summaryFile) writeExtra(gh.summaryFile, (await import('./report/github.js')).formatGithubSummary(report, gh.report), true);
  const threshold = args['fail-on'] as Severity | 'none';
  const { atOrAbove } = await import('./engine/run.js');
  if (report.findings.some((f) => atOrAbove(f.severity, threshold))) return EXIT_FINDINGS;
  if (maxWarnings !== undefined && warnings > maxWarnings) {
    process.stderr.write(`k8s-audit: ${warnings} warnings, more than --max-warnings ${maxWarnings}\n`);
    return EXIT_FINDINGS;
  }
  return EXIT_OK;
}

/**
 * --write-baseline FILE records every current finding; --baseline FILE leaves out the findings it records and
 * says on standard error how many, and which of its entries are gone. --write-baseline alone then reports
 * against what it wrote (nothing is new); with --baseline too, it reports against the old one and records anew.
 */
async function withBaseline(report: Report, args: Args): Promise<Report> {
  const write = args['write-baseline'] as string | undefined;
  const read = (args.baseline as string | undefined) ?? write;
  if (!read) return report;
  const b = await import('./report/baseline.js');
  if (write) {
    try {
      writeReport(write, b.formatBaseline(report));
    } catch (e) {
      fail(`cannot write ${write}: ${(e as Error).message}`);
    }
    process.stderr.write(`k8s-audit: wrote ${report.findings.length} ${report.findings.length === 1 ? 'finding' : 'findings'} to the baseline ${write}\n`);
  }
  let baseline;
  try {
    baseline = b.readBaseline(read);
  } catch (e) {
    if (e instanceof b.BaselineError) fail(e.message);
    throw e;
  }
  const r = b.applyBaseline(report, baseline);
  if (args.baseline) process.stderr.write(b.baselineNote(r, read));
  return r.report;
}

/** `k8s-audit render CHART`: what was linted, as `helm template` prints it; errors to stderr, exit 1. */
async function renderCommand(args: Args): Promise<number> {
  const path = await import('node:path');
  const chart = path.resolve(String(args.chart));
  const helm = await import('./render/helm/index.js');
  if (!helm.isChartDir(chart) && !/\.tgz$/i.test(chart)) {
    const { findKustomizationFile } = await import('./render/kustomize/index.js');
    if (isDirectory(chart) && findKustomizationFile(chart)) return renderKustomizeCommand(chart, args);
    fail(`${args.chart} is not a chart (no Chart.yaml) nor a kustomization directory (no kustomization.yaml)`);
  }
  if (args.format !== undefined) fail('--format applies to a kustomization; a chart renders as `helm template` prints it');
  const { loadConfig, trustedView } = await import('./engine/config.js');
  const loaded = loadConfig(process.cwd(), args.config);
  const view = trustedView(loaded, Boolean(args.config));
  for (const r of view.refused) process.stderr.write(`${path.relative(process.cwd(), r.file) || r.file}:${r.line}:${r.column}: warning: ${r.message}\n`);
  const cfg = view.config;
  // The chart's settings as lint gives them (./engine/charts.ts): helm:, then its charts: entry, then the
  // command line's, so `render` prints what lint checked.
  const { chartSettings } = await import('./engine/charts.js');
  const root = fs.realpathSync.native(helm.isChartDir(chart) ? chart : path.dirname(chart));
  const input = { kind: 'chart' as const, abs: chart, rel: path.relative(process.cwd(), chart) || '.', root };
  const settingsFor = chartSettings({
    cwd: process.cwd(),
    cfg,
    loaded: { ...loaded, config: cfg },
    common: {
      values: [...(cfg.helm?.values ?? [])],
      set: [...(cfg.helm?.set ?? [])],
      apiVersions: [...(cfg.helm?.apiVersions ?? []), ...((args['api-versions'] as string[] | undefined) ?? [])],
      namespace: args.namespace ?? cfg.namespace ?? 'default',
    },
    cli: { values: args.values as string[] | undefined, set: args.set as string[] | undefined, setString: args['set-string'] as string[] | undefined, setFile: args['set-file'] as string[] | undefined, setJson: args['set-json'] as string[] | undefined, releaseName: cliReleaseName(args) },
    paths: [String(args.chart)],
    charts: [input],
  });
  const h = settingsFor(input);
  const result = helm.renderChart(chart, {
    valuesFiles: (h.values ?? []).map((v) => path.resolve(v)),
    set: h.set,
    setString: h.setString,
    setFile: h.setFile,
    setJson: h.setJson,
    // as helm template: no version given means helm's own default (v1.35.0), not the lint's target
    kubeVersion: (await cliKubeVersion(args)) ?? cfg.kubeVersion,
    apiVersions: h.apiVersions,
    namespace: h.namespace,
    releaseName: h.releaseName,
    root,
  });
  for (const r of result.refused ?? []) process.stderr.write(`${r.file}:${r.line}${r.column ? `:${r.column}` : ''}: warning: refused: ${r.message}\n`);
  const manifest = helm.manifestErrors(result);
  const errors = [...result.errors, ...manifest];
  if (errors.length) {
    // helm template --debug prints what rendered when only the YAML check failed, then the error
    if (args.debug && !result.errors.length) await new Promise<void>((resolve) => process.stdout.write(helm.formatAsHelmTemplate(result), () => resolve()));
    for (const e of errors) process.stderr.write(`${e.file}:${e.line}${e.column ? `:${e.column}` : ''}: ${e.message}\n`);
    return EXIT_FINDINGS;
  }
  await new Promise<void>((resolve) => process.stdout.write(helm.formatAsHelmTemplate(result), () => resolve()));
  return EXIT_OK;
}

function isDirectory(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/**
 * `k8s-audit render DIR` on a kustomization: what `kubectl kustomize DIR` prints (the built-in build, in
 * kustomize's output order). When kustomize would fail: its errors on stderr, naming the build, exit 1.
 * What the build cannot know (a remote base, a plugin) is a warning: the output lacks what it adds.
 */
async function renderKustomizeCommand(dir: string, args: Args): Promise<number> {
  const { renderKustomizationDir, formatKustomizeYaml } = await import('./load/kustomize-render.js');
  const r = await renderKustomizationDir(dir, { cwd: process.cwd() });
  const at = (p: { file: string; line: number; column: number }) => `${p.file}:${p.line}${p.column ? `:${p.column}` : ''}`;
  for (const p of r.partial) process.stderr.write(`${at(p)}: warning: ${r.build}: ${p.message}\n`);
  if (r.errors.length) {
    for (const e of r.errors) process.stderr.write(`${at(e)}: ${r.build}: ${e.message}\n`);
    return EXIT_FINDINGS;
  }
  const text = args.format === 'json' ? JSON.stringify(r.objects, null, 2) + '\n' : await formatKustomizeYaml(r.objects);
  await new Promise<void>((resolve) => process.stdout.write(text, () => resolve()));
  return EXIT_OK;
}
