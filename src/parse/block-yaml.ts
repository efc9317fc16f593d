/**
 * A fast loader for the plain block-style YAML that kubectl, Helm, kustomize and controller-gen write:
 * block mappings and sequences, plain, quoted and block scalars, comments, and one-line flow collections.
 * It yields exactly what js-yaml's `load` yields for such a document (scalars are resolved by js-yaml's own
 * types), about twice as fast, and gives up (returns NOT_HANDLED) on anything else, for js-yaml to take:
 * anchors, aliases, tags, directives, complex keys, tabs, CR line ends, duplicate or merge keys, escapes it
 * does not know, multi-line flow collections, odd indentation, and any syntax error. test/block-yaml.test.ts
 * compares the two on every YAML document of the corpus.
 */
import jsyaml from 'js-yaml';
import type { Path } from '../types.js';
import { locateFrom, type PosNode } from './positions.js';

export const NOT_HANDLED: unique symbol = Symbol('not handled');

interface ScalarType {
  resolve(data: string): boolean;
  construct(data: string): unknown;
}

// js-yaml's implicit types for plain scalars, in its own order (null, bool, int, float, timestamp, merge).
const IMPLICIT: ScalarType[] = ((jsyaml.DEFAULT_SCHEMA as unknown as { compiledImplicit?: ScalarType[] }).compiledImplicit ?? []).slice();

/** Thrown (one shared instance) to give a document up. */
const GIVE_UP = new Error('not handled by the block-YAML fast path');

// Characters js-yaml refuses anywhere in a stream (its PATTERN_NON_PRINTABLE).
// eslint-disable-next-line no-control-regex
const NON_PRINTABLE = /[\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x84\x86-\x9F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?:[^\uD800-\uDBFF]|^)[\uDC00-\uDFFF]/;
// Every character that can make a text not ours: tabs, CR, a BOM, and all NON_PRINTABLE can match (surrogates
// included, fine in pairs). A plain class scans several times faster than NON_PRINTABLE's lookaheads, and
// almost no text has any of these.
// eslint-disable-next-line no-control-regex
const SUSPECT = /[\x00-\x09\x0B-\x1F\x7F-\x84\x86-\x9F\uD800-\uDFFF\uFEFF\uFFFE\uFFFF]/;

/**
 * Whether the fast path may try a text at all: not with tabs, CR, a BOM or a character js-yaml refuses
 * (js-yaml has the last word on those), nor if js-yaml's scalar types are not what this loader expects.
 */
function supportedText(text: string): boolean {
  if (IMPLICIT.length !== 6) return false;
  if (!SUSPECT.test(text)) return true;
  return !/[\t\r\uFEFF]/.test(text) && !NON_PRINTABLE.test(text);
}

/** The value of a one-document YAML text, or NOT_HANDLED. */
export function loadBlockYaml(text: string): unknown {
  const r = loadBlockYamlWithDepth(text);
  return r === NOT_HANDLED ? r : r.value;
}

/** The value and its nesting depth (a mapping of scalars: 1), or NOT_HANDLED. */
export function loadBlockYamlWithDepth(text: string): { value: unknown; depth: number } | typeof NOT_HANDLED {
  if (!supportedText(text)) return NOT_HANDLED;
  try {
    const p = new BlockParser(text);
    const value = p.document();
    return { value, depth: p.maxDepth };
  } catch {
    return NOT_HANDLED; // GIVE_UP, or a stack overflow on absurd nesting: js-yaml decides
  }
}

/**
 * The position tree of a one-document YAML text (the shape positions.ts builds from js-yaml's events:
 * mappings with key and value children, sequences with items, scalars), or null when the fast path does not
 * take the text.
 */
export function blockPositionTree(text: string): PosNode | null {
  if (!supportedText(text)) return null;
  try {
    const p = new BlockParser(text, true);
    p.document();
    return p.root.children[0] ?? null;
  } catch {
    return null;
  }
}

/**
 * The range of the node at `path` (or of its closest existing ancestor) in a text the block loader took when
 * the document was first parsed: the same answer as locateWithTree over blockPositionTree's tree, without
 * parsing the document again. Only the lines on the way are looked at (an element's lines are told apart by
 * their indentation alone, which the first parse found exact), and only the scalars, flow collections and
 * one-element collections at the end of the path are read. Only for a text the loader took (the lines are
 * trusted to be what it checked: supportedText, exact indentation); null if the walk meets anything else.
 */
export function locateInBlockYaml(text: string, path: Path): [number, number] | null {
  try {
    // The line and column of what is found come next (positionInBlockYaml), from the same lines.
    if (lastLocated?.text !== text) lastLocated = { text, parser: new BlockParser(text) };
    return lastLocated.parser.locate(path);
  } catch {
    return null;
  }
}

/**
 * 1-based line and column of an offset in the text located last (as LineIndex gives them: the offset of a
 * text's end after its last line break is on a line of its own), from the lines split for locating; null for
 * another text.
 */
export function positionInBlockYaml(text: string, offset: number): { line: number; column: number } | null {
  return lastLocated?.text === text ? lastLocated.parser.position(offset) : null;
}

/** The last text located in, and its lines (one entry: a cache per document would hold every text's lines). */
let lastLocated: { text: string; parser: BlockParser } | undefined;

/**
 * A block collection on the way to a located node, not read: where it starts, its elements' indentation,
 * and how it was reached (the value at line, offset, indentation, in a sequence or not; 'root': the document).
 */
interface BlockAt {
  kind: 'mapping' | 'sequence';
  line: number;
  start: number;
  indent: number;
  from: [line: number, v: number, indent: number, inSequence: boolean] | 'root';
}

/** Plain keys already resolved (to themselves: keys that resolve to anything else are given up on). */
const keys = new Map<string, string>();

/** Resolve a plain scalar as js-yaml does. */
function plain(s: string): unknown {
  const c = s.charCodeAt(0);
  // Only these can start a null, bool, int, float, timestamp or merge key: anything else is a string.
  // Of them, n N t T f F start only null and booleans, which are at most five characters long.
  if (c === 110 || c === 78 || c === 116 || c === 84 || c === 102 || c === 70) {
    if (s.length > 5) return s;
  } else if (s.length && !(c === 126 || c === 45 || c === 43 || c === 46 || (c >= 48 && c <= 57) || c === 60)) return s;
  for (const t of IMPLICIT) if (t.resolve(s)) return t.construct(s);
  return s;
}

/** Characters that may not start a plain scalar (YAML c-indicator), except - ? : which may before a non-space. */
function startsIndicator(c: number): boolean {
  // , [ ] { } # & * ! | > ' " % @ `
  return c === 44 || c === 91 || c === 93 || c === 123 || c === 125 || c === 35 || c === 38 || c === 42 || c === 33 || c === 124 || c === 62 || c === 39 || c === 34 || c === 37 || c === 64 || c === 96;
}

class BlockParser {
  /** Per line: offset of its first character, of its first non-space character, and of its end (the \n). */
  private readonly starts: number[] = [];
  private readonly firsts: number[] = [];
  private readonly ends: number[] = [];
  /** Next line to read. */
  private i = 0;
  /** Position tracking (blockPositionTree, or what locate() reads): the open nodes, and where the last value read ended. */
  readonly root: PosNode = { start: 0, end: 0, kind: 'root', result: undefined, children: [] };
  private readonly open_: PosNode[] = [this.root];
  lastEnd = 0;
  /** Collections open now, and the most open at once (the value's depth). */
  private depth = 0;
  maxDepth = 0;

  /** Entering a collection; leave() when it ends. */
  enter(): void {
    if (++this.depth > this.maxDepth) this.maxDepth = this.depth;
  }

  leave(): void {
    this.depth--;
  }

  /** Whether the text has a `#` at all: most documents have no comment, and need no search for one. */
  private readonly hashes: boolean;

  constructor(
    private readonly s: string,
    private track = false,
  ) {
    this.hashes = s.includes('#');
    let pos = 0;
    const n = s.length;
    while (pos < n) {
      let nl = s.indexOf('\n', pos);
      if (nl === -1) nl = n;
      let f = pos;
      while (f < nl && s.charCodeAt(f) === 32) f++;
      this.starts.push(pos);
      this.firsts.push(f);
      this.ends.push(nl);
      pos = nl + 1;
    }
  }

  open(start: number): PosNode | null {
    if (!this.track) return null;
    const n: PosNode = { start, end: -1, kind: '', result: undefined, children: [] };
    this.open_.push(n);
    return n;
  }

  close(n: PosNode | null, end: number, kind: string, result: unknown): void {
    if (!n) return;
    this.open_.pop();
    n.end = end;
    n.kind = kind;
    n.result = result;
    this.open_[this.open_.length - 1].children.push(n);
  }

  /** A node with nothing in it (an empty value: null). */
  private empty(at: number): null {
    this.close(this.open(at), at, '', null);
    this.lastEnd = at;
    return null;
  }

  /**
   * Where a mapping or sequence ends, for positions: the end of the line its last value ends on (js-yaml's
   * events close it past that line's comment; locateWithTree only looks at the first line of a collection).
   */
  private containerEnd(): number {
    const nl = this.s.indexOf('\n', this.lastEnd);
    // js-yaml reads a text without a final line break as if it had one: its ranges may end one past the text.
    return nl === -1 ? this.s.length + 1 : nl;
  }

  private get count(): number {
    return this.starts.length;
  }

  private indent(l: number): number {
    return this.firsts[l] - this.starts[l];
  }

  /** A line with nothing but spaces, or a comment. */
  private isVoid(l: number): boolean {
    const f = this.firsts[l];
    return f === this.ends[l] || this.s.charCodeAt(f) === 35;
  }

  /** The next line with content, from `l` on (or count). */
  private nextContent(l: number): number {
    while (l < this.count && this.isVoid(l)) l++;
    return l;
  }

  document(): unknown {
    let l = this.nextContent(0);
    if (l < this.count && this.lineIs(l, '---')) l = this.nextContent(l + 1);
    if (l >= this.count) throw GIVE_UP; // empty documents: js-yaml's business
    if (this.indent(l) !== 0) throw GIVE_UP;
    this.i = l;
    const value = this.blockNode(0);
    let rest = this.nextContent(this.i);
    if (rest < this.count && this.lineIs(rest, '...')) rest = this.nextContent(rest + 1);
    if (rest < this.count) throw GIVE_UP;
    return value;
  }

  /** `...` at the start of a line: the document ends (document() checks that nothing follows). */
  private isEndMarker(l: number): boolean {
    return this.firsts[l] === this.starts[l] && this.s.startsWith('...', this.starts[l]);
  }

  private lineIs(l: number, marker: string): boolean {
    const f = this.firsts[l];
    if (f !== this.starts[l] || !this.s.startsWith(marker, f)) return false;
    const after = f + marker.length;
    let e = this.ends[l];
    while (e > after && this.s.charCodeAt(e - 1) === 32) e--;
    if (e === after) return true;
    throw GIVE_UP; // a marker with content after it
  }

  /** See positionInBlockYaml. */
  position(offset: number): { line: number; column: number } {
    const starts = this.starts;
    const n = this.s.length;
    if (offset >= n && n > 0 && this.s.charCodeAt(n - 1) === 10) return { line: starts.length + 1, column: offset - n + 1 };
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - (starts[lo] ?? 0) + 1 };
  }

  /** See locateInBlockYaml: the path is followed through the lines, and only its last node is read. */
  locate(path: Path): [number, number] | null {
    let l = this.nextContent(0);
    if (l < this.count && this.lineIs(l, '---')) l = this.nextContent(l + 1);
    if (l >= this.count || this.indent(l) !== 0) throw GIVE_UP;
    const f = this.firsts[l];
    let at: BlockAt = { kind: this.isDash(f, this.ends[l]) ? 'sequence' : 'mapping', line: l, start: f, indent: 0, from: 'root' };
    let key: PosNode | null = null;
    for (let p = 0; p < path.length; p++) {
      const seg = path[p];
      let next: BlockAt | PosNode;
      if (at.kind === 'mapping') {
        const e = this.findEntry(at, String(seg));
        if (!e) break;
        key = e.key;
        next = this.valueNode(e.line, e.v, at.indent, false);
      } else {
        const idx = typeof seg === 'number' ? seg : Number(seg);
        const item = Number.isInteger(idx) ? this.findItem(at, idx) : null;
        if (!item) break;
        key = null;
        next = this.valueNode(item.line, item.v, at.indent, true);
      }
      // A node read (a scalar, an empty value, a flow collection): the rest of the path is followed in it.
      if (!isBlockAt(next)) return locateFrom(next, this.s, path.slice(p + 1), key, null);
      at = next;
    }
    if (key) return locateFrom(COLLECTION, this.s, [], key, null);
    // The collection itself: from its first line, whose trailing spaces are cut only when the collection
    // ends on that line (where it ends matters then, and is read).
    let elements = 0;
    this.elements(at, () => ++elements === 2);
    if (elements >= 2) return [at.start, Math.max(this.ends[at.line], at.start + 1)];
    return locateFrom(this.read(at), this.s, [], null, null);
  }

  /** The entry of a block mapping with this key: its key node, and where its value starts. */
  private findEntry(at: BlockAt, name: string): { key: PosNode; line: number; v: number } | null {
    let found: { key: PosNode; line: number; v: number } | null = null;
    this.elements(at, (line, f) => {
      const end = this.ends[line];
      const colon = this.keyEnd(f, end);
      if (colon < 0) throw GIVE_UP;
      if (this.key(f, colon) !== name) return false;
      let ke = colon;
      while (ke > f && this.s.charCodeAt(ke - 1) === 32) ke--;
      let v = colon + 1;
      while (v < end && this.s.charCodeAt(v) === 32) v++;
      found = { key: { start: f, end: ke, kind: 'scalar', result: name, children: [] }, line, v };
      return true;
    });
    return found;
  }

  /** Item `idx` of a block sequence: its line, and where its value starts (after the dash). */
  private findItem(at: BlockAt, idx: number): { line: number; v: number } | null {
    if (idx < 0) return null;
    let k = 0;
    let found: { line: number; v: number } | null = null;
    this.elements(at, (line, f) => {
      if (k++ !== idx) return false;
      const end = this.ends[line];
      let v = f + 1;
      while (v < end && this.s.charCodeAt(v) === 32) v++;
      found = { line, v };
      return true;
    });
    return found;
  }

  /**
   * Visit the elements of a block collection in order (the line and offset where each starts) until `visit`
   * returns true. In a text the loader took, an element starts on a line indented exactly like the collection
   * (a mapping's entry: not a dash, which is a same-indented sequence value of the entry before; a sequence's
   * item: a dash); more indented lines belong to the element, a less indented one (or the end marker) ends
   * the collection. Blank lines and comment lines end nothing (a block scalar's lines that look like comments
   * are more indented than its collection).
   */
  private elements(at: BlockAt, visit: (line: number, offset: number) => boolean): void {
    if (visit(at.line, at.start)) return;
    const mapping = at.kind === 'mapping';
    for (let n = at.line + 1; n < this.count; n++) {
      if (this.isVoid(n)) continue;
      if (this.isEndMarker(n)) return;
      const ind = this.indent(n);
      if (ind < at.indent) return;
      if (ind > at.indent) continue;
      const dash = this.isDash(this.firsts[n], this.ends[n]);
      if (mapping && dash) continue;
      if (!mapping && !dash) return; // the mapping this sequence is a value of goes on
      if (visit(n, this.firsts[n])) return;
    }
  }

  /** The value at offset `v` of line `l`: a block collection (not read) or, for anything else, its node read. */
  private valueNode(l: number, v: number, indent: number, inSequence: boolean): BlockAt | PosNode {
    const end = this.ends[l];
    const c = this.s.charCodeAt(v);
    const from: BlockAt['from'] = [l, v, indent, inSequence];
    if (v === end || c === 35) {
      const n = this.nextContent(l + 1);
      if (n < this.count) {
        const ind = this.indent(n);
        const nf = this.firsts[n];
        const dash = this.isDash(nf, this.ends[n]);
        if (ind > indent) return { kind: dash ? 'sequence' : 'mapping', line: n, start: nf, indent: ind, from };
        if (!inSequence && ind === indent && dash) return { kind: 'sequence', line: n, start: nf, indent, from };
      }
    } else if (inSequence && this.keyEnd(v, end) >= 0) {
      return { kind: 'mapping', line: l, start: v, indent: v - this.starts[l], from };
    }
    return this.readValue(l, v, indent, inSequence);
  }

  /** A block collection's node, read with positions (for where it ends). */
  private read(at: BlockAt): PosNode {
    if (at.from !== 'root') return this.readValue(...at.from);
    return this.tracked(() => {
      this.i = at.line;
      this.blockNode(0);
    });
  }

  /** The node of the value at offset `v` of line `l`, read with positions as blockPositionTree reads it. */
  private readValue(l: number, v: number, indent: number, inSequence: boolean): PosNode {
    return this.tracked(() => {
      this.i = l;
      this.valueAt(l, v, indent, inSequence);
    });
  }

  private tracked(read: () => void): PosNode {
    this.track = true;
    this.open_.length = 1;
    this.root.children.length = 0;
    this.depth = 0;
    try {
      read();
    } finally {
      this.track = false;
    }
    const node = this.root.children[0];
    if (!node) throw GIVE_UP;
    return node;
  }

  /** A block mapping or sequence starting at line this.i, whose lines are indented by `indent`. */
  private blockNode(indent: number): unknown {
    const l = this.i;
    const f = this.firsts[l];
    const n = this.open(f);
    this.enter();
    if (this.isDash(f, this.ends[l])) {
      const seq = this.sequence(indent);
      this.leave();
      this.close(n, this.containerEnd(), 'sequence', seq);
      return seq;
    }
    if (this.keyEnd(f, this.ends[l]) < 0) throw GIVE_UP; // a scalar on its own line
    const map = this.mapping(indent);
    this.leave();
    this.close(n, this.containerEnd(), 'mapping', map);
    return map;
  }

  /** `-` alone or followed by a space. */
  private isDash(f: number, end: number): boolean {
    return this.s.charCodeAt(f) === 45 && (f + 1 === end || this.s.charCodeAt(f + 1) === 32);
  }

  /** The next line of a collection indented by `indent`, or -1 where the collection ends. */
  private nextAt(indent: number): number {
    const l = this.nextContent(this.i);
    if (l >= this.count || this.isEndMarker(l)) return -1;
    const ind = this.indent(l);
    if (ind < indent) return -1;
    if (ind > indent) throw GIVE_UP;
    return l;
  }

  private sequence(indent: number): unknown[] {
    const out: unknown[] = [];
    for (let l = this.nextAt(indent); l >= 0; l = this.nextAt(indent)) {
      const f = this.firsts[l];
      const end = this.ends[l];
      if (!this.isDash(f, end)) break; // back to the mapping this sequence is a value of
      let v = f + 1;
      while (v < end && this.s.charCodeAt(v) === 32) v++;
      this.i = l;
      out.push(this.valueAt(l, v, indent, true));
    }
    return out;
  }

  private mapping(indent: number): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (let l = this.nextAt(indent); l >= 0; l = this.nextAt(indent)) {
      this.i = l;
      this.entry(l, this.firsts[l], indent, out);
    }
    return out;
  }

  /** One `key: value` at offset `f` of line `l`; the mapping's entries are indented by `indent`. */
  private entry(l: number, f: number, indent: number, out: Record<string, unknown>): void {
    const end = this.ends[l];
    const colon = this.keyEnd(f, end);
    if (colon < 0) throw GIVE_UP;
    const kn = this.open(f);
    const key = this.key(f, colon);
    if (key === '__proto__' || key === '<<' || Object.prototype.hasOwnProperty.call(out, key)) throw GIVE_UP;
    if (kn) {
      let ke = colon;
      while (ke > f && this.s.charCodeAt(ke - 1) === 32) ke--;
      this.close(kn, ke, 'scalar', key);
    }
    let v = colon + 1;
    while (v < end && this.s.charCodeAt(v) === 32) v++;
    out[key] = this.valueAt(l, v, indent, false);
  }

  /**
   * Offset of the `:` that ends a mapping key starting at `f` (followed by a space or the line end), or -1.
   * Quoted keys end at their closing quote.
   */
  private keyEnd(f: number, end: number): number {
    const s = this.s;
    const c = s.charCodeAt(f);
    if (c === 34 || c === 39) {
      let q = f + 1;
      for (;;) {
        q = charIn(s, c, q, end);
        if (q < 0 || q >= end) return -1;
        if (c === 34 && s.charCodeAt(q - 1) === 92) throw GIVE_UP; // escapes in keys
        if (c === 39 && s.charCodeAt(q + 1) === 39) {
          q += 2;
          continue;
        }
        break;
      }
      let k = q + 1;
      while (k < end && s.charCodeAt(k) === 32) k++;
      return s.charCodeAt(k) === 58 && (k + 1 === end || s.charCodeAt(k + 1) === 32) ? k : -1;
    }
    if (startsIndicator(c) || ((c === 45 || c === 63 || c === 58) && (f + 1 === end || s.charCodeAt(f + 1) === 32))) return -1;
    for (let k = charIn(s, 58, f, end); k >= 0; k = charIn(s, 58, k + 1, end)) {
      if (k + 1 === end || s.charCodeAt(k + 1) === 32) {
        // A comment before the colon: not a key.
        return this.hashes && commentIn(s, f, k) >= 0 ? -1 : k;
      }
    }
    return -1;
  }

  private key(f: number, colon: number): string {
    const s = this.s;
    const c = s.charCodeAt(f);
    if (c === 34 || c === 39) {
      let q = colon - 1;
      while (s.charCodeAt(q) === 32) q--;
      const body = s.slice(f + 1, q);
      return c === 39 ? body.replace(/''/g, "'") : body;
    }
    let e = colon;
    while (e > f && s.charCodeAt(e - 1) === 32) e--;
    const text = s.slice(f, e);
    // Keys repeat (name, type, kind): resolve each once.
    let v = keys.get(text);
    if (v === undefined) {
      const r = plain(text);
      if (typeof r !== 'string') throw GIVE_UP; // null, true, 1, a date as a key
      v = r;
      if (keys.size < 20_000) keys.set(text, v);
    }
    return v;
  }

  /**
   * The value that starts at offset `v` of line `l` (a mapping value after `key:` or a sequence item after
   * `- `), in a collection indented by `indent`. Leaves this.i at the line after the value.
   */
  private valueAt(l: number, v: number, indent: number, inSequence: boolean): unknown {
    const s = this.s;
    const end = this.ends[l];
    const c = s.charCodeAt(v);
    if (v === end || c === 35) {
      // Nothing on this line: a nested block, or null.
      this.i = l + 1;
      const n = this.nextContent(this.i);
      if (n >= this.count) return this.empty(v);
      const ind = this.indent(n);
      const nf = this.firsts[n];
      if (ind > indent) {
        this.i = n;
        return this.blockNode(ind);
      }
      if (!inSequence && ind === indent && this.isDash(nf, this.ends[n])) {
        this.i = n;
        const node = this.open(nf);
        this.enter();
        const seq = this.sequence(indent);
        this.leave();
        this.close(node, this.containerEnd(), 'sequence', seq);
        return seq;
      }
      return this.empty(v);
    }
    if (inSequence) {
      if (this.isDash(v, end)) throw GIVE_UP; // - - nested
      if (this.keyEnd(v, end) >= 0) {
        // A compact mapping: its entries are indented to this column.
        const col = v - this.starts[l];
        const out: Record<string, unknown> = {};
        const node = this.open(v);
        this.enter();
        this.entry(l, v, col, out);
        for (;;) {
          const n = this.nextContent(this.i);
          if (n >= this.count || this.indent(n) !== col) {
            if (n < this.count && this.indent(n) > col) throw GIVE_UP;
            break;
          }
          this.i = n;
          this.entry(n, this.firsts[n], col, out);
        }
        this.leave();
        this.close(node, this.containerEnd(), 'mapping', out);
        return out;
      }
    }
    if (c === 91 || c === 123) {
      const r = new FlowReader(s, v, end, this);
      const value = r.node();
      r.endOfLine();
      this.i = l + 1;
      return value;
    }
    if (!(c === 124 || c === 62 || c === 39 || c === 34) && (startsIndicator(c) || ((c === 45 || c === 63 || c === 58) && (v + 1 === end || s.charCodeAt(v + 1) === 32)))) throw GIVE_UP;
    const node = this.open(v);
    const value = c === 124 || c === 62 ? this.blockScalar(l, v, indent, c === 62) : c === 39 || c === 34 ? this.quoted(l, v, indent, c === 34) : this.plainScalar(l, v, indent);
    this.close(node, this.lastEnd, 'scalar', value);
    return value;
  }

  /** A plain scalar from offset `v` of line `l`, continued on more-indented lines. */
  private plainScalar(l: number, v: number, indent: number): unknown {
    const s = this.s;
    let text = this.plainLine(v, this.ends[l]);
    let commented = this.comment;
    let n = l + 1;
    let breaks = 0;
    for (; n < this.count; n++) {
      const f = this.firsts[n];
      const end = this.ends[n];
      if (f === end) {
        breaks++;
        continue;
      }
      if (this.indent(n) <= indent) break;
      const c = s.charCodeAt(f);
      // A comment line ends the scalar (more text after it is an error). Indicators are text here (`--dry-run`).
      if (c === 35) {
        commented = true;
        continue;
      }
      if (commented || c === 58) throw GIVE_UP;
      const more = this.plainLine(f, end);
      commented = this.comment;
      text += breaks ? '\n'.repeat(breaks) : ' ';
      text += more;
      breaks = 0;
    }
    this.i = n;
    return plain(text);
  }

  /** Whether the last plainLine ended at a comment. */
  private comment = false;

  /** One line's part of a plain scalar: up to a comment, trimmed; no `: ` inside. */
  private plainLine(from: number, end: number): string {
    const s = this.s;
    let e = end;
    const hash = this.hashes ? commentIn(s, from, end) : -1;
    this.comment = hash >= 0;
    if (this.comment) e = hash;
    while (e > from && s.charCodeAt(e - 1) === 32) e--;
    const text = s.slice(from, e);
    if (text.includes(': ') || text.endsWith(':')) throw GIVE_UP;
    this.lastEnd = e;
    return text;
  }

  private blockScalar(l: number, v: number, indent: number, folded: boolean): string {
    const s = this.s;
    const end = this.ends[l];
    let h = v + 1;
    let chomp: 'clip' | 'strip' | 'keep' = 'clip';
    const ch = s.charCodeAt(h);
    if (ch === 45) {
      chomp = 'strip';
      h++;
    } else if (ch === 43) {
      chomp = 'keep';
      h++;
    }
    while (h < end && s.charCodeAt(h) === 32) h++;
    if (h < end && !(s.charCodeAt(h) === 35 && s.charCodeAt(h - 1) === 32)) throw GIVE_UP; // indentation indicator, junk
    // Content: lines more indented than the parent; the first non-empty one sets the block's indentation.
    let n = l + 1;
    let blockIndent = -1;
    const lines: string[] = [];
    let maxEmpty = 0;
    let contentEnd = h;
    for (; n < this.count; n++) {
      const f = this.firsts[n];
      const e = this.ends[n];
      const ind = f - this.starts[n];
      if (f === e) {
        if (blockIndent >= 0 && ind > blockIndent) throw GIVE_UP; // spaces beyond the indentation
        if (blockIndent < 0) maxEmpty = Math.max(maxEmpty, ind);
        lines.push('');
        continue;
      }
      if (blockIndent < 0) {
        if (ind <= indent) break;
        if (maxEmpty > ind) throw GIVE_UP;
        blockIndent = ind;
      } else if (ind < blockIndent) break;
      if (folded && ind > blockIndent) throw GIVE_UP; // more-indented lines keep their breaks: not here
      lines.push(s.slice(this.starts[n] + blockIndent, e));
      contentEnd = e;
    }
    if (blockIndent < 0 && lines.length) {
      // Only empty lines: js-yaml's business.
      throw GIVE_UP;
    }
    // Trailing empty lines belong to the chomping, not to the content.
    let last = lines.length;
    while (last > 0 && lines[last - 1] === '') last--;
    const trailing = lines.length - last;
    this.i = n;
    this.lastEnd = contentEnd;
    let text = '';
    if (folded) {
      // Lines fold into one with spaces; n empty lines between two lines stand for n line breaks.
      let started = false;
      let breaks = 0;
      for (let k = 0; k < last; k++) {
        const line = lines[k];
        if (line === '') {
          breaks++;
          continue;
        }
        text += (started ? (breaks === 0 ? ' ' : '\n'.repeat(breaks)) : '\n'.repeat(breaks)) + line;
        started = true;
        breaks = 0;
      }
    } else {
      text = lines.slice(0, last).join('\n');
    }
    if (last === 0) return chomp === 'keep' ? '\n'.repeat(trailing) : '';
    if (chomp === 'strip') return text;
    if (chomp === 'clip') return text + '\n';
    return text + '\n' + '\n'.repeat(trailing);
  }

  /** A single- or double-quoted scalar, possibly over several lines. */
  private quoted(l: number, v: number, indent: number, double: boolean): string {
    const s = this.s;
    let out = '';
    let line = l;
    let from = v + 1;
    let breaks = -1;
    for (;;) {
      const end = this.ends[line];
      const [piece, closed] = scanQuoted(s, from, end, double);
      if (closed >= 0) {
        if (breaks >= 0) {
          // A continuation line: its leading spaces were skipped already.
          out += (breaks === 0 ? ' ' : '\n'.repeat(breaks)) + piece;
        } else out += piece;
        // After the quote: spaces, then a comment or the line end.
        let a = closed + 1;
        while (a < end && s.charCodeAt(a) === 32) a++;
        if (a < end && !(s.charCodeAt(a) === 35 && a > closed + 1)) throw GIVE_UP;
        this.i = line + 1;
        this.lastEnd = closed + 1;
        return out;
      }
      // The line ends inside the quotes: fold. Trailing spaces of a line do not count.
      let trimmed = piece;
      if (!double || !/\\\s*$/.test(s.slice(from, end))) trimmed = piece.replace(/ +$/, '');
      else throw GIVE_UP;
      if (breaks >= 0) out += (breaks === 0 ? ' ' : '\n'.repeat(breaks)) + trimmed;
      else out += trimmed;
      breaks = 0;
      line++;
      for (; line < this.count && this.firsts[line] === this.ends[line]; line++) breaks++;
      if (line >= this.count) throw GIVE_UP;
      if (this.indent(line) <= indent) throw GIVE_UP;
      from = this.firsts[line];
      if (s.startsWith('---', this.starts[line]) || s.startsWith('...', this.starts[line])) throw GIVE_UP;
    }
  }
}

function isBlockAt(n: BlockAt | PosNode): n is BlockAt {
  return 'line' in n;
}

/** Stands for a collection reached through a key, not read: locateFrom answers with the key. */
const COLLECTION: PosNode = { start: 0, end: 0, kind: 'mapping', result: {}, children: [] };

/** Offset of character code `c` in s[from, end), or -1 (indexOf would search the rest of the text). */
function charIn(s: string, c: number, from: number, end: number): number {
  for (let k = from; k < end; k++) if (s.charCodeAt(k) === c) return k;
  return -1;
}

/** Offset of the first ` #` in s[from, end), or -1. */
function commentIn(s: string, from: number, end: number): number {
  for (let k = from + 1; k < end; k++) if (s.charCodeAt(k) === 35 && s.charCodeAt(k - 1) === 32) return k - 1;
  return -1;
}

/**
 * A quoted scalar's text on one line, from `from` (after the opening quote or a line break) to `end`: the
 * text with escapes resolved, and the offset of the closing quote, or -1 when the line ends first.
 */
function scanQuoted(s: string, from: number, end: number, double: boolean): [string, number] {
  let k = from;
  let text = '';
  while (k < end) {
    const c = s.charCodeAt(k);
    if (!double && c === 39) {
      if (s.charCodeAt(k + 1) === 39 && k + 1 < end) {
        text += "'";
        k += 2;
        continue;
      }
      return [text, k];
    }
    if (double && c === 34) return [text, k];
    if (double && c === 92) {
      if (k + 1 >= end) throw GIVE_UP; // an escaped line break
      const [esc, len] = unescape(s, k + 1, end);
      text += esc;
      k += 1 + len;
      continue;
    }
    text += s[k];
    k++;
  }
  return [text, -1];
}

const SIMPLE_ESCAPES: Record<string, string> = { '0': '\0', a: '\x07', b: '\b', t: '\t', n: '\n', v: '\v', f: '\f', r: '\r', e: '\x1b', ' ': ' ', '"': '"', '/': '/', '\\': '\\', N: '\x85', _: '\xa0', L: '\u2028', P: '\u2029' };

/** A double-quoted escape at `k` (after the backslash): its text and length. */
function unescape(s: string, k: number, end: number): [string, number] {
  const c = s[k];
  const simple = SIMPLE_ESCAPES[c];
  if (simple !== undefined && Object.prototype.hasOwnProperty.call(SIMPLE_ESCAPES, c)) return [simple, 1];
  const digits = c === 'x' ? 2 : c === 'u' ? 4 : c === 'U' ? 8 : 0;
  if (!digits || k + digits >= end + 1) throw GIVE_UP;
  const hex = s.slice(k + 1, k + 1 + digits);
  if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length !== digits) throw GIVE_UP;
  const code = parseInt(hex, 16);
  if (code > 0x10ffff) throw GIVE_UP;
  return [String.fromCodePoint(code), 1 + digits];
}

/** A one-line flow collection: [a, "b", {c: d}], {}. */
class FlowReader {
  constructor(
    private readonly s: string,
    private pos: number,
    private readonly end: number,
    /** Position tracking, when the parser does it. */
    private readonly p?: BlockParser,
  ) {}

  private skip(): void {
    while (this.pos < this.end && this.s.charCodeAt(this.pos) === 32) this.pos++;
  }

  node(): unknown {
    this.skip();
    const c = this.s.charCodeAt(this.pos);
    const n = this.p?.open(this.pos) ?? null;
    const value = c === 91 ? this.seq() : c === 123 ? this.map() : c === 34 || c === 39 ? this.quoted(c === 34) : this.plain();
    if (n) {
      const end = c === 91 || c === 123 || c === 34 || c === 39 ? this.pos : this.plainEnd;
      this.p!.close(n, end, c === 91 ? 'sequence' : c === 123 ? 'mapping' : 'scalar', value);
      this.p!.lastEnd = this.pos;
    }
    return value;
  }

  /** Where the last plain scalar's text ended (before spaces). */
  private plainEnd = 0;

  endOfLine(): void {
    const at = this.pos;
    this.skip();
    if (this.pos < this.end && !(this.s.charCodeAt(this.pos) === 35 && this.pos > at)) throw GIVE_UP;
  }

  private seq(): unknown[] {
    const out: unknown[] = [];
    this.entries(93, () => {
      const c = this.peekItemStart();
      if (c === 44 || c === 93) throw GIVE_UP; // an empty entry
      out.push(this.node());
    });
    return out;
  }

  private map(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    this.entries(125, () => {
      const c = this.peekItemStart();
      if (c === 44 || c === 125 || c === 91 || c === 123) throw GIVE_UP;
      const key = this.node();
      if (typeof key !== 'string' || key === '__proto__' || key === '<<' || Object.prototype.hasOwnProperty.call(out, key)) throw GIVE_UP;
      this.skip();
      if (this.s.charCodeAt(this.pos) !== 58 || this.s.charCodeAt(this.pos + 1) !== 32) throw GIVE_UP;
      this.pos += 2;
      this.skip();
      const v = this.s.charCodeAt(this.pos);
      if (v === 44 || v === 125 || this.pos >= this.end) throw GIVE_UP; // an empty value
      out[key] = this.node();
    });
    return out;
  }

  /** From an opening bracket to its `close` (] or }): entries read by `entry`, separated by commas. */
  private entries(close: number, entry: () => void): void {
    this.p?.enter();
    this.pos++;
    this.skip();
    if (this.s.charCodeAt(this.pos) === close) {
      this.pos++;
      this.p?.leave();
      return;
    }
    for (;;) {
      entry();
      this.skip();
      if (this.pos >= this.end) throw GIVE_UP;
      const d = this.s.charCodeAt(this.pos++);
      if (d === close) {
        this.p?.leave();
        return;
      }
      if (d !== 44) throw GIVE_UP;
      this.skip();
      if (this.s.charCodeAt(this.pos) === close) throw GIVE_UP; // a trailing comma
    }
  }

  private peekItemStart(): number {
    this.skip();
    if (this.pos >= this.end) throw GIVE_UP;
    return this.s.charCodeAt(this.pos);
  }

  private quoted(double: boolean): string {
    const [text, closed] = scanQuoted(this.s, this.pos + 1, this.end, double);
    if (closed < 0) throw GIVE_UP; // a flow collection over several lines
    this.pos = closed + 1;
    return text;
  }

  private plain(): unknown {
    const s = this.s;
    const start = this.pos;
    const c = s.charCodeAt(start);
    if (startsIndicator(c) || c === 45 || c === 63 || c === 58) throw GIVE_UP;
    let k = start;
    while (k < this.end) {
      const d = s.charCodeAt(k);
      if (d === 44 || d === 91 || d === 93 || d === 123 || d === 125) break;
      if (d === 58 || d === 35) {
        // `: ` ends a key; `#` after a space starts a comment; anything subtler is js-yaml's.
        if (d === 58 && (s.charCodeAt(k + 1) === 32 || k + 1 >= this.end)) break;
        if (d === 35 && s.charCodeAt(k - 1) === 32) throw GIVE_UP;
        if (d === 58) throw GIVE_UP;
      }
      k++;
    }
    let e = k;
    while (e > start && s.charCodeAt(e - 1) === 32) e--;
    if (e === start) throw GIVE_UP;
    this.pos = k;
    this.plainEnd = e;
    return plain(s.slice(start, e));
  }
}
