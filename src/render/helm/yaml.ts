// YAML in/out with the quirks of sigs.k8s.io/yaml (go-yaml v2, YAML 1.1 resolution, JSON round trip).
import jsyaml from 'js-yaml';
import { GoInt, GoStruct, isMap, isNil, sortedKeys, fmtFloatG, GoTime } from './values.js';
import { spend, tick } from './budget.js';
import { loadBlockYaml } from '../../parse/block-yaml.js';

// go-yaml v2 plain-scalar resolution (YAML 1.1 flavoured) as a js-yaml schema
const NULL_RE = /^(?:~|null|Null|NULL)?$/;
const BOOL_TRUE = new Set(['y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON']);
const BOOL_FALSE = new Set(['n', 'N', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF']);
const FLOAT_RE = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
const SPECIAL_FLOATS: Record<string, number> = {
  '.inf': Infinity, '.Inf': Infinity, '.INF': Infinity, '+.inf': Infinity, '+.Inf': Infinity, '+.INF': Infinity,
  '-.inf': -Infinity, '-.Inf': -Infinity, '-.INF': -Infinity, '.nan': NaN, '.NaN': NaN, '.NAN': NaN,
};

/** Go strconv.ParseInt(s, 0, 64) (after removing underscores); null when not an integer */
function goParseInt0(plain: string): number | null {
  const m = /^([-+]?)(0[xX][0-9a-fA-F]+|0[bB][01]+|0[oO]?[0-7]+|0|[1-9][0-9]*)$/.exec(plain);
  if (!m) return null;
  const body = m[2];
  let v: number;
  if (/^0[xX]/.test(body)) v = parseInt(body.slice(2), 16);
  else if (/^0[bB]/.test(body)) v = parseInt(body.slice(2), 2);
  else if (/^0[oO]/.test(body)) v = parseInt(body.slice(2), 8);
  else if (body.length > 1 && body[0] === '0') v = parseInt(body, 8);
  else v = parseInt(body, 10);
  return m[1] === '-' ? -v : v;
}

function resolveNumber(s: string): number | undefined {
  if (Object.prototype.hasOwnProperty.call(SPECIAL_FLOATS, s)) return SPECIAL_FLOATS[s];
  const c = s[0];
  if (!(c === '-' || c === '+' || c === '.' || (c >= '0' && c <= '9'))) return undefined;
  if (/^\d{4}-\d\d?-\d\d?/.test(s)) return undefined; // timestamps stay strings (as written)
  const plain = s.replace(/_/g, '');
  const iv = goParseInt0(plain);
  if (iv !== null) return iv;
  if (FLOAT_RE.test(plain)) return Number(plain);
  return undefined;
}

/**
 * Whether go-yaml reads this plain scalar as something other than a string (null, a bool, a number, or the
 * merge key): how the output check (format.ts) tells that a scalar another YAML 1.2 reader kept as a string
 * means the same here.
 */
export function goPlainIsNotString(s: string): boolean {
  return NULL_RE.test(s) || BOOL_TRUE.has(s) || BOOL_FALSE.has(s) || s === '<<' || resolveNumber(s) !== undefined;
}

const goNull = new jsyaml.Type('tag:yaml.org,2002:null', {
  kind: 'scalar', resolve: (d: string) => d === null || NULL_RE.test(d), construct: () => null,
  predicate: (o: unknown) => o === null, represent: { canonical: () => 'null' }, defaultStyle: 'canonical',
});
const goBool = new jsyaml.Type('tag:yaml.org,2002:bool', {
  kind: 'scalar', resolve: (d: string) => d !== null && (BOOL_TRUE.has(d) || BOOL_FALSE.has(d)), construct: (d: string) => BOOL_TRUE.has(d),
  predicate: (o: unknown) => typeof o === 'boolean',
});
const goNumber = new jsyaml.Type('tag:yaml.org,2002:float', {
  kind: 'scalar', resolve: (d: string) => d !== null && resolveNumber(d) !== undefined, construct: (d: string) => resolveNumber(d),
  predicate: (o: unknown) => typeof o === 'number',
});
const jsTypes = (jsyaml as unknown as { types: Record<string, jsyaml.Type> }).types;
const GO_SCHEMA = jsyaml.FAILSAFE_SCHEMA.extend({ implicit: [goNull, goBool, goNumber, jsTypes.merge], explicit: [jsTypes.binary, jsTypes.omap, jsTypes.pairs, jsTypes.set, jsTypes.int, jsTypes.timestamp] });

export class YamlError extends Error {
  constructor(message: string, readonly line: number) {
    super(message);
  }
}

/** Approximate go-yaml wording for js-yaml syntax errors. */
function goYamlReason(reason: string): string {
  if (/flow collection/.test(reason)) return 'did not find expected node content';
  if (/bad indentation of a sequence entry/.test(reason)) return 'did not find expected \'-\' indicator';
  if (/bad indentation of a mapping entry|end of the stream or a document separator is expected/.test(reason)) return 'did not find expected key';
  if (/can not read a block mapping entry|multiline key|implicit key/.test(reason)) return 'mapping values are not allowed in this context';
  if (/tab characters must not be used|found a tab/.test(reason)) return 'found character that cannot start any token';
  if (/unexpected end of the stream within a (single|double) quoted scalar/.test(reason)) return 'found unexpected end of stream';
  if (/unidentified alias/.test(reason)) return `unknown anchor referenced`;
  return reason;
}

/** Parse YAML (first document) into JSON-compatible data (numbers are float64), as sigs.k8s.io/yaml does. */
export function loadYaml(text: string): unknown {
  return loadYamlDocs(text, true)[0] ?? null;
}

/**
 * Every document of a YAML stream, as helm reads values files (values.yaml, -f files): each one parsed as
 * loadYaml parses one. An empty stream has no documents.
 */
export function loadYamlStream(text: string, viaBlockLoader = true): unknown[] {
  return loadYamlDocs(text, false, viaBlockLoader);
}

/**
 * Plain numbers whose text go-yaml (YAML 1.1, strconv base 0) and a YAML 1.2 reader may read as different
 * numbers: a leading 0 before a digit or letter (octal 0755, 0x1F, 0o17, 0b1), a signed zero (-0: go-yaml keeps
 * the sign), and underscores next to digits.
 * Matched anywhere in the text (in strings and comments too): a text with any goes to js-yaml.
 */
const RISKY_NUMBER = /(?:^|[^\w.])(?:[-+]?0[0-9a-zA-Z_]|[-+]\.?0)|[0-9.]_|_[0-9.]/m;

/**
 * A one-document mapping (values.yaml, Chart.yaml) through the block-YAML loader (src/parse/block-yaml.ts),
 * which reads the plain block YAML these files are written in faster than js-yaml, and cold with code a lint
 * run has already compiled. It takes only what js-yaml reads without error, but resolves scalars as YAML 1.2
 * does: the result is used only where go-yaml's YAML 1.1 reading is sure to be the same, that is where no
 * string or key is a text go-yaml would read as a null, bool or number (it may have been plain), no number
 * has a risky text (RISKY_NUMBER; other numbers, nulls and bools are read alike), there is no timestamp (a
 * Date: go-yaml keeps the text), and the text ends with a line break (go-yaml's end-of-input rule for block
 * scalars, blockScalarAtEof, does not apply). undefined when it does not decide: js-yaml reads the text.
 */
export function blockMapping(text: string): Record<string, unknown> | undefined {
  if (text.charCodeAt(text.length - 1) !== 0x0a || RISKY_NUMBER.test(text)) return undefined;
  const v = loadBlockYaml(text);
  return isMap(v) && readsAlikeInGoYaml(v) ? v : undefined;
}

function readsAlikeInGoYaml(v: unknown): boolean {
  if (typeof v === 'string') return !ambiguousString(v);
  if (v === null || typeof v === 'number' || typeof v === 'boolean') return true;
  if (Array.isArray(v)) return v.every(readsAlikeInGoYaml);
  if (!isMap(v)) return false; // a Date
  for (const k of Object.keys(v)) if (ambiguousString(k) || !readsAlikeInGoYaml(v[k])) return false;
  return true;
}

/**
 * Whether a string (or key) the block loader read may mean something else to go-yaml: only if go-yaml reads
 * its text, plain, as a null, bool or number while YAML 1.2 reads it, plain, as a string (`yes`, `0o17` is not
 * one: as YAML 1.2 reads it plain as a number, a string "0o17" was quoted, and is a string to go-yaml too;
 * likewise "" and "8080").
 */
function ambiguousString(s: string): boolean {
  if (!goPlainIsNotString(s)) return false;
  try {
    return typeof jsyaml.load(s) === 'string';
  } catch {
    return true;
  }
}

/**
 * A values file as helm v4 reads one (values.yaml, each -f file, ci/ scenarios): a YAML stream whose documents
 * are deep-merged in order (maps key by key, anything else replaced by the later document). A document that is
 * not a map (a list, a string) fails the file, as in helm; empty documents add nothing.
 */
export function loadValuesYaml(text: string): Record<string, unknown> {
  let out: Record<string, unknown> = {};
  for (const d of loadYamlStream(text)) {
    if (d === null) continue;
    if (!isMap(d)) {
      const what = Array.isArray(d) ? 'array' : typeof d === 'string' ? 'string' : typeof d === 'boolean' ? 'bool' : 'number';
      throw new YamlError(`error unmarshaling JSON: while decoding JSON: json: cannot unmarshal ${what} into Go value of type map[string]interface {}`, 1);
    }
    out = mergeDocs(out, d);
  }
  return out;
}

function mergeDocs(a: Record<string, unknown>, b: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...a };
  for (const [k, v] of Object.entries(b)) out[k] = isMap(v) && isMap(out[k]) ? mergeDocs(out[k] as Record<string, unknown>, v) : v;
  return out;
}

function loadYamlDocs(text: string, firstOnly: boolean, viaBlockLoader = true): unknown[] {
  const fast = viaBlockLoader ? blockMapping(text) : undefined;
  if (fast) return [jsonNormalize(fast)];
  const docs: unknown[] = [];
  try {
    jsyaml.loadAll(text, (d: unknown) => { if (!firstOnly || docs.length === 0) docs.push(d); }, { schema: GO_SCHEMA, json: true, listener: blockScalarAtEof(text) } as jsyaml.LoadOptions);
  } catch (e) {
    const ye = e as { reason?: string; mark?: { line: number }; message: string };
    const lines = text.replace(/\n$/, '').split('\n').length;
    const line = Math.max(1, Math.min((ye.mark?.line ?? 0) + 1, lines));
    throw new YamlError(`yaml: line ${line}: ${goYamlReason(ye.reason ?? ye.message)}`, line);
  }
  return docs.map(jsonNormalize);
}

/**
 * go-yaml's end-of-input rule for block scalars: when the text does not end with a line break, the last line
 * of a block scalar that runs to the end has none either, so clip (`|`) and keep (`|+`) chomping have no final
 * line break to keep (a last line of spaces only is not content). js-yaml appends a line break to such input first and keeps it: this listener takes it
 * back off the scalar node that closes at the end of the text (`toYaml` output read back by `fromYaml`).
 */
function blockScalarAtEof(text: string): ((event: string, state: { position: number; result: unknown; input: string }) => void) | undefined {
  const last = text.charCodeAt(text.length - 1);
  if (text.length === 0 || last === 0x0a || last === 0x0d) return undefined;
  // a last line of only spaces is not content: the line break before it is the scalar's own
  // (the last line alone is searched: /\S[^\n]*$/ over the text tried every non-space character of every line)
  if (!/\S/.test(text.slice(text.lastIndexOf('\n') + 1))) return undefined;
  const starts: number[] = [];
  return (event, state) => {
    if (event === 'open') { starts.push(state.position); return; }
    const start = starts.pop() ?? 0;
    if (state.position < text.length || typeof state.result !== 'string' || !state.result.endsWith('\n')) return;
    // the node's text, after separation space and comments, then any tag or anchor, opens with | or >
    if (!/^(?:\s|#[^\n]*)*(?:[!&]\S*\s+)*[|>]/.test(state.input.slice(start, state.position))) return;
    state.result = state.result.slice(0, -1);
  };
}

/** JSON round trip: keys to strings, numbers as float64, drop undefined. */
export function jsonNormalize(v: unknown): unknown {
  if (v === undefined || v === null) return null;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean') return v;
  if (v instanceof GoInt) return v.v;
  if (v instanceof Date) return v.toISOString();
  if (Array.isArray(v)) return v.map(jsonNormalize);
  if (v instanceof Map) {
    const o: Record<string, unknown> = {};
    for (const [k, val] of v) o[String(k)] = jsonNormalize(val);
    return o;
  }
  if (v instanceof Uint8Array) return Buffer.from(v).toString('base64');
  if (typeof v === 'object') {
    const o: Record<string, unknown> = {};
    for (const [k, val] of Object.entries(v as object)) o[k] = jsonNormalize(val);
    return o;
  }
  return String(v);
}

// ------------------------------------------------------------------ JSON (Go encoding/json)

export function goJson(v: unknown, escapeHtml = true, indent = ''): string {
  const parts: string[] = [];
  goJsonInto(v, indent, '', parts);
  const out = parts.join('');
  if (!escapeHtml) return out;
  return out.replace(/[<>&]/g, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'));
}

function jsonStr(s: string): string {
  // most strings need no escape: no per-character walk then
  if (!/["\\\u0000-\u001f\u2028\u2029]/.test(s)) return '"' + s + '"';
  let o = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '"') o += '\\"';
    else if (ch === '\\') o += '\\\\';
    else if (ch === '\n') o += '\\n';
    else if (ch === '\r') o += '\\r';
    else if (ch === '\t') o += '\\t';
    else if (c < 0x20 || c === 0x2028 || c === 0x2029) o += '\\u' + c.toString(16).padStart(4, '0');
    else o += ch;
  }
  return o + '"';
}

/**
 * The JSON of v, appended to out piece by piece: one join at the end, so a deep value is not copied once per
 * level. Each node is a step and each piece counts against the budget (shared references make a small value
 * print exponentially large).
 */
function goJsonInto(v: unknown, indent: string, cur: string, out: string[]): void {
  tick();
  const put = (s: string) => {
    spend(s.length);
    out.push(s);
  };
  if (isNil(v)) return put('null');
  if (typeof v === 'string') return put(jsonStr(v));
  if (typeof v === 'boolean') return put(v ? 'true' : 'false');
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new Error(`json: unsupported value: ${fmtFloatG(v)}`);
    return put(JSON.stringify(v));
  }
  if (v instanceof GoInt) return put(String(v.v));
  if (v instanceof Uint8Array) return put(jsonStr(Buffer.from(v).toString('base64')));
  const nl = indent ? '\n' : '';
  const inner = cur + indent;
  if (Array.isArray(v)) {
    if (v.length === 0) return put('[]');
    put('[' + nl);
    v.forEach((e, i) => {
      put((i ? ',' + nl : '') + inner);
      goJsonInto(e, indent, inner, out);
    });
    return put(nl + cur + ']');
  }
  if (isMap(v)) {
    const ks = sortedKeys(v);
    if (ks.length === 0) return put('{}');
    const sep = indent ? ': ' : ':';
    put('{' + nl);
    ks.forEach((k, i) => {
      put((i ? ',' + nl : '') + inner + jsonStr(k) + sep);
      goJsonInto(v[k], indent, inner, out);
    });
    return put(nl + cur + '}');
  }
  if (v instanceof GoTime) return put(jsonStr(new Date(v.ms).toISOString().replace('.000Z', 'Z')));
  if (v instanceof GoStruct) {
    const me = (v as unknown as { toJSONValue?: () => unknown }).toJSONValue;
    if (me) return goJsonInto(me.call(v), indent, cur, out);
    return put('{}');
  }
  put('null');
}

/** Convert template values into plain JSON data (what json.Marshal then Unmarshal gives). */
export function toPlain(v: unknown): unknown {
  return JSON.parse(goJson(v, false));
}

// ------------------------------------------------------------------ YAML emitter (go-yaml v2 style)

const BOOL11 = new Set(['y', 'Y', 'yes', 'Yes', 'YES', 'n', 'N', 'no', 'No', 'NO', 'true', 'True', 'TRUE', 'false', 'False', 'FALSE', 'on', 'On', 'ON', 'off', 'Off', 'OFF']);
const NULLS = new Set(['', '~', 'null', 'Null', 'NULL']);

/** Would go-yaml v2 resolve this plain scalar to something other than a string? */
export function resolvesNonString(s: string): boolean {
  if (BOOL11.has(s) || NULLS.has(s)) return true;
  if (/^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/.test(s)) return true;
  if (/^[-+]?\.(inf|Inf|INF)$/.test(s) || /^\.(nan|NaN|NAN)$/.test(s)) return true;
  const t = s.replace(/_/g, '');
  if (/^[-+]?0b[01]+$/.test(t) || /^[-+]?0o[0-7]+$/.test(t) || /^[-+]?0x[0-9a-fA-F]+$/.test(t) || /^[-+]?[0-9]+$/.test(t) || /^[-+]?0[0-7]+$/.test(t)) return true;
  if (/^[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+(\.[0-9_]*)?$/.test(s)) return true; // base 60
  if (/^\d{4}-\d{1,2}-\d{1,2}(?:(?:[Tt]|[ \t]+)\d{1,2}:\d{2}:\d{2}(?:\.\d*)?(?:[ \t]*(?:Z|[-+]\d{1,2}(?::?\d{2})?))?)?$/.test(s)) return true;
  return false;
}

function isPrintable(c: number): boolean {
  return c === 0x0a || (c >= 0x20 && c <= 0x7e) || c === 0x85 || (c >= 0xa0 && c <= 0xd7ff) || (c >= 0xe000 && c <= 0xfffd && c !== 0xfeff) || (c >= 0x10000 && c <= 0x10ffff);
}

interface ScalarAnalysis {
  multiline: boolean;
  flowPlain: boolean;
  blockPlain: boolean;
  singleQuoted: boolean;
  block: boolean;
}

/**
 * Letters, digits and `_./=+-`, inner spaces, first character a letter, digit or '_' (names, images, most
 * values): no indicator, break, edge space or special character, so every style allows it. The loop below
 * would find the same, one code point at a time, for every scalar toYaml writes.
 */
const SIMPLE_SCALAR = /^[A-Za-z0-9_](?:[A-Za-z0-9_./=+\- ]*[A-Za-z0-9_./=+\-])?$/;

export function analyze(s: string): ScalarAnalysis {
  if (SIMPLE_SCALAR.test(s)) return { multiline: false, flowPlain: true, blockPlain: true, singleQuoted: true, block: true };
  return analyzeCodePoints(s);
}

/** go-yaml's analyzeScalar: which styles can write `s`. */
export function analyzeCodePoints(s: string): ScalarAnalysis {
  if (s.length === 0) return { multiline: false, flowPlain: false, blockPlain: true, singleQuoted: true, block: false };
  let blockIndicators = false, flowIndicators = false, lineBreaks = false, specialChars = false;
  let leadingSpace = false, leadingBreak = false, trailingSpace = false, trailingBreak = false;
  let breakSpace = false, spaceBreak = false, previousSpace = false, previousBreak = false;
  if (s.startsWith('---') || s.startsWith('...')) { blockIndicators = true; flowIndicators = true; }
  let precededByWs = true;
  const cps = Array.from(s);
  for (let i = 0; i < cps.length; i++) {
    const ch = cps[i];
    const c = ch.codePointAt(0)!;
    const next = cps[i + 1];
    const followedByWs = next === undefined || next === ' ' || next === '\t' || next === '\n' || next === '\r';
    if (i === 0) {
      if ('#,[]{}&*!|>\'"%@`'.includes(ch)) { flowIndicators = true; blockIndicators = true; }
      if (ch === '?' || ch === ':') { flowIndicators = true; if (followedByWs) blockIndicators = true; }
      if (ch === '-' && followedByWs) { flowIndicators = true; blockIndicators = true; }
    } else {
      if (',?[]{}'.includes(ch)) flowIndicators = true;
      if (ch === ':') { flowIndicators = true; if (followedByWs) blockIndicators = true; }
      if (ch === '#' && precededByWs) { flowIndicators = true; blockIndicators = true; }
    }
    if (!isPrintable(c)) specialChars = true;
    if (ch === '\n' || ch === '\r' || c === 0x85 || c === 0x2028 || c === 0x2029) lineBreaks = true;
    const isSp = ch === ' ';
    const isBr = ch === '\n' || ch === '\r' || c === 0x85 || c === 0x2028 || c === 0x2029;
    if (isSp) {
      if (i === 0) leadingSpace = true;
      if (i === cps.length - 1) trailingSpace = true;
      if (previousBreak) breakSpace = true;
      previousSpace = true; previousBreak = false;
    } else if (isBr) {
      if (i === 0) leadingBreak = true;
      if (i === cps.length - 1) trailingBreak = true;
      if (previousSpace) spaceBreak = true;
      previousBreak = true; previousSpace = false;
    } else { previousSpace = false; previousBreak = false; }
    precededByWs = ch === ' ' || ch === '\t' || isBr;
  }
  const r: ScalarAnalysis = { multiline: lineBreaks, flowPlain: true, blockPlain: true, singleQuoted: true, block: true };
  if (leadingSpace || leadingBreak || trailingSpace || trailingBreak) { r.flowPlain = false; r.blockPlain = false; }
  if (trailingSpace) r.block = false;
  if (breakSpace) { r.flowPlain = false; r.blockPlain = false; r.singleQuoted = false; }
  if (spaceBreak || specialChars) { r.flowPlain = false; r.blockPlain = false; r.singleQuoted = false; r.block = false; }
  if (lineBreaks) { r.flowPlain = false; r.blockPlain = false; }
  if (flowIndicators) r.flowPlain = false;
  if (blockIndicators) r.blockPlain = false;
  return r;
}

type Style = 'plain' | 'single' | 'double' | 'literal';

function chooseStyle(s: string, simpleKey: boolean): Style {
  let style: Style;
  if (s.includes('\n')) style = 'literal';
  else if (!resolvesNonString(s)) style = 'plain';
  else style = 'double';
  const a = analyze(s);
  if (style === 'plain') {
    if ((simpleKey && a.multiline) || !a.blockPlain) style = 'single';
    if (s.length === 0 && simpleKey) style = 'single';
  }
  if (style === 'literal') {
    if (!a.block || simpleKey) style = 'double';
  }
  if (style === 'single') {
    if (!a.singleQuoted) style = 'double';
  }
  return style;
}

const WIDTH = 80;

function escapeDoubleChar(ch: string): string | null {
  const c = ch.codePointAt(0)!;
  if (ch === '"') return '\\"';
  if (ch === '\\') return '\\\\';
  if (!isPrintable(c) || c === 0xfeff || ch === '\n' || ch === '\r' || c === 0x85 || c === 0x2028 || c === 0x2029) {
    switch (ch) {
      case '\0': return '\\0';
      case '\x07': return '\\a';
      case '\b': return '\\b';
      case '\t': return '\\t';
      case '\n': return '\\n';
      case '\v': return '\\v';
      case '\f': return '\\f';
      case '\r': return '\\r';
      case '\x1b': return '\\e';
      case '\x85': return '\\N';
      case '\xa0': return '\\_';
      case '\u2028': return '\\L';
      case '\u2029': return '\\P';
      default:
        if (c <= 0xff) return '\\x' + c.toString(16).toUpperCase().padStart(2, '0');
        if (c <= 0xffff) return '\\u' + c.toString(16).toUpperCase().padStart(4, '0');
        return '\\U' + c.toString(16).toUpperCase().padStart(8, '0');
    }
  }
  return null;
}

/** double-quoted scalar; folds long lines at spaces like the yaml.v2 emitter unless `noBreaks` */
function writeDouble(s: string, col = 0, indent = 0, noBreaks = true): string {
  let o = '"';
  col++;
  let spaces = false;
  const cps = Array.from(s);
  for (let i = 0; i < cps.length; i++) {
    const ch = cps[i];
    const esc = escapeDoubleChar(ch);
    if (esc !== null) {
      o += esc;
      col += esc.length;
      spaces = false;
    } else if (ch === ' ') {
      if (!noBreaks && !spaces && col > WIDTH && i > 0 && i < cps.length - 1) {
        o += '\n' + ' '.repeat(indent);
        col = indent;
        if (cps[i + 1] === ' ') { o += '\\'; col++; }
      } else {
        o += ' ';
        col++;
      }
      spaces = true;
    } else {
      o += ch;
      col++;
      spaces = false;
    }
  }
  return o + '"';
}

/** plain / single quoted with line folding at WIDTH */
function writeFolded(s: string, startCol: number, indent: number, quote: boolean): string {
  let out = quote ? "'" : '';
  let col = startCol + (quote ? 1 : 0);
  let spaces = false;
  const cps = Array.from(s);
  for (let i = 0; i < cps.length; i++) {
    const ch = cps[i];
    if (ch === ' ') {
      if (!spaces && col > WIDTH && cps[i + 1] !== ' ' && (!quote || (i !== 0 && i !== cps.length - 1))) {
        out += '\n' + ' '.repeat(indent);
        col = indent;
      } else {
        out += ' ';
        col++;
      }
      spaces = true;
    } else {
      if (quote && ch === "'") { out += "''"; col += 2; }
      else { out += ch; col++; }
      spaces = false;
    }
  }
  return out + (quote ? "'" : '');
}

function writeLiteral(s: string, indent: number): string {
  let chomp = '';
  if (!s.endsWith('\n')) chomp = '-';
  else if (s.length === 1 || /[\n]\n$/.test(s) || s.endsWith('\n\n')) chomp = '+';
  let hint = '';
  if (s[0] === ' ' || s[0] === '\n') hint = '2';
  const lines = s.split('\n');
  if (s.endsWith('\n')) lines.pop();
  const pad = ' '.repeat(indent);
  return '|' + hint + chomp + '\n' + lines.map((l) => (l.length ? pad + l : '')).join('\n') + (chomp === '+' ? '\n' : '');
}

export interface EmitOpts {
  /** yaml.v3 encoder with indent 2 (toYamlPretty): indented sequences, no folding, floats as %g, no JSON round trip */
  pretty?: boolean;
}
let PRETTY = false;

/** Emit a scalar string; col = current column, indent = indentation for continuation lines. */
function emitString(s: string, col: number, indent: number, simpleKey: boolean): string {
  const style = chooseStyle(s, simpleKey);
  switch (style) {
    case 'plain': return simpleKey || PRETTY ? s : writeFolded(s, col, indent, false);
    case 'single': return simpleKey || PRETTY ? "'" + s.replace(/'/g, "''") + "'" : writeFolded(s, col, indent, true);
    case 'double': return writeDouble(s, col, indent, simpleKey || PRETTY);
    case 'literal': return writeLiteral(s, indent);
  }
}

function scalarOut(v: unknown, col: number, indent: number): string | null {
  if (isNil(v)) return 'null';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number' && PRETTY) {
    if (Number.isNaN(v)) return '.nan';
    if (v === Infinity) return '.inf';
    if (v === -Infinity) return '-.inf';
    return fmtFloatG(v, 6);
  }
  if (typeof v === 'number') {
    if (Number.isInteger(v) && Math.abs(v) >= 2 ** 63) return fmtFloatG(v, 6);
    // JSON round trip: integral values in int64 range become ints
    const j = JSON.stringify(v);
    if (/^-?\d+$/.test(j)) return j;
    if (Number.isNaN(v)) return '.nan';
    if (v === Infinity) return '.inf';
    if (v === -Infinity) return '-.inf';
    return fmtFloatG(Number(j), 6);
  }
  if (v instanceof GoInt) return String(v.v);
  if (typeof v === 'string') return emitString(v, col, indent, false);
  return null;
}

/** go-yaml v2 Marshal of JSON-normalised data. Result ends with "\n". */
export function toYamlString(v: unknown, opts: EmitOpts = {}): string {
  const data = opts.pretty ? toPlainKeepNumbers(v) : toPlain(v);
  const lines: string[] = [];
  PRETTY = !!opts.pretty;
  try {
    emitNode(data, 0, lines, opts, 0);
  } finally {
    PRETTY = false;
  }
  return lines.join('');
}

/** Go values as the yaml.v3 encoder sees them: ints stay ints, floats stay floats. */
function toPlainKeepNumbers(v: unknown): unknown {
  tick();
  if (typeof v === 'string') spend(v.length);
  if (isNil(v)) return null;
  if (v instanceof GoInt) return v;
  if (typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean') return v;
  if (Array.isArray(v)) return v.map(toPlainKeepNumbers);
  if (isMap(v)) {
    const o: Record<string, unknown> = {};
    for (const k of Object.keys(v)) o[k] = toPlainKeepNumbers(v[k]);
    return o;
  }
  return toPlain(v);
}

function emitNode(v: unknown, indent: number, out: string[], opts: EmitOpts, col: number): void {
  // top-level or after "key:" (col is position after "key:")
  if (Array.isArray(v)) {
    if (v.length === 0) { out.push('[]\n'); return; }
    emitSeq(v, indent, out, opts);
    return;
  }
  if (isMap(v)) {
    const ks = Object.keys(v);
    if (ks.length === 0) { out.push('{}\n'); return; }
    emitMap(v, indent, out, opts);
    return;
  }
  // a root block scalar's content is indented by 2
  out.push(scalarOut(v, col, typeof v === 'string' && indent === 0 ? 2 : indent)! + '\n');
}

function isLetter(c: string): boolean {
  return /\p{L}/u.test(c);
}
function isDigit(c: string | undefined): boolean {
  return c !== undefined && c >= '0' && c <= '9';
}

/** go-yaml v2 key ordering (keyList.Less): letters by rune, digit runs numerically. */
export function yamlKeyLess(a: string, b: string): boolean {
  const ar = Array.from(a), br = Array.from(b);
  for (let i = 0; i < ar.length && i < br.length; i++) {
    if (ar[i] === br[i]) continue;
    const al = isLetter(ar[i]), bl = isLetter(br[i]);
    if (al && bl) return ar[i] < br[i];
    if (al || bl) return bl;
    let an = 0, bn = 0;
    if (ar[i] === '0' || br[i] === '0') {
      for (let j = i - 1; j >= 0 && isDigit(ar[j]); j--) {
        if (ar[j] !== '0') { an = 1; bn = 1; break; }
      }
    }
    let ai = i, bi = i;
    for (; ai < ar.length && isDigit(ar[ai]); ai++) an = an * 10 + (ar[ai].charCodeAt(0) - 48);
    for (; bi < br.length && isDigit(br[bi]); bi++) bn = bn * 10 + (br[bi].charCodeAt(0) - 48);
    if (an !== bn) return an < bn;
    if (ai !== bi) return ai < bi;
    return ar[i] < br[i];
  }
  return ar.length < br.length;
}

function yamlSortedKeys(m: Record<string, unknown>): string[] {
  return Object.keys(m).sort((x, y) => (yamlKeyLess(x, y) ? -1 : yamlKeyLess(y, x) ? 1 : 0));
}

function emitMap(m: Record<string, unknown>, indent: number, out: string[], opts: EmitOpts, firstInline = false): void {
  const ks = yamlSortedKeys(m);
  ks.forEach((k, i) => {
    tick();
    const pad = i === 0 && firstInline ? '' : ' '.repeat(indent);
    const val = m[k];
    let key: string;
    let head: string;
    if (k.includes('\n') || Array.from(k).length > 128) {
      // complex key: "? <key>" then ": <value>"
      key = '';
      out.push(pad + '? ' + emitString(k, indent + 2, indent + 2, false) + '\n');
      head = ' '.repeat(indent) + ':';
    } else {
      key = emitString(k, indent, indent, true);
      head = pad + key + ':';
    }
    if (Array.isArray(val) && val.length > 0) {
      out.push(head + '\n');
      emitSeq(val, opts.pretty ? indent + 2 : indent, out, opts);
    } else if (isMap(val) && Object.keys(val).length > 0) {
      out.push(head + '\n');
      emitMap(val, indent + 2, out, opts);
    } else if (Array.isArray(val)) {
      out.push(head + ' []\n');
    } else if (isMap(val)) {
      out.push(head + ' {}\n');
    } else {
      const col = indent + key.length + 2;
      out.push(head + ' ' + scalarOut(val, col, indent + 2) + '\n');
    }
  });
}

function emitSeq(a: unknown[], indent: number, out: string[], opts: EmitOpts): void {
  const pad = ' '.repeat(indent);
  for (const e of a) {
    tick();
    if (Array.isArray(e) && e.length > 0) {
      // nested sequence: "- - x"
      const sub: string[] = [];
      emitSeq(e, indent + 2, sub, opts);
      const s = sub.join('');
      out.push(pad + '- ' + s.slice(indent + 2));
    } else if (isMap(e) && Object.keys(e).length > 0) {
      const sub: string[] = [];
      emitMap(e, indent + 2, sub, opts, true);
      out.push(pad + '- ' + sub.join(''));
    } else if (Array.isArray(e)) out.push(pad + '- []\n');
    else if (isMap(e)) out.push(pad + '- {}\n');
    else out.push(pad + '- ' + scalarOut(e, indent + 2, indent + 2) + '\n');
  }
}

// ------------------------------------------------------------------ TOML (minimal)
export function toToml(v: unknown): string {
  const data = toPlain(v);
  if (!isMap(data)) return '';
  const out: string[] = [];
  const val = (x: unknown): string => {
    if (typeof x === 'string') return JSON.stringify(x);
    if (typeof x === 'number') return Number.isInteger(x) ? String(x) : String(x);
    if (typeof x === 'boolean') return String(x);
    if (Array.isArray(x)) return '[' + x.map(val).join(', ') + ']';
    if (isMap(x)) return '{' + Object.keys(x).map((k) => `${k} = ${val(x[k])}`).join(', ') + '}';
    return '""';
  };
  const walk = (m: Record<string, unknown>, prefix: string) => {
    const tables: string[] = [];
    for (const k of sortedKeys(m)) {
      if (isMap(m[k])) tables.push(k);
      else if (m[k] !== null) out.push(`${prefix ? '  ' : ''}${k} = ${val(m[k])}`);
    }
    for (const k of tables) {
      const name = prefix ? `${prefix}.${k}` : k;
      out.push(`\n[${name}]`);
      walk(m[k] as Record<string, unknown>, name);
    }
  };
  walk(data, '');
  return out.join('\n').replace(/^\n/, '') + '\n';
}
