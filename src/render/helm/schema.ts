// Minimal JSON Schema validation of chart values (values.schema.json), enough for the checks charts commonly use.
import { GoInt, isMap, isNil } from './values.js';
import { tryCompileGo } from '../../util/re2.js';

export interface SchemaIssue {
  path: string; // JSON pointer, '' for the root
  message: string;
}

type Schema = Record<string, unknown> | boolean;

function jsonType(v: unknown): string {
  if (isNil(v)) return 'null';
  if (typeof v === 'boolean') return 'boolean';
  if (typeof v === 'string') return 'string';
  if (v instanceof GoInt) return 'integer';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  if (Array.isArray(v)) return 'array';
  if (isMap(v)) return 'object';
  return 'object';
}

function typeMatches(v: unknown, t: string): boolean {
  const jt = jsonType(v);
  if (t === 'number') return jt === 'number' || jt === 'integer';
  return jt === t;
}

function num(v: unknown): number | null {
  if (typeof v === 'number') return v;
  if (v instanceof GoInt) return v.v;
  return null;
}

function deepEq(a: unknown, b: unknown): boolean {
  if (num(a) !== null && num(b) !== null) return num(a) === num(b);
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => deepEq(x, b[i]));
  if (isMap(a) && isMap(b)) {
    const ka = Object.keys(a), kb = Object.keys(b);
    return ka.length === kb.length && ka.every((k) => deepEq(a[k], b[k]));
  }
  return (isNil(a) && isNil(b)) || a === b;
}

function lit(v: unknown): string {
  return typeof v === 'string' ? `'${v}'` : JSON.stringify(v);
}

function esc(k: string): string {
  return k.replace(/~/g, '~0').replace(/\//g, '~1');
}

function resolveRef(root: Schema, ref: string): Schema | undefined {
  if (!ref.startsWith('#')) return undefined; // remote refs are not fetched
  let cur: unknown = root;
  for (const part of ref.slice(1).split('/').filter(Boolean)) {
    const k = decodeURIComponent(part).replace(/~1/g, '/').replace(/~0/g, '~');
    if (!isMap(cur)) return undefined;
    cur = cur[k];
  }
  return cur as Schema;
}

export function validateSchema(schema: Schema, value: unknown): SchemaIssue[] {
  const issues: SchemaIssue[] = [];
  validate(schema, schema, value, '', issues, 0);
  return issues;
}

/**
 * The schemas being applied to the current instance location, each with the keyword path it was reached
 * by. A `$ref` that leads back to one of them never ends: helm's validator (santhosh-tekuri/jsonschema)
 * fails the values with "both X and Y resolve to Z causing reference cycle" when an instance reaches such
 * a loop, and so does this one (before, the loop was cut at a depth silently and the chart rendered).
 */
type OnLocation = Map<object, string>;

function validate(root: Schema, s: Schema, v: unknown, path: string, out: SchemaIssue[], depth: number, kw = '', here: OnLocation = new Map()): void {
  if (depth > 64) return;
  if (s === true || s === undefined || s === null) return;
  if (s === false) { out.push({ path, message: 'false schema' }); return; }
  if (!isMap(s)) return;
  here.set(s, kw);
  try {
    validateMap(root, s, v, path, out, depth, kw, here);
  } finally {
    here.delete(s);
  }
}

function validateMap(root: Schema, s: Record<string, unknown>, v: unknown, path: string, out: SchemaIssue[], depth: number, kw: string, here: OnLocation): void {
  const add = (message: string, p = path) => out.push({ path: p, message });
  // a subschema at the same instance location keeps `here`; one below it (a property, an item) starts afresh
  const same = (sub: Schema, k: string) => validate(root, sub, v, path, out, depth + 1, `${kw}/${k}`, here);
  const below = (sub: Schema, at: string, val: unknown, k: string) => validate(root, sub, val, at, out, depth + 1, `${kw}/${k}`);
  const passes = (sub: Schema, k: string) => {
    const o: SchemaIssue[] = [];
    validate(root, sub, v, '', o, depth + 1, `${kw}/${k}`, here);
    return o.length === 0;
  };
  if (typeof s.$ref === 'string') {
    const r = resolveRef(root, s.$ref);
    if (r !== undefined && typeof r === 'object' && here.has(r)) {
      add(`both ${kw}/$ref and ${here.get(r)} resolve to "file:///values.schema.json#${s.$ref.slice(1)}" causing reference cycle`);
      return;
    }
    if (r !== undefined) same(r, '$ref');
  }
  if (s.type !== undefined) {
    const types = Array.isArray(s.type) ? (s.type as string[]) : [s.type as string];
    if (!types.some((t) => typeMatches(v, t))) {
      add(`got ${jsonType(v) === 'integer' ? 'number' : jsonType(v)}, want ${types.join(' or ')}`);
      return;
    }
  }
  if (Array.isArray(s.enum) && !s.enum.some((e) => deepEq(e, v))) add(`value must be one of ${s.enum.map(lit).join(', ')}`);
  if (s.const !== undefined && !deepEq(s.const, v)) add(`value must be ${lit(s.const)}`);
  const n = num(v);
  if (n !== null) {
    if (typeof s.minimum === 'number' && (s.exclusiveMinimum === true ? n <= s.minimum : n < s.minimum)) add(`${s.exclusiveMinimum === true ? 'exclusiveMinimum' : 'minimum'}: got ${n}, want ${s.minimum}`);
    if (typeof s.maximum === 'number' && (s.exclusiveMaximum === true ? n >= s.maximum : n > s.maximum)) add(`${s.exclusiveMaximum === true ? 'exclusiveMaximum' : 'maximum'}: got ${n}, want ${s.maximum}`);
    if (typeof s.exclusiveMinimum === 'number' && n <= s.exclusiveMinimum) add(`exclusiveMinimum: got ${n}, want ${s.exclusiveMinimum}`);
    if (typeof s.exclusiveMaximum === 'number' && n >= s.exclusiveMaximum) add(`exclusiveMaximum: got ${n}, want ${s.exclusiveMaximum}`);
    if (typeof s.multipleOf === 'number' && s.multipleOf > 0 && Math.abs(n / s.multipleOf - Math.round(n / s.multipleOf)) > 1e-9) add(`${n} not multipleOf ${s.multipleOf}`);
  }
  if (typeof v === 'string') {
    const len = Array.from(v).length;
    if (typeof s.minLength === 'number' && len < s.minLength) add(`minLength: got ${len}, want ${s.minLength}`);
    if (typeof s.maxLength === 'number' && len > s.maxLength) add(`maxLength: got ${len}, want ${s.maxLength}`);
    if (typeof s.pattern === 'string') {
      // Go's regexp, as Helm's validator compiles it (linear time: the pattern is the chart's)
      const re = tryCompileGo(s.pattern);
      if (re && !re.test(v)) add(`'${v}' does not match pattern '${s.pattern}'`);
    }
  }
  if (Array.isArray(v)) {
    if (typeof s.minItems === 'number' && v.length < s.minItems) add(`minItems: got ${v.length}, want ${s.minItems}`);
    if (typeof s.maxItems === 'number' && v.length > s.maxItems) add(`maxItems: got ${v.length}, want ${s.maxItems}`);
    if (s.uniqueItems === true) {
      for (let i = 0; i < v.length; i++) for (let j = i + 1; j < v.length; j++) if (deepEq(v[i], v[j])) { add(`items at ${i} and ${j} are equal`); i = v.length; break; }
    }
    if (Array.isArray(s.items)) {
      (s.items as Schema[]).forEach((is, i) => { if (i < v.length) below(is, `${path}/${i}`, v[i], `items/${i}`); });
    } else if (s.items !== undefined) {
      v.forEach((e, i) => below(s.items as Schema, `${path}/${i}`, e, 'items'));
    }
  }
  if (isMap(v)) {
    const keys = Object.keys(v);
    if (typeof s.minProperties === 'number' && keys.length < s.minProperties) add(`minProperties: got ${keys.length}, want ${s.minProperties}`);
    if (typeof s.maxProperties === 'number' && keys.length > s.maxProperties) add(`maxProperties: got ${keys.length}, want ${s.maxProperties}`);
    if (Array.isArray(s.required)) {
      const missing = (s.required as string[]).filter((k) => !Object.prototype.hasOwnProperty.call(v, k));
      if (missing.length) add(`missing propert${missing.length > 1 ? 'ies' : 'y'} ${missing.map((k) => `'${k}'`).join(', ')}`);
    }
    const props = isMap(s.properties) ? (s.properties as Record<string, Schema>) : {};
    const pats = isMap(s.patternProperties) ? Object.entries(s.patternProperties as Record<string, Schema>) : [];
    const extra: string[] = [];
    for (const k of keys) {
      let matched = false;
      if (Object.prototype.hasOwnProperty.call(props, k)) { matched = true; below(props[k], `${path}/${esc(k)}`, v[k], `properties/${esc(k)}`); }
      for (const [p, ps] of pats) {
        if (tryCompileGo(p)?.test(k)) { matched = true; below(ps, `${path}/${esc(k)}`, v[k], `patternProperties/${esc(p)}`); }
      }
      if (!matched) {
        if (s.additionalProperties === false) extra.push(k);
        else if (isMap(s.additionalProperties)) below(s.additionalProperties as Schema, `${path}/${esc(k)}`, v[k], 'additionalProperties');
      }
    }
    if (extra.length) add(`additional properties ${extra.map((k) => `'${k}'`).join(', ')} not allowed`);
    const depReq = isMap(s.dependentRequired) ? s.dependentRequired : isMap(s.dependencies) ? s.dependencies : null;
    if (depReq) {
      for (const [k, req] of Object.entries(depReq)) {
        if (!Object.prototype.hasOwnProperty.call(v, k)) continue;
        if (Array.isArray(req)) {
          const missing = (req as string[]).filter((r) => !Object.prototype.hasOwnProperty.call(v, r));
          if (missing.length) add(`properties ${missing.map((x) => `'${x}'`).join(', ')} required, if '${k}' exists`);
        } else same(req as Schema, `dependencies/${esc(k)}`);
      }
    }
  }
  if (Array.isArray(s.allOf)) (s.allOf as Schema[]).forEach((sub, i) => same(sub, `allOf/${i}`));
  if (Array.isArray(s.anyOf)) {
    if (!(s.anyOf as Schema[]).some((sub, i) => passes(sub, `anyOf/${i}`))) add('anyOf failed');
  }
  if (Array.isArray(s.oneOf)) {
    const ok = (s.oneOf as Schema[]).filter((sub, i) => passes(sub, `oneOf/${i}`)).length;
    if (ok !== 1) add(ok === 0 ? 'oneOf failed, none matched' : 'oneOf failed, more than one matched');
  }
  if (s.not !== undefined && passes(s.not as Schema, 'not')) add('not failed');
  if (s.if !== undefined) {
    const cond = passes(s.if as Schema, 'if');
    if (cond && s.then !== undefined) same(s.then as Schema, 'then');
    if (!cond && s.else !== undefined) same(s.else as Schema, 'else');
  }
}
