// Go value model used by the template engine.
// - JS number       -> float64
// - GoInt           -> int / int64 / int32 / uint etc.
// - string, boolean -> string, bool
// - null/undefined  -> untyped nil
// - plain object    -> map[string]interface {}
// - array           -> []interface {}
// - GoStruct subclasses -> structs / named types with methods
import { spend, tick } from './budget.js';

export type IntType = 'int' | 'int64' | 'int32' | 'uint' | 'uint64' | 'uint8';

export class GoInt {
  /** exact decimal text when |v| exceeds 2^53 */
  exact?: string;
  constructor(readonly v: number, readonly t: IntType = 'int') {}
  toString(): string {
    return this.exact ?? String(this.v);
  }
}

export function int(v: number, t: IntType = 'int'): GoInt {
  return new GoInt(Math.trunc(v), t);
}

/** A field (`value`) or method of a Go value; see GoStruct.goField. */
export type GoMember = { value?: unknown; method?: (...args: unknown[]) => unknown; params?: string[] };

/** Base for struct-like objects: field access goes through `goField`. */
export abstract class GoStruct {
  abstract readonly goType: string;
  /**
   * return undefined when no such field/method. A method may list its parameters' Go types (`params`): the
   * call then takes exactly that many arguments, a struct-typed one only of that type (as reflect checks them).
   */
  goField(_name: string): GoMember | undefined {
    return undefined;
  }
  /** fmt %v text; `nested` when printed inside another value (pointer-receiver String methods are not used there) */
  goString(_nested = false): string {
    return '{}';
  }
}

export class GoTime extends GoStruct {
  readonly goType = 'time.Time';
  constructor(readonly ms: number, readonly utcOffsetMin = 0, readonly zone = 'UTC') {
    super();
  }
  override goField(name: string) {
    if (name === 'Unix') return { method: () => int(Math.floor(this.ms / 1000), 'int64') };
    if (name === 'UnixNano') return { method: () => int(this.ms * 1e6, 'int64') };
    if (name === 'Year') return { method: () => int(new Date(this.ms + this.utcOffsetMin * 60000).getUTCFullYear()) };
    return undefined;
  }
  override goString(): string {
    // Go's time.Time String(): 2006-01-02 15:04:05.999999999 -0700 MST
    const d = new Date(this.ms + this.utcOffsetMin * 60000);
    const p = (n: number, w = 2) => String(n).padStart(w, '0');
    const off = this.utcOffsetMin;
    const sign = off < 0 ? '-' : '+';
    const ao = Math.abs(off);
    const frac = d.getUTCMilliseconds() ? '.' + p(d.getUTCMilliseconds(), 3).replace(/0+$/, '') : '';
    return `${p(d.getUTCFullYear(), 4)}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}${frac} ${sign}${p(Math.floor(ao / 60))}${p(ao % 60)} ${this.zone}`;
  }
}

/** Go static type names for slices/maps that are not []interface{} / map[string]interface{} */
export const goTypeOf = new WeakMap<object, string>();
export function typed<T extends object>(v: T, t: string): T {
  goTypeOf.set(v, t);
  return v;
}

export function isMap(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
  const p = Object.getPrototypeOf(v);
  return p === Object.prototype || p === null;
}

export function isNil(v: unknown): v is null | undefined {
  return v === null || v === undefined;
}

export function isNumberLike(v: unknown): v is number | GoInt {
  return typeof v === 'number' || v instanceof GoInt;
}

export function numVal(v: number | GoInt): number {
  return typeof v === 'number' ? v : v.v;
}

export function typeName(v: unknown): string {
  if (isNil(v)) return '<nil>';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number') return 'float64';
  if (v instanceof GoInt) return v.t;
  if (Array.isArray(v)) return goTypeOf.get(v) ?? '[]interface {}';
  if (v instanceof Uint8Array) return '[]uint8';
  if (isMap(v)) return goTypeOf.get(v) ?? 'map[string]interface {}';
  if (v instanceof GoStruct) return v.goType;
  if (typeof v === 'function') return 'func';
  return 'interface {}';
}

export function kindOf(v: unknown): string {
  if (isNil(v)) return 'invalid';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number') return 'float64';
  if (v instanceof GoInt) return v.t;
  if (Array.isArray(v) || v instanceof Uint8Array) return 'slice';
  if (isMap(v)) return 'map';
  if (v instanceof GoStruct) return (v as { mapEntries?: unknown }).mapEntries ? 'map' : v.goType.startsWith('*') ? 'ptr' : 'struct';
  if (typeof v === 'function') return 'func';
  return 'struct';
}

/** Go text/template truthiness. */
export function truth(v: unknown): boolean {
  if (isNil(v)) return false;
  if (typeof v === 'boolean') return v;
  if (typeof v === 'string') return v.length > 0;
  if (typeof v === 'number') return v !== 0;
  if (v instanceof GoInt) return v.v !== 0;
  if (Array.isArray(v)) return v.length > 0;
  if (v instanceof Uint8Array) return v.length > 0;
  if (isMap(v)) return Object.keys(v).length > 0;
  const gl = (v as { goLen?: () => number }).goLen;
  if (gl) return gl.call(v) > 0;
  return true;
}

export function sortedKeys(m: Record<string, unknown>): string[] {
  return Object.keys(m).sort(cmpStr);
}

/** byte-wise (UTF-8) string ordering like Go */
export function cmpStr(a: string, b: string): number {
  if (a === b) return 0;
  // for BMP non-surrogate strings UTF-16 order equals UTF-8 order
  return a < b ? -1 : 1;
}

// ---------------------------------------------------------------- float formatting

/** strconv.FormatFloat(f, 'g', -1, 64) style with Go's %v exponent threshold */
export function fmtFloatG(f: number, shortestExpThreshold = 21): string {
  if (Number.isNaN(f)) return 'NaN';
  if (f === Infinity) return '+Inf';
  if (f === -Infinity) return '-Inf';
  if (f === 0) return Object.is(f, -0) ? '-0' : '0';
  const { digits, exp } = shortestDigits(f);
  const neg = f < 0;
  const x = exp; // decimal exponent of first digit
  let out: string;
  if (x < -4 || x >= shortestExpThreshold) {
    const mant = digits.length > 1 ? digits[0] + '.' + digits.slice(1) : digits;
    const e = Math.abs(x);
    out = mant + 'e' + (x < 0 ? '-' : '+') + (e < 10 ? '0' + e : String(e));
  } else if (x < 0) {
    out = '0.' + '0'.repeat(-x - 1) + digits;
  } else if (digits.length <= x + 1) {
    out = digits + '0'.repeat(x + 1 - digits.length);
  } else {
    out = digits.slice(0, x + 1) + '.' + digits.slice(x + 1);
  }
  return neg ? '-' + out : out;
}

export function shortestDigits(f: number): { digits: string; exp: number } {
  const s = Math.abs(f).toExponential(); // shortest round-trip digits in JS
  const m = /^(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(s)!;
  const digits = (m[1] + (m[2] ?? '')).replace(/0+$/, '') || '0';
  return { digits, exp: parseInt(m[3], 10) };
}

/** Go %v for float64: %g with shortest precision, exponent when exp < -4 || exp >= 21 */
export function fmtFloatV(f: number): string {
  return fmtFloatG(f, 6);
}

/** strconv 'e' with precision */
export function fmtFloatE(f: number, prec: number, upper = false): string {
  if (!Number.isFinite(f)) return fmtFloatG(f);
  let s = f.toExponential(prec < 0 ? undefined : Math.min(prec, 100));
  s = s.replace(/e([+-])(\d)$/, 'e$10$2');
  return upper ? s.toUpperCase() : s;
}

export function fmtFloatF(f: number, prec: number): string {
  if (!Number.isFinite(f)) return fmtFloatG(f);
  if (prec < 0) {
    const { digits, exp } = shortestDigits(f);
    const frac = Math.max(0, digits.length - 1 - exp);
    return f.toFixed(Math.min(frac, 100));
  }
  if (Math.abs(f) >= 1e21) {
    // toFixed switches to exponent; build manually
    return BigInt(Math.round(f)).toString() + (prec > 0 ? '.' + '0'.repeat(prec) : '');
  }
  return f.toFixed(Math.min(prec, 100));
}

// ---------------------------------------------------------------- %v printing

export interface FmtOpts {
  /** how nil prints at top level */
  nil?: string;
}

export function fmtV(v: unknown, top = true, nilStr = '<nil>'): string {
  // printing walks the whole value: a map holding itself twice per level doubles at each level
  tick();
  if (isNil(v)) return nilStr;
  if (typeof v === 'string') {
    if (!top) spend(v.length);
    return v;
  }
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number') return fmtFloatG(v, 6);
  if (v instanceof GoInt) return v.toString();
  if (Array.isArray(v)) return '[' + v.map((e) => fmtV(e, false)).join(' ') + ']';
  if (v instanceof Uint8Array) return '[' + Array.from(v).join(' ') + ']';
  if (isMap(v)) {
    return 'map[' + sortedKeys(v).map((k) => k + ':' + fmtV(v[k], false)).join(' ') + ']';
  }
  if (v instanceof GoStruct) return v.goString(!top);
  if (typeof v === 'function') return '0x0';
  void top;
  return String(v);
}

/** What a template action prints for a value (text/template printValue). */
export function printAction(v: unknown): string {
  if (isNil(v)) return '<no value>';
  const s = fmtV(v);
  // text/template dereferences pointers before printing; fmt prints &{...}
  return v instanceof GoStruct && s.startsWith('&{') ? s.slice(1) : s;
}

