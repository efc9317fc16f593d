/**
 * Suppressions, in one place: `# k8s-audit-ignore` comments (in files, in the files a kustomize build drew on,
 * in Markdown directives), `k8s-audit.io/ignore` annotations and the configuration's `exclude` entries are
 * applied to the raw findings; then every suppression that suppressed nothing, or names an unknown rule, is
 * reported by unused-suppression.
 */
import type { Finding, Location, Severity, SuppressedFinding } from '../types.js';
import type { Rule } from '../rule.js';
import { formatMessage } from '../rule.js';
import { LineIndex, mapPosition, type SourceText } from '../parse/source.js';
import type { ParsedDocument } from '../parse/documents.js';
import type { Resource } from '../graph/resource.js';
import { podTemplateOf } from '../graph/workloads.js';
import { annotationSuppressions, commentDirectives, directiveCovers, type AnnotationSuppression, type CommentDirective } from '../suppress.js';
import { displayPath } from '../load/files.js';
import { globMatch, type Config, type LoadedConfig } from './config.js';
import { fingerprint, toFinding, type RawFinding } from './findings.js';

const UNUSED = 'unused-suppression';

export interface Suppressed {
  findings: Finding[];
  suppressed: SuppressedFinding[];
  /** Findings from kustomize builds: one rule at one source position is one defect, whichever build found it. */
  sameDefect: WeakSet<Finding>;
  /** The text each finding was found in (what it was built from tells --changed-since whether it changed). */
  sourceOf: WeakMap<Finding, SourceText>;
}

export interface SuppressionContext {
  cwd: string;
  cfg: Config;
  loaded: LoadedConfig;
  ruleById: Map<string, Rule>;
  severityOf: Map<string, Severity>;
  docs: ParsedDocument[];
  groups: Map<string, Resource[]>;
  /**
   * Whether the scan covers the configuration's whole directory. When it does not (a subfolder, the staged
   * files), an exclude entry may be for files outside the scan: it is not reported unused for that.
   */
  wholeProject: boolean;
}

export function applySuppressions(raws: RawFinding[], ctx: SuppressionContext): Suppressed {
  const { cwd, cfg, loaded, ruleById, severityOf, docs, groups } = ctx;
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
  const sourceOf = new WeakMap<Finding, SourceText>();
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
      if (f.source) sourceOf.set(s, f.source);
      suppressed.push(s);
    } else {
      if (f.source?.origin === 'kustomize') sameDefect.add(out);
      if (f.source) sourceOf.set(out, f.source);
      findings.push(out);
    }
  }

  reportStale();
  return { findings, suppressed, sameDefect, sourceOf };

  /** Stale suppressions: each directive, annotation or exclude entry that suppressed nothing. */
  function reportStale(): void {
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
        if (x.used || !ctx.wholeProject) continue;
        const file = loaded.file ? displayPath(cwd, loaded.file) : '.k8s-audit.yaml';
        const node = loaded.doc?.getIn(['exclude', x.i], true) as { range?: [number, number, number] } | undefined;
        const { line, column } = node?.range && loaded.text ? new LineIndex(loaded.text).position(node.range[0]) : { line: 1, column: 1 };
        emit(x.e.rules, { file, line, column, endLine: line, endColumn: column + 1 }, null, `exclude entry ${x.i + 1} of the configuration`);
      }
    }
  }
}
