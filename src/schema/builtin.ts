/**
 * Built-in kinds: the ajv-compiled validators that kubernetes-models ships, one module graph per kind, loaded
 * synchronously on first use so a run only pays for the kinds it meets.
 *
 * The compiled validators read every property their schema declares (`data.foo === undefined || ...`) and
 * enumerate the keys of free-form maps (labels, data). Running one over a Proxy of the object therefore tells,
 * for every mapping in it, which keys the schema knows: the rest are unknown fields, which the validators
 * themselves let through (the Kubernetes OpenAPI schemas do not forbid additional properties).
 */
import fs from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';
import { createRequire } from 'node:module';
import { BUILTIN_SCHEMAS } from './builtin-index.js';
import { formats } from './formats.js';

export interface AjvError {
  instancePath: string;
  keyword: string;
  params: Record<string, unknown>;
}

type Validator = ((data: unknown) => boolean) & { errors?: AjvError[] | null };

const require = createRequire(import.meta.url);
const loaded = new Map<string, Validator | null>();

/**
 * A minimal, lazy CommonJS loader for the generated schema modules. They only require each other (`./X.js`),
 * apimachinery's schema modules and `formats` from @kubernetes-models/validate. Loading them through
 * Node's module system costs twice the CPU (resolution and stat calls for ~100 small files per workload
 * kind), and @kubernetes-models/validate's entry point would pull in ajv-i18n and ajv-formats (~35 ms) for
 * nothing; here `formats` is ours, with Kubernetes' own quantity and base64 rules.
 */
class SchemaLoader {
  private readonly modules = new Map<string, { exports: Record<string, unknown> }>();
  private readonly dirs: { models: string; apimachinery: string };
  constructor() {
    this.dirs = {
      models: path.join(path.dirname(require.resolve('kubernetes-models')), '_schemas'),
      apimachinery: path.join(path.dirname(require.resolve('@kubernetes-models/apimachinery')), '_schemas'),
    };
  }

  validator(name: string): Validator {
    return this.load(path.join(this.dirs.models, `${name}.js`)).validate as Validator;
  }

  private load(file: string): Record<string, unknown> {
    const cached = this.modules.get(file);
    if (cached) return cached.exports;
    const mod = { exports: {} as Record<string, unknown> };
    this.modules.set(file, mod);
    const fn = vm.compileFunction(fs.readFileSync(file, 'utf8'), ['exports', 'require', 'module'], { filename: file });
    const dir = path.dirname(file);
    const req = (request: string): unknown => {
      if (request === '@kubernetes-models/validate') return { formats };
      const am = '@kubernetes-models/apimachinery/_schemas/';
      const target = request.startsWith(am) ? path.join(this.dirs.apimachinery, request.slice(am.length)) : request.startsWith('./') ? path.join(dir, request) : undefined;
      if (!target) return require(request);
      const file = target.endsWith('.js') ? target : `${target}.js`;
      // The generated modules only ever read `.validate` of each other, and only while validating: load a
      // dependency when the data first reaches it, so a Deployment without, say, volumes does not pay for
      // the thirty volume-source schemas.
      const cached = this.modules.get(file);
      if (cached) return cached.exports;
      let real: Record<string, unknown> | undefined;
      return Object.defineProperty({}, 'validate', { enumerable: true, get: () => (real ??= this.load(file)).validate });
    };
    fn(mod.exports, req, mod);
    return mod.exports;
  }
}

let loader: SchemaLoader | undefined;

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
    loader ??= new SchemaLoader();
    v = loader.validator(name);
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

/**
 * Run a validator over `object`, recording which keys each mapping's schema declares. Values under a key in
 * `opaque` are validated as they are, without recording (the caller checks them its own way): they are
 * listed in `skipped`.
 */
export function validateTracked(v: Validator, object: unknown, opaque?: ReadonlySet<string>): { errors: AjvError[]; nodes: NodeAccess[]; skipped: unknown[] } {
  const nodes: NodeAccess[] = [];
  const skipped: unknown[] = [];
  const proxies = new WeakMap<object, unknown>();
  const wrap = (value: unknown, p: (string | number)[]): unknown => {
    if (value === null || typeof value !== 'object') return value;
    const existing = proxies.get(value);
    if (existing) return existing;
    const isArray = Array.isArray(value);
    const rec: NodeAccess = { path: p, value: value as Record<string, unknown>, known: new Set(), enumerated: false };
    if (!isArray) nodes.push(rec);
    const proxy = new Proxy(value, {
      get(t, k) {
        const x = (t as Record<string | symbol, unknown>)[k];
        if (typeof k !== 'string') return x;
        if (!isArray) rec.known.add(k);
        if (x === null || typeof x !== 'object' || !Object.prototype.hasOwnProperty.call(t, k)) return x;
        if (opaque && !isArray && opaque.has(k)) {
          skipped.push(x);
          return x;
        }
        return proxies.get(x) ?? wrap(x, [...p, isArray ? Number(k) : k]);
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
  return { errors: ok ? [] : [...(v.errors ?? [])], nodes, skipped };
}

const declared = new Map<string, Set<string>>();

/** The keys a generated schema (by module name) declares: what its validator reads of an empty mapping. */
export function declaredKeys(name: string): Set<string> {
  let keys = declared.get(name);
  if (!keys) {
    loader ??= new SchemaLoader();
    keys = validateTracked(loader.validator(name), {}).nodes[0]?.known ?? new Set();
    declared.set(name, keys);
  }
  return keys;
}
