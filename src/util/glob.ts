/**
 * Globs matched in linear time, whatever the pattern.
 *
 * Why: the globs of a scanned tree (.gitignore, the `ignore` list of .k8s-audit.yaml, .helmignore, a chart's
 * `.Files.Glob`) are input. Compiled to a backtracking RegExp, `**∕*a*a*a*a*a*a*a*b.yaml` takes exponential
 * time against a long file name. Here a glob compiles to a small program (a Thompson NFA: one instruction per
 * character, class or star, plus splits for stars and alternatives) and matching steps the set of live
 * instructions over the path once: at most (path length × program size) steps, and no allocation per match.
 *
 * One compiler serves the dialects; `GlobDialect` says how each reads `**`, `[...]`, `{a,b}` and `\`.
 */

/** How one kind of glob reads its special characters. */
export interface GlobDialect {
  /**
   * `segment`: `**` crosses '/' only as a whole path segment (`**∕x`, `a/**∕b`, `a/**`), elsewhere it is `*`
   * (git's wildmatch, picomatch, gobwas with a separator). `anywhere`: every `**` matches any run of
   * characters, '/' included; `anywhere-slash` also takes a '/' right after it into the star (`**∕x` matches `ax`).
   */
  globstar: 'segment' | 'anywhere' | 'anywhere-slash';
  /** `[a-z]`, `[!a]`, `[^a]` (and `[[:alpha:]]`) classes; without, '[' is a literal. */
  classes: boolean;
  /** `{a,b}` alternatives (nested). */
  braces: boolean;
  /** `\x` is the literal x; without, '\' is a literal. */
  escapes: boolean;
  /** A trailing `/**` also matches the directory itself (picomatch: `a/**` matches `a`). */
  trailingGlobstarMatchesParent?: boolean;
}

// Instructions, in one Int32Array of (op, a, b) triples:
const CHAR = 0; // a: the code point
const ANY = 1; // a: 1 when '/' may match
const CLASS = 2; // a: index into the program's classes
const SPLIT = 3; // go to a and b
const JMP = 4; // go to a
const MATCH = 5;

interface CharClass {
  ranges: number[]; // lo, hi pairs
  negated: boolean;
}

/** A compiled glob. */
export interface Glob {
  readonly source: string;
  /** False when a '[' or '{' that the dialect reads is never closed (it was matched as a literal). */
  readonly wellFormed: boolean;
  /** Whether the whole of `s` matches. */
  test(s: string): boolean;
}

const POSIX_CLASSES: Record<string, number[]> = {
  alnum: [48, 57, 65, 90, 97, 122],
  alpha: [65, 90, 97, 122],
  blank: [9, 9, 32, 32],
  cntrl: [0, 31, 127, 127],
  digit: [48, 57],
  graph: [33, 126],
  lower: [97, 122],
  print: [32, 126],
  punct: [33, 47, 58, 64, 91, 96, 123, 126],
  space: [9, 13, 32, 32],
  upper: [65, 90],
  word: [48, 57, 65, 90, 95, 95, 97, 122],
  xdigit: [48, 57, 65, 70, 97, 102],
};

const SLASH = 47;
const MAX_BRACE_DEPTH = 16;

class Compiler {
  readonly code: number[] = [];
  readonly classes: CharClass[] = [];
  private readonly cps: number[];
  private i = 0;
  /** Braces open around i: compiling them recurses, so a hostile nesting is cut off (then '{' is a literal). */
  private depth = 0;
  /** Each '{' the dialect reads, to its matching '}'. */
  private closes: Map<number, number> | undefined;
  /** The '{'s with a ',' of their own (not inside nested braces). */
  private commas: Set<number> | undefined;
  /** A '[' or '{' the dialect reads was left unclosed. */
  unclosed = false;

  constructor(src: string, private readonly d: GlobDialect) {
    this.cps = Array.from(src, (c) => c.codePointAt(0)!);
  }

  private emit(op: number, a = 0, b = 0): number {
    this.code.push(op, a, b);
    return this.code.length / 3 - 1;
  }
  private patch(pc: number, a: number, b = this.code[pc * 3 + 2]): void {
    this.code[pc * 3 + 1] = a;
    this.code[pc * 3 + 2] = b;
  }
  private get pc(): number {
    return this.code.length / 3;
  }

  /** A run of characters not crossing '/' (`slash` false) or crossing it. */
  private star(slash: boolean): void {
    const split = this.emit(SPLIT);
    this.emit(ANY, slash ? 1 : 0);
    this.emit(JMP, split);
    this.patch(split, split + 1, this.pc);
  }

  /** Zero or more whole directories (each a run of non-'/' characters, then '/'). */
  private dirs(): void {
    const split = this.emit(SPLIT);
    this.star(false);
    this.emit(CHAR, SLASH);
    this.emit(JMP, split);
    this.patch(split, split + 1, this.pc);
  }

  /** Whether the `**` at i is a whole segment: after the start or a '/', before a '/' or the end (or a brace stop). */
  private wholeSegment(at: number, stops: Set<number>): boolean {
    const before = at === 0 || this.cps[at - 1] === SLASH;
    const next = this.cps[at + 2];
    return before && (next === undefined || next === SLASH || stops.has(next));
  }

  compile(): void {
    this.sequence(new Set());
    this.emit(MATCH);
  }

  /** Compile until the end or one of `stops` (',' and '}' inside braces), which is left unread. */
  private sequence(stops: Set<number>): void {
    const cps = this.cps;
    while (this.i < cps.length) {
      const c = cps[this.i];
      if (stops.has(c)) return;
      if (c === 42 /* * */) {
        let n = 0;
        while (cps[this.i + n] === 42) n++;
        if (n >= 2 && this.d.globstar !== 'segment') {
          this.star(true);
          this.i += n;
          if (this.d.globstar === 'anywhere-slash' && cps[this.i] === SLASH) this.i++;
        } else if (n === 2 && this.wholeSegment(this.i, stops)) {
          this.i += 2;
          if (cps[this.i] === SLASH) {
            this.i++;
            this.dirs(); // `**/`: zero or more directories
          } else if (this.d.trailingGlobstarMatchesParent && this.lastIsSlash()) {
            // `a/**` at the end for picomatch: everything inside a, and a itself: the '/' becomes optional
            const slashPc = this.pc - 1;
            this.code[slashPc * 3] = SPLIT;
            this.emit(CHAR, SLASH);
            this.star(true);
            this.patch(slashPc, slashPc + 1, this.pc);
          } else this.star(true); // `**` alone
        } else {
          this.star(false);
          this.i += n;
        }
        continue;
      }
      if (c === 63 /* ? */) {
        this.emit(ANY, 0);
        this.i++;
        continue;
      }
      if (c === 91 /* [ */ && this.d.classes) {
        const cls = this.charClass();
        if (cls) {
          this.classes.push(cls);
          this.emit(CLASS, this.classes.length - 1);
          continue;
        }
        this.unclosed = true;
      }
      if (c === 123 /* { */ && this.d.braces && this.depth < MAX_BRACE_DEPTH) {
        if (this.braceCloses()) {
          this.alternatives();
          continue;
        }
        this.unclosed = true;
      }
      if (c === 92 /* \ */ && this.d.escapes && this.i + 1 < cps.length) {
        this.emit(CHAR, cps[this.i + 1]);
        this.i += 2;
        continue;
      }
      this.emit(CHAR, c);
      this.i++;
    }
  }

  private lastIsSlash(): boolean {
    const k = this.code.length - 3;
    return this.code[k] === CHAR && this.code[k + 1] === SLASH;
  }

  /** Whether the '{' at i has a matching '}' (else it is a literal); the pairs are found once, in one pass. */
  private braceCloses(): boolean {
    if (!this.closes) {
      this.closes = new Map();
      this.commas = new Set();
      const open: { at: number; comma: boolean }[] = [];
      for (let j = 0; j < this.cps.length; j++) {
        const c = this.cps[j];
        if (c === 92 && this.d.escapes) j++;
        else if (c === 123) open.push({ at: j, comma: false });
        else if (c === 44 && open.length) open[open.length - 1].comma = true;
        else if (c === 125 && open.length) {
          const o = open.pop()!;
          this.closes.set(o.at, j);
          if (o.comma) this.commas.add(o.at);
        }
      }
    }
    return this.closes.has(this.i);
  }

  /** `{a,b,c}`: a chain of splits, each branch jumping to the end. `{1..3}`, `{a..c}`: the items of the range. */
  private alternatives(): void {
    const close = this.closes!.get(this.i)!;
    // a range is short: a long body is not read twice (nested braces would make that quadratic)
    const items = close - this.i < 64 ? rangeItems(String.fromCodePoint(...this.cps.slice(this.i + 1, close))) : null;
    if (items) {
      this.literals(items);
      this.i = close + 1;
      return;
    }
    if (!this.commas!.has(this.i)) {
      // `{a}` (one item, not a range) is text in picomatch
      this.emit(CHAR, 123);
      this.i++;
      return;
    }
    this.i++; // '{'
    this.depth++;
    const stops = new Set([44, 125]);
    const jumps: number[] = [];
    for (;;) {
      const split = this.emit(SPLIT);
      this.sequence(stops);
      jumps.push(this.emit(JMP));
      const c = this.cps[this.i];
      this.i++;
      if (c === 44 /* , */) {
        this.patch(split, split + 1, this.pc);
        continue;
      }
      // '}': the last branch; its split has nowhere else to go
      this.patch(split, split + 1, split + 1);
      break;
    }
    for (const j of jumps) this.patch(j, this.pc);
    this.depth--;
  }

  /** One of the strings, literally. */
  private literals(items: string[]): void {
    const jumps: number[] = [];
    items.forEach((item, k) => {
      const split = this.emit(SPLIT);
      for (const ch of item) this.emit(CHAR, ch.codePointAt(0)!);
      jumps.push(this.emit(JMP));
      this.patch(split, split + 1, k === items.length - 1 ? split + 1 : this.pc);
    });
    for (const j of jumps) this.patch(j, this.pc);
  }

  /** A `[...]` class from i, or null when it is not closed (then '[' is a literal). */
  private charClass(): CharClass | null {
    const cps = this.cps;
    let j = this.i + 1;
    let negated = false;
    if (cps[j] === 33 /* ! */ || cps[j] === 94 /* ^ */) {
      negated = true;
      j++;
    }
    const ranges: number[] = [];
    let first = true;
    for (; j < cps.length; j++) {
      let c = cps[j];
      if (c === 93 /* ] */ && !first) {
        this.i = j + 1;
        return { ranges, negated };
      }
      first = false;
      if (c === 91 && cps[j + 1] === 58 /* [: */) {
        const end = findSeq(cps, j + 2, 58, 93);
        if (end > 0) {
          const name = String.fromCodePoint(...cps.slice(j + 2, end));
          const r = POSIX_CLASSES[name];
          if (r) {
            ranges.push(...r);
            j = end + 1;
            continue;
          }
        }
      }
      if (c === 92 && this.d.escapes && j + 1 < cps.length) c = cps[++j];
      let hi = c;
      if (cps[j + 1] === 45 /* - */ && j + 2 < cps.length && cps[j + 2] !== 93) {
        hi = cps[j + 2];
        j += 2;
        if (hi === 92 && this.d.escapes && j + 1 < cps.length) hi = cps[++j];
      }
      ranges.push(c, hi);
    }
    return null;
  }
}

/** Most items a brace range expands to (the braces package's rangeLimit); a longer range is read as text. */
const MAX_RANGE_ITEMS = 1000;

/**
 * The items of a brace range as picomatch expands it: `1..3`, `3..1`, `01..10` (zero-padded to the wider end),
 * `1..9..2` (a step), `a..e`; null when `body` is not a range. A range of over MAX_RANGE_ITEMS items is read as text.
 */
function rangeItems(body: string): string[] | null {
  const num = /^(-?\d+)\.\.(-?\d+)(?:\.\.(-?\d+))?$/.exec(body);
  const alpha = num ? null : /^([A-Za-z])\.\.([A-Za-z])(?:\.\.(-?\d+))?$/.exec(body);
  const m = num ?? alpha;
  if (!m) return null;
  const from = num ? parseInt(m[1], 10) : m[1].charCodeAt(0);
  const to = num ? parseInt(m[2], 10) : m[2].charCodeAt(0);
  const step = Math.abs(parseInt(m[3] ?? '1', 10)) || 1;
  if (Math.abs(to - from) / step + 1 > MAX_RANGE_ITEMS) return [`{${body}}`]; // as text
  const pad = num && (/^-?0\d/.test(m[1]) || /^-?0\d/.test(m[2])) ? Math.max(m[1].replace('-', '').length, m[2].replace('-', '').length) : 0;
  const items: string[] = [];
  const dir = to >= from ? 1 : -1;
  for (let v = from; dir > 0 ? v <= to : v >= to; v += dir * step) {
    if (!num) items.push(String.fromCharCode(v));
    else items.push((v < 0 ? '-' : '') + String(Math.abs(v)).padStart(pad, '0'));
  }
  return items;
}

/** The index of the pair (a, b) in cps from `from`, or -1. */
function findSeq(cps: number[], from: number, a: number, b: number): number {
  for (let k = from; k + 1 < cps.length; k++) if (cps[k] === a && cps[k + 1] === b) return k;
  return -1;
}

function inClass(cls: CharClass, c: number): boolean {
  let hit = false;
  const r = cls.ranges;
  for (let k = 0; k < r.length; k += 2) {
    if (c >= r[k] && c <= r[k + 1]) {
      hit = true;
      break;
    }
  }
  return hit !== cls.negated;
}

// Scratch state shared by all matches (matching is synchronous and never re-entered).
let listA = new Int32Array(64);
let listB = new Int32Array(64);
let seen = new Uint32Array(64);
let generation = 0;

class CompiledGlob implements Glob {
  private readonly code: Int32Array;
  private readonly classes: CharClass[];
  private readonly size: number;
  readonly wellFormed: boolean;

  constructor(readonly source: string, dialect: GlobDialect) {
    const c = new Compiler(source, dialect);
    c.compile();
    this.wellFormed = !c.unclosed;
    this.code = Int32Array.from(c.code);
    this.classes = c.classes;
    this.size = c.code.length / 3;
  }

  /** Add pc and what its splits and jumps reach to `list` (of length n), once per step. */
  private add(list: Int32Array, n: number, pc: number): number {
    const code = this.code;
    for (;;) {
      if (seen[pc] === generation) return n;
      seen[pc] = generation;
      const op = code[pc * 3];
      if (op === JMP) {
        pc = code[pc * 3 + 1];
        continue;
      }
      if (op === SPLIT) {
        n = this.add(list, n, code[pc * 3 + 1]);
        pc = code[pc * 3 + 2];
        continue;
      }
      list[n++] = pc;
      return n;
    }
  }

  test(s: string): boolean {
    const size = this.size;
    if (listA.length < size) {
      listA = new Int32Array(size * 2);
      listB = new Int32Array(size * 2);
      seen = new Uint32Array(size * 2);
      generation = 0;
    }
    const code = this.code;
    let cur = listA;
    let next = listB;
    if (generation + s.length + 2 > 0xffffffff) {
      seen.fill(0);
      generation = 0;
    }
    generation++;
    let n = this.add(cur, 0, 0);
    for (let k = 0; k < s.length && n > 0; k++) {
      let c = s.charCodeAt(k);
      if (c >= 0xd800 && c <= 0xdbff && k + 1 < s.length) {
        c = s.codePointAt(k)!;
        k++;
      }
      generation++;
      let m = 0;
      for (let t = 0; t < n; t++) {
        const pc = cur[t];
        const op = code[pc * 3];
        const a = code[pc * 3 + 1];
        let ok = false;
        if (op === CHAR) ok = c === a;
        else if (op === ANY) ok = a === 1 || c !== SLASH;
        else if (op === CLASS) ok = c !== SLASH && inClass(this.classes[a], c);
        if (ok) m = this.add(next, m, pc + 1);
      }
      const swap = cur;
      cur = next;
      next = swap;
      n = m;
    }
    for (let t = 0; t < n; t++) if (code[cur[t] * 3] === MATCH) return true;
    return false;
  }
}

export function compileGlob(source: string, dialect: GlobDialect): Glob {
  return new CompiledGlob(source, dialect);
}

/** git's wildmatch (.gitignore lines, after the leading '!', '/' and trailing '/' are taken off). */
export const GIT: GlobDialect = { globstar: 'segment', classes: true, braces: false, escapes: true };
/** picomatch as fast-glob runs it for `ignore` patterns (braces on, a trailing `/**` also takes the directory). */
export const PICOMATCH: GlobDialect = { globstar: 'segment', classes: true, braces: true, escapes: true, trailingGlobstarMatchesParent: true };
