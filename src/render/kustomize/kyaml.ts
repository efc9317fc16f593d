/**
 * How kustomize reads the resources and patches it builds. kyaml parses them with go-yaml v3 and, to print
 * them, decodes each node into Go values (go-yaml v3's `resolve` for plain scalars) that are written out as
 * JSON and then YAML. So a plain scalar means what go-yaml v3 makes of it, which is neither YAML 1.2 (the
 * core schema the rest of k8s-audit reads with) nor YAML 1.1: `0755` is the octal 493, `1_000` is 1000,
 * `2019-03-20` is a time printed as `"2019-03-20T00:00:00Z"`, `yes` stays a string. Only kustomize inputs
 * are read this way; the kustomization file itself is decoded into typed fields and keeps its text.
 */
import { isObj, originOfItem, originOfKey, setItems, setKey, itemOrigins, type Obj, type Origin } from './nodes.js';

// go-yaml v3's resolve table: the exact words that are null, booleans, NaN and infinities.
const WORDS = new Map<string, unknown>([
  ['', null], ['~', null], ['null', null], ['Null', null], ['NULL', null],
  ['true', true], ['True', true], ['TRUE', true], ['false', false], ['False', false], ['FALSE', false],
  ['.nan', NaN], ['.NaN', NaN], ['.NAN', NaN],
  ['.inf', Infinity], ['.Inf', Infinity], ['.INF', Infinity], ['+.inf', Infinity], ['+.Inf', Infinity], ['+.INF', Infinity],
  ['-.inf', -Infinity], ['-.Inf', -Infinity], ['-.INF', -Infinity],
]);

// go-yaml v3's yamlStyleFloat.
const YAML_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;

const INT64_MAX = 2n ** 63n - 1n;
const UINT64_MAX = 2n ** 64n - 1n;

/** Go's strconv.ParseInt(s, 0, 64), then ParseUint(s, 0, 64): the integer, or undefined. */
function goParseInt(s: string): number | undefined {
  const m = /^([+-]?)(0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)$/.exec(s);
  if (!m) return undefined;
  const digits = m[2];
  let n: bigint;
  if (/^0[xXoObB]/.test(digits)) n = BigInt(digits.toLowerCase());
  else if (digits.length > 1 && digits[0] === '0') n = BigInt(`0o${digits.slice(1)}`);
  else n = BigInt(digits);
  if (m[1] === '-') {
    if (n > INT64_MAX + 1n) return undefined;
    return n === 0n ? 0 : -Number(n);
  }
  // ParseUint takes no sign: a signed value must fit int64
  if (n > (m[1] === '+' ? INT64_MAX : UINT64_MAX)) return undefined;
  return Number(n);
}

const DAYS = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * go-yaml v3's parseTimestamp: the layouts `2006-1-2T15:4:5.999999999Z07:00` (T or t), `2006-1-2 15:4:5.999999999`
 * (UTC) and `2006-1-2`, as Go's time.Parse reads them; printed the way encoding/json writes a time.Time
 * (RFC 3339 with nanoseconds, trailing zeros dropped). Undefined when it is not one.
 */
function goTimestamp(s: string): string | undefined {
  if (!/^[0-9]{4}-/.test(s)) return undefined;
  const m =
    /^([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})(?:([Tt ])([0-9]{1,2}):([0-9]{1,2}):([0-9]{1,2})(?:\.([0-9]+))?(Z|[+-][0-9]{2}:[0-9]{2})?)?$/.exec(s);
  if (!m) return undefined;
  const [, y, mo, d, sep, h, mi, se, frac, zone] = m;
  // a zone only after T (the layout with a space has none), and the T layouts need one
  if (sep === ' ' ? zone !== undefined : sep !== undefined && zone === undefined) return undefined;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  if (month < 1 || month > 12 || day < 1 || day > (month === 2 && !leap ? 28 : DAYS[month - 1])) return undefined;
  const p2 = (n: number) => String(n).padStart(2, '0');
  const date = `${y}-${p2(month)}-${p2(day)}`;
  if (sep === undefined) return `${date}T00:00:00Z`;
  if (Number(h) > 23 || Number(mi) > 59 || Number(se) > 59) return undefined;
  let zoneText = 'Z';
  if (zone && zone !== 'Z') {
    const zh = Number(zone.slice(1, 3));
    const zm = Number(zone.slice(4, 6));
    if (zh > 23 || zm > 59) return undefined;
    if (zh || zm) zoneText = zone;
  }
  const nanos = (frac ?? '').slice(0, 9).replace(/0+$/, '');
  return `${date}T${p2(Number(h))}:${p2(Number(mi))}:${p2(Number(se))}${nanos ? `.${nanos}` : ''}${zoneText}`;
}

// go-yaml v2 (YAML 1.1) adds these booleans.
const WORDS_11 = new Map<string, unknown>([
  ...['y', 'Y', 'yes', 'Yes', 'YES', 'on', 'On', 'ON'].map((w): [string, unknown] => [w, true]),
  ...['n', 'N', 'no', 'No', 'NO', 'off', 'Off', 'OFF'].map((w): [string, unknown] => [w, false]),
]);

/**
 * How a plain scalar is read: `kyaml` (go-yaml v3 decoding resources and strategic-merge patches), or
 * `json-patch` (a JSON 6902 patch goes through sigs.k8s.io/yaml's YAMLToJSON, go-yaml v2: YAML 1.1 booleans
 * such as `yes` and `off`, and a timestamp stays the text it was written as).
 */
export type ScalarRules = 'kyaml' | 'json-patch';

/** The value go-yaml gives a plain (unquoted, untagged) scalar written `s`, as kustomize prints it. */
export function kyamlPlain(s: string, rules: ScalarRules = 'kyaml'): unknown {
  if (WORDS.has(s)) return WORDS.get(s);
  if (rules === 'json-patch' && WORDS_11.has(s)) return WORDS_11.get(s);
  const c = s[0];
  if (c === '.') return /^\.[0-9]+([eE][-+]?[0-9]+)?$/.test(s) && Number.isFinite(Number(s)) ? Number(s) : s;
  if (!(c === '+' || c === '-' || (c >= '0' && c <= '9'))) return s;
  const time = goTimestamp(s);
  if (time !== undefined) return rules === 'json-patch' ? s : time;
  const plain = s.replace(/_/g, '');
  const n = goParseInt(plain);
  if (n !== undefined) return n;
  if (YAML_FLOAT.test(plain)) {
    const f = Number(plain);
    if (Number.isFinite(f)) return Object.is(f, -0) ? 0 : f;
  }
  return s;
}

const same = (a: unknown, b: unknown) => Object.is(a, b) || (typeof a === 'number' && typeof b === 'number' && a === b);

/** A plain scalar whose go-yaml value differs from the loader's: the new value, its origin without the raw text. */
function reread(value: unknown, origin: Origin | undefined, rules: ScalarRules): { value: unknown; origin: Origin } | undefined {
  if (!origin || origin.raw === undefined || !Object.is(origin.rawValue, value)) return undefined;
  const v = kyamlPlain(origin.raw, rules);
  if (same(v, value)) return undefined;
  // the raw text no longer reads as the value: the emitter writes the value itself
  const { raw: _raw, rawValue: _rv, ...rest } = origin;
  void _raw;
  void _rv;
  return { value: v, origin: rest };
}

/** Whether a loaded value may read otherwise under go-yaml (most strings cannot: skip their origin lookup). */
function mayDiffer(v: unknown, rules: ScalarRules): boolean {
  if (typeof v !== 'string') return v === null || typeof v !== 'object' || v instanceof Date;
  const c = v.charCodeAt(0);
  return (c >= 48 && c <= 57) || c === 43 || c === 45 || c === 46 || (rules === 'json-patch' && WORDS_11.has(v));
}

function rereadTree(v: unknown, rules: ScalarRules, depth = 0): void {
  if (depth > 300) return;
  if (Array.isArray(v)) {
    const origins = [...itemOrigins(v)];
    let changed = false;
    v.forEach((x, i) => {
      const r = mayDiffer(x, rules) ? reread(x, originOfItem(v, i), rules) : undefined;
      if (r) {
        v[i] = r.value;
        origins[i] = r.origin;
        changed = true;
      } else rereadTree(x, rules, depth + 1);
    });
    if (changed) setItems(v, [...v], origins);
  } else if (isObj(v)) {
    for (const k of Object.keys(v)) {
      const r = mayDiffer(v[k], rules) ? reread(v[k], originOfKey(v, k), rules) : undefined;
      if (r) setKey(v, k, r.value, r.origin);
      else rereadTree(v[k], rules, depth + 1);
    }
  }
}

/**
 * A block scalar (`|`, `>`) that runs to the end of a text without a final newline has none in its value
 * (go-yaml, as the YAML spec says); js-yaml and the fast loader add one.
 */
function trimBlockScalarAtEnd(docs: { value: unknown }[], text: string): void {
  if (text.endsWith('\n') || !docs.length) return;
  const lines = text.split('\n');
  const lastLine = lines[lines.length - 1];
  // the last line must be content (indented text of the scalar), not a comment, marker or blank
  if (!/^\s+\S/.test(lastLine) || /^\s*#/.test(lastLine)) return;
  // the last leaf of the last document, with the line its key or item is on
  let holder: Obj | unknown[] | undefined;
  let key: string | number | undefined;
  let node: unknown = docs[docs.length - 1].value;
  for (;;) {
    if (Array.isArray(node) && node.length) {
      holder = node;
      key = node.length - 1;
      node = node[key];
    } else if (isObj(node) && Object.keys(node).length) {
      const ks = Object.keys(node);
      holder = node;
      key = ks[ks.length - 1];
      node = node[key];
    } else break;
  }
  if (holder === undefined || key === undefined || typeof node !== 'string' || !node.endsWith('\n')) return;
  const origin = Array.isArray(holder) ? originOfItem(holder, key as number) : originOfKey(holder, key as string);
  const header = origin ? lines[origin.line - 1] : undefined;
  // the scalar's header line ends in a block indicator (`key: |`, `- >+2`, `key: |  # note`)
  if (header === undefined || !/(?:^|[:\s-])\s*[|>](?:\+?[1-9]?|[1-9]\+?)\s*(?:#.*)?$/.test(header)) return;
  const trimmed = node.slice(0, -1);
  if (Array.isArray(holder)) holder[key as number] = trimmed;
  else setKey(holder, key as string, trimmed, origin);
}

/** Loaded documents of a kustomize input, re-read the way kyaml reads them. */
export function asKyaml<D extends { value: unknown }>(docs: D[], text: string, rules: ScalarRules = 'kyaml'): D[] {
  trimBlockScalarAtEnd(docs, text);
  for (const d of docs) rereadTree(d.value, rules);
  return docs;
}

/**
 * The kustomization file goes through YAMLToJSON (go-yaml v2), where an unquoted timestamp stays the text
 * written (`when: 2019-03-20` annotates "2019-03-20"); the loader made it a date.
 */
export function timestampsAsText(v: unknown, depth = 0): void {
  if (depth > 100) return;
  if (Array.isArray(v)) {
    v.forEach((x, i) => {
      const o = originOfItem(v, i);
      if (x instanceof Date && o?.raw !== undefined) v[i] = o.raw;
      else timestampsAsText(x, depth + 1);
    });
  } else if (isObj(v)) {
    for (const k of Object.keys(v)) {
      const o = originOfKey(v, k);
      if (v[k] instanceof Date && o?.raw !== undefined) setKey(v, k, o.raw, o);
      else timestampsAsText(v[k], depth + 1);
    }
  }
}
