// Go fmt: Sprint / Sprintln / Sprintf subset.
import { GoInt, GoStruct, fmtV, fmtFloatG, fmtFloatE, fmtFloatF, typeName, isNil, isMap } from './values.js';

function isStringish(v: unknown): boolean {
  return typeof v === 'string';
}

/** fmt.Sprint: spaces between operands when neither side is a string */
export function sprint(args: unknown[]): string {
  let out = '';
  for (let i = 0; i < args.length; i++) {
    if (i > 0 && !isStringish(args[i]) && !isStringish(args[i - 1])) out += ' ';
    out += fmtV(args[i]);
  }
  return out;
}

export function sprintln(args: unknown[]): string {
  return args.map((a) => fmtV(a)).join(' ') + '\n';
}

// Printable ASCII other than '"' and '\\': what strconv.Quote copies as it is (most quoted values are only that).
const PLAIN_ASCII = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;

export function goQuote(s: string): string {
  // One native scan instead of a per-character loop in cold code (`quote` runs on most values of a chart)
  if (PLAIN_ASCII.test(s)) return '"' + s + '"';
  let o = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    switch (ch) {
      case '"': o += '\\"'; break;
      case '\\': o += '\\\\'; break;
      case '\n': o += '\\n'; break;
      case '\t': o += '\\t'; break;
      case '\r': o += '\\r'; break;
      case '\x07': o += '\\a'; break;
      case '\b': o += '\\b'; break;
      case '\f': o += '\\f'; break;
      case '\v': o += '\\v'; break;
      default:
        if (c < 0x20 || c === 0x7f) o += '\\x' + c.toString(16).padStart(2, '0');
        else if (!/[\p{L}\p{M}\p{N}\p{P}\p{S} ]/u.test(ch)) o += c > 0xffff ? '\\U' + c.toString(16).padStart(8, '0') : '\\u' + c.toString(16).padStart(4, '0');
        else if (c >= 0x80 && c < 0xa0) o += '\\u' + c.toString(16).padStart(4, '0');
        else o += ch;
    }
  }
  return o + '"';
}

export function quoteRune(r: number): string {
  const ch = String.fromCodePoint(r);
  if (ch === "'") return "'\\''";
  const q = goQuote(ch);
  return "'" + q.slice(1, -1).replace(/\\"/g, '"') + "'";
}

function badVerb(verb: string, v: unknown): string {
  if (isNil(v)) return `%!${verb}(<nil>)`;
  return `%!${verb}(${typeName(v)}=${fmtV(v)})`;
}

function pad(s: string, width: number | undefined, minus: boolean, zero: boolean): string {
  if (width === undefined || s.length >= width) return s;
  if (minus) return s + ' '.repeat(width - s.length);
  if (zero) {
    const neg = s[0] === '-' || s[0] === '+';
    const body = neg ? s.slice(1) : s;
    return (neg ? s[0] : '') + '0'.repeat(width - s.length) + body;
  }
  return ' '.repeat(width - s.length) + s;
}

export function sprintf(format: string, args: unknown[]): string {
  let out = '';
  let ai = 0;
  let i = 0;
  while (i < format.length) {
    const c = format[i];
    if (c !== '%') { out += c; i++; continue; }
    i++;
    let minus = false, plus = false, zero = false, space = false, sharp = false;
    for (;;) {
      const f = format[i];
      if (f === '-') minus = true;
      else if (f === '+') plus = true;
      else if (f === '0') zero = true;
      else if (f === ' ') space = true;
      else if (f === '#') sharp = true;
      else break;
      i++;
    }
    let width: number | undefined;
    let prec: number | undefined;
    if (format[i] === '*') { const w = args[ai++]; width = w instanceof GoInt ? w.v : Number(w); i++; }
    else { let w = ''; while (/[0-9]/.test(format[i] ?? '')) w += format[i++]; if (w) width = parseInt(w, 10); }
    if (format[i] === '.') {
      i++;
      if (format[i] === '*') { const p = args[ai++]; prec = p instanceof GoInt ? p.v : Number(p); i++; }
      else { let p = ''; while (/[0-9]/.test(format[i] ?? '')) p += format[i++]; prec = p ? parseInt(p, 10) : 0; }
    }
    const verb = format[i++];
    if (verb === undefined) { out += '%!(NOVERB)'; break; }
    if (verb === '%') { out += '%'; continue; }
    if (ai >= args.length) { out += `%!${verb}(MISSING)`; continue; }
    const v = args[ai++];
    let s: string;
    switch (verb) {
      case 'v':
        s = sharp ? goSharpV(v) : fmtV(v);
        if (plus && (typeof v === 'number' || v instanceof GoInt) && !s.startsWith('-')) s = '+' + s;
        break;
      case 's':
        if (typeof v === 'string') s = v;
        else if (v instanceof Uint8Array) s = Buffer.from(v).toString('utf8');
        else if (v instanceof GoStruct) s = v.goString();
        else if (Array.isArray(v)) s = '[' + v.map((e) => (typeof e === 'string' ? e : fmtV(e))).join(' ') + ']';
        else if (isMap(v)) s = fmtV(v);
        else s = badVerb('s', v);
        if (prec !== undefined && typeof v === 'string') s = Array.from(s).slice(0, prec).join('');
        break;
      case 'q':
        if (typeof v === 'string') s = goQuote(v);
        else if (v instanceof GoInt) s = quoteRune(v.v);
        else if (v instanceof GoStruct && v.goField('String')?.method) s = goQuote(v.goString()); // a Stringer
        else s = badVerb('q', v);
        break;
      case 'd':
        if (v instanceof GoInt) s = String(v.v);
        else if (Array.isArray(v)) s = '[' + v.map((e) => (e instanceof GoInt ? String(e.v) : badVerb('d', e))).join(' ') + ']';
        else s = badVerb('d', v);
        if (plus && !s.startsWith('-')) s = '+' + s;
        else if (space && !s.startsWith('-')) s = ' ' + s;
        break;
      case 'x':
      case 'X': {
        if (v instanceof GoInt) s = (v.v < 0 ? '-' : '') + Math.abs(v.v).toString(16);
        else if (typeof v === 'string') s = Buffer.from(v, 'utf8').toString('hex');
        else if (v instanceof Uint8Array) s = Buffer.from(v).toString('hex');
        else if (typeof v === 'number') s = hexFloat(v);
        else s = badVerb(verb, v);
        if (sharp && v instanceof GoInt) s = '0x' + s;
        if (verb === 'X') s = s.toUpperCase();
        break;
      }
      case 'o':
        s = v instanceof GoInt ? (sharp ? '0' : '') + v.v.toString(8) : badVerb('o', v);
        break;
      case 'b':
        s = v instanceof GoInt ? v.v.toString(2) : badVerb('b', v);
        break;
      case 'c':
        s = v instanceof GoInt ? String.fromCodePoint(v.v) : badVerb('c', v);
        break;
      case 'U':
        s = v instanceof GoInt ? 'U+' + v.v.toString(16).toUpperCase().padStart(4, '0') : badVerb('U', v);
        break;
      case 'e':
      case 'E':
        s = typeof v === 'number' ? fmtFloatE(v, prec ?? 6, verb === 'E') : badVerb(verb, v);
        break;
      case 'f':
      case 'F':
        s = typeof v === 'number' ? fmtFloatF(v, prec ?? 6) : badVerb(verb, v);
        if (plus && typeof v === 'number' && v >= 0) s = '+' + s;
        break;
      case 'g':
      case 'G':
        if (typeof v === 'number') {
          if (prec === undefined) s = fmtFloatG(v, 6);
          else s = goPrecG(v, prec);
        } else s = badVerb(verb, v);
        break;
      case 't':
        s = typeof v === 'boolean' ? String(v) : badVerb('t', v);
        break;
      case 'T':
        s = isNil(v) ? '<nil>' : typeName(v);
        break;
      case 'p':
        s = '0xc000010000';
        break;
      default:
        s = `%!${verb}(${typeName(v)}=${fmtV(v)})`;
    }
    out += pad(s, width, minus, zero && !minus && verb !== 's' && verb !== 'v' ? true : zero && !minus);
  }
  if (ai < args.length) {
    out += '%!(EXTRA ' + args.slice(ai).map((a) => `${typeName(a)}=${fmtV(a)}`).join(', ') + ')';
  }
  return out;
}

function goPrecG(v: number, prec: number): string {
  if (prec === 0) prec = 1;
  const e = v.toExponential(prec - 1);
  const m = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(e)!;
  const exp = parseInt(m[4], 10);
  if (exp < -4 || exp >= prec) {
    const mant = (m[2] + (m[3] ? '.' + m[3] : '')).replace(/\.?0+$/, '');
    return m[1] + mant + 'e' + (exp < 0 ? '-' : '+') + String(Math.abs(exp)).padStart(2, '0');
  }
  return String(Number(v.toPrecision(prec)));
}

function hexFloat(v: number): string {
  return v.toString(16);
}

function goSharpV(v: unknown): string {
  if (typeof v === 'string') return goQuote(v);
  if (isNil(v)) return '<nil>';
  if (Array.isArray(v)) return '[]interface {}{' + v.map(goSharpV).join(', ') + '}';
  if (isMap(v)) return 'map[string]interface {}{' + Object.keys(v).sort().map((k) => goQuote(k) + ':' + goSharpV(v[k])).join(', ') + '}';
  return fmtV(v);
}
