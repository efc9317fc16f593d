/**
 * Parse a SourceText into documents. Fast path (fast.ts): the block-YAML loader, else js-yaml (or JSON.parse)
 * for the data, no positions. Slow path, only where needed: the `yaml` library for precise errors and alias
 * limits. Positions of the nodes that get findings are resolved lazily (positions.ts, locate.ts).
 */
import type { YAMLType as YAML } from './yaml-lib.js';
import { yamlLib } from './yaml-lib.js';
import type { Path, Range } from '../types.js';
import { LineIndex, type SourceText } from './source.js';
import { locateInDocument } from './locate.js';
import { locateWithTree, positionTree } from './positions.js';
import { blockPositionTree, locateInBlockYaml, positionInBlockYaml } from './block-yaml.js';
import jsyaml from 'js-yaml';
import { MAX_DEPTH, fastLoad, isBlank, prepareText, splitDocuments, type Chunk, type FastResult } from './fast.js';

export { MAX_DEPTH, splitDocuments };

export type ProblemKind = 'syntax' | 'duplicate-key' | 'tab-indent' | 'alias' | 'too-deep' | 'binary' | 'encoding' | 'too-large' | 'unreadable' | 'special' | 'name' | 'chart' | 'unsafe' | 'kustomize' | 'kustomize-partial' | 'kustomize-unused' | 'values-unread';

export interface ParseProblem {
  kind: ProblemKind;
  message: string;
  /** 1-based, in the SourceText's own coordinates. */
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

/** Aliases that together expand to more nodes than this are treated as an alias bomb. */
export const MAX_ALIAS_COUNT = 100;

export class ParsedDocument {
  private yamlDoc?: YAML.Document.Parsed | null;
  private index_?: LineIndex;

  constructor(
    readonly source: SourceText,
    /** 0-based index of the document in its source. */
    readonly index: number,
    /** 0-based line in the source where this document's text starts. */
    readonly startLine: number,
    readonly text: string,
    readonly value: unknown,
    readonly problems: ParseProblem[],
    /** The block loader read the text: positions come from its lines (locateInBlockYaml), with no other parse. */
    readonly block = false,
  ) {}

  private get lines(): LineIndex {
    return (this.index_ ??= new LineIndex(this.text));
  }

  /**
   * The same document (text, value, problems, how it was read) without what locating it caches: for locating a
   * batch of paths and letting the caches go with the copy (src/engine/positions.ts).
   */
  withoutCaches(): ParsedDocument {
    return new ParsedDocument(this.source, this.index, this.startLine, this.text, this.value, this.problems, this.block);
  }

  /** Position (in source coordinates) of a character offset in this document's text. */
  positionOf(offset: number): { line: number; column: number } {
    const p = this.lines.position(offset);
    return { line: p.line + this.startLine, column: p.column };
  }

  /** The document the slow path already parsed (its nodes and ranges are what ast() would parse again). */
  seedAst(doc: YAML.Document.Parsed): void {
    this.yamlDoc ??= doc;
  }

  /** The `yaml` library's document, parsed on first use. */
  ast(): YAML.Document.Parsed | null {
    if (this.yamlDoc === undefined) {
      try {
        this.yamlDoc = yamlLib().parseDocument(this.text, { merge: true, uniqueKeys: false, strict: false });
      } catch {
        this.yamlDoc = null;
      }
    }
    return this.yamlDoc;
  }

  private tree_?: ReturnType<typeof positionTree>;
  /**
   * Locations asked of this document so far. A walk through the lines costs up to the whole text, so past
   * LINE_WALKS the position tree is built once and kept, as for the other documents: a document with a finding
   * per element (a List of thousands of objects) would otherwise take time quadratic in its size.
   */
  private located_ = 0;

  /** Range (source coordinates) of the node at `path`, or of its closest existing ancestor. */
  locate(path: Path): Range {
    // A text the block loader read: the path is followed through its lines (no parse, nothing kept), and
    // the lines it split give line and column (no LineIndex kept on the document either).
    let r = this.block && !this.problems.length && ++this.located_ <= LINE_WALKS ? locateInBlockYaml(this.text, path) : null;
    if (r) {
      const s = positionInBlockYaml(this.text, r[0]);
      const e = positionInBlockYaml(this.text, Math.max(r[1], r[0] + 1));
      if (s && e) return { line: s.line + this.startLine, column: s.column, endLine: e.line + this.startLine, endColumn: e.column };
    }
    // Else the block-YAML loader's tree when it takes the text (cheap, and warm), else js-yaml's events.
    if (!r && this.tree_ === undefined) this.tree_ = this.problems.length ? null : (blockPositionTree(this.text) ?? positionTree(this.text));
    if (!r && this.tree_) r = locateWithTree(this.tree_, this.text, path);
    if (!r) {
      const doc = this.ast();
      r = doc ? locateInDocument(doc, this.text, path) : null;
    }
    if (!r) {
      const first = firstContentOffset(this.text);
      const p = this.positionOf(first);
      return { line: p.line, column: p.column, endLine: p.line, endColumn: p.column + 1 };
    }
    const s = this.positionOf(r[0]);
    const e = this.positionOf(Math.max(r[1], r[0] + 1));
    return { line: s.line, column: s.column, endLine: e.line, endColumn: e.column };
  }

  /** Whether a node exists at exactly this path (no ancestor fallback). */
  has(path: Path): boolean {
    let v: unknown = this.value;
    for (const k of path) {
      if (v === null || typeof v !== 'object') return false;
      v = (v as Record<string | number, unknown>)[k];
      if (v === undefined) return false;
    }
    return true;
  }
}

/** Locations of one document found by walking its lines before its position tree is built (see located_). */
const LINE_WALKS = 8;

function firstContentOffset(text: string): number {
  const re = /^[ \t]*([^\s#]|$)/gm;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text))) {
    const line = text.slice(m.index, text.indexOf('\n', m.index) === -1 ? undefined : text.indexOf('\n', m.index));
    if (line.trim() && !line.trim().startsWith('#') && !/^(---|\.\.\.)\s*$/.test(line.trim()) && !line.startsWith('%')) {
      return m.index + (m[0].length - m[1].length);
    }
    if (m.index >= text.length) break;
    re.lastIndex = m.index + Math.max(m[0].length, 1);
  }
  return 0;
}

export function parseSource(src: SourceText): ParsedDocument[] {
  if (src.format === 'json') return [parseJson(src)];
  // Helm splits rendered output at any line starting with `---` (`---# comment` included, which YAML
  // does not take as a marker); do the same so two objects never merge. One column shifts on that line.
  const docs: ParsedDocument[] = [];
  let index = 0;
  for (const c of splitDocuments(prepareText(src.text, src.origin))) {
    if (isBlank(c.text)) continue;
    docs.push(parseChunk(src, index++, c));
  }
  return docs;
}

function parseJson(src: SourceText): ParsedDocument {
  try {
    const value = JSON.parse(src.text);
    return new ParsedDocument(src, 0, 0, src.text, value, depthProblems(value, src.text, 0));
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    if (e instanceof RangeError) {
      return new ParsedDocument(src, 0, 0, src.text, undefined, [tooDeep(0)]);
    }
    const m = /position (\d+)/.exec(msg);
    const lines = new LineIndex(src.text);
    const p = lines.position(m ? Number(m[1]) : 0);
    return new ParsedDocument(src, 0, 0, src.text, undefined, [
      { kind: 'syntax', message: `invalid JSON: ${msg.replace(/ in JSON at position \d+.*$/s, '')}`, line: p.line, column: p.column, endLine: p.line, endColumn: p.column + 1 },
    ]);
  }
}

function tooDeep(line: number): ParseProblem {
  return {
    kind: 'too-deep',
    message: `the document nests deeper than ${MAX_DEPTH} levels; it was not linted`,
    line: line + 1,
    column: 1,
    endLine: line + 1,
    endColumn: 2,
  };
}

/** Iterative depth check: rules may recurse into values, so absurd nesting is refused up front. */
function depthProblems(value: unknown, _text: string, startLine: number): ParseProblem[] {
  if (value === null || typeof value !== 'object') return [];
  const stack: [unknown, number][] = [[value, 1]];
  let visited = 0;
  while (stack.length) {
    const [v, d] = stack.pop()!;
    if (d > MAX_DEPTH) return [tooDeep(startLine)];
    if (++visited > 5_000_000) break;
    if (Array.isArray(v)) {
      for (const x of v) if (x !== null && typeof x === 'object') stack.push([x, d + 1]);
    } else {
      for (const k in v as object) {
        const x = (v as Record<string, unknown>)[k];
        if (x !== null && typeof x === 'object') stack.push([x, d + 1]);
      }
    }
  }
  return [];
}

/** One document; `fast` is what the fast path already made of it (in the parse worker). */
export function parseChunk(src: SourceText, index: number, c: Chunk, fast: FastResult = fastLoad(c.text)): ParsedDocument {
  // Errors: the precise parser reports them. Aliases: js-yaml keeps them as shared references; the yaml
  // library expands them within a limit (alias bombs).
  if (!('value' in fast)) return parseSlow(src, index, c);
  return new ParsedDocument(src, index, c.startLine, c.text, fast.value, fast.shape === 'deep' ? [tooDeep(c.startLine)] : [], fast.block === true);
}

function parseSlow(src: SourceText, index: number, c: Chunk): ParsedDocument {
  const lines = new LineIndex(c.text);
  const at = (offset: number) => {
    const p = lines.position(Math.min(offset, c.text.length));
    return { line: p.line + c.startLine, column: p.column };
  };
  let doc: YAML.Document.Parsed;
  let shape: ReturnType<typeof documentShape>;
  try {
    // Duplicate keys are found here in one pass (the library compares each key with every earlier one of its
    // map: a map of a million keys took minutes).
    doc = yamlLib().parseDocument(c.text, { merge: true, uniqueKeys: false, prettyErrors: false });
    shape = documentShape(doc);
  } catch (e) {
    return new ParsedDocument(src, index, c.startLine, c.text, undefined, [
      e instanceof RangeError ? tooDeep(c.startLine) : { kind: 'syntax', message: String(e), ...rangeAt(at(0)) },
    ]);
  }
  const problems: ParseProblem[] = [];
  for (const err of shape.errors) {
    const start = refineErrorOffset(err, c.text);
    const s = at(start);
    const e = at(err.code === 'DUPLICATE_KEY' ? start + Math.max(keyAt(c.text, start).length, 1) : start === err.pos[0] ? Math.max(err.pos[1], err.pos[0] + 1) : start + 1);
    if (/call stack/i.test(err.message)) {
      if (!problems.some((p) => p.kind === 'too-deep')) problems.push({ ...tooDeep(c.startLine), line: s.line, column: s.column, endLine: s.line, endColumn: s.column + 1 });
      continue;
    }
    const kind: ProblemKind = err.code === 'DUPLICATE_KEY' ? 'duplicate-key' : err.code === 'TAB_AS_INDENT' ? 'tab-indent' : 'syntax';
    problems.push({ kind, message: yamlMessage(err, c.text), line: s.line, column: s.column, endLine: e.line, endColumn: e.column });
  }
  const fatal = problems.some((p) => p.kind !== 'duplicate-key');
  let value: unknown = undefined;
  if (!fatal) {
    try {
      value = shape.aliases < MANY_ALIASES ? doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }) : manyAliasesValue(doc, c.text, shape.nodes);
      problems.push(...depthProblems(value, c.text, c.startLine));
    } catch (e) {
      if (e instanceof RangeError) problems.push(tooDeep(c.startLine));
      else {
        const msg = e instanceof Error ? e.message : String(e);
        const alias = /alias/i.test(msg);
        const firstAlias = c.text.search(/\*[A-Za-z0-9_-]/);
        problems.push({
          kind: alias ? 'alias' : 'syntax',
          message: alias
            ? `${msg.startsWith('aliases expand') ? msg : `aliases expand to more than ${MAX_ALIAS_COUNT} nodes`} (an alias bomb); the document was not linted`
            : msg,
          ...rangeAt(at(Math.max(firstAlias, 0))),
        });
      }
      value = undefined;
    }
  }
  const pd = new ParsedDocument(src, index, c.startLine, c.text, value, problems);
  pd.seedAst(doc);
  return pd;
}

/**
 * The library resolves each alias by scanning the document's anchors and aliases up to it: quadratic, minutes
 * for a million. Past this many aliases the value comes from js-yaml (linear; an alias is a shared reference),
 * and the alias-bomb check counts the nodes the value expands to.
 */
const MANY_ALIASES = 1000;
/** Expanded nodes allowed per node written (and at least a million): aliases that expand further are a bomb. */
const EXPANSION_PER_NODE = 10;

/** One walk over the document: its aliases, and its errors with the duplicate keys the parser was not asked for. */
function documentShape(doc: YAML.Document.Parsed): { aliases: number; nodes: number; errors: YAML.YAMLError[] } {
  const Y = yamlLib();
  const dups: YAML.YAMLError[] = [];
  let aliases = 0;
  let nodes = 0;
  Y.visit(doc, (_, node) => {
    nodes++;
    if (Y.isAlias(node)) aliases++;
    else if (Y.isMap(node)) {
      // the library's rule: two scalar keys with the same value
      const seen = new Set<unknown>();
      for (const pair of node.items) {
        const k = pair.key;
        if (!Y.isScalar(k)) continue;
        const v = k.value;
        if (typeof v === 'number' && Number.isNaN(v)) continue;
        if (seen.has(v)) {
          const at = k.range?.[0] ?? 0;
          dups.push(new Y.YAMLParseError([at, at + 1], 'DUPLICATE_KEY', 'Map keys must be unique'));
        } else seen.add(v);
      }
    }
  });
  const errors = dups.length ? [...doc.errors, ...dups].sort((a, b) => a.pos[0] - b.pos[0]) : doc.errors;
  return { aliases, nodes, errors };
}

/** The value of a document with many aliases, in linear time; throws on an alias bomb like the library does. */
function manyAliasesValue(doc: YAML.Document.Parsed, text: string, written: number): unknown {
  let value: unknown;
  try {
    value = jsyaml.load(text, { json: true });
  } catch {
    // js-yaml refuses what the library took: the library's own (slow) way
    return doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  }
  const limit = Math.max(1_000_000, written * EXPANSION_PER_NODE);
  if (expandedSize(value, limit) > limit) throw new ReferenceError(`aliases expand to more than ${limit} nodes`);
  return value;
}

/** Nodes of a value with every shared reference counted each time it is reached; stops counting past limit. */
function expandedSize(value: unknown, limit: number): number {
  const memo = new Map<object, number>();
  const size = (v: unknown): number => {
    if (v === null || typeof v !== 'object') return 1;
    const known = memo.get(v);
    if (known !== undefined) return known;
    let n = 1;
    for (const x of Array.isArray(v) ? v : Object.values(v)) {
      n += size(x);
      if (n > limit) break;
    }
    memo.set(v, n);
    return n;
  };
  return size(value);
}

function rangeAt(p: { line: number; column: number }) {
  return { line: p.line, column: p.column, endLine: p.line, endColumn: p.column + 1 };
}

function yamlMessage(err: YAML.YAMLError, text: string): string {
  // The library's message ends with " at line L, column C:" and a code frame; keep the sentence.
  let m = err.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
  if (err.code === 'DUPLICATE_KEY') {
    const key = keyAt(text, err.pos[0]);
    m = key ? `duplicate key "${key}": YAML forbids it and kubectl rejects it (only one of the values would survive)` : 'duplicate key';
  } else if (err.code === 'TAB_AS_INDENT') {
    m = 'a tab is used for indentation; YAML allows only spaces';
  }
  return m;
}

/**
 * The parser notices an unclosed quote or bracket where the document ends; the defect is where it opens.
 * Scan up to the error for the opener still unclosed (outside comments and the other quote kind).
 */
function refineErrorOffset(err: YAML.YAMLError, text: string): number {
  const pos = err.pos[0];
  const quote = /closing "quote/.test(err.message) ? '"' : /closing 'quote/.test(err.message) ? "'" : '';
  const flow = /^Flow (sequence|map)/.test(err.message);
  if (!quote && !flow) return pos;
  let inQuote = '';
  let quoteAt = -1;
  const stack: number[] = [];
  for (let i = 0; i < Math.min(pos, text.length); i++) {
    const ch = text[i];
    if (inQuote) {
      if (inQuote === '"' && ch === '\\') i++;
      else if (ch === inQuote) {
        if (inQuote === "'" && text[i + 1] === "'") i++;
        else inQuote = '';
      }
      continue;
    }
    const prev = i === 0 ? '\n' : text[i - 1];
    if (ch === '#' && /\s/.test(prev)) {
      const nl = text.indexOf('\n', i);
      i = nl === -1 ? text.length : nl;
      continue;
    }
    if ((ch === '"' || ch === "'") && /[\s:[{,-]/.test(prev)) {
      inQuote = ch;
      quoteAt = i;
    } else if (ch === '[' || ch === '{') stack.push(i);
    else if ((ch === ']' || ch === '}') && stack.length) stack.pop();
  }
  if (quote && inQuote && quoteAt >= 0) return quoteAt;
  if (flow && stack.length) return stack[stack.length - 1];
  return pos;
}

/** The (plain or quoted) key that starts at an offset. */
function keyAt(text: string, offset: number): string {
  const rest = text.slice(offset, text.indexOf('\n', offset) === -1 ? undefined : text.indexOf('\n', offset));
  const m = /^("(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|[^:#]*?)\s*:(\s|$)/.exec(rest);
  return (m ? m[1] : rest).trim();
}
