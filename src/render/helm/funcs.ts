// Go template builtins + Sprig (as exposed by Helm) implemented from their documented behaviour.
import { createRequire } from 'node:module';
import { FuncError, type FuncCtx, type FuncDef, type FuncImpl } from './exec.js';
import { GoInt, GoStruct, GoTime, type GoMember, int, isMap, isNil, kindOf, numVal, truth, typeName, fmtV, typed, goTypeOf } from './values.js';
import { sprint, sprintf, sprintln, goQuote } from './gofmt.js';
import { goJson } from './yaml.js';
import { LIST_ELEMENT_BYTES, isBudgetStop, spend, tick } from './budget.js';
import { compileGo, findAllSubmatchIndex, quoteMeta, type GoRegexp } from '../../util/re2.js';

type Fns = Map<string, FuncDef>;

// eslint-disable-next-line no-control-regex
const ASCII_ONLY = /^[\x00-\x7f]*$/;

// node:crypto loads on the first hash or random function a chart calls: many charts call none, and loading
// it costs every render a few milliseconds of start-up.
let cryptoMod: typeof import('node:crypto') | undefined;
function crypto(): typeof import('node:crypto') {
  return (cryptoMod ??= createRequire(import.meta.url)('node:crypto') as typeof import('node:crypto'));
}
const createHash = (algorithm: string) => crypto().createHash(algorithm);
const randomBytes = (n: number) => crypto().randomBytes(n);
const randomUUID = () => crypto().randomUUID();

export const valuesTyped = { add: (o: object) => typed(o, 'common.Values'), has: (o: object) => goTypeOf.get(o) === 'common.Values' };

// ------------------------------------------------------------------ conversions (spf13/cast-like)

export function toStr(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v instanceof Uint8Array) return Buffer.from(v).toString('utf8');
  if (v instanceof Error) return v.message;
  return fmtV(v);
}

function parseGoIntBase0(s: string): number | null {
  let t = s;
  let neg = false;
  if (t[0] === '+' || t[0] === '-') { neg = t[0] === '-'; t = t.slice(1); }
  t = t.replace(/_/g, '');
  let v: number;
  if (/^0[xX][0-9a-fA-F]+$/.test(t)) v = parseInt(t.slice(2), 16);
  else if (/^0[bB][01]+$/.test(t)) v = parseInt(t.slice(2), 2);
  else if (/^0[oO][0-7]+$/.test(t)) v = parseInt(t.slice(2), 8);
  else if (/^0[0-7]*$/.test(t)) v = parseInt(t || '0', 8);
  else if (/^[1-9][0-9]*$/.test(t)) v = parseInt(t, 10);
  else return null;
  return neg ? -v : v;
}

export function toInt64(v: unknown): number {
  if (isNil(v)) return 0;
  if (v instanceof GoInt) return v.v;
  if (typeof v === 'number') return Number.isFinite(v) ? Math.trunc(v) : 0;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'string') {
    const s = v.replace(/\.0*$/, '');
    if (s === '') return 0;
    const r = parseGoIntBase0(s);
    return r ?? 0;
  }
  return 0;
}

export function toFloat64(v: unknown): number {
  if (isNil(v)) return 0;
  if (v instanceof GoInt) return v.v;
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'string') {
    const f = Number(v.trim());
    return v.trim() === '' || Number.isNaN(f) ? 0 : f;
  }
  return 0;
}

/** Go values whose type is a slice under another name (Helm's VersionSet is a []string). */
function sliceOf(v: unknown): unknown[] | undefined {
  const f = (v as { goList?: () => unknown[] } | null)?.goList;
  return typeof f === 'function' ? f.call(v) : undefined;
}

function toList(v: unknown, fname: string): unknown[] {
  if (isNil(v)) return [];
  if (Array.isArray(v)) return v;
  const sl = sliceOf(v);
  if (sl) return sl;
  if (v instanceof Uint8Array) return Array.from(v).map((b) => int(b, 'uint8'));
  throw new FuncError(`Cannot find ${fname} on type ${typeName(v)}`);
}

function mustList(v: unknown, fname: string): unknown[] {
  if (Array.isArray(v)) return v;
  const sl = sliceOf(v);
  if (sl) return sl;
  if (isNil(v)) return [];
  throw new FuncError(`Cannot ${fname} on type ${typeName(v)}`);
}

export function empty(v: unknown): boolean {
  return !truth(v);
}

function strSlice(v: unknown): string[] {
  if (isNil(v)) return [];
  if (Array.isArray(v)) return v.filter((e) => !isNil(e)).map(toStr);
  if (typeof v === 'string') return [v];
  return [toStr(v)];
}

// ------------------------------------------------------------------ comparisons (text/template)

type BasicKind = 'bool' | 'int' | 'uint' | 'float' | 'complex' | 'string' | 'invalid' | 'other';
function basicKind(v: unknown): BasicKind {
  if (isNil(v)) return 'invalid';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'number') return 'float';
  if (v instanceof GoInt) return v.t.startsWith('uint') ? 'uint' : 'int';
  return 'other';
}

function isComparable(v: unknown): boolean {
  return !(Array.isArray(v) || isMap(v) || typeof v === 'function' || v instanceof Uint8Array);
}

function eq(arg1: unknown, ...args: unknown[]): boolean {
  if (args.length === 0) throw new FuncError('missing argument for comparison');
  const k1 = basicKind(arg1);
  for (const a of args) {
    const k2 = basicKind(a);
    let truthv = false;
    if (k1 !== k2) {
      if ((k1 === 'int' && k2 === 'uint') || (k1 === 'uint' && k2 === 'int')) truthv = numVal(arg1 as GoInt) === numVal(a as GoInt);
      else if (k1 === 'invalid' || k2 === 'invalid') truthv = false;
      else if (k1 === 'other' || k2 === 'other') {
        if (!isComparable(arg1) || !isComparable(a)) throw new FuncError(`incompatible types for comparison: ${typeName(arg1)} and ${typeName(a)}`);
        truthv = false;
      } else throw new FuncError(`incompatible types for comparison: ${typeName(arg1)} and ${typeName(a)}`);
    } else {
      switch (k1) {
        case 'bool': case 'string': truthv = arg1 === a; break;
        case 'int': case 'uint': truthv = (arg1 as GoInt).v === (a as GoInt).v; break;
        case 'float': truthv = arg1 === a; break;
        case 'invalid': truthv = true; break;
        default:
          if (!isComparable(arg1)) throw new FuncError(`non-comparable type ${fmtV(arg1)}: ${typeName(arg1)}`);
          if (!isComparable(a)) throw new FuncError(`non-comparable type ${fmtV(a)}: ${typeName(a)}`);
          truthv = arg1 === a || (arg1 instanceof GoStruct && a instanceof GoStruct && arg1.goString() === a.goString());
      }
    }
    if (truthv) return true;
  }
  return false;
}

function lt(a: unknown, b: unknown): boolean {
  const k1 = basicKind(a), k2 = basicKind(b);
  if (k1 === 'other' || k1 === 'invalid' || k1 === 'bool') throw new FuncError('invalid type for comparison');
  if (k2 === 'other' || k2 === 'invalid' || k2 === 'bool') throw new FuncError('invalid type for comparison');
  if (k1 !== k2) {
    if ((k1 === 'int' || k1 === 'uint') && (k2 === 'int' || k2 === 'uint')) return numVal(a as GoInt) < numVal(b as GoInt);
    throw new FuncError(`incompatible types for comparison: ${typeName(a)} and ${typeName(b)}`);
  }
  if (k1 === 'string') return (a as string) < (b as string);
  return numVal(a as number | GoInt) < numVal(b as number | GoInt);
}

// ------------------------------------------------------------------ regex (Go's regexp, through re2js)

/**
 * A chart's pattern compiled as Go's regexp (src/util/re2.ts: RE2 syntax, linear time). `must`: the error of
 * regexp.Compile, as the must* functions return it; otherwise the panic of regexp.MustCompile, as sprig's
 * plain functions raise it (text/template reports both as "error calling <func>: ...").
 */
export function goRegex(src: string, must = true): GoRegexp {
  try {
    return compileGo(src);
  } catch (e) {
    const msg = (e as Error).message;
    throw new FuncError(must ? msg : `regexp: Compile(${backquote(src)}): ${msg}`);
  }
}

/** Go's regexp.quote: the pattern in backquotes when strconv.CanBackquote allows, else strconv.Quote. */
function backquote(s: string): string {
  return /^[^`\x00-\x08\x0a-\x1f\x7f\ufeff\ud800-\udfff]*$/u.test(s) ? '`' + s + '`' : goQuote(s);
}

/** The text of match group k (start/end pairs from findAllSubmatchIndex), '' when it took no part. */
function groupText(s: string, m: number[], k: number): string {
  return m[2 * k] >= 0 ? s.slice(m[2 * k], m[2 * k + 1]) : '';
}

/** Go's Regexp.ReplaceAllString (`literal`: ReplaceAllLiteralString). */
function replaceAll(re: GoRegexp, s: string, repl: string, literal: boolean): string {
  let out = '';
  let last = 0;
  const names = literal ? {} : re.namedGroups();
  for (const m of findAllSubmatchIndex(re, s)) {
    out += s.slice(last, m[0]);
    if (literal) out += repl;
    else {
      const groups = Array.from({ length: m.length / 2 }, (_, k) => groupText(s, m, k));
      const named: Record<string, string> = {};
      for (const [n, k] of Object.entries(names)) named[n] = groups[k];
      out += expandRepl(repl, groups, named);
    }
    last = m[1];
  }
  return out + s.slice(last);
}

/** Go's Regexp.Split. */
function regexSplit(re: GoRegexp, s: string, n: number): string[] {
  if (n === 0) return [];
  if (re.pattern().length > 0 && s.length === 0) return [''];
  const out: string[] = [];
  let beg = 0;
  let end = 0;
  for (const m of findAllSubmatchIndex(re, s, n)) {
    if (n > 0 && out.length === n - 1) break;
    end = m[0];
    if (m[1] !== 0) out.push(s.slice(beg, end));
    beg = m[1];
  }
  if (end !== s.length) out.push(s.slice(beg));
  return out;
}

/** Go regexp.Expand-style template expansion */
function expandRepl(repl: string, m: string[], groups?: Record<string, string | undefined>): string {
  let out = '';
  for (let i = 0; i < repl.length; i++) {
    const c = repl[i];
    if (c !== '$') { out += c; continue; }
    if (repl[i + 1] === '$') { out += '$'; i++; continue; }
    let name = '';
    if (repl[i + 1] === '{') {
      const e = repl.indexOf('}', i + 2);
      if (e < 0) { out += c; continue; }
      name = repl.slice(i + 2, e);
      i = e;
    } else {
      let j = i + 1;
      while (j < repl.length && /[A-Za-z0-9_]/.test(repl[j])) j++;
      name = repl.slice(i + 1, j);
      if (!name) { out += c; continue; }
      i = j - 1;
    }
    if (/^[0-9]+$/.test(name)) out += m[parseInt(name, 10)] ?? '';
    else out += groups?.[name] ?? '';
  }
  return out;
}

// ------------------------------------------------------------------ semver (Masterminds-like)

/**
 * Masterminds semver's Version as `semver` returns it: a *semver.Version. Its methods with a value receiver
 * (String, Major..., IncPatch, SetPrerelease...) are callable on the Version values the Inc and Set methods return too; those with a pointer
 * receiver (Original, Compare, LessThan, ...) only on the pointer, and their argument must be one
 * (`(semver "2.6.0").Compare (semver .Values.tag)`).
 */
export class SemVer extends GoStruct {
  readonly goType: string;
  constructor(readonly major: number, readonly minor: number, readonly patch: number, readonly pre: string, readonly meta: string, readonly original: string, readonly ptr = true) {
    super();
    this.goType = ptr ? '*semver.Version' : 'semver.Version';
  }
  override goField(name: string): GoMember | undefined {
    const value = this.valueMethod(name);
    if (value || !this.ptr) return value;
    const other = (f: (c: number) => unknown): GoMember => ({ method: (o) => f(cmpSemver(this, o as SemVer)), params: ['*semver.Version'] });
    switch (name) {
      case 'Original': return { method: () => this.original, params: [] };
      case 'Compare': return other((c) => int(c));
      case 'LessThan': return other((c) => c < 0);
      case 'LessThanEqual': return other((c) => c <= 0);
      case 'GreaterThan': return other((c) => c > 0);
      case 'GreaterThanEqual': return other((c) => c >= 0);
      case 'Equal': return other((c) => c === 0);
    }
    return undefined;
  }
  private valueMethod(name: string): GoMember | undefined {
    const next = (major: number, minor: number, patch: number, pre = '', meta = '') =>
      new SemVer(major, minor, patch, pre, meta, '', false);
    const { major, minor, patch, pre, meta } = this;
    switch (name) {
      case 'Major': return { method: () => int(major, 'uint64'), params: [] };
      case 'Minor': return { method: () => int(minor, 'uint64'), params: [] };
      case 'Patch': return { method: () => int(patch, 'uint64'), params: [] };
      case 'Prerelease': return { method: () => pre, params: [] };
      case 'Metadata': return { method: () => meta, params: [] };
      case 'String': return { method: () => this.goString(), params: [] };
      // a pre-release is dropped rather than the patch incremented (1.2.3-rc.1 -> 1.2.3; 1.2.3+m -> 1.2.4)
      case 'IncPatch': return { method: () => (pre ? next(major, minor, patch) : next(major, minor, patch + 1)), params: [] };
      case 'IncMinor': return { method: () => next(major, minor + 1, 0), params: [] };
      case 'IncMajor': return { method: () => next(major + 1, 0, 0), params: [] };
      case 'SetPrerelease': return { method: (p) => (checkSemverPart(p as string, 'prerelease'), next(major, minor, patch, p as string, meta)), params: ['string'] };
      case 'SetMetadata': return { method: (m) => (checkSemverPart(m as string, 'metadata'), next(major, minor, patch, pre, m as string)), params: ['string'] };
    }
    return undefined;
  }
  override goString(): string {
    return `${this.major}.${this.minor}.${this.patch}${this.pre ? '-' + this.pre : ''}${this.meta ? '+' + this.meta : ''}`;
  }
  /** MarshalJSON (value receiver): the version string, so toJson and toYaml print "1.2.3", not {} */
  toJSONValue(): string {
    return this.goString();
  }
}

function checkSemverPart(s: string, what: string): void {
  if (s !== '' && !/^[0-9A-Za-z\-.]+$/.test(s)) throw new FuncError(`invalid ${what} string`);
}

export function parseSemver(s: string): SemVer {
  const m = /^v?([0-9]+)(?:\.([0-9]+))?(?:\.([0-9]+))?(?:-([0-9A-Za-z\-.]+))?(?:\+([0-9A-Za-z\-.]+))?$/.exec(s.trim());
  if (!m) throw new FuncError('invalid semantic version');
  return new SemVer(+m[1], +(m[2] ?? 0), +(m[3] ?? 0), m[4] ?? '', m[5] ?? '', s);
}

function cmpPre(a: string, b: string): number {
  if (a === b) return 0;
  if (!a) return 1;
  if (!b) return -1;
  const pa = a.split('.'), pb = b.split('.');
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = pa[i], y = pb[i];
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    const nx = /^[0-9]+$/.test(x), ny = /^[0-9]+$/.test(y);
    if (nx && ny) { if (+x !== +y) return +x < +y ? -1 : 1; }
    else if (nx) return -1;
    else if (ny) return 1;
    else if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

export function cmpSemver(a: SemVer, b: SemVer): number {
  if (a.major !== b.major) return a.major < b.major ? -1 : 1;
  if (a.minor !== b.minor) return a.minor < b.minor ? -1 : 1;
  if (a.patch !== b.patch) return a.patch < b.patch ? -1 : 1;
  return cmpPre(a.pre, b.pre);
}

function checkConstraint(c: string, v: SemVer): boolean {
  c = c.trim();
  const hy = /^(\S+)\s+-\s+(\S+)$/.exec(c);
  if (hy) return checkConstraint('>=' + hy[1], v) && checkConstraint('<=' + hy[2], v);
  const m = /^(=|!=|>=|<=|=>|=<|>|<|~>|~|\^)?\s*v?([0-9xX*]+)(?:\.([0-9xX*]+))?(?:\.([0-9xX*]+))?(?:-([0-9A-Za-z\-.]+))?(?:\+[0-9A-Za-z\-.]+)?$/.exec(c);
  if (!m) throw new FuncError(`improper constraint: ${c}`);
  let op = m[1] ?? '=';
  if (op === '=>') op = '>='; if (op === '=<') op = '<=';
  const wild = (x: string | undefined) => x === undefined || x === 'x' || x === 'X' || x === '*';
  const maj = m[2], min = m[3], pat = m[4], pre = m[5] ?? '';
  if (v.pre && !pre) return false; // prereleases only match constraints with prereleases
  const cv = new SemVer(wild(maj) ? 0 : +maj, wild(min) ? 0 : +min!, wild(pat) ? 0 : +pat!, pre, '', c);
  const cmp = cmpSemver(v, cv);
  const dirty = wild(maj) ? 'major' : wild(min) ? 'minor' : wild(pat) ? 'patch' : '';
  switch (op) {
    case '=':
      if (dirty === 'major') return true;
      if (dirty === 'minor') return v.major === cv.major;
      if (dirty === 'patch') return v.major === cv.major && v.minor === cv.minor;
      return cmp === 0;
    case '!=':
      if (dirty === 'major') return false;
      if (dirty === 'minor') return v.major !== cv.major;
      if (dirty === 'patch') return !(v.major === cv.major && v.minor === cv.minor);
      return cmp !== 0;
    case '>':
      if (dirty === 'major') return false;
      if (dirty === 'minor') return v.major > cv.major;
      if (dirty === 'patch') return v.major > cv.major || (v.major === cv.major && v.minor > cv.minor);
      return cmp > 0;
    case '<':
      return cmp < 0;
    case '>=':
      return cmp >= 0;
    case '<=':
      if (dirty === 'minor') return v.major <= cv.major;
      if (dirty === 'patch') return v.major < cv.major || (v.major === cv.major && v.minor <= cv.minor);
      return cmp <= 0;
    case '~':
    case '~>': {
      if (cmp < 0) return false;
      if (dirty === 'major') return true;
      if (min === undefined || dirty === 'minor') return v.major === cv.major;
      return v.major === cv.major && v.minor === cv.minor;
    }
    case '^': {
      if (cmp < 0) return false;
      if (cv.major > 0 || dirty === 'minor' || min === undefined) return v.major === cv.major;
      if (cv.minor > 0 || dirty === 'patch' || pat === undefined) return v.major === 0 && v.minor === cv.minor;
      return v.major === 0 && v.minor === 0 && v.patch === cv.patch;
    }
  }
  return false;
}

export function semverCompare(constraint: string, version: string): boolean {
  const v = parseSemver(version);
  for (const o of constraint.split('||')) {
    // glue operators to their versions, keep hyphen ranges together
    const norm = o.trim().replace(/(>=|<=|=>|=<|!=|~>|>|<|=|~|\^)\s+/g, '$1');
    const toks = norm.split(/\s*,\s*|\s+/).filter(Boolean);
    const ands: string[] = [];
    for (let i = 0; i < toks.length; i++) {
      if (toks[i + 1] === '-' && toks[i + 2] !== undefined) { ands.push(`${toks[i]} - ${toks[i + 2]}`); i += 2; }
      else ands.push(toks[i]);
    }
    if (ands.length === 0) throw new FuncError(`improper constraint: ${constraint}`);
    if (ands.every((c) => checkConstraint(c, v))) return true;
  }
  return false;
}

// ------------------------------------------------------------------ dates

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

export function goTimeFormat(t: GoTime, layout: string): string {
  const d = new Date(t.ms + t.utcOffsetMin * 60000);
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  const tokens: Array<[string, () => string]> = [
    ['January', () => MONTHS[d.getUTCMonth()]], ['Jan', () => MONTHS[d.getUTCMonth()].slice(0, 3)],
    ['Monday', () => DAYS[d.getUTCDay()]], ['Mon', () => DAYS[d.getUTCDay()].slice(0, 3)],
    ['MST', () => t.zone], ['2006', () => p(d.getUTCFullYear(), 4)], ['-07:00:00', () => off(':', true)], ['-0700', () => off('')], ['-07:00', () => off(':')], ['-07', () => off('').slice(0, 3)],
    ['Z07:00', () => (t.utcOffsetMin === 0 ? 'Z' : off(':'))], ['Z0700', () => (t.utcOffsetMin === 0 ? 'Z' : off(''))],
    ['.000000000', () => '.' + p(d.getUTCMilliseconds(), 3) + '000000'], ['.000000', () => '.' + p(d.getUTCMilliseconds(), 3) + '000'], ['.000', () => '.' + p(d.getUTCMilliseconds(), 3)],
    ['.999999999', () => (d.getUTCMilliseconds() ? '.' + p(d.getUTCMilliseconds(), 3).replace(/0+$/, '') : '')], ['.999', () => (d.getUTCMilliseconds() ? '.' + p(d.getUTCMilliseconds(), 3).replace(/0+$/, '') : '')],
    ['01', () => p(d.getUTCMonth() + 1)], ['02', () => p(d.getUTCDate())], ['_2', () => String(d.getUTCDate()).padStart(2, ' ')], ['06', () => p(d.getUTCFullYear() % 100)],
    ['15', () => p(d.getUTCHours())], ['03', () => p(d.getUTCHours() % 12 || 12)], ['04', () => p(d.getUTCMinutes())], ['05', () => p(d.getUTCSeconds())],
    ['002', () => p(dayOfYear(d), 3)],
    ['PM', () => (d.getUTCHours() >= 12 ? 'PM' : 'AM')], ['pm', () => (d.getUTCHours() >= 12 ? 'pm' : 'am')],
    ['1', () => String(d.getUTCMonth() + 1)], ['2', () => String(d.getUTCDate())], ['3', () => String(d.getUTCHours() % 12 || 12)], ['4', () => String(d.getUTCMinutes())], ['5', () => String(d.getUTCSeconds())],
  ];
  function off(sep: string, secs = false): string {
    const o = t.utcOffsetMin;
    const a = Math.abs(o);
    return (o < 0 ? '-' : '+') + p(Math.floor(a / 60)) + sep + p(a % 60) + (secs ? sep + '00' : '');
  }
  let out = '';
  let i = 0;
  outer: while (i < layout.length) {
    for (const [tok, fn] of tokens) {
      if (layout.startsWith(tok, i)) { out += fn(); i += tok.length; continue outer; }
    }
    out += layout[i++];
  }
  return out;
}

function dayOfYear(d: Date): number {
  return Math.floor((Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()) - Date.UTC(d.getUTCFullYear(), 0, 1)) / 86400000) + 1;
}

export function goTimeParse(layout: string, value: string): GoTime {
  // build a regex from the layout
  const parts: Array<[string, string, string]> = [
    ['2006', '(\\d{4})', 'Y'], ['January', '([A-Za-z]+)', 'Mfull'], ['Jan', '([A-Za-z]{3})', 'Mshort'], ['Monday', '[A-Za-z]+', ''], ['Mon', '[A-Za-z]{3}', ''],
    ['MST', '([A-Z]{3,4}|[+-]\\d+)', ''], ['Z07:00', '(Z|[+-]\\d{2}:\\d{2})', 'Z'], ['-07:00', '([+-]\\d{2}:\\d{2})', 'Z'], ['-0700', '([+-]\\d{4})', 'Z'],
    ['.000', '\\.(\\d+)', 'ms'], ['.999999999', '(?:\\.(\\d+))?', 'ms'], ['.999', '(?:\\.(\\d+))?', 'ms'],
    ['01', '(\\d{2})', 'M'], ['02', '(\\d{2})', 'D'], ['_2', ' ?(\\d{1,2})', 'D'], ['06', '(\\d{2})', 'y'], ['15', '(\\d{2})', 'h'], ['03', '(\\d{2})', 'h12'], ['04', '(\\d{2})', 'm'], ['05', '(\\d{2})', 's'],
    ['PM', '(AM|PM)', 'ampm'], ['1', '(\\d{1,2})', 'M'], ['2', '(\\d{1,2})', 'D'], ['3', '(\\d{1,2})', 'h12'], ['4', '(\\d{1,2})', 'm'], ['5', '(\\d{1,2})', 's'],
  ];
  let re = '^';
  const fields: string[] = [];
  let i = 0;
  outer: while (i < layout.length) {
    for (const [tok, r, f] of parts) {
      if (layout.startsWith(tok, i)) {
        re += r;
        if (f) fields.push(f);
        i += tok.length;
        continue outer;
      }
    }
    re += layout[i].replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    i++;
  }
  // RE2 (linear time): the layout is the chart's, and runs of `(\d{1,2})` backtrack exponentially in a RegExp
  const found = findAllSubmatchIndex(compileGo(re + '$'), value, 1)[0];
  if (!found) throw new FuncError(`parsing time ${goQuote(value)} as ${goQuote(layout)}: cannot parse`);
  const m = Array.from({ length: found.length / 2 }, (_, k) => (found[2 * k] >= 0 ? value.slice(found[2 * k], found[2 * k + 1]) : undefined));
  let Y = 1, M = 1, D = 1, h = 0, mi = 0, s = 0, ms = 0, off = 0, pm = false, h12 = false;
  fields.forEach((f, k) => {
    const v = m[k + 1];
    if (v === undefined) return;
    switch (f) {
      case 'Y': Y = +v; break;
      case 'y': Y = 2000 + +v; if (+v >= 69) Y -= 100; break;
      case 'M': M = +v; break;
      case 'Mfull': case 'Mshort': M = MONTHS.findIndex((x) => x.toLowerCase().startsWith(v.toLowerCase())) + 1; break;
      case 'D': D = +v; break;
      case 'h': h = +v; break;
      case 'h12': h = +v; h12 = true; break;
      case 'm': mi = +v; break;
      case 's': s = +v; break;
      case 'ms': ms = Math.round(+('0.' + v) * 1000); break;
      case 'ampm': pm = v === 'PM'; break;
      case 'Z': if (v !== 'Z') { const mm = /([+-])(\d{2}):?(\d{2})/.exec(v)!; off = (mm[1] === '-' ? -1 : 1) * (+mm[2] * 60 + +mm[3]); } break;
    }
  });
  if (h12) h = (h % 12) + (pm ? 12 : 0);
  const ut = Date.UTC(Y, M - 1, D, h, mi, s, ms) - off * 60000;
  return new GoTime(ut, off, off === 0 ? 'UTC' : '');
}

function toTime(v: unknown): GoTime {
  if (v instanceof GoTime) return v;
  if (v instanceof GoInt) return new GoTime(v.v * 1000);
  if (typeof v === 'number') return new GoTime(v * 1000);
  return new GoTime(Date.now());
}

function parseDuration(s: string): number {
  // returns milliseconds
  const re = /([0-9.]+)(ns|us|µs|ms|s|m|h)/g;
  let total = 0;
  let m: RegExpExecArray | null;
  const neg = s.startsWith('-');
  let matched = false;
  while ((m = re.exec(s))) {
    matched = true;
    const n = parseFloat(m[1]);
    total += n * ({ ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1000, m: 60000, h: 3600000 } as Record<string, number>)[m[2]];
  }
  if (!matched) throw new FuncError(`time: invalid duration ${goQuote(s)}`);
  return neg ? -total : total;
}

function fmtDuration(ms: number): string {
  if (ms === 0) return '0s';
  const neg = ms < 0;
  let a = Math.abs(ms);
  const h = Math.floor(a / 3600000); a -= h * 3600000;
  const m = Math.floor(a / 60000); a -= m * 60000;
  const s = a / 1000;
  let out = '';
  if (h) out += h + 'h';
  if (h || m) out += m + 'm';
  out += String(Number(s.toFixed(9))) + 's';
  return (neg ? '-' : '') + out;
}

// ------------------------------------------------------------------ helpers

function randString(n: number, chars: string): string {
  spend(n);
  const b = randomBytes(n);
  let s = '';
  for (let i = 0; i < n; i++) s += chars[b[i] % chars.length];
  return s;
}
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

function deepCopy(v: unknown): unknown {
  tick();
  if (Array.isArray(v)) return v.map(deepCopy);
  if (isMap(v)) {
    const o: Record<string, unknown> = {};
    for (const k of Object.keys(v)) o[k] = deepCopy(v[k]);
    return o;
  }
  return v;
}

function deepEqual(a: unknown, b: unknown): boolean {
  tick();
  if (a === b) return true;
  // two different strings, numbers or bools (`has "x" $list` compares many): nothing else can be equal
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (a instanceof GoInt && b instanceof GoInt) return a.v === b.v && a.t === b.t;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  if (isMap(a) && isMap(b)) {
    const ka = Object.keys(a), kb = Object.keys(b);
    return ka.length === kb.length && ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && deepEqual(a[k], b[k]));
  }
  return false;
}

/** mergo.Merge semantics for map[string]interface{} (WithOverride when overwrite) */
export function mergeInto(dst: Record<string, unknown>, src: Record<string, unknown>, overwrite: boolean): void {
  const dstWasEmpty = Object.keys(dst).length === 0;
  for (const key of Object.keys(src)) {
    tick();
    const sv = src[key];
    const dHas = Object.prototype.hasOwnProperty.call(dst, key);
    const dv = dst[key];
    if (isNil(sv)) {
      if (overwrite) dst[key] = null;
      continue;
    }
    if (isMap(sv) && isMap(dv)) mergeInto(dv, sv, overwrite);
    if (Array.isArray(sv)) {
      let ds: unknown;
      if ((overwrite || dstWasEmpty)) ds = sv;
      else ds = !dHas || isNil(dv) ? [] : dv;
      dst[key] = ds;
    }
    if (dHas && !empty(dv)) {
      if (Array.isArray(sv)) continue;
      if (isMap(sv) && isMap(dv)) continue;
    }
    if (overwrite || !dHas || empty(dv)) dst[key] = sv;
  }
}

function b64dec(s: string): string {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(s) || s.length % 4 !== 0) {
    let idx = s.search(/[^A-Za-z0-9+/=]/);
    if (idx < 0) idx = s.length - (s.length % 4 || 0);
    return `illegal base64 data at input byte ${Math.max(0, idx)}`;
  }
  return Buffer.from(s, 'base64').toString('utf8');
}

function adler32(s: string): number {
  let a = 1, b = 0;
  for (const byte of Buffer.from(s, 'utf8')) { a = (a + byte) % 65521; b = (b + a) % 65521; }
  return ((b << 16) | a) >>> 0;
}

function abbreviateFull(str: string, offset: number, maxWidth: number): string {
  if (str === '') return '';
  if (maxWidth < 4) return '';
  if (str.length <= maxWidth) return str;
  if (offset > str.length) offset = str.length;
  if (str.length - offset < maxWidth - 3) offset = str.length - (maxWidth - 3);
  if (offset <= 4) return str.slice(0, maxWidth - 3) + '...';
  if (maxWidth < 7) return '';
  if (offset + maxWidth - 3 < str.length) return '...' + abbreviateFull(str.slice(offset), 0, maxWidth - 3);
  return '...' + str.slice(str.length - (maxWidth - 3));
}

function mapRunes(s: string, f: (c: string) => string): string {
  let o = '';
  for (const ch of s) {
    const m = f(ch);
    o += Array.from(m).length === 1 ? m : ch;
  }
  return o;
}

/** shopspring/decimal-like exact arithmetic on the shortest decimal forms of float64s */
function dec(x: number): { m: bigint; e: number } {
  if (!Number.isFinite(x)) return { m: 0n, e: 0 };
  const s = x.toExponential();
  const mm = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(s)!;
  const digits = mm[2] + (mm[3] ?? '');
  const exp = parseInt(mm[4], 10) - (digits.length - 1);
  return { m: BigInt(mm[1] + digits), e: exp };
}
function decToNumber(d: { m: bigint; e: number }): number {
  return Number(`${d.m}e${d.e}`);
}
function decAdd(a: { m: bigint; e: number }, b: { m: bigint; e: number }): { m: bigint; e: number } {
  const e = Math.min(a.e, b.e);
  return { m: a.m * 10n ** BigInt(a.e - e) + b.m * 10n ** BigInt(b.e - e), e };
}
function decMul(a: { m: bigint; e: number }, b: { m: bigint; e: number }) {
  return { m: a.m * b.m, e: a.e + b.e };
}
function decDiv(a: { m: bigint; e: number }, b: { m: bigint; e: number }) {
  if (b.m === 0n) throw new FuncError('decimal division by 0');
  const prec = 16;
  const num = a.m * 10n ** BigInt(prec + 20);
  const q = num / b.m;
  return { m: q, e: a.e - b.e - prec - 20 };
}

/** Go strings.Split: empty separator splits into UTF-8 sequences */
function goSplit(s: string, sep: string): string[] {
  if (sep === '') return Array.from(s);
  return s.split(sep);
}

function wrapText(s: string, width: number, newline = '\n'): string {
  // commons-lang WordUtils.wrap semantics (as in goutils) -- simplified: break at spaces
  const words = s.split(' ');
  const lines: string[] = [];
  let cur = '';
  for (const w of words) {
    if (cur === '') cur = w;
    else if (cur.length + 1 + w.length <= width) cur += ' ' + w;
    else { lines.push(cur); cur = w; }
  }
  lines.push(cur);
  return lines.join(newline);
}

function splitWords(s: string): string[] {
  return s.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2').split(/[^A-Za-z0-9]+/).filter(Boolean);
}

function indent(n: number, s: string): string {
  // the padding is repeated on every line: counted before it is built
  spend(Math.max(0, n) * (countLines(s) + 1));
  const pad = ' '.repeat(Math.max(0, n));
  return pad + s.replace(/\n/g, '\n' + pad);
}

function byteLen(s: string): number {
  return Buffer.byteLength(s, 'utf8');
}

function countLines(s: string): number {
  let n = 0;
  for (let i = s.indexOf('\n'); i !== -1; i = s.indexOf('\n', i + 1)) n++;
  return n;
}

/**
 * Elements of until/untilStep/seq from start to end by step, counted against the budget before the list is built
 * (`until 100000000` must stop before it allocates a hundred million ints).
 */
function rangeLength(start: number, end: number, step: number, inclusive: boolean): number {
  if (step === 0) return 0;
  const span = step > 0 ? end - start : start - end;
  if (span < 0 || (span === 0 && !inclusive)) return 0;
  return Math.floor((inclusive ? span : span - 1) / Math.abs(step)) + 1;
}

/**
 * The pieces a split makes, counted against the budget before they are made: `splitList "" $s` of a 100 MB
 * string would make a hundred million strings.
 */
function spendPieces(s: string, sep: string): void {
  let pieces = 1;
  if (sep === '') pieces = s.length;
  else for (let i = s.indexOf(sep); i !== -1; i = s.indexOf(sep, i + sep.length)) pieces++;
  spend(pieces * (LIST_ELEMENT_BYTES + 16));
}

/** An int list element: the slot and the boxed int behind it. */
const INT_ELEMENT_BYTES = LIST_ELEMENT_BYTES + 32;

function listOf(v: unknown): unknown[] {
  if (Array.isArray(v)) return v;
  if (isNil(v)) return [];
  throw new FuncError(`Cannot find on type ${typeName(v)}`);
}

function urlParse(s: string): Record<string, unknown> {
  try {
    const u = new URL(s);
    return {
      scheme: u.protocol.replace(/:$/, ''), host: u.host, hostname: u.hostname, path: decodeURIComponent(u.pathname), query: u.search.replace(/^\?/, ''),
      opaque: '', fragment: decodeURIComponent(u.hash.replace(/^#/, '')), userinfo: u.username ? u.username + (u.password ? ':' + u.password : '') : '',
    };
  } catch {
    return { scheme: '', host: '', hostname: '', path: s, query: '', opaque: '', fragment: '', userinfo: '' };
  }
}

function urlJoin(d: Record<string, unknown>): string {
  const g = (k: string) => (typeof d[k] === 'string' ? (d[k] as string) : '');
  let out = '';
  if (g('scheme')) out += g('scheme') + ':';
  if (g('host') || g('userinfo')) out += '//' + (g('userinfo') ? g('userinfo') + '@' : '') + g('host');
  const p = g('path');
  out += (out.includes('//') && p && !p.startsWith('/') ? '/' : '') + p;
  if (g('query')) out += '?' + g('query');
  if (g('fragment')) out += '#' + g('fragment');
  return out;
}

function fakePem(type: string, n = 600): string {
  const b = randomBytes(n).toString('base64');
  return `-----BEGIN ${type}-----\n${b.match(/.{1,64}/g)!.join('\n')}\n-----END ${type}-----\n`;
}

class CertObj extends GoStruct {
  readonly goType = 'sprig.certificate';
  constructor(readonly Cert: string, readonly Key: string) { super(); }
  override goField(name: string) {
    if (name === 'Cert') return { value: this.Cert };
    if (name === 'Key') return { value: this.Key };
    return undefined;
  }
  override goString(): string { return `{${this.Cert} ${this.Key}}`; }
}

function htmlEscape(s: string): string {
  return s.replace(/[&'<>"\0]/g, (c) => ({ '&': '&amp;', "'": '&#39;', '<': '&lt;', '>': '&gt;', '"': '&#34;', '\0': '\uFFFD' })[c]!);
}

function jsEscape(s: string): string {
  let o = '';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    switch (ch) {
      case '\\': o += '\\\\'; break;
      case "'": o += "\\'"; break;
      case '"': o += '\\"'; break;
      case '<': o += '\\u003C'; break;
      case '>': o += '\\u003E'; break;
      case '&': o += '\\u0026'; break;
      case '=': o += '\\u003D'; break;
      case '\n': o += '\\n'; break;
      case '\r': o += '\\r'; break;
      case '\t': o += '\\t'; break;
      default:
        o += c < 0x20 || !/[\p{L}\p{M}\p{N}\p{P}\p{S} ]/u.test(ch) ? '\\u' + c.toString(16).toUpperCase().padStart(4, '0') : ch;
    }
  }
  return o;
}

function queryEscape(s: string): string {
  let o = '';
  for (const b of Buffer.from(s, 'utf8')) {
    const ch = String.fromCharCode(b);
    if (/[A-Za-z0-9\-_.~]/.test(ch)) o += ch;
    else if (ch === ' ') o += '+';
    else o += '%' + b.toString(16).toUpperCase().padStart(2, '0');
  }
  return o;
}

function evalArgsString(args: unknown[]): string {
  if (args.length === 1 && typeof args[0] === 'string') return args[0];
  return sprint(args);
}

// ------------------------------------------------------------------ generated values

/** Functions whose output is made up at render time (random strings, keys, certificates, hashes of a password). */
const GENERATORS = [
  'randAlphaNum', 'randAlpha', 'randNumeric', 'randAscii', 'randBytes', 'uuidv4', 'genPrivateKey', 'genCA', 'genCAWithKey',
  'genSelfSignedCert', 'genSelfSignedCertWithKey', 'genSignedCert', 'genSignedCertWithKey', 'htpasswd', 'derivePassword', 'encryptAES', 'bcrypt',
];

/**
 * Wrap the generator functions of `funcs` so that every string they return (and a certificate's Cert and Key) is
 * remembered in the returned set: what a chart generates is not in the repository, and the credential rules
 * must not report it as a committed secret. The output itself is unchanged.
 */
export function recordGenerated(funcs: Fns): Set<string> {
  const seen = new Set<string>();
  const keep = (v: unknown) => {
    if (typeof v === 'string' && v) seen.add(v);
    else if (v instanceof CertObj) {
      seen.add(v.Cert);
      seen.add(v.Key);
    }
  };
  for (const name of GENERATORS) {
    const d = funcs.get(name);
    if (!d) continue;
    const fn = d.fn;
    funcs.set(name, {
      ...d,
      fn: function (this: FuncCtx, ...args: unknown[]) {
        const v = fn.apply(this, args);
        keep(v);
        return v;
      },
    });
  }
  return seen;
}

// ------------------------------------------------------------------ registry

export function builtinFuncs(): Fns {
  const m: Fns = new Map();
  const def = (name: string, fn: FuncImpl, params?: string[]) => m.set(name, { fn, params });

  // --- text/template builtins
  m.set('and', { lazy: true, fn: (...th: unknown[]) => { let v: unknown; for (const t of th as Array<() => unknown>) { v = t(); if (!truth(v)) return v; } return v; } });
  m.set('or', { lazy: true, fn: (...th: unknown[]) => { let v: unknown; for (const t of th as Array<() => unknown>) { v = t(); if (truth(v)) return v; } return v; } });
  def('not', (a) => !truth(a), ['a']);
  def('len', (a) => {
    if (isNil(a)) throw new FuncError('len of nil pointer');
    if (typeof a === 'string') return int(byteLen(a));
    if (Array.isArray(a)) return int(a.length);
    if (a instanceof Uint8Array) return int(a.length);
    if (isMap(a)) return int(Object.keys(a).length);
    const me = (a as { mapEntries?: () => Record<string, unknown> }).mapEntries;
    if (me) return int(Object.keys(me.call(a)).length);
    const le = (a as { goLen?: () => number }).goLen;
    if (le) return int(le.call(a));
    throw new FuncError(`len of type ${typeName(a)}`);
  }, ['a']);
  def('index', (item, ...idx) => {
    let v = item;
    for (const i of idx) {
      if (isNil(v)) throw new FuncError('index of untyped nil');
      if (Array.isArray(v) || typeof v === 'string' || v instanceof Uint8Array) {
        if (!(i instanceof GoInt)) throw new FuncError(`cannot index slice/array with type ${typeName(i)}`);
        const len = typeof v === 'string' ? byteLen(v) : (v as unknown[]).length;
        if (i.v < 0 || i.v >= len) throw new FuncError(`index out of range: ${i.v}`);
        v = typeof v === 'string' ? int(Buffer.from(v)[i.v], 'uint8') : v instanceof Uint8Array ? int(v[i.v], 'uint8') : (v as unknown[])[i.v];
      } else if (isMap(v)) {
        if (typeof i !== 'string') {
          if (isNil(i)) { v = null; continue; }
          throw new FuncError(`value has type ${typeName(i)}; should be string`);
        }
        v = Object.prototype.hasOwnProperty.call(v, i) ? v[i] : null;
      } else {
        const me = (v as { mapEntries?: () => Record<string, unknown> }).mapEntries;
        if (me) { const mm = me.call(v); v = typeof i === 'string' && Object.prototype.hasOwnProperty.call(mm, i) ? mm[i] : null; continue; }
        throw new FuncError(`can't index item of type ${typeName(v)}`);
      }
    }
    return v;
  }, ['a', '...a']);
  def('print', (...a) => sprint(a));
  def('println', (...a) => sprintln(a));
  def('printf', (f, ...a) => sprintf(f as string, a), ['s', '...a']);
  def('html', (...a) => htmlEscape(evalArgsString(a)));
  def('js', (...a) => jsEscape(evalArgsString(a)));
  def('urlquery', (...a) => queryEscape(evalArgsString(a)));
  def('call', (fn, ...a) => {
    if (isNil(fn)) throw new FuncError('call of nil');
    if (typeof fn !== 'function') throw new FuncError(`non-function ${typeof fn === 'string' ? goQuote(fn) : fmtV(fn)} of type ${typeName(fn)}`);
    return (fn as (...x: unknown[]) => unknown)(...a);
  }, ['a', '...a']);
  def('eq', (a, ...b) => eq(a, ...b), ['a', '...a']);
  def('ne', (a, b) => !eq(a, b), ['a', 'a']);
  def('lt', (a, b) => lt(a, b), ['a', 'a']);
  def('le', (a, b) => lt(a, b) || eq(a, b), ['a', 'a']);
  def('gt', (a, b) => !lt(a, b) && !eq(a, b), ['a', 'a']);
  def('ge', (a, b) => !lt(a, b), ['a', 'a']);

  // --- sprig strings
  def('trim', (s) => (s as string).trim(), ['s']);
  def('trimAll', (c, s) => { const cs = [...(c as string)]; let x = s as string; while (x && cs.includes(x[0])) x = x.slice(1); while (x && cs.includes(x[x.length - 1])) x = x.slice(0, -1); return x; }, ['s', 's']);
  def('trimPrefix', (p, s) => ((s as string).startsWith(p as string) ? (s as string).slice((p as string).length) : s), ['s', 's']);
  def('trimSuffix', (p, s) => ((p as string) && (s as string).endsWith(p as string) ? (s as string).slice(0, -(p as string).length) : s), ['s', 's']);
  def('upper', (s) => mapRunes(s as string, (c) => c.toUpperCase()), ['s']);
  def('lower', (s) => mapRunes(s as string, (c) => c.toLowerCase()), ['s']);
  def('title', (s) => (s as string).replace(/(^|[^\p{L}\p{N}_'])(\p{L})/gu, (_, a: string, b: string) => a + b.toUpperCase()), ['s']);
  def('untitle', (s) => (s as string).replace(/(^|\s)(\S)/g, (_, a: string, b: string) => a + b.toLowerCase()), ['s']);
  def('repeat', (n, s) => {
    const count = Math.max(0, toInt64(n));
    spend(count * (s as string).length);
    return (s as string).repeat(count);
  }, ['i', 's']);
  def('substr', (a, b, s) => {
    const str = s as string; let start = toInt64(a); let end = toInt64(b);
    const buf = Buffer.from(str, 'utf8');
    if (start < 0) return buf.subarray(0, end).toString('utf8');
    if (end < 0 || end > buf.length) end = buf.length;
    if (start > end) start = end;
    return buf.subarray(start, end).toString('utf8');
  }, ['i', 'i', 's']);
  def('nospace', (s) => (s as string).replace(/\s+/gu, ''), ['s']);
  def('trunc', (n, s) => {
    const c = toInt64(n);
    // ASCII (names, the usual `trunc 63`): bytes are characters, so no UTF-8 copy is needed to cut it
    if (ASCII_ONLY.test(s as string)) {
      const str = s as string;
      if (c < 0 && str.length + c > 0) return str.slice(str.length + c);
      if (c >= 0 && str.length > c) return str.slice(0, c);
      return s;
    }
    const buf = Buffer.from(s as string, 'utf8');
    if (c < 0 && buf.length + c > 0) return buf.subarray(buf.length + c).toString('utf8');
    if (c >= 0 && buf.length > c) return buf.subarray(0, c).toString('utf8');
    return s;
  }, ['i', 's']);
  def('abbrev', (n, s) => abbreviateFull(s as string, 0, toInt64(n)), ['i', 's']);
  def('abbrevboth', (l, r, s) => abbreviateFull(s as string, toInt64(l), toInt64(r)), ['i', 'i', 's']);
  def('initials', (s) => (s as string).split(/\s+/).filter(Boolean).map((w) => w[0]).join(''), ['s']);
  def('randAlphaNum', (n) => randString(toInt64(n), ALNUM), ['i']);
  def('randAlpha', (n) => randString(toInt64(n), ALNUM.slice(0, 52)), ['i']);
  def('randNumeric', (n) => randString(toInt64(n), '0123456789'), ['i']);
  def('randAscii', (n) => randString(toInt64(n), Array.from({ length: 94 }, (_, i) => String.fromCharCode(33 + i)).join('')), ['i']);
  def('randBytes', (n) => {
    spend(toInt64(n) * 2);
    return randomBytes(toInt64(n)).toString('base64');
  }, ['i']);
  def('randInt', (a, b) => int(toInt64(a) + Math.floor(Math.random() * (toInt64(b) - toInt64(a)))), ['i', 'i']);
  def('swapcase', (s) => [...(s as string)].map((c) => (c === c.toUpperCase() ? c.toLowerCase() : c.toUpperCase())).join(''), ['s']);
  def('shuffle', (s) => [...(s as string)].sort(() => Math.random() - 0.5).join(''), ['s']);
  def('snakecase', (s) => splitWords(s as string).map((w) => w.toLowerCase()).join('_'), ['s']);
  def('camelcase', (s) => (s as string).split(/[_\s]+/).filter(Boolean).map((w) => w[0].toUpperCase() + w.slice(1)).join(''), ['s']);
  def('kebabcase', (s) => splitWords(s as string).map((w) => w.toLowerCase()).join('-'), ['s']);
  def('wrap', (n, s) => wrapText(s as string, toInt64(n)), ['i', 's']);
  def('wrapWith', (n, sep, s) => wrapText(s as string, toInt64(n), sep as string), ['i', 's', 's']);
  def('contains', (sub, s) => (s as string).includes(sub as string), ['s', 's']);
  def('hasPrefix', (p, s) => (s as string).startsWith(p as string), ['s', 's']);
  def('hasSuffix', (p, s) => (s as string).endsWith(p as string), ['s', 's']);
  def('quote', (...a) => a.filter((x) => !isNil(x)).map((x) => goQuote(toStr(x))).join(' '));
  def('squote', (...a) => a.filter((x) => !isNil(x)).map((x) => `'${toStr(x)}'`).join(' '));
  def('cat', (...a) => a.filter((x) => !isNil(x)).map(toStr).join(' ').replace(/^ +| +$/g, ''));
  def('indent', (n, s) => indent(toInt64(n), s as string), ['i', 's']);
  def('nindent', (n, s) => '\n' + indent(toInt64(n), s as string), ['i', 's']);
  def('replace', (o, n, s) => (s as string).split(o as string).join(n as string), ['s', 's', 's']);
  def('plural', (one, many, n) => (toInt64(n) === 1 ? one : many), ['s', 's', 'a']);
  def('sha1sum', (s) => createHash('sha1').update(s as string).digest('hex'), ['s']);
  def('sha256sum', (s) => createHash('sha256').update(s as string).digest('hex'), ['s']);
  def('sha512sum', (s) => createHash('sha512').update(s as string).digest('hex'), ['s']);
  def('adler32sum', (s) => String(adler32(s as string)), ['s']);
  def('toString', (v) => toStr(v), ['a']);
  def('atoi', (s) => { const n = /^[+-]?\d+$/.test((s as string).trim()) ? parseInt(s as string, 10) : 0; return int(n); }, ['s']);
  def('int', (v) => int(toInt64(v)), ['a']);
  def('int64', (v) => {
    const r = int(toInt64(v), 'int64');
    if (typeof v === 'string' && /^[+-]?\d{16,19}$/.test(v.trim()) && Math.abs(r.v) > Number.MAX_SAFE_INTEGER) {
      const b = BigInt(v.trim());
      if (b <= 9223372036854775807n && b >= -9223372036854775808n) r.exact = b.toString();
    }
    return r;
  }, ['a']);
  def('float64', (v) => toFloat64(v), ['a']);
  def('toDecimal', (v) => { const n = parseInt(toStr(v), 8); return int(Number.isNaN(n) ? 0 : n, 'int64'); }, ['a']);
  def('seq', (...a) => {
    const n = a.map(toInt64);
    let start = 1, end = 0, step = 1;
    if (n.length === 1) end = n[0];
    else if (n.length === 2) { start = n[0]; end = n[1]; step = start <= end ? 1 : -1; }
    else if (n.length === 3) { start = n[0]; step = n[1]; end = n[2]; }
    else return '';
    const out: number[] = [];
    if (step === 0) return '';
    spend(rangeLength(start, end, step, true) * (String(Math.max(Math.abs(start), Math.abs(end))).length + 2));
    for (let i = start; step > 0 ? i <= end : i >= end; i += step) out.push(i);
    return out.join(' ');
  });
  def('until', (n) => { const c = toInt64(n); const out: GoInt[] = []; const st = c >= 0 ? 1 : -1; spend(rangeLength(0, c, st, false) * INT_ELEMENT_BYTES); for (let i = 0; st > 0 ? i < c : i > c; i += st) out.push(int(i)); return typed(out, '[]int'); }, ['i']);
  def('untilStep', (a, b, c) => { const s = toInt64(a), e = toInt64(b), st = toInt64(c); const out: GoInt[] = []; if (st === 0) return typed(out, '[]int'); spend(rangeLength(s, e, st, false) * INT_ELEMENT_BYTES); for (let i = s; st > 0 ? i < e : i > e; i += st) out.push(int(i)); return typed(out, '[]int'); }, ['i', 'i', 'i']);
  def('split', (sep, s) => { spendPieces(s as string, sep as string); const o: Record<string, unknown> = {}; goSplit(s as string, sep as string).forEach((p, i) => (o['_' + i] = p)); return typed(o, 'map[string]string'); }, ['s', 's']);
  def('splitList', (sep, s) => {
    spendPieces(s as string, sep as string);
    return typed(goSplit(s as string, sep as string), '[]string');
  }, ['s', 's']);
  def('splitn', (sep, n, s) => { spendPieces(s as string, sep as string); const parts = (s as string).split(sep as string); const c = toInt64(n); const res = c > 0 && parts.length > c ? [...parts.slice(0, c - 1), parts.slice(c - 1).join(sep as string)] : parts; const o: Record<string, unknown> = {}; res.forEach((p, i) => (o['_' + i] = p)); return o; }, ['s', 'i', 's']);
  def('toStrings', (l) => typed(strSlice(l).map(String), '[]string'), ['a']);
  def('join', (sep, l) => strSlice(l).join(sep as string), ['s', 'a']);
  def('sortAlpha', (l) => strSlice(l).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)), ['a']);
  def('default', (d, ...given) => (given.length === 0 || empty(given[0]) ? d : given[0]), ['a', '...a']);
  def('empty', (v) => empty(v), ['a']);
  def('coalesce', (...a) => { for (const x of a) if (!empty(x)) return x; return null; });
  def('all', (...a) => a.every((x) => !empty(x)));
  def('any', (...a) => a.some((x) => !empty(x)));
  def('compact', (l) => listOf(l).filter((x) => !empty(x)), ['a']);
  def('ternary', (t, f, c) => (truth(c) ? t : f), ['a', 'a', 'b']);
  def('deepCopy', (v) => deepCopy(v), ['a']);
  def('typeOf', (v) => typeName(v), ['a']);
  def('typeIs', (t, v) => typeName(v) === t, ['s', 'a']);
  def('typeIsLike', (t, v) => typeName(v) === t || '*' + typeName(v) === t, ['s', 'a']);
  def('kindOf', (v) => kindOf(v), ['a']);
  def('kindIs', (t, v) => kindOf(v) === t, ['s', 'a']);
  def('deepEqual', (a, b) => deepEqual(a, b), ['a', 'a']);
  def('b64enc', (s) => Buffer.from(s as string, 'utf8').toString('base64'), ['s']);
  def('b64dec', (s) => b64dec(s as string), ['s']);
  def('b32enc', (s) => base32enc(Buffer.from(s as string, 'utf8')), ['s']);
  def('b32dec', (s) => base32dec(s as string), ['s']);
  def('fail', (msg) => { throw new FuncError(msg as string, true); }, ['s']);

  // --- lists
  def('list', (...a) => [...a]);
  def('tuple', (...a) => [...a]);
  def('append', (l, v) => [...mustList(l, 'append'), v], ['a', 'a']);
  m.set('push', m.get('append')!);
  def('prepend', (l, v) => [v, ...mustList(l, 'prepend')], ['a', 'a']);
  def('first', (l) => { const a = toList(l, 'first'); return a.length ? a[0] : null; }, ['a']);
  def('last', (l) => { const a = toList(l, 'last'); return a.length ? a[a.length - 1] : null; }, ['a']);
  def('rest', (l) => { const a = toList(l, 'rest'); return a.length ? a.slice(1) : null; }, ['a']);
  def('initial', (l) => { const a = toList(l, 'initial'); return a.length ? a.slice(0, -1) : null; }, ['a']);
  def('reverse', (l) => [...toList(l, 'reverse')].reverse(), ['a']);
  def('uniq', (l) => { const out: unknown[] = []; for (const x of toList(l, 'uniq')) if (!out.some((y) => deepEqual(x, y))) out.push(x); return out; }, ['a']);
  def('without', (l, ...w) => toList(l, 'without').filter((x) => !w.some((y) => deepEqual(x, y))), ['a', '...a']);
  def('has', (needle, l) => (isNil(l) ? false : toList(l, 'has').some((x) => deepEqual(x, needle))), ['a', 'a']);
  def('slice', (l, ...idx) => {
    if (!Array.isArray(l)) throw new FuncError(`list should be type of slice or array but ${kindOf(l)}`);
    const a = toInt64(idx[0] ?? int(0)); const b = idx.length > 1 ? toInt64(idx[1]) : l.length;
    if (a < 0 || b > l.length || a > b) throw new FuncError('reflect.Value.Slice: slice index out of bounds');
    return l.slice(a, b);
  }, ['a', '...a']);
  def('concat', (...ls) => ([] as unknown[]).concat(...ls.map((l) => toList(l, 'concat'))));
  def('chunk', (n, l) => { const s = toInt64(n); const a = toList(l, 'chunk'); const out: unknown[][] = []; for (let i = 0; i < a.length; i += s) out.push(a.slice(i, i + s)); return out; }, ['i', 'a']);
  def('sortAlpha', (l) => typed(strSlice(l).sort(), '[]string'), ['a']);

  // --- dicts
  def('dict', (...a) => { const o: Record<string, unknown> = {}; for (let i = 0; i < a.length; i += 2) o[toStr(a[i])] = i + 1 < a.length ? a[i + 1] : ''; return o; });
  def('get', (d, k) => (isMap(d) && Object.prototype.hasOwnProperty.call(d, k as string) ? d[k as string] : ''), ['m', 's']);
  def('set', (d, k, v) => { (d as Record<string, unknown>)[k as string] = v; return d; }, ['m', 's', 'a']);
  def('unset', (d, k) => { delete (d as Record<string, unknown>)[k as string]; return d; }, ['m', 's']);
  def('hasKey', (d, k) => isMap(d) && Object.prototype.hasOwnProperty.call(d, k as string), ['m', 's']);
  def('pluck', (k, ...ds) => ds.filter((d) => isMap(d) && Object.prototype.hasOwnProperty.call(d, k as string)).map((d) => (d as Record<string, unknown>)[k as string]), ['s', '...m']);
  def('keys', (...ds) => { const out: string[] = typed([], '[]string'); for (const d of ds) if (isMap(d)) out.push(...Object.keys(d)); else if (d && (d as { mapEntries?: () => object }).mapEntries) out.push(...Object.keys((d as { mapEntries: () => object }).mapEntries())); return out; }, ['...a']);
  def('values', (d) => (isMap(d) ? Object.values(d) : []), ['m']);
  def('pick', (d, ...ks) => { const o: Record<string, unknown> = {}; for (const k of ks) if (isMap(d) && Object.prototype.hasOwnProperty.call(d, k as string)) o[k as string] = d[k as string]; return o; }, ['m', '...s']);
  def('omit', (d, ...ks) => { const o: Record<string, unknown> = {}; if (isMap(d)) for (const k of Object.keys(d)) if (!ks.includes(k)) o[k] = d[k]; return o; }, ['m', '...s']);
  def('merge', (dst, ...srcs) => { for (const s of srcs) if (isMap(s)) mergeInto(dst as Record<string, unknown>, s, false); return dst; }, ['m', '...m']);
  def('mergeOverwrite', (dst, ...srcs) => { for (const s of srcs) if (isMap(s)) mergeInto(dst as Record<string, unknown>, s, true); return dst; }, ['m', '...m']);
  def('dig', (...a) => {
    if (a.length < 3) throw new FuncError('dig needs at least three arguments');
    const d = a[a.length - 1];
    if (!isMap(d) || valuesTyped.has(d as object)) throw new FuncError(`interface conversion: interface {} is ${valuesTyped.has(d as object) ? 'common.Values' : typeName(d)}, not map[string]interface {}`);
    const def = a[a.length - 2];
    const ks = a.slice(0, -2) as string[];
    let cur: unknown = d;
    for (const k of ks) {
      if (!isMap(cur) || !Object.prototype.hasOwnProperty.call(cur, k)) return def;
      cur = cur[k];
    }
    return cur;
  });

  // --- regex
  def('regexMatch', (r, s) => { try { return goRegex(r as string).test(s as string); } catch { return false; } }, ['s', 's']);
  def('mustRegexMatch', (r, s) => goRegex(r as string).test(s as string), ['s', 's']);
  // sprig's plain functions compile with regexp.MustCompile (its panic is the error); the must* ones with Compile
  for (const must of [false, true]) {
    const name = (n: string) => (must ? 'must' + n[0].toUpperCase() + n.slice(1) : n);
    def(name('regexFind'), (r, s) => { const m = findAllSubmatchIndex(goRegex(r as string, must), s as string, 1)[0]; return m ? (s as string).slice(m[0], m[1]) : ''; }, ['s', 's']);
    def(name('regexFindAll'), (r, s, n) => typed(findAllSubmatchIndex(goRegex(r as string, must), s as string, toInt64(n)).map((m) => (s as string).slice(m[0], m[1])), '[]string'), ['s', 's', 'i']);
    def(name('regexReplaceAll'), (r, s, repl) => replaceAll(goRegex(r as string, must), s as string, repl as string, false), ['s', 's', 's']);
    def(name('regexReplaceAllLiteral'), (r, s, repl) => replaceAll(goRegex(r as string, must), s as string, repl as string, true), ['s', 's', 's']);
    def(name('regexSplit'), (r, s, n) => typed(regexSplit(goRegex(r as string, must), s as string, toInt64(n)), '[]string'), ['s', 's', 'i']);
  }
  def('regexQuoteMeta', (s) => quoteMeta(s as string), ['s']);

  // --- math
  const i64 = (n: number) => int(n, 'int64');
  def('add', (...a) => i64(a.reduce((s: number, x) => s + toInt64(x), 0)));
  def('add1', (a) => i64(toInt64(a) + 1), ['a']);
  def('sub', (a, b) => i64(toInt64(a) - toInt64(b)), ['a', 'a']);
  def('mul', (...a) => i64(a.reduce((s: number, x) => s * toInt64(x), 1)));
  def('div', (a, b) => { const d = toInt64(b); if (d === 0) throw new FuncError('runtime error: integer divide by zero'); return i64(Math.trunc(toInt64(a) / d)); }, ['a', 'a']);
  def('mod', (a, b) => { const d = toInt64(b); if (d === 0) throw new FuncError('runtime error: integer divide by zero'); return i64(toInt64(a) % d); }, ['a', 'a']);
  def('max', (a, ...r) => i64(Math.max(toInt64(a), ...r.map(toInt64))), ['a', '...a']);
  def('min', (a, ...r) => i64(Math.min(toInt64(a), ...r.map(toInt64))), ['a', '...a']);
  def('biggest', (a, ...r) => i64(Math.max(toInt64(a), ...r.map(toInt64))), ['a', '...a']);
  def('addf', (...a) => decToNumber(a.reduce((s: { m: bigint; e: number }, x) => decAdd(s, dec(toFloat64(x))), { m: 0n, e: 0 })));
  def('add1f', (a) => decToNumber(decAdd(dec(toFloat64(a)), { m: 1n, e: 0 })), ['a']);
  def('subf', (a, ...r) => decToNumber(r.reduce((s: { m: bigint; e: number }, x) => { const d = dec(toFloat64(x)); return decAdd(s, { m: -d.m, e: d.e }); }, dec(toFloat64(a)))), ['a', '...a']);
  def('mulf', (a, ...r) => decToNumber(r.reduce((s: { m: bigint; e: number }, x) => decMul(s, dec(toFloat64(x))), dec(toFloat64(a)))), ['a', '...a']);
  def('divf', (a, ...r) => decToNumber(r.reduce((s: { m: bigint; e: number }, x) => decDiv(s, dec(toFloat64(x))), dec(toFloat64(a)))), ['a', '...a']);
  def('maxf', (a, ...r) => Math.max(toFloat64(a), ...r.map(toFloat64)), ['a', '...a']);
  def('minf', (a, ...r) => Math.min(toFloat64(a), ...r.map(toFloat64)), ['a', '...a']);
  def('floor', (a) => Math.floor(toFloat64(a)), ['a']);
  def('ceil', (a) => Math.ceil(toFloat64(a)), ['a']);
  def('round', (a, p, ...r) => { const f = 10 ** toInt64(p); void r; const x = toFloat64(a) * f; return (x < 0 ? -Math.round(-x) : Math.round(x)) / f; }, ['a', 'a', '...a']);

  // --- semver
  def('semver', (s) => parseSemver(s as string), ['s']);
  def('semverCompare', (c, v) => semverCompare(c as string, v as string), ['s', 's']);

  // --- dates
  def('now', () => new GoTime(Date.now()));
  def('date', (f, t) => goTimeFormat(inZone(toTime(t), 'UTC'), f as string), ['s', 'a']);
  def('dateInZone', (f, t, z) => goTimeFormat(inZone(toTime(t), z as string), f as string), ['s', 'a', 's']);
  def('htmlDate', (t) => goTimeFormat(inZone(toTime(t), 'UTC'), '2006-01-02'), ['a']);
  def('htmlDateInZone', (t, z) => goTimeFormat(inZone(toTime(t), z as string), '2006-01-02'), ['a', 's']);
  def('toDate', (l, s) => { try { return goTimeParse(l as string, s as string); } catch { return new GoTime(-62135596800000); } }, ['s', 's']);
  def('mustToDate', (l, s) => goTimeParse(l as string, s as string), ['s', 's']);
  def('unixEpoch', (t) => String(Math.floor((t as GoTime).ms / 1000)), ['a']);
  def('dateModify', (d, t) => { try { const ms = parseDuration(d as string); const tt = toTime(t); return new GoTime(tt.ms + ms, tt.utcOffsetMin, tt.zone); } catch { return t; } }, ['s', 'a']);
  def('ago', (t) => fmtDuration(Math.round((Date.now() - toTime(t).ms) / 1000) * 1000), ['a']);
  def('duration', (s) => {
    let n = 0;
    if (typeof s === 'string') n = /^[+-]?\d+$/.test(s) ? parseInt(s, 10) : 0;
    else if (s instanceof GoInt && s.t === 'int64') n = s.v;
    return fmtDuration(n * 1000);
  }, ['a']);
  def('durationRound', (s) => { const ms = typeof s === 'string' ? parseDuration(s) : toInt64(s) / 1e6; const sec = Math.abs(ms) / 1000; const u: Array<[number, string]> = [[31536000, 'y'], [2592000, 'mo'], [86400, 'd'], [3600, 'h'], [60, 'm'], [1, 's']]; for (const [n, l] of u) if (sec >= n) return Math.floor(sec / n) + l; return '0s'; }, ['a']);

  // --- crypto / random (approximations where output is random anyway)
  def('uuidv4', () => randomUUID());
  def('genPrivateKey', (t) => fakePem(t === 'ecdsa' ? 'EC PRIVATE KEY' : t === 'ed25519' || t === 'dsa' ? 'PRIVATE KEY' : 'RSA PRIVATE KEY', 1190), ['s']);
  def('genCA', () => new CertObj(fakePem('CERTIFICATE', 800), fakePem('RSA PRIVATE KEY', 1190)), ['s', 'i']);
  def('genCAWithKey', () => new CertObj(fakePem('CERTIFICATE', 800), fakePem('RSA PRIVATE KEY', 1190)), ['s', 'i', 's']);
  def('genSelfSignedCert', () => new CertObj(fakePem('CERTIFICATE', 800), fakePem('RSA PRIVATE KEY', 1190)), ['s', 'a', 'a', 'i']);
  def('genSelfSignedCertWithKey', () => new CertObj(fakePem('CERTIFICATE', 800), fakePem('RSA PRIVATE KEY', 1190)), ['s', 'a', 'a', 'i', 's']);
  def('genSignedCert', () => new CertObj(fakePem('CERTIFICATE', 800), fakePem('RSA PRIVATE KEY', 1190)), ['s', 'a', 'a', 'i', 'a']);
  def('genSignedCertWithKey', () => new CertObj(fakePem('CERTIFICATE', 800), fakePem('RSA PRIVATE KEY', 1190)), ['s', 'a', 'a', 'i', 'a', 's']);
  def('htpasswd', (u, p) => { void p; return `${u}:$2a$10$${randString(53, './ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789')}`; }, ['s', 's']);
  def('derivePassword', (c, t, pw, user, site) => createHash('sha256').update(`${c}${t}${pw}${user}${site}`).digest('base64').slice(0, 20), ['a', 's', 's', 's', 's']);
  def('encryptAES', (k, s) => { void k; return randomBytes(16).toString('base64') + Buffer.from(s as string).toString('base64'); }, ['s', 's']);
  def('decryptAES', (k, s) => { void k; return s; }, ['s', 's']);
  def('bcrypt', (s) => { void s; return `$2a$10$${randString(53, ALNUM)}`; }, ['s']);
  def('getHostByName', () => '', ['s']);

  // --- paths, urls
  const pathBase = (p: string) => { if (p === '') return '.'; const t = p.replace(/\/+$/, ''); if (t === '') return '/'; return t.slice(t.lastIndexOf('/') + 1); };
  const pathClean = (p: string) => { if (p === '') return '.'; const abs = p.startsWith('/'); const out: string[] = []; for (const seg of p.split('/')) { if (seg === '' || seg === '.') continue; if (seg === '..') { if (out.length && out[out.length - 1] !== '..') out.pop(); else if (!abs) out.push('..'); } else out.push(seg); } const r = (abs ? '/' : '') + out.join('/'); return r || (abs ? '/' : '.'); };
  const pathDir = (p: string) => { const i = p.lastIndexOf('/'); return pathClean(p.slice(0, i + 1)); };
  const pathExt = (p: string) => { for (let i = p.length - 1; i >= 0 && p[i] !== '/'; i--) if (p[i] === '.') return p.slice(i); return ''; };
  for (const [n, f] of [['base', pathBase], ['dir', pathDir], ['ext', pathExt], ['clean', pathClean], ['osBase', pathBase], ['osDir', pathDir], ['osExt', pathExt], ['osClean', pathClean]] as const) def(n, (s) => f(s as string), ['s']);
  def('isAbs', (s) => (s as string).startsWith('/'), ['s']);
  def('osIsAbs', (s) => (s as string).startsWith('/'), ['s']);
  def('urlParse', (s) => urlParse(s as string), ['s']);
  def('urlJoin', (d) => urlJoin(d as Record<string, unknown>), ['m']);

  // --- encoding
  def('toJson', (v) => { try { return goJson(v); } catch (e) { if (isBudgetStop(e)) throw e; return ''; } }, ['a']);
  def('mustToJson', (v) => goJson(v), ['a']);
  def('toPrettyJson', (v) => { try { return goJson(v, true, '  '); } catch (e) { if (isBudgetStop(e)) throw e; return ''; } }, ['a']);
  def('mustToPrettyJson', (v) => goJson(v, true, '  '), ['a']);
  def('toRawJson', (v) => { try { return goJson(v, false); } catch (e) { if (isBudgetStop(e)) throw e; return ''; } }, ['a']);
  def('mustToRawJson', (v) => goJson(v, false), ['a']);
  def('fromJson', (s) => { try { const v = JSON.parse(s as string); if (!isMap(v)) return { Error: `json: cannot unmarshal ${jsonKind(v)} into Go value of type map[string]interface {}` }; return v; } catch (e) { return { Error: jsonErr(e, s as string) }; } }, ['s']);
  def('mustFromJson', (s) => { try { return JSON.parse(s as string); } catch (e) { throw new FuncError(jsonErr(e, s as string)); } }, ['s']);
  def('fromJsonArray', (s) => { try { const v = JSON.parse(s as string); if (!Array.isArray(v)) return [`json: cannot unmarshal ${jsonKind(v)} into Go value of type []interface {}`]; return v; } catch (e) { return [jsonErr(e, s as string)]; } }, ['s']);

  def('hello', () => 'Hello!');
  def('trimall', (c, s) => m.get('trimAll')!.fn.call(undefined as never, c, s), ['s', 's']);
  m.set('date_in_zone', m.get('dateInZone')!);
  m.set('date_modify', m.get('dateModify')!);
  def('buildCustomCert', (c, k) => new CertObj(Buffer.from(String(c), 'base64').toString('utf8'), Buffer.from(String(k), 'base64').toString('utf8')), ['s', 's']);

  // must* variants of list funcs simply alias
  for (const n of ['first', 'last', 'rest', 'initial', 'reverse', 'uniq', 'without', 'has', 'compact', 'append', 'prepend', 'slice', 'push', 'chunk', 'dig', 'merge', 'mergeOverwrite', 'deepCopy', 'regexFind', 'regexFindAll', 'regexReplaceAll', 'regexReplaceAllLiteral', 'regexSplit', 'date', 'dateModify', 'toDate'] as const) {
    const f = m.get(n);
    const mn = 'must' + n[0].toUpperCase() + n.slice(1);
    if (f && !m.has(mn)) m.set(mn, f);
  }
  m.set('must_date_modify', m.get('dateModify')!);
  return m;
}

function jsonKind(v: unknown): string {
  if (Array.isArray(v)) return 'array';
  if (v === null) return 'null';
  if (typeof v === 'object') return 'object';
  return typeof v === 'number' ? 'number' : typeof v === 'string' ? 'string' : 'bool';
}

function jsonErr(e: unknown, src = ''): string {
  const msg = (e as Error).message;
  if (/Unexpected end|end of JSON/.test(msg) || src.trim() === '') return 'unexpected end of JSON input';
  const pm = /position (\d+)/.exec(msg);
  const ch = pm ? src[parseInt(pm[1], 10)] : /Unexpected token '?(.)/.exec(msg)?.[1];
  const q = ch === undefined ? '' : ch === "'" ? "'\\''" : `'${ch}'`;
  if (/property name/.test(msg)) return `invalid character ${q} looking for beginning of object key string`;
  if (/after property value|after array element/.test(msg)) return `invalid character ${q} after ${/array/.test(msg) ? 'array element' : 'object key:value pair'}`;
  if (/after property name/.test(msg)) return `invalid character ${q} after object key`;
  if (/non-whitespace/.test(msg)) return `invalid character ${q} after top-level value`;
  return `invalid character ${q} looking for beginning of value`;
}

function inZone(t: GoTime, z: string): GoTime {
  if (z === 'UTC' || z === '' || z === 'Local') return new GoTime(t.ms, 0, 'UTC');
  try {
    const f = new Intl.DateTimeFormat('en-US', { timeZone: z, timeZoneName: 'shortOffset' });
    const part = f.formatToParts(new Date(t.ms)).find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
    const mm = /GMT([+-])(\d+)(?::(\d+))?/.exec(part);
    const off = mm ? (mm[1] === '-' ? -1 : 1) * (+mm[2] * 60 + +(mm[3] ?? 0)) : 0;
    const abbr = new Intl.DateTimeFormat('en-US', { timeZone: z, timeZoneName: 'short' }).formatToParts(new Date(t.ms)).find((p) => p.type === 'timeZoneName')?.value ?? z;
    return new GoTime(t.ms, off, abbr);
  } catch {
    return new GoTime(t.ms, 0, 'UTC');
  }
}

const B32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
function base32enc(buf: Buffer): string {
  let bits = 0, val = 0, out = '';
  for (const b of buf) { val = (val << 8) | b; bits += 8; while (bits >= 5) { out += B32[(val >>> (bits - 5)) & 31]; bits -= 5; } }
  if (bits > 0) out += B32[(val << (5 - bits)) & 31];
  while (out.length % 8) out += '=';
  return out;
}
function base32dec(s: string): string {
  let bits = 0, val = 0; const out: number[] = [];
  for (const c of s.replace(/=+$/, '')) { const i = B32.indexOf(c); if (i < 0) return ''; val = (val << 5) | i; bits += 5; if (bits >= 8) { out.push((val >>> (bits - 8)) & 255); bits -= 8; } }
  return Buffer.from(out).toString('utf8');
}
