/** The pipeline: load -> parse -> resource graph -> rules -> suppressions -> sorted report. */
import fs from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import type { Finding, Location, Path, RelatedLocation, Report, Severity, SuppressedFinding } from '../types.js';
import { severityRank } from '../types.js';
import type { Rule, RuleSettings, Related } from '../rule.js';
import { formatMessage } from '../rule.js';
import { LineIndex, mapPosition, type SourceText } from '../parse/source.js';
import { parseSource, ParsedDocument, type ParseProblem } from '../parse/documents.js';
import { Resource } from '../graph/resource.js';
import { ResourceGraph } from '../graph/graph.js';
import { expandKinds } from '../graph/kinds.js';
import { podTemplateOf } from '../graph/workloads.js';
import { isKubeLike, isObjectLike, isToolConfig, isValidObject } from './objects.js';
import { discover, displayPath } from '../load/files.js';
import { realpathOrUndefined } from '../load/sandbox.js';
import { expandInput, stdinSource, type Expanded, type HelmSettings } from '../load/expand.js';
import type { ReadFailure } from '../load/read.js';
import { annotationSuppressions, commentDirectives, directiveCovers, type AnnotationSuppression, type CommentDirective } from '../suppress.js';
import { loadConfig, trustedView, globMatch, DEFAULT_KUBE_VERSION, type Config, type LoadedConfig } from './config.js';
import { VERSION } from '../version.js';
import { reportScope } from './scope.js';
import { readCrdFiles, setConfiguredCrds } from '../schema/crd.js';
import { timingFromEnv } from './timing.js';

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
}

export class UsageError extends Error {}

interface RawFinding {
  rule: Rule;
  severity: Severity;
  message: string;
  hint: string;
  resource: Resource | null;
  source: SourceText | null;
  /** Source-coordinate line (for comment directives); 0 when not in a source. */
  srcLine: number;
  loc: Location;
  related?: RelatedLocation[];
  fingerprint: string;
  context?: string;
}

const UNUSED = 'unused-suppression';

export async function audit(paths: string[], options: AuditOptions = {}): Promise<Report> {
  const cwd = path.resolve(options.cwd ?? process.cwd());
  const loaded: LoadedConfig = options.config ? { config: options.config } : loadConfig(cwd, options.configFile);
  // A configuration found in the scanned tree may not run programs or read outside the project.
  const trusted = trustedView(loaded, Boolean(options.config || options.configFile));
  const cfg = trusted.config;
  const allRules = options.rules ?? (await import('../../rules/index.js')).rules;
  const ruleById = new Map(allRules.map((r) => [r.id, r]));

  // Effective rule set and severities.
  const profile = options.profile ?? cfg.profile ?? 'recommended';
  const overrides = { ...(cfg.rules ?? {}), ...(options.ruleOverrides ?? {}) };
  for (const id of Object.keys(overrides)) {
    if (!ruleById.has(id)) throw new UsageError(`unknown rule "${id}" in ${options.ruleOverrides && id in options.ruleOverrides ? 'the command line' : 'the configuration (rules)'}; see \`k8s-audit rules\``);
  }
  const severityOf = new Map<string, Severity>();
  for (const r of allRules) {
    const o = overrides[r.id];
    if (o === 'off') continue;
    if (o) severityOf.set(r.id, o);
    else if (profile === 'all' || r.meta.recommended) severityOf.set(r.id, r.meta.severity);
  }
  const enabled = allRules.filter((r) => severityOf.has(r.id));

  if (cfg.crds?.length) {
    const where = loaded.file ? path.basename(loaded.file) : 'the configuration';
    const read = readCrdFiles(cfg.crds, loaded.file ? path.dirname(loaded.file) : cwd, `named in ${where} (crds)`);
    if ('missing' in read) throw new UsageError(`the CRD path "${read.missing}" named in ${where} (crds) does not exist`);
    setConfiguredCrds(read.crds);
  } else setConfiguredCrds([]);

  const kubeVersion = (options.kubeVersion ?? cfg.kubeVersion ?? DEFAULT_KUBE_VERSION).replace(/^v/, '');
  const defaultNamespace = options.namespace ?? cfg.namespace ?? 'default';
  const external = cfg.external ?? [];
  const baseSettings = {
    kubeVersion,
    defaultNamespace,
    isExternal: (kind: string, name: string, namespace: string) =>
      external.some((e) => e.kind === kind && globMatch(e.name, name) && (e.namespace === undefined || globMatch(e.namespace, namespace))),
  };

  timing?.start();
  // 1. Inputs.
  const ignore = (cfg.ignore ?? []).map((g) => (loaded.file ? path.relative(cwd, path.resolve(path.dirname(loaded.file), g)).split(path.sep).join('/') : g));
  const wantsStdin = paths.includes('-');
  const fsPaths = paths.filter((p) => p !== '-');
  const { inputs, missing, refused } = await discover(wantsStdin && fsPaths.length === 0 ? [] : fsPaths.length ? fsPaths : ['.'], cwd, ignore);
  if (missing.length) throw new UsageError(`no such file or directory: ${missing.join(', ')}`);
  // A whole directory is a stack; single files (a pre-commit hook's list, a snippet) are partial input.
  const scannedDirectory = fsPaths.length === 0 || fsPaths.some((p) => isDirectory(path.resolve(cwd, p)));

  const helm: HelmSettings = {
    ...cfg.helm,
    ...options.helm,
    // The program that renders: the caller's choice, else a trusted configuration's (never undefined over it).
    binary: options.helm?.binary ?? cfg.helm?.binary,
    values: [...(cfg.helm?.values ?? []), ...(options.helm?.values ?? [])],
    set: [...(cfg.helm?.set ?? []), ...(options.helm?.set ?? [])],
    apiVersions: [...(cfg.helm?.apiVersions ?? []), ...(options.helm?.apiVersions ?? [])],
    kubeVersion,
    namespace: defaultNamespace,
  };
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
  for (const input of inputs) {
    if (input.kind === 'kustomize') continue;
    if (input.kind === 'manifest' && claimed.size && claimed.has(realpathOrUndefined(input.abs) ?? input.abs)) continue;
    expanded.push(await expandInput(input, { cwd, helm }));
  }

  timing?.phase('load (discover, read, render)');
  // 2. Parse.
  const raws: RawFinding[] = [];
  const docs: ParsedDocument[] = [];
  for (const ex of expanded) {
    for (const src of ex.sources) docs.push(...parseSource(src));
    if (ex.documents) docs.push(...ex.documents);
    for (const p of ex.problems) {
      const src: SourceText = { file: p.file, text: '', format: 'yaml', origin: 'file', group: '' };
      const kind = p.problem.kind;
      const prob: ParseProblem = { kind, message: p.problem.message, line: p.line, column: p.column, endLine: p.line, endColumn: p.column + 1 };
      docs.push(new ParsedDocument(src, 0, 0, '', undefined, [prob]));
    }
  }

  timing?.phase('parse');
  // 3. Resources, by group.
  const groups = new Map<string, Resource[]>();
  let skipped = 0;
  for (const d of docs) {
    const made = resourcesOf(d, defaultNamespace);
    if (made === 'skip') {
      // (a chart's values files are read for their credentials, not as documents someone meant as objects)
      if (!d.source.valuesOnly) skipped++;
      continue;
    }
    for (const r of made) {
      let g = groups.get(r.group);
      if (!g) groups.set(r.group, (g = []));
      g.push(r);
    }
  }

  timing?.phase('resources');
  // 4. Rules.
  const makeRaw = (rule: Rule, partial: { message: string; resource: Resource | null; source: SourceText | null; srcLine: number; loc: Location; related?: RelatedLocation[]; hint?: string; keyPath: string; uncertain?: string }): RawFinding => ({
    rule,
    severity: partial.uncertain ? 'info' : severityOf.get(rule.id)!,
    message: partial.uncertain ? `${partial.message}; ${partial.uncertain}` : partial.message,
    hint: partial.hint ?? rule.meta.docs.remediation,
    resource: partial.resource,
    source: partial.source,
    srcLine: partial.srcLine,
    loc: partial.loc,
    related: partial.related,
    context: withLineContext(partial.source, partial.srcLine),
    fingerprint: fingerprint(rule.id, partial.loc.file, partial.resource?.key ?? '', partial.keyPath, partial.resource ? '' : partial.message),
  });

  const docRules = enabled.filter((r) => r.checkDocument);
  for (const d of docs) {
    const settings: RuleSettings = { ...baseSettings, partial: d.source.origin !== 'file' };
    for (const rule of docRules) {
      if (d.source.valuesOnly && !rule.meta.readsValues) continue;
      safely(rule, d.source.file, () =>
        rule.checkDocument!(d, {
          settings,
          report: (rep) => {
            const s = mapPosition(d.source, rep.line, rep.column);
            const e = mapPosition(d.source, rep.endLine ?? rep.line, rep.endColumn ?? rep.column + 1);
            const loc = { file: s.file, line: s.line, column: s.column, endLine: e.file === s.file ? e.line : s.line, endColumn: e.file === s.file ? e.column : s.column + 1 };
            const message = formatMessage(rule.meta.messages[rep.messageId], rep.data);
            raws.push(makeRaw(rule, { message, resource: null, source: d.source.text ? d.source : null, srcLine: rep.line, loc, keyPath: `${d.index}:${rep.messageId}` }));
          },
        }),
      );
    }
  }

  const resRules = enabled.filter((r) => r.check).map((r) => ({ rule: r, kinds: expandKinds(r.meta.kinds) }));
  for (const [group, resources] of groups) {
    const graph = new ResourceGraph(resources);
    // A kustomize overlay is a whole deployment; a chart, a guide, a kustomize base or stdin is a fragment.
    const partial = (group !== '' && !group.startsWith('kustomize:')) || !scannedDirectory || resources.every((r) => r.doc.source.origin === 'stdin');
    const settings: RuleSettings = { ...baseSettings, partial };
    for (const r of resources) {
      for (const { rule, kinds } of resRules) {
        if (kinds && !kinds.has(r.kind)) continue;
        safely(rule, r.file, () =>
          rule.check!(r, {
            graph,
            settings,
            report: (rep) => {
              const target = rep.resource ?? r;
              const p: Path = rep.path ?? ['metadata', 'name'];
              const { loc, srcLine } = target.position(p);
              const message = formatMessage(rule.meta.messages[rep.messageId], rep.data);
              const related = rep.related?.map((x) => relatedLocation(x));
              raws.push(makeRaw(rule, { message, resource: target, source: target.doc.source, srcLine, loc, related, hint: rep.hint, keyPath: `${p.join('.')}:${rep.messageId}`, uncertain: rep.uncertain }));
            },
          }),
        );
      }
    }
  }

  timing?.phase('rules (including positions of findings)');
  // 5. Suppressions.
  const commentCache = new Map<SourceText, CommentDirective[]>();
  const commentsOf = (s: SourceText) => {
    let c = commentCache.get(s);
    if (!c) commentCache.set(s, (c = s.commentDirectives ? s.commentDirectives() : commentDirectives(s)));
    return c;
  };
  const annotationCache = new Map<Resource, AnnotationSuppression[]>();
  const annotationsOf = (r: Resource) => {
    let a = annotationCache.get(r);
    if (!a) {
      a = annotationSuppressions(r.annotations, ['metadata', 'annotations']);
      const t = podTemplateOf(r);
      if (t && t.path.length) a.push(...annotationSuppressions(t.annotations, [...t.path, 'metadata', 'annotations']));
      annotationCache.set(r, a);
    }
    return a;
  };
  const excludes = (cfg.exclude ?? []).map((e, i) => ({ e, i, used: false }));
  const sourceDirectives = new Map<SourceText, { used: boolean }[]>();
  // One Markdown directive can sit on several texts (a block's here-documents, a template rendered per
  // scenario): it is used when any of them uses it, and reported stale at most once.
  const usedDirectives = new Set<unknown>();
  const reportedDirectives = new Set<unknown>();
  const staleOnce = (d: unknown) => !usedDirectives.has(d) && !reportedDirectives.has(d) && !!reportedDirectives.add(d);

  const findings: Finding[] = [];
  const suppressed: SuppressedFinding[] = [];
  // Findings from kustomize builds: one rule at one source position is one defect, whichever builds found
  // it (their messages differ only by the names and namespaces each overlay gives).
  const sameDefect = new WeakSet<Finding>();
  for (const f of raws) {
    const id = f.rule.id;
    let via: SuppressedFinding['via'] | undefined;
    let reason = '';
    if (f.rule.id !== UNUSED) {
      for (const x of excludes) {
        const e = x.e;
        if (!e.rules.includes(id) && !e.rules.includes('*')) continue;
        if (e.files && !globMatch(e.files, f.loc.file)) continue;
        if (e.kind || e.name || e.namespace) {
          if (!f.resource) continue;
          if (!globMatch(e.kind, f.resource.kind) || !globMatch(e.name, f.resource.name) || !globMatch(e.namespace, f.resource.namespace)) continue;
        }
        x.used = true;
        via ??= 'config';
        reason ||= e.reason ?? '';
      }
      if (f.resource) {
        for (const a of annotationsOf(f.resource)) {
          if (!directiveCovers(a, id)) continue;
          a.used = true;
          via ??= 'annotation';
          reason ||= a.reason;
        }
      }
      if (f.source) {
        for (const c of commentsOf(f.source)) {
          if (f.srcLine < c.from || f.srcLine > c.to || !directiveCovers(c, id)) continue;
          c.used = true;
          if (c.shared) c.shared.used = true;
          via ??= 'comment';
          reason ||= c.reason;
        }
        const sd = f.source.directives ?? [];
        if (sd.length) {
          let used = sourceDirectives.get(f.source);
          if (!used) sourceDirectives.set(f.source, (used = sd.map(() => ({ used: false }))));
          sd.forEach((d, i) => {
            if (!directiveCovers(d, id)) return;
            used![i].used = true;
            usedDirectives.add(d);
            via ??= 'comment';
            reason ||= d.reason;
          });
        }
      }
    }
    const out = toFinding(f);
    if (via) {
      const s = { ...out, reason, via };
      if (f.source?.origin === 'kustomize') sameDefect.add(s);
      suppressed.push(s);
    } else {
      if (f.source?.origin === 'kustomize') sameDefect.add(out);
      findings.push(out);
    }
  }

  // 6. Stale suppressions.
  const unusedRule = ruleById.get(UNUSED);
  if (unusedRule && severityOf.has(UNUSED)) {
    const sev = severityOf.get(UNUSED)!;
    const push = (message: string, loc: Location, resource: Resource | null) =>
      findings.push({ ruleId: UNUSED, severity: sev, message, ...loc, resource: resource?.ref ?? null, hint: unusedRule.meta.docs.remediation, fingerprint: fingerprint(UNUSED, loc.file, resource?.key ?? '', message, '') });
    const describe = (rules: string[] | '*') => {
      if (rules === '*' || rules.length === 0 || rules.includes('*')) return { unknown: [] as string[], text: 'every rule' };
      const unknown = rules.filter((r) => r !== '*' && !ruleById.has(r));
      return { unknown, text: rules.join(', ') };
    };
    const emit = (rules: string[] | '*', loc: Location, resource: Resource | null, where: string) => {
      const d = describe(rules);
      // A suppression for rules that are switched off here (another profile, a pre-commit config) is not stale.
      if (rules !== '*' && rules.length && !rules.includes('*') && !d.unknown.length && rules.every((r) => !severityOf.has(r))) return;
      if (d.unknown.length) push(formatMessage(unusedRule.meta.messages['unknownRule' as never], { rules: d.unknown.join(', '), where }), loc, resource);
      else push(formatMessage(unusedRule.meta.messages['unused' as never], { rules: d.text, where }), loc, resource);
    };
    // Directives carried into several built texts: stale only when no build used them, reported once.
    const shared = new Set<NonNullable<CommentDirective['shared']>>();
    const emitComment = (src: SourceText, c: CommentDirective) => {
      if (c.shared) {
        if (!c.shared.used && !shared.has(c.shared)) {
          shared.add(c.shared);
          const a = c.shared.at;
          emit(c.rules, { file: a.file, line: a.line, column: a.column, endLine: a.line, endColumn: a.column + 1 }, null, 'this comment');
        }
        return;
      }
      const p = mapPosition(src, c.line, c.column);
      emit(c.rules, { file: p.file, line: p.line, column: p.column, endLine: p.line, endColumn: p.column + 1 }, null, 'this comment');
    };
    for (const [src, list] of commentCache) {
      for (const c of list) {
        if (c.used) continue;
        if (c.shared) {
          emitComment(src, c);
          continue;
        }
        const p = mapPosition(src, c.line, c.column);
        emit(c.rules, { file: p.file, line: p.line, column: p.column, endLine: p.line, endColumn: p.column + 1 }, null, 'this comment');
      }
    }
    for (const [r, list] of annotationCache) {
      for (const a of list) {
        if (a.used) continue;
        emit(a.rules, r.position([...a.path, a.key]).loc, r, `the annotation "${a.key}"`);
      }
    }
    for (const [src, used] of sourceDirectives) {
      (src.directives ?? []).forEach((d, i) => {
        if (!used[i].used && staleOnce(d)) emit(d.rules, { file: d.file, line: d.line, column: d.column, endLine: d.line, endColumn: d.column + 1 }, null, 'this directive');
      });
    }
    // Source directives on texts where nothing fired at all.
    for (const d of docs) {
      const src = d.source;
      if (!src.directives?.length || sourceDirectives.has(src)) continue;
      sourceDirectives.set(src, []);
      for (const dir of src.directives) if (staleOnce(dir)) emit(dir.rules, { file: dir.file, line: dir.line, column: dir.column, endLine: dir.line, endColumn: dir.column + 1 }, null, 'this directive');
    }
    // Comment directives in sources where no finding fired at all.
    for (const d of docs) {
      if (commentCache.has(d.source)) continue;
      for (const c of commentsOf(d.source)) emitComment(d.source, c);
    }
    for (const groupResources of groups.values()) {
      for (const r of groupResources) {
        if (annotationCache.has(r)) continue;
        for (const a of annotationsOf(r)) emit(a.rules, r.position([...a.path, a.key]).loc, r, `the annotation "${a.key}"`);
      }
    }
    for (const x of excludes) {
      if (x.used) continue;
      const file = loaded.file ? displayPath(cwd, loaded.file) : '.k8s-audit.yaml';
      const node = loaded.doc?.getIn(['exclude', x.i], true) as { range?: [number, number, number] } | undefined;
      const { line, column } = node?.range && loaded.text ? new LineIndex(loaded.text).position(node.range[0]) : { line: 1, column: 1 };
      emit(x.e.rules, { file, line, column, endLine: line, endColumn: column + 1 }, null, `exclude entry ${x.i + 1} of the configuration`);
    }
  }

  if (options.reportOnly) {
    const keep = reportScope(cwd, options.reportOnly);
    for (const list of [findings, suppressed] as Finding[][]) {
      let n = 0;
      for (const f of list) if (keep(f)) list[n++] = f;
      list.length = n;
    }
  }
  dedupe(findings, sameDefect);
  dedupe(suppressed, sameDefect);
  sortFindings(findings);
  sortFindings(suppressed);
  timing?.phase('suppressions, sorting');
  timing?.print();
  const count = (s: Severity) => findings.filter((f) => f.severity === s).length;
  const resourcesTotal = [...groups.values()].reduce((a, g) => a + g.length, 0);
  return {
    tool: { name: 'k8s-audit', version: VERSION },
    findings,
    suppressed,
    summary: {
      files: expanded.length - (refusals.problems.length ? 1 : 0),
      resources: resourcesTotal,
      errors: count('error'),
      warnings: count('warning'),
      infos: count('info'),
      suppressed: suppressed.length,
      skipped,
    },
  };
}

function withLineContext(src: SourceText | null, line: number): string | undefined {
  if (!src) return undefined;
  const extra = line > 0 ? src.contextAt?.(line) : undefined;
  return extra ? (src.context ? `${src.context}; ${extra}` : extra) : src.context;
}

function isDirectory(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}

function toFinding(f: RawFinding): Finding {
  const out: Finding = {
    ruleId: f.rule.id,
    severity: f.severity,
    message: f.message,
    ...f.loc,
    resource: f.resource?.ref ?? null,
    hint: f.hint,
  };
  if (f.context) out.context = f.context;
  if (f.related?.length) out.related = f.related;
  out.fingerprint = f.fingerprint;
  return out;
}


function relatedLocation(x: Related): RelatedLocation {
  return { ...x.resource.position(x.path ?? ['metadata', 'name']).loc, message: x.message };
}

/** Turn a parsed document into resources; 'skip' for documents that are not Kubernetes objects. */
function resourcesOf(d: ParsedDocument, defaultNamespace: string): Resource[] | 'skip' {
  const v = d.value;
  if (d.problems.some((p) => p.kind !== 'duplicate-key')) return [];
  if (!isObjectLike(v)) return 'skip';
  if (isToolConfig(v)) return 'skip';
  if (!isValidObject(v)) return isKubeLike(v) ? [] : 'skip';
  if (/List$/.test(String(v.kind)) && Array.isArray(v.items)) {
    const out: Resource[] = [];
    v.items.forEach((it: unknown, i: number) => {
      if (isObjectLike(it) && isValidObject(it)) out.push(new Resource(it, d, ['items', i], defaultNamespace));
    });
    return out;
  }
  return [new Resource(v, d, [], defaultNamespace)];
}

function fingerprint(...parts: string[]): string {
  return createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, 32);
}

/**
 * The same finding from several renderings of one source (a chart's default values and its ci/ scenarios)
 * is one finding; its context names every rendering that produced it.
 */
function dedupe<T extends Finding>(list: T[], sameDefect?: WeakSet<Finding>): void {
  const seen = new Map<string, T>();
  let n = 0;
  for (const f of list) {
    const key = `${f.ruleId}\u0000${f.file}\u0000${f.line}\u0000${f.column}\u0000${sameDefect?.has(f) ? '(kustomize)' : f.message}`;
    const first = seen.get(key);
    if (first) {
      if (f.context && first.context && !first.context.split('; ').includes(f.context)) first.context = mergeContext(first.context, f.context);
      continue;
    }
    seen.set(key, f);
    list[n++] = f;
  }
  list.length = n;
}

/**
 * Merge two contexts part by part ("; "-separated), without repeats; parts naming the same chart join their
 * renderings: "chart x, default values" + "chart x, scenario y" -> "chart x, default values; scenario y".
 */
function mergeContext(a: string, b: string): string {
  const parts = a.split('; ');
  for (const p of b.split('; ')) {
    if (parts.includes(p)) continue;
    const comma = p.indexOf(', ');
    const owner = comma > 0 ? parts.findIndex((q) => q.startsWith(p.slice(0, comma + 2))) : -1;
    if (owner !== -1) parts.splice(owner + 1, 0, p.slice(comma + 2));
    else parts.push(p);
  }
  return [...new Set(parts)].join('; ');
}

export function sortFindings<T extends Finding>(list: T[]): T[] {
  return list.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || a.column - b.column || (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0) || (a.message < b.message ? -1 : a.message > b.message ? 1 : 0)));
}

function safely(rule: Rule, file: string, fn: () => void): void {
  const t0 = timing ? performance.now() : 0;
  try {
    fn();
  } catch (e) {
    process.stderr.write(`k8s-audit: rule ${rule.id} failed on ${file}: ${(e as Error)?.stack ?? e}\n`);
  }
  if (timing) timing.rule(rule.id, performance.now() - t0);
}

const timing = timingFromEnv();

export function atOrAbove(sev: Severity, threshold: Severity | 'none'): boolean {
  return threshold !== 'none' && severityRank[sev] >= severityRank[threshold];
}
