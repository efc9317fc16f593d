/**
 * Built-in kinds: the ajv-compiled validators that kubernetes-models ships, one module graph per kind, loaded
 * synchronously on first use so a run only pays for the kinds it meets.
 *
 * The compiled validators read every property their schema declares (`data.foo === undefined || ...`) and
 * enumerate the keys of free-form maps (labels, data). Running one over a Proxy of the object therefore tells,
 * for every mapping in it, which keys the schema knows: the rest are unknown fields, which the validators
 * themselves let through (the Kubernetes OpenAPI schemas do not forbid additional properties).
 */
import Module, { createRequire } from 'node:module';
import path from 'node:path';
import { BUILTIN_SCHEMAS } from './builtin-index.js';
import { formats } from './formats.js';

export interface AjvError {
  instancePath: string;
  keyword: string;
  params: Record<string, unknown>;
}

type Validator = ((data: unknown) => boolean) & { errors?: AjvError[] | null };

const require = createRequire(import.meta.url);
let schemaDir: string | undefined;
const loaded = new Map<string, Validator | null>();

/**
 * The compiled validators import `formats` from @kubernetes-models/validate, whose entry point also loads
 * ajv-i18n, ajv-formats and more (~35 ms). Serve those requests, and only those made from the generated
 * schema modules, with our own formats (which also follow Kubernetes' quantity and base64 rules).
 */
function installFormats(): void {
  const fake = path.join(schemaDir!, '__k8s_audit_formats__.js');
  const M = Module as unknown as {
    _cache: Record<string, unknown>;
    _resolveFilename: (request: string, parent: { filename?: string } | undefined, ...rest: unknown[]) => string;
  };
  const mod = new Module(fake);
  mod.filename = fake;
  mod.loaded = true;
  mod.exports = { formats };
  M._cache[fake] = mod;
  const original = M._resolveFilename;
  const marker = `${path.sep}_schemas${path.sep}`;
  M._resolveFilename = function (request, parent, ...rest) {
    if (request === '@kubernetes-models/validate' && parent?.filename?.includes(marker) && parent.filename.includes(`${path.sep}node_modules${path.sep}`)) return fake;
    return original.call(this, request, parent, ...rest);
  };
}

export function hasBuiltinSchema(apiVersion: string, kind: string): boolean {
  return `${apiVersion}/${kind}` in BUILTIN_SCHEMAS;
}

/** The validator for a built-in apiVersion/kind, or null when kubernetes-models has none. */
export function builtinValidator(apiVersion: string, kind: string): Validator | null {
  const key = `${apiVersion}/${kind}`;
  const cached = loaded.get(key);
  if (cached !== undefined) return cached;
  const name = BUILTIN_SCHEMAS[key];
  let v: Validator | null = null;
  if (name) {
    if (!schemaDir) {
      schemaDir = path.join(path.dirname(require.resolve('kubernetes-models')), '_schemas');
      installFormats();
    }
    v = (require(path.join(schemaDir, `${name}.js`)) as { validate: Validator }).validate;
  }
  loaded.set(key, v);
  return v;
}

/** What the validator looked at in one mapping of the object. */
export interface NodeAccess {
  path: (string | number)[];
  value: Record<string, unknown>;
  /** Keys the schema declares (read by the validator). */
  known: Set<string>;
  /** The validator enumerated the keys: a map with free-form keys. */
  enumerated: boolean;
}

/** Run a validator over `object`, recording which keys each mapping's schema declares. */
export function validateTracked(v: Validator, object: unknown): { errors: AjvError[]; nodes: NodeAccess[] } {
  const nodes: NodeAccess[] = [];
  const proxies = new WeakMap<object, unknown>();
  const wrap = (value: unknown, p: (string | number)[]): unknown => {
    if (value === null || typeof value !== 'object') return value;
    const existing = proxies.get(value);
    if (existing) return existing;
    const isArray = Array.isArray(value);
    const rec: NodeAccess = { path: p, value: value as Record<string, unknown>, known: new Set(), enumerated: false };
    if (!isArray) nodes.push(rec);
    const proxy = new Proxy(value, {
      get(t, k, r) {
        const x = Reflect.get(t, k, r);
        if (typeof k !== 'string') return x;
        if (!isArray) rec.known.add(k);
        if (x !== null && typeof x === 'object' && Object.prototype.hasOwnProperty.call(t, k)) return wrap(x, [...p, isArray ? Number(k) : k]);
        return x;
      },
      has(t, k) {
        if (typeof k === 'string' && !isArray) rec.known.add(k);
        return Reflect.has(t, k);
      },
      ownKeys(t) {
        rec.enumerated = true;
        return Reflect.ownKeys(t);
      },
    });
    proxies.set(value, proxy);
    return proxy;
  };
  const ok = v(wrap(object, []));
  return { errors: ok ? [] : [...(v.errors ?? [])], nodes };
}
