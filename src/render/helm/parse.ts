// Go text/template lexer + parser (written from the language spec/docs).

export interface Pos {
  pos: number; // byte offset (UTF-16 index) in source
}

export type Node =
  | TextNode
  | ActionNode
  | IfNode
  | RangeNode
  | WithNode
  | TemplateNode
  | BreakNode
  | ContinueNode;

export interface TextNode extends Pos { type: 'text'; text: string }
export interface ActionNode extends Pos { type: 'action'; pipe: PipeNode }
export interface IfNode extends Pos { type: 'if'; pipe: PipeNode; list: Node[]; elseList: Node[] | null }
export interface WithNode extends Pos { type: 'with'; pipe: PipeNode; list: Node[]; elseList: Node[] | null }
export interface RangeNode extends Pos { type: 'range'; pipe: PipeNode; list: Node[]; elseList: Node[] | null }
export interface TemplateNode extends Pos { type: 'template'; name: string; pipe: PipeNode | null }
export interface BreakNode extends Pos { type: 'break' }
export interface ContinueNode extends Pos { type: 'continue' }

export interface PipeNode extends Pos {
  type: 'pipe';
  decl: string[];
  isAssign: boolean;
  cmds: CommandNode[];
}
export interface CommandNode extends Pos { type: 'command'; args: ArgNode[] }

export type ArgNode =
  | { type: 'field'; pos: number; idents: string[] }
  | { type: 'variable'; pos: number; name: string; idents: string[] }
  | { type: 'chain'; pos: number; node: ArgNode; idents: string[] }
  | { type: 'identifier'; pos: number; name: string }
  | { type: 'dot'; pos: number }
  | { type: 'nil'; pos: number }
  | { type: 'bool'; pos: number; value: boolean }
  | { type: 'number'; pos: number; text: string; isInt: boolean; isFloat: boolean; intVal: number; floatVal: number; isChar: boolean }
  | { type: 'string'; pos: number; value: string; quoted: string }
  | PipeNode;

export class ParseError extends Error {
  constructor(message: string, readonly pos: number, readonly tplName: string) {
    super(message);
  }
}

export interface ParsedTemplate {
  name: string;
  root: Node[];
  source: string;
}

type TokType =
  | 'field' | 'variable' | 'identifier' | 'keyword' | 'dot' | 'nil' | 'bool' | 'number' | 'string' | 'char'
  | 'pipe' | 'lparen' | 'rparen' | 'declare' | 'assign' | 'comma' | 'eof' | 'space';

interface Tok { t: TokType; v: string; pos: number }

const KEYWORDS = new Set(['if', 'else', 'end', 'range', 'with', 'define', 'template', 'block', 'break', 'continue']);

function isSpace(c: string): boolean {
  return c === ' ' || c === '\t' || c === '\r' || c === '\n';
}
/** A letter, digit or '_' at `i` (the lexer's hot loop: no one-character strings for ASCII). */
function alnumAt(src: string, i: number): boolean {
  const k = src.charCodeAt(i);
  if (k < 128) return (k >= 48 && k <= 57) || (k >= 65 && k <= 90) || (k >= 97 && k <= 122) || k === 95;
  return k === k && /[\p{L}\p{Nd}_]/u.test(src[i]);
}
function spaceAt(src: string, i: number): boolean {
  const k = src.charCodeAt(i);
  return k === 32 || k === 9 || k === 13 || k === 10;
}
// Sticky regular expressions for the lexer's runs of characters: a template is lexed once per run, mostly
// by code V8 has not optimised yet, and a regular expression scans a run natively where a loop of
// character tests would run in the interpreter. `runEnd` gives where the run that starts at `i` ends.
const WORD_RUN = /[\p{L}\p{Nd}_]*/uy;
const SPACE_RUN = /[ \t\r\n]*/y;
/** Inside an action, up to a character that may end it or open a quoted string. */
const PLAIN_RUN = /[^"'`} \t\n\r]*/y;
/** The body of a "..." string: up to its closing quote, a newline, or a backslash before a newline. */
const DQ_BODY = /(?:[^"\\\n]|\\[^\n])*/y;
const SQ_BODY = /(?:[^'\\\n]|\\[^\n])*/y;
function runEnd(re: RegExp, src: string, i: number): number {
  re.lastIndex = i;
  re.test(src);
  return re.lastIndex;
}

/** 0-9, '+', '-', '.': where a number may start. */
function numberStartAt(src: string, i: number): boolean {
  const k = src.charCodeAt(i);
  return (k >= 48 && k <= 57) || k === 43 || k === 45 || k === 46;
}

/**
 * Where a run of decimal digits starting at `i` ends, when it is a whole number token (most numbers in
 * templates: 63, 4, 8080): the next character is an ASCII one that cannot continue a number. Otherwise
 * `i`, and the general number syntax decides.
 */
function plainDigitsEnd(src: string, i: number, end: number): number {
  let j = i;
  for (let k = src.charCodeAt(j); j < end && k >= 48 && k <= 57; k = src.charCodeAt(++j));
  if (j === i || j === end) return j;
  const k = src.charCodeAt(j);
  const continues = k >= 128 || k === 46 || k === 95 || (k >= 48 && k <= 57) || (k >= 65 && k <= 90) || (k >= 97 && k <= 122);
  return continues ? i : j;
}

/** Tokenise the inside of one action. */
function lexAction(src: string, start: number, end: number, tplName: string): Tok[] {
  const toks: Tok[] = [];
  let i = start;
  let parenDepth = 0;
  while (i < end) {
    const c = src[i];
    if (spaceAt(src, i)) {
      toks.push({ t: 'space', v: ' ', pos: i }); // the parser only asks whether there was space
      i = Math.min(end, runEnd(SPACE_RUN, src, i));
      continue;
    }
    if (c === '|') { toks.push({ t: 'pipe', v: c, pos: i }); i++; continue; }
    if (c === '(') { parenDepth++; toks.push({ t: 'lparen', v: c, pos: i }); i++; continue; }
    if (c === ')') {
      parenDepth--;
      if (parenDepth < 0) throw new ParseError(`unexpected right paren`, i, tplName);
      toks.push({ t: 'rparen', v: c, pos: i }); i++; continue;
    }
    if (c === ',') { toks.push({ t: 'comma', v: c, pos: i }); i++; continue; }
    if (c === ':' ) {
      if (src[i + 1] !== '=') throw new ParseError(`expected :=`, i, tplName);
      toks.push({ t: 'declare', v: ':=', pos: i }); i += 2; continue;
    }
    if (c === '=') { toks.push({ t: 'assign', v: '=', pos: i }); i++; continue; }
    if (c === '"') {
      const j = runEnd(DQ_BODY, src, i + 1);
      if (j >= end || src[j] !== '"') throw new ParseError('unterminated quoted string', i, tplName);
      toks.push({ t: 'string', v: src.slice(i, j + 1), pos: i });
      i = j + 1;
      continue;
    }
    if (c === '`') {
      const j = src.indexOf('`', i + 1);
      if (j < 0 || j >= end) throw new ParseError('unterminated raw quoted string', i, tplName);
      toks.push({ t: 'string', v: src.slice(i, j + 1), pos: i });
      i = j + 1;
      continue;
    }
    if (c === "'") {
      let j = i + 1;
      while (j < end && src[j] !== "'") {
        if (src[j] === '\\') j++;
        j++;
      }
      toks.push({ t: 'char', v: src.slice(i, j + 1), pos: i });
      i = j + 1;
      continue;
    }
    if (c === '$') {
      const j = Math.min(end, runEnd(WORD_RUN, src, i + 1));
      toks.push({ t: 'variable', v: src.slice(i, j), pos: i });
      i = j;
      continue;
    }
    if (c === '.') {
      const n = src.charCodeAt(i + 1);
      if (n >= 48 && n <= 57) {
        // number like .5
      } else if (n === n && alnumAt(src, i + 1) && i + 1 < end) {
        const j = Math.min(end, runEnd(WORD_RUN, src, i + 1));
        toks.push({ t: 'field', v: src.slice(i, j), pos: i });
        i = j;
        continue;
      } else {
        toks.push({ t: 'dot', v: '.', pos: i });
        i++;
        continue;
      }
    }
    if (numberStartAt(src, i)) {
      const j = plainDigitsEnd(src, i, end);
      if (j > i) {
        toks.push({ t: 'number', v: src.slice(i, j), pos: i });
        i = j;
        continue;
      }
      const m = /^[+-]?(0[xX][0-9a-fA-F_]*(\.[0-9a-fA-F_]*)?([pP][+-]?[0-9_]+)?|0[bB][01_]+|0[oO][0-7_]+|[0-9_]*\.?[0-9_]*([eE][+-]?[0-9_]+)?)i?/.exec(src.slice(i, end));
      if (m && m[0].length > 0 && /[0-9]/.test(m[0])) {
        const j = i + m[0].length;
        if (j < end && alnumAt(src, j)) throw new ParseError(`bad number syntax: "${src.slice(i, j + 1)}"`, i, tplName);
        toks.push({ t: 'number', v: m[0], pos: i });
        i = j;
        continue;
      }
      throw new ParseError(`bad number syntax: "${c}"`, i, tplName);
    }
    if (alnumAt(src, i)) {
      const j = Math.min(end, runEnd(WORD_RUN, src, i));
      const w = src.slice(i, j);
      if (KEYWORDS.has(w)) toks.push({ t: 'keyword', v: w, pos: i });
      else if (w === 'true' || w === 'false') toks.push({ t: 'bool', v: w, pos: i });
      else if (w === 'nil') toks.push({ t: 'nil', v: w, pos: i });
      else toks.push({ t: 'identifier', v: w, pos: i });
      i = j;
      continue;
    }
    throw new ParseError(`unrecognized character in action: ${JSON.stringify(c)}`, i, tplName);
  }
  if (parenDepth > 0) throw new ParseError('unclosed left paren', end, tplName);
  toks.push({ t: 'eof', v: '', pos: end });
  return toks;
}

export function unquoteGo(q: string): string {
  if (q[0] === '`') return q.slice(1, -1).replace(/\r/g, '');
  const body = q.slice(1, -1);
  if (!body.includes('\\')) return body; // no escape: the text between the quotes (most strings)
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c !== '\\') { out += c; continue; }
    const n = body[++i];
    switch (n) {
      case 'n': out += '\n'; break;
      case 't': out += '\t'; break;
      case 'r': out += '\r'; break;
      case 'a': out += '\x07'; break;
      case 'b': out += '\b'; break;
      case 'f': out += '\f'; break;
      case 'v': out += '\v'; break;
      case '\\': out += '\\'; break;
      case '"': out += '"'; break;
      case "'": out += "'"; break;
      case 'x': out += String.fromCharCode(parseInt(body.substr(i + 1, 2), 16)); i += 2; break;
      case 'u': out += String.fromCodePoint(parseInt(body.substr(i + 1, 4), 16)); i += 4; break;
      case 'U': out += String.fromCodePoint(parseInt(body.substr(i + 1, 8), 16)); i += 8; break;
      default:
        if (n >= '0' && n <= '7') { out += String.fromCharCode(parseInt(body.substr(i, 3), 8)); i += 2; }
        else throw new Error(`invalid syntax`);
    }
  }
  return out;
}

function parseNumber(text: string, isChar: boolean): { isInt: boolean; isFloat: boolean; intVal: number; floatVal: number } {
  if (isChar) {
    const s = unquoteGo('"' + text.slice(1, -1).replace(/"/g, '\\"') + '"');
    if (Array.from(s).length !== 1) throw new Error(`malformed character constant: ${text}`);
    const cp = s.codePointAt(0) ?? 0;
    return { isInt: true, isFloat: true, intVal: cp, floatVal: cp };
  }
  const t = text.includes('_') ? text.replace(/_/g, '') : text;
  let sign = 1;
  let body = t;
  if (body[0] === '+' || body[0] === '-') { if (body[0] === '-') sign = -1; body = body.slice(1); }
  let iv: number | null = null;
  // a decimal integer not starting with 0 (most numbers in templates: 1, 63, 8080) needs none of the tests below
  if (body.length > 0 && body.charCodeAt(0) !== 48 && /^[0-9]+$/.test(body)) iv = parseInt(body, 10);
  else if (/^0[xX][0-9a-fA-F]+$/.test(body)) iv = parseInt(body.slice(2), 16);
  else if (/^0[bB][01]+$/.test(body)) iv = parseInt(body.slice(2), 2);
  else if (/^0[oO][0-7]+$/.test(body)) iv = parseInt(body.slice(2), 8);
  else if (/^0[0-7]+$/.test(body)) iv = parseInt(body, 8);
  else if (/^[0-9]+$/.test(body)) iv = parseInt(body, 10);
  if (iv !== null) return { isInt: true, isFloat: true, intVal: sign * iv, floatVal: sign * iv };
  const hx = /^0[xX]([0-9a-fA-F]*)(?:\.([0-9a-fA-F]*))?[pP]([+-]?\d+)$/.exec(body);
  if (hx) {
    const frac = hx[2] ?? '';
    const mant = parseInt((hx[1] || '0') + frac, 16) / 16 ** frac.length;
    const f = mant * 2 ** parseInt(hx[3], 10);
    return { isInt: Number.isInteger(f) && Math.abs(f) < 2 ** 63, isFloat: true, intVal: sign * f, floatVal: sign * f };
  }
  const f = Number(body);
  if (Number.isNaN(f)) throw new Error(`illegal number syntax: "${text}"`);
  const isInt = Number.isInteger(f) && Math.abs(f) < 2 ** 63;
  return { isInt, isFloat: true, intVal: sign * f, floatVal: sign * f };
}

interface Delim { start: number; end: number; trimLeft: boolean; trimRight: boolean; innerStart: number; innerEnd: number }

/** Find the end of an action starting at `start` ("{{"), respecting quotes and comments. */
function scanAction(src: string, start: number, tplName: string): Delim {
  let i = start + 2;
  let trimLeft = false;
  if (src[i] === '-' && isSpace(src[i + 1] ?? '')) { trimLeft = true; i += 1; }
  const innerStart = i;
  // comment? only directly after "{{" or after the "{{- " trim marker
  const j = trimLeft ? i + 1 : i;
  if (src.startsWith('/*', j)) {
    const ce = src.indexOf('*/', j + 2);
    if (ce < 0) throw new ParseError('unclosed comment', start, tplName);
    let k = ce + 2;
    let trimRight = false;
    if (src.startsWith(' -}}', k) || src.startsWith('\t-}}', k) || src.startsWith('\n-}}', k) || src.startsWith('\r-}}', k)) { trimRight = true; k += 4; }
    else if (src.startsWith('}}', k)) k += 2;
    else throw new ParseError('comment ends before closing delimiter', start, tplName);
    return { start, end: k, trimLeft, trimRight, innerStart: -1, innerEnd: -1 };
  }
  const n = src.length;
  while (i < n) {
    // Most characters of an action are none of the ones that matter here.
    i = runEnd(PLAIN_RUN, src, i);
    if (i >= n) break;
    const c = src[i];
    if (c === '"' || c === "'") {
      const q = i;
      i = runEnd(c === '"' ? DQ_BODY : SQ_BODY, src, i + 1);
      if (src[i] !== c) throw new ParseError(c === '"' ? 'unterminated quoted string' : 'unterminated character constant', q, tplName);
      i++;
      continue;
    }
    if (c === '`') {
      const e = src.indexOf('`', i + 1);
      if (e < 0) throw new ParseError('unterminated raw quoted string', i, tplName);
      i = e + 1;
      continue;
    }
    if (c === '}' && src[i + 1] === '}') {
      return { start, end: i + 2, trimLeft, trimRight: false, innerStart, innerEnd: i };
    }
    if (isSpace(c) && src[i + 1] === '-' && src[i + 2] === '}' && src[i + 3] === '}') {
      return { start, end: i + 4, trimLeft, trimRight: true, innerStart, innerEnd: i + 1 };
    }
    i++;
  }
  throw new ParseError('unclosed action', start, tplName);
}

interface Frame {
  kind: 'root' | 'if' | 'with' | 'range' | 'define' | 'block';
  list: Node[];
  node?: IfNode | WithNode | RangeNode;
  elseChain?: Array<IfNode | WithNode>; // nested else-if nodes to close together
  inElse?: boolean;
  defineName?: string;
  blockPipe?: PipeNode | null;
  pos: number;
}

export interface ParseResult {
  root: Node[];
  defines: Map<string, Node[]>;
}

export function parseTemplate(src: string, tplName: string, funcs: (name: string) => boolean): ParseResult {
  const defines = new Map<string, Node[]>();
  const stack: Frame[] = [{ kind: 'root', list: [], pos: 0 }];
  let i = 0;
  let pendingTrim = false;
  let rangeDepth = 0;
  const top = () => stack[stack.length - 1];
  const vars: string[][] = [['$']];
  const curVars = () => vars[vars.length - 1];

  while (i < src.length) {
    const open = src.indexOf('{{', i);
    let text = open < 0 ? src.slice(i) : src.slice(i, open);
    const textPos = i;
    let d: Delim | null = null;
    if (open >= 0) d = scanAction(src, open, tplName);
    let tpos = textPos;
    if (pendingTrim) {
      const k = Math.min(text.length, runEnd(SPACE_RUN, src, textPos) - textPos);
      tpos += k;
      text = text.slice(k);
    }
    if (d?.trimLeft) {
      let k = text.length;
      while (k > 0 && isSpace(text[k - 1])) k--;
      text = text.slice(0, k);
    }
    if (text) top().list.push({ type: 'text', text, pos: tpos });
    if (!d) break;
    pendingTrim = d.trimRight;
    i = d.end;
    if (d.innerStart < 0) continue; // comment
    const rawToks = lexAction(src, d.innerStart, d.innerEnd, tplName);
    const p = new TokParser(rawToks, tplName, funcs, curVars());
    const first = p.peekNonSpace();
    if (first.t === 'keyword') {
      p.nextNonSpace();
      const kw = first.v;
      switch (kw) {
        case 'if':
        case 'with':
        case 'range': {
          if (kw !== 'if') vars.push([...curVars()]);
          else vars.push([...curVars()]);
          p.vars = curVars();
          const pipe = p.pipeline(kw, true);
          p.expectEnd();
          const node = { type: kw, pipe, list: [], elseList: null, pos: first.pos } as IfNode | WithNode | RangeNode;
          top().list.push(node);
          stack.push({ kind: kw, list: node.list, node, elseChain: [], pos: first.pos });
          if (kw === 'range') rangeDepth++;
          break;
        }
        case 'else': {
          const f = top();
          if (f.kind !== 'if' && f.kind !== 'with' && f.kind !== 'range') throw new ParseError('unexpected {{else}}', first.pos, tplName);
          if (f.inElse && f.kind !== 'range') {
            // else after else
            throw new ParseError(`expected end; found {{else}}`, first.pos, tplName);
          }
          const nxt = p.peekNonSpace();
          // Go keeps variables declared in the if/with/range body visible (at parse time) in its else branch
          p.vars = curVars();
          if (nxt.t === 'keyword' && (nxt.v === 'if' || nxt.v === 'with') && nxt.v !== f.kind) {
            throw new ParseError(`unexpected <${nxt.v}> in input`, nxt.pos, tplName);
          }
          if (nxt.t === 'keyword' && (nxt.v === 'if' || nxt.v === 'with') && f.kind !== 'range') {
            p.nextNonSpace();
            const pipe = p.pipeline(nxt.v, true);
            p.expectEnd();
            const inner = { type: nxt.v, pipe, list: [], elseList: null, pos: nxt.pos } as IfNode | WithNode;
            const cur = (f.elseChain!.length ? f.elseChain![f.elseChain!.length - 1] : f.node!) as IfNode | WithNode;
            cur.elseList = [inner];
            f.elseChain!.push(inner);
            f.list = inner.list;
          } else {
            p.expectEnd();
            const cur = (f.elseChain!.length ? f.elseChain![f.elseChain!.length - 1] : f.node!) as IfNode | WithNode | RangeNode;
            cur.elseList = [];
            f.list = cur.elseList;
            f.inElse = true;
            if (f.kind === 'range') rangeDepth--;
          }
          break;
        }
        case 'end': {
          p.expectEnd();
          const f = stack.pop()!;
          if (f.kind === 'root') throw new ParseError('unexpected {{end}}', first.pos, tplName);
          if (f.kind === 'define' || f.kind === 'block') {
            defines.set(f.defineName!, f.list);
            if (f.kind === 'block') {
              top().list.push({ type: 'template', name: f.defineName!, pipe: f.blockPipe ?? null, pos: f.pos });
            }
          } else if (f.kind === 'range' && !f.inElse) rangeDepth--;
          vars.pop();
          break;
        }
        case 'define': {
          if (stack.length !== 1) throw new ParseError('unexpected <define> in command', first.pos, tplName);
          const nameTok = p.nextNonSpace();
          if (nameTok.t !== 'string') throw new ParseError(`unexpected ${nameTok.v} in define clause`, nameTok.pos, tplName);
          p.expectEnd();
          stack.push({ kind: 'define', list: [], defineName: unquoteGo(nameTok.v), pos: first.pos });
          vars.push(['$']);
          break;
        }
        case 'block': {
          const nameTok = p.nextNonSpace();
          if (nameTok.t !== 'string') throw new ParseError(`unexpected ${nameTok.v} in block clause`, nameTok.pos, tplName);
          const pipe = p.pipeline('block', false);
          p.expectEnd();
          stack.push({ kind: 'block', list: [], defineName: unquoteGo(nameTok.v), blockPipe: pipe, pos: first.pos });
          vars.push(['$']);
          break;
        }
        case 'template': {
          const nameTok = p.nextNonSpace();
          if (nameTok.t !== 'string') throw new ParseError(`unexpected ${nameTok.t === 'eof' ? '"}}"' : JSON.stringify(nameTok.v)} in template clause`, nameTok.pos, tplName);
          let pipe: PipeNode | null = null;
          if (p.peekNonSpace().t !== 'eof') pipe = p.pipeline('template', false);
          p.expectEnd();
          top().list.push({ type: 'template', name: unquoteGo(nameTok.v), pipe, pos: first.pos });
          break;
        }
        case 'break':
        case 'continue': {
          if (rangeDepth <= 0) throw new ParseError(`{{${kw}}} outside {{range}}`, first.pos, tplName);
          p.expectEnd();
          top().list.push({ type: kw, pos: first.pos } as BreakNode | ContinueNode);
          break;
        }
        default:
          throw new ParseError(`unexpected ${kw}`, first.pos, tplName);
      }
      // define/block frames pop vars on end; fix for define: handled in 'end' via kind check
      continue;
    }
    const pipe = p.pipeline('command', false);
    p.expectEnd();
    if (pipe.decl.length && !pipe.isAssign) {
      // declared vars are visible after
    }
    top().list.push({ type: 'action', pipe, pos: d.innerStart });
  }
  if (stack.length > 1) {
    const f = top();
    throw new ParseError(`unexpected EOF`, src.length, tplName);
    void f;
  }
  return { root: stack[0].list, defines };
}

class TokParser {
  i = 0;
  constructor(private toks: Tok[], private tplName: string, private funcs: (n: string) => boolean, public vars: string[]) {}

  peek(): Tok { return this.toks[this.i]; }
  next(): Tok { return this.toks[this.i++]; }
  peekNonSpace(): Tok {
    let j = this.i;
    while (this.toks[j].t === 'space') j++;
    return this.toks[j];
  }
  nextNonSpace(): Tok {
    while (this.peek().t === 'space') this.i++;
    return this.next();
  }
  err(msg: string, pos: number): never {
    throw new ParseError(msg, pos, this.tplName);
  }
  expectEnd(): void {
    const t = this.nextNonSpace();
    if (t.t !== 'eof') this.err(`unexpected ${JSON.stringify(t.v)} in end`, t.pos);
  }

  pipeline(context: string, allowDecl: boolean, endTok: TokType = 'eof'): PipeNode {
    void allowDecl;
    const start = this.peekNonSpace();
    const pipe: PipeNode = { type: 'pipe', decl: [], isAssign: false, cmds: [], pos: start.pos };
    // declarations
    const save = this.i;
    const v = this.nextNonSpace();
    if (v.t === 'variable') {
      const n2 = this.nextNonSpace();
      if (n2.t === 'declare' || n2.t === 'assign') {
        pipe.decl.push(v.v);
        pipe.isAssign = n2.t === 'assign';
        if (n2.t === 'declare') this.vars.push(v.v);
        else if (!this.vars.includes(v.v)) this.err(`undefined variable "${v.v}"`, v.pos);
      } else if (n2.t === 'comma' && context === 'range') {
        const v2 = this.nextNonSpace();
        const n3 = this.nextNonSpace();
        if (v2.t === 'variable' && (n3.t === 'declare' || n3.t === 'assign')) {
          pipe.decl.push(v.v, v2.v);
          pipe.isAssign = n3.t === 'assign';
          if (n3.t === 'declare') this.vars.push(v.v, v2.v);
        } else if (v2.t === 'variable' && n3.t === 'comma') this.err('too many declarations in range', v.pos);
        else this.err(`range can only initialize variables`, v.pos);
      } else this.i = save;
    } else this.i = save;

    for (;;) {
      const t = this.peekNonSpace();
      if (t.t === endTok) {
        if (endTok === 'rparen') this.nextNonSpace();
        break;
      }
      if (t.t === 'eof') this.err('unclosed left paren', t.pos);
      pipe.cmds.push(this.command(endTok));
      const n = this.peekNonSpace();
      if (n.t === 'pipe') { this.nextNonSpace(); continue; }
    }
    if (pipe.cmds.length === 0) this.err(`missing value for ${context}`, start.pos);
    for (let k = 1; k < pipe.cmds.length; k++) {
      const a0 = pipe.cmds[k].args[0];
      if (a0.type !== 'identifier' && a0.type !== 'field' && a0.type !== 'chain' && a0.type !== 'variable') {
        if (a0.type === 'bool' || a0.type === 'dot' || a0.type === 'nil' || a0.type === 'number' || a0.type === 'string')
          this.err(`non executable command in pipeline stage ${k + 1}`, a0.pos);
      }
    }
    return pipe;
  }

  command(endTok: TokType): CommandNode {
    const start = this.peekNonSpace();
    const cmd: CommandNode = { type: 'command', args: [], pos: start.pos };
    for (;;) {
      while (this.peek().t === 'space') this.i++;
      const t = this.peek();
      if (t.t === endTok || t.t === 'pipe' || t.t === 'eof' || t.t === 'rparen') break;
      const op = this.operand();
      cmd.args.push(op);
      const n = this.peek();
      if (n.t === 'space' || n.t === endTok || n.t === 'pipe' || n.t === 'eof' || n.t === 'rparen') continue;
      this.err(`unexpected ${n.t === 'dot' || n.t === 'keyword' ? `<${n.v}>` : JSON.stringify(n.v)} in operand`, n.pos);
    }
    if (cmd.args.length === 0) this.err('empty command', start.pos);
    return cmd;
  }

  operand(): ArgNode {
    const term = this.term();
    if (this.peek().t === 'field') {
      // Go positions the combined node at its first trailing field
      const chainPos = this.peek().pos;
      const idents: string[] = [];
      while (this.peek().t === 'field') idents.push(this.next().v.slice(1));
      if (term.type === 'field') return { type: 'field', pos: chainPos, idents: [...term.idents, ...idents] };
      if (term.type === 'variable') return { type: 'variable', pos: chainPos, name: term.name, idents: [...term.idents, ...idents] };
      if (term.type === 'bool' || term.type === 'string' || term.type === 'number' || term.type === 'nil' || term.type === 'dot')
        this.err(`unexpected . after term ${JSON.stringify(term.type)}`, term.pos);
      return { type: 'chain', pos: chainPos, node: term, idents };
    }
    return term;
  }

  term(): ArgNode {
    const t = this.next();
    switch (t.t) {
      case 'identifier':
        if (!this.funcs(t.v)) this.err(`function "${t.v}" not defined`, t.pos);
        return { type: 'identifier', pos: t.pos, name: t.v };
      case 'dot': return { type: 'dot', pos: t.pos };
      case 'nil': return { type: 'nil', pos: t.pos };
      case 'bool': return { type: 'bool', pos: t.pos, value: t.v === 'true' };
      case 'variable': {
        if (!this.vars.includes(t.v)) this.err(`undefined variable "${t.v}"`, t.pos);
        return { type: 'variable', pos: t.pos, name: t.v, idents: [] };
      }
      case 'field': return { type: 'field', pos: t.pos, idents: [t.v.slice(1)] };
      case 'number':
      case 'char': {
        try {
          const n = parseNumber(t.v, t.t === 'char');
          return { type: 'number', pos: t.pos, text: t.v, isChar: t.t === 'char', ...n };
        } catch (e) {
          this.err((e as Error).message, t.pos);
        }
        break;
      }
      case 'string': {
        try {
          return { type: 'string', pos: t.pos, value: unquoteGo(t.v), quoted: t.v };
        } catch {
          this.err(`invalid syntax`, t.pos);
        }
        break;
      }
      case 'lparen': {
        const pipe = this.pipeline('parenthesized pipeline', false, 'rparen');
        return pipe;
      }
      default:
        this.err(`unexpected ${JSON.stringify(t.v)} in operand`, t.pos);
    }
    this.err('unexpected', t.pos);
  }
}

export function lineCol(src: string, pos: number): { line: number; col: number } {
  let line = 1;
  let last = -1;
  for (let i = 0; i < pos && i < src.length; i++) {
    if (src.charCodeAt(i) === 10) { line++; last = i; }
  }
  return { line, col: pos - last - 1 };
}

/** Source-like text of a node, as Go prints it in "executing ... at <...>" */
export function nodeText(_src: string, n: ArgNode | CommandNode | PipeNode): string {
  return describe(n);
}

function describe(n: ArgNode | CommandNode | PipeNode): string {
  switch (n.type) {
    case 'command': return n.args.map(describeArg).join(' ');
    case 'pipe': return (n.decl.length ? n.decl.join(', ') + (n.isAssign ? ' = ' : ' := ') : '') + n.cmds.map(describe).join(' | ');
    default: return describeArg(n);
  }
}

function describeArg(a: ArgNode): string {
  switch (a.type) {
    case 'field': return '.' + a.idents.join('.');
    case 'variable': return [a.name, ...a.idents].join('.');
    case 'chain': return (a.node.type === 'pipe' ? '(' + describe(a.node) + ')' : describeArg(a.node)) + '.' + a.idents.join('.');
    case 'identifier': return a.name;
    case 'dot': return '.';
    case 'nil': return 'nil';
    case 'bool': return String(a.value);
    case 'number': return a.text;
    case 'string': return a.quoted;
    case 'pipe': return '(' + describe(a) + ')';
  }
}
