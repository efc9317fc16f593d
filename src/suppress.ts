/**
 * Suppressions, an engine feature rules never see:
 * - comments: `# k8s-audit-ignore <rule-id>[, <rule-id>] -- reason` on the line before a node (covers the node
 *   and everything nested under it; before a document's first key, the whole document), or at the end of
 *   the node's own line;
 * - annotations on the object or its pod template: `ignore.k8s-audit.io/<rule-id>: "<reason>"`,
 *   `k8s-audit.io/ignore: "<rule-id>, <rule-id> -- reason"`, `k8s-audit.io/ignore-all: "<reason>"`;
 * - config `exclude:` entries (kind/name/namespace/files globs plus rule ids);
 * - Markdown `<!-- k8s-audit-ignore ... -->` before a block (the Markdown loader passes them as SourceDirectives).
 */
import type { SourceDirective, SourceText } from './parse/source.js';

export const COMMENT_DIRECTIVE = /#\s*k8s-audit-ignore\b(.*)$/;

export interface CommentDirective {
  rules: string[];
  reason: string;
  /** Source coordinates (1-based) of the comment. */
  line: number;
  column: number;
  /** Lines (source coordinates, inclusive) the directive covers. */
  from: number;
  to: number;
  used: boolean;
  /**
   * A directive written in another file and carried into built text (a kustomize base line linted in several
   * builds): used when any build uses it, reported stale once, at its own place.
   */
  shared?: { used: boolean; at: { file: string; line: number; column: number } };
}

/** "rule-a, rule-b -- reason" -> ids and reason. */
export function parseDirectiveBody(body: string): { rules: string[]; reason: string } {
  const [ids, ...rest] = body.split(/\s--\s?|^--\s?/);
  const rules = ids
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter(Boolean);
  return { rules, reason: rest.join(' -- ').trim() };
}

function indentOf(line: string): number {
  const m = /^( *)(- +)?/.exec(line)!;
  return m[1].length;
}

function isContent(line: string): boolean {
  const t = line.trim();
  return t !== '' && !t.startsWith('#');
}

/** Find comment directives in a YAML text and the line range each covers. */
export function commentDirectives(src: SourceText): CommentDirective[] {
  if (src.comments === false || !src.text.includes('k8s-audit-ignore')) return [];
  const lines = src.text.split('\n');
  const out: CommentDirective[] = [];
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i];
    const hash = l.indexOf('#');
    if (hash === -1) continue;
    const m = COMMENT_DIRECTIVE.exec(l.slice(hash));
    if (!m) continue;
    const before = l.slice(0, hash);
    // A '#' inside a quoted scalar is not a comment: require whitespace (or line start) before it.
    if (before && !/\s$/.test(before)) continue;
    const { rules, reason } = parseDirectiveBody(m[1]);
    let target = i;
    if (!before.trim()) {
      target = i + 1;
      while (target < lines.length && !isContent(lines[target]) && !/^(---|\.\.\.)/.test(lines[target])) target++;
      if (target >= lines.length || /^(---|\.\.\.)/.test(lines[target])) continue;
    }
    const [from, to] = nodeExtent(lines, target);
    out.push({ rules, reason, line: i + 1, column: hash + 1, from: from + 1, to: to + 1, used: false });
  }
  return out;
}

/** The lines a node starting on line `start` spans: itself plus every more-indented line after it. */
function nodeExtent(lines: string[], start: number): [number, number] {
  const isDocStart = (() => {
    for (let j = start - 1; j >= 0; j--) {
      if (/^(---|\.\.\.)/.test(lines[j])) return true;
      if (isContent(lines[j]) && !lines[j].startsWith('%')) return false;
    }
    return true;
  })();
  const base = indentOf(lines[start]);
  if (isDocStart && base === 0 && !lines[start].startsWith('-')) {
    let end = start;
    for (let j = start + 1; j < lines.length && !/^(---|\.\.\.)(\s|$)/.test(lines[j]); j++) end = j;
    return [start, end];
  }
  const item = /^ *- /.test(lines[start]);
  let end = start;
  for (let j = start + 1; j < lines.length; j++) {
    const l = lines[j];
    if (!isContent(l)) continue;
    if (/^(---|\.\.\.)(\s|$)/.test(l)) break;
    const ind = indentOf(l);
    // A key's block sequence may sit at the key's own indentation (`containers:` then `- name: x`).
    if (ind > base || (!item && ind === base && /^ *- /.test(l))) end = j;
    else break;
  }
  return [start, end];
}

export interface AnnotationSuppression {
  rules: string[] | '*';
  reason: string;
  /** Annotation key (for locating it when unused). */
  key: string;
  /** Path of the annotations map the key sits in. */
  path: readonly (string | number)[];
  used: boolean;
}

/** Suppressions carried by an annotations map. */
export function annotationSuppressions(annotations: Record<string, unknown>, path: readonly (string | number)[]): AnnotationSuppression[] {
  const out: AnnotationSuppression[] = [];
  for (const [k, v] of Object.entries(annotations)) {
    const val = typeof v === 'string' ? v : v === null || v === undefined ? '' : String(v);
    if (k.startsWith('ignore.k8s-audit.io/')) {
      out.push({ rules: [k.slice('ignore.k8s-audit.io/'.length)], reason: val, key: k, path, used: false });
    } else if (k === 'k8s-audit.io/ignore') {
      const { rules, reason } = parseDirectiveBody(val);
      out.push({ rules, reason, key: k, path, used: false });
    } else if (k === 'k8s-audit.io/ignore-all') {
      out.push({ rules: '*', reason: val, key: k, path, used: false });
    }
  }
  return out;
}

export function directiveCovers(d: { rules: string[] | '*' }, ruleId: string): boolean {
  return d.rules === '*' || d.rules.length === 0 || d.rules.includes(ruleId) || d.rules.includes('*');
}

export type { SourceDirective };
