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
import { fileURLToPath } from 'node:url';
import { BUILTIN_SCHEMAS } from './builtin-index.js';
import { CATALOG_SCHEMAS, CATALOG_VERSIONS } from './catalog-index.js';
import { formats } from './formats.js';
import { tryCompileGo, type GoRegexp } from '../util/re2.js';

export interface AjvError {
  instancePath: string;
  keyword: string;
  params: Record<string, unknown>;
}

type Validator = ((data: unknown) => boolean) & { errors?: AjvError[] | null };

const loaded = new Map<string, Validator | null>();

/** The directory of an installed package, found the way Node looks for it: node_modules of each ancestor. */
const packageDirs = new Map<string, string | null>();
export function packageDir(name: string): string | null {
  const cached = packageDirs.get(name);
  if (cached !== undefined) return cached;
  let dir = path.dirname(fileURLToPath(import.meta.url));
  let found: string | null = null;
  for (;;) {
    const candidate = path.join(dir, 'node_modules', name);
    if (fs.existsSync(path.join(candidate, 'package.json'))) {
      found = candidate;
      break;
    }
    const up = path.dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  packageDirs.set(name, found);
  return found;
}

/** ajv's ucs2length: string length in code points, as JSON Schema counts it. */
function ucs2length(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

/**
 * The RE2 patterns of the catalog's CRD schemas (`pattern` with RE2-only syntax such as an inline `(?i)`),
 * evaluated with Go's regexp (src/util/re2.ts), compiled when first used. A pattern RE2 cannot read accepts
 * everything: a schema quirk must not fail an object.
 */
class Re2Like {
  private re: GoRegexp | null | undefined;
  constructor(private readonly pattern: string) {}
  test(s: string): boolean {
    if (this.re === undefined) this.re = tryCompileGo(this.pattern) ?? null;
    return this.re ? this.re.test(s) : true;
  }
}

const RUNTIME: Record<string, unknown> = { ucs2length, re2: Re2Like };

/** A schema module's text rewritten as a function of its imports and exports (see SchemaLoader). */
function moduleSource(text: string): string {
  const body = text
    // (`let`, and a setter: see lazy())
    .replace(/import\{validate as (\w+)\}from"([^"]+)";?/g, (_, id: string, spec: string) => `let ${id}=__dep(${JSON.stringify(spec)},(v)=>{${id}=v});`)
    .replace(/import\{formats\}from"@kubernetes-models\/validate";?/g, 'const formats=__formats;')
    .replace(/import (\w+) from"@kubernetes-models\/validate\/runtime\/([\w-]+)";?/g, (_, id: string, name: string) => `const ${id}=__runtime(${JSON.stringify(name)});`)
    .replace(/export const validate=(\w+);?/g, (_, id: string) => `__exports.validate=${id};`);
  return `(function (__exports, __dep, __formats, __runtime) {${body}\n})`;
}

/**
 * The generated schema modules of kubernetes-models and the @kubernetes-models CRD packages, loaded lazily
 * and synchronously. They are ES modules of a fixed shape: `import{validate as validateN}from"<module>"`,
 * `import{formats}from"@kubernetes-models/validate"`, `import funcN from"@kubernetes-models/validate/runtime/<name>"`
 * and `export const validate=validateN`. Each is rewritten into a function and compiled as a vm.Script (which,
 * unlike vm.compileFunction, can hand V8 a code cache and give one back): Node's own loader would resolve, stat and link ~100 small files per workload kind, and
 * could only load them asynchronously; @kubernetes-models/validate's entry point would pull in ajv-i18n and
 * ajv-formats for nothing (`formats` is ours, with Kubernetes' quantity and base64 rules) and its RE2 runtime a
 * WebAssembly module.
 */
class SchemaLoader {
  readonly modules = new Map<string, Record<string, unknown>>();
  /** The compiled module functions, by file: what schemaCodeCache() asks V8 for the bytecode of. */
  readonly scripts = new Map<string, { text: string; source: string; script: vm.Script }>();
  private codeCache: Map<string, CacheEntry> | undefined;
  /** How the modules loaded so far compiled: from the code cache, with it rejected (or out of date), without one. */
  readonly cacheUse = { accepted: 0, rejected: 0, missing: 0 };

  validator(pkg: string, name: string): Validator | null {
    const dir = packageDir(pkg);
    if (!dir) return null;
    return (this.load(path.join(dir, '_schemas', `${name}.js`)).validate as Validator | undefined) ?? null;
  }

  private resolve(request: string, from: string): string | null {
    let target: string | null;
    // (most imports name a module of the same directory: joined as strings, as path.join would, which was 2% of a
    // one-file run, most of it for the seventeen imports of PodSpec's module)
    if (/^\.\/[\w-]+(\.js)?$/.test(request)) target = from.slice(0, from.lastIndexOf(path.sep) + 1) + request.slice(2);
    else if (request.startsWith('./') || request.startsWith('../')) target = path.join(path.dirname(from), request);
    else {
      const parts = request.split('/');
      const n = request.startsWith('@') ? 2 : 1;
      const dir = packageDir(parts.slice(0, n).join('/'));
      target = dir ? path.join(dir, ...parts.slice(n)) : null;
    }
    return target && !target.endsWith('.js') ? `${target}.js` : target;
  }

  /**
   * A validator that loads its module when the data first reaches it: a Deployment without volumes does not
   * pay for thirty volume-source schemas. `rebind` replaces the importing module's binding with the real
   * validator once loaded, so later calls go to it directly instead of through this stand-in (a call through
   * it on every mapping of every object was about 2% of a large run).
   */
  private lazy(file: string, rebind: (v: Validator) => void): Validator {
    const existing = this.modules.get(file)?.validate as Validator | undefined;
    if (existing) return existing;
    let real: Validator | undefined;
    const wrapper = ((data: unknown, ctx?: unknown) => {
      if (!real) {
        real = this.load(file).validate as Validator;
        rebind(real);
      }
      const ok = (real as (d: unknown, c?: unknown) => boolean)(data, ctx);
      wrapper.errors = real.errors;
      return ok;
    }) as Validator;
    return wrapper;
  }

  private load(file: string): Record<string, unknown> {
    const cached = this.modules.get(file);
    if (cached) return cached;
    const exports: Record<string, unknown> = {};
    this.modules.set(file, exports);
    const text = fs.readFileSync(file, 'utf8');
    const cache = (this.codeCache ??= readSchemaCodeCache()).get(cacheKey(file));
    // V8 checks only the length of the source a cache was made from: the module's text is compared here, and the
    // cache is ignored when the rewrite that made its source changed (readSchemaCodeCache), so a changed module
    // compiles as usual. When both match, the cached rewrite is the rewrite of this text.
    const hit = cache !== undefined && cache.text() === text;
    const source = hit ? cache.source() : moduleSource(text);
    const script = new vm.Script(source, { filename: file, cachedData: hit ? cache.data : undefined });
    this.scripts.set(file, { text, source, script });
    if (!cache) this.cacheUse.missing++;
    else if (script.cachedDataRejected === false) this.cacheUse.accepted++;
    else this.cacheUse.rejected++;
    const fn = script.runInThisContext() as (...args: unknown[]) => void;
    const dep = (spec: string, rebind: (v: Validator) => void): Validator => {
      const target = this.resolve(spec, file);
      if (!target) throw new Error(`schema module ${spec} (from ${file}) is not installed`);
      return this.lazy(target, rebind);
    };
    const runtime = (name: string): unknown => {
      if (!(name in RUNTIME)) throw new Error(`unknown validator runtime ${name} (from ${file})`);
      return RUNTIME[name];
    };
    fn(exports, dep, formats, runtime);
    return exports;
  }
}

/**
 * V8's code cache of the schema modules a short run loads, written by the CLI bundle's build next to the bundle
 * (scripts/code-cache.mjs, after the same training runs as the bundle's own cache): compiling the validators of a
 * Deployment's ~100 modules was about a tenth of a one-file run. Only the bundle has one (import.meta.url is the
 * bundle there); elsewhere, or when it is missing or unreadable, the modules compile as usual.
 *
 * Format: a 4-byte little-endian length, a JSON header {rewrite, modules: [key, offset, text bytes, source bytes,
 * data bytes]} (rewrite: moduleSource's code; key: the module's path from its node_modules), then for each module
 * its text, its rewritten source (both UTF-8) and the cached data, from its offset. Keeping the rewrite saves
 * running its regular expressions over every module a run loads.
 */
const SCHEMA_CACHE_FILE = fileURLToPath(new URL('schemas.cache', import.meta.url));

type CacheEntry = { text: () => string; source: () => string; data: Buffer };
type CacheIndex = { rewrite: string; modules: [string, number, number, number, number][] };

function cacheKey(file: string): string {
  const i = file.lastIndexOf(`node_modules${path.sep}`);
  return i < 0 ? file : file.slice(i + 'node_modules'.length + 1);
}

function readSchemaCodeCache(): Map<string, CacheEntry> {
  const out = new Map<string, CacheEntry>();
  try {
    const buf = fs.readFileSync(SCHEMA_CACHE_FILE);
    const n = buf.readUInt32LE(0);
    const index = JSON.parse(buf.toString('utf8', 4, 4 + n)) as CacheIndex;
    // (written by another rewrite: its sources are not what this code would compile)
    if (index.rewrite !== moduleSource.toString()) return out;
    const base = 4 + n;
    for (const [key, offset, textBytes, sourceBytes, dataBytes] of index.modules) {
      const at = base + offset;
      const src = at + textBytes;
      const data = src + sourceBytes;
      // (decoded only for the modules a run loads)
      out.set(key, { text: () => buf.toString('utf8', at, src), source: () => buf.toString('utf8', src, data), data: buf.subarray(data, data + dataBytes) });
    }
  } catch {
    // no cache (the library, a build that wrote none): compile as usual
  }
  return out;
}

/** The code cache of every schema module loaded so far, in readSchemaCodeCache's format (for the build). */
export function schemaCodeCache(): Buffer {
  const index: CacheIndex = { rewrite: moduleSource.toString(), modules: [] };
  const parts: Buffer[] = [];
  let offset = 0;
  for (const [file, { text, source, script }] of loader?.scripts ?? []) {
    const t = Buffer.from(text, 'utf8');
    const s = Buffer.from(source, 'utf8');
    const data = script.createCachedData();
    index.modules.push([cacheKey(file), offset, t.length, s.length, data.length]);
    parts.push(t, s, data);
    offset += t.length + s.length + data.length;
  }
  const head = Buffer.from(JSON.stringify(index), 'utf8');
  const len = Buffer.alloc(4);
  len.writeUInt32LE(head.length, 0);
  return Buffer.concat([len, head, ...parts]);
}

/** For tests and diagnostics: how the schema modules loaded so far were compiled (see SchemaLoader.cacheUse). */
export function schemaCacheUse(): { accepted: number; rejected: number; missing: number } {
  return { ...(loader?.cacheUse ?? { accepted: 0, rejected: 0, missing: 0 }) };
}

/** Where the bundle's build writes schemaCodeCache() (the bundle's directory). */
export const schemaCodeCacheFile = SCHEMA_CACHE_FILE;

let loader: SchemaLoader | undefined;

/** For tests and diagnostics: the schema modules loaded so far (absolute paths). */
export function loadedSchemaModules(): string[] {
  return loader ? [...loader.modules.keys()] : [];
}

export function hasBuiltinSchema(apiVersion: string, kind: string): boolean {
  return `${apiVersion}/${kind}` in BUILTIN_SCHEMAS;
}

/** Look up once per apiVersion/kind; null (nothing to validate with) is remembered too. */
function memo<T>(cache: Map<string, T | null>, key: string, compute: () => T | null): T | null {
  let v = cache.get(key);
  if (v === undefined) cache.set(key, (v = compute()));
  return v;
}

/** The validator for a built-in apiVersion/kind, or null when kubernetes-models has none. */
export function builtinValidator(apiVersion: string, kind: string): Validator | null {
  const key = `${apiVersion}/${kind}`;
  return memo(loaded, key, () => {
    const name = BUILTIN_SCHEMAS[key];
    return name ? (loader ??= new SchemaLoader()).validator('kubernetes-models', name) : null;
  });
}

export interface CatalogSchema {
  validator: Validator;
  /** The @kubernetes-models package and its version, for messages. */
  pkg: string;
  version: string;
}

const catalogLoaded = new Map<string, CatalogSchema | null>();

/** The validator of a well-known custom resource from the @kubernetes-models CRD packages, or null. */
export function catalogValidator(apiVersion: string, kind: string): CatalogSchema | null {
  const key = `${apiVersion}/${kind}`;
  return memo(catalogLoaded, key, () => {
    const entry = Object.hasOwn(CATALOG_SCHEMAS, key) ? CATALOG_SCHEMAS[key] : undefined;
    if (!entry) return null;
    let v: Validator | null = null;
    try {
      v = (loader ??= new SchemaLoader()).validator(entry[0], entry[1]);
    } catch {
      // a package that is not installed, or a module the loader cannot read: no schema, not a crash
    }
    return v ? { validator: v, pkg: entry[0], version: CATALOG_VERSIONS[entry[0]] ?? '' } : null;
  });
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
 * listed in `skipped`. Mappings and lists in `plain` are handed to the validator as they are, without a proxy
 * (and nothing under them is recorded): validateLearnt's parts that fit what earlier runs learnt.
 */
export function validateTracked(v: Validator, object: unknown, opaque?: ReadonlySet<string>, plain?: ReadonlySet<object>): { errors: AjvError[]; nodes: NodeAccess[]; skipped: unknown[] } {
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
        if (plain?.has(x)) return x;
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

/**
 * What error-free tracked runs of one validator learnt, per path in the object (array items share one path,
 * a mapping's values are told apart by key): the keys the validator read of the mapping there, and whether it
 * enumerated them. Without errors a kubernetes-models validator reads every property its schema declares, so
 * this is what that schema declares; the built-in schemas have no anyOf/oneOf, so the schema at a path does not
 * depend on the data. Two runs that disagree mark the path, and objects reaching it are tracked again.
 */
interface LearntNode {
  known?: ReadonlySet<string>;
  enumerated?: boolean;
  conflict?: boolean;
  keys: Map<string, LearntNode>;
  item?: LearntNode;
}
const learnt = new WeakMap<Validator, LearntNode>();

const newLearnt = (): LearntNode => ({ keys: new Map() });

function learn(root: LearntNode, nodes: readonly NodeAccess[]): void {
  for (const n of nodes) {
    let t = root;
    for (const k of n.path) {
      if (typeof k === 'number') t = t.item ??= newLearnt();
      else {
        let c = t.keys.get(k);
        if (!c) t.keys.set(k, (c = newLearnt()));
        t = c;
      }
    }
    // (what a run reads of a map with free-form keys is those keys: only that it enumerated them is learnt)
    if (!t.known) {
      t.known = n.enumerated ? new Set() : new Set(n.known);
      t.enumerated = n.enumerated;
    } else if (t.enumerated !== n.enumerated || (!n.enumerated && (t.known.size !== n.known.size || [...n.known].some((k) => !t.known!.has(k))))) t.conflict = true;
  }
}

/** Whether some mapping or list is reachable twice (a YAML alias): one tracked record would then mix two schemas. */
function shares(value: unknown, seen = new Set<object>()): boolean {
  if (value === null || typeof value !== 'object') return false;
  if (seen.has(value)) return true;
  seen.add(value);
  for (const x of Object.values(value)) if (shares(x, seen)) return true;
  return false;
}

/**
 * Whether the object holds nothing a tracked run would report as unknown, by what earlier runs learnt: every
 * key of every mapping the validator would reach is one it read at that path before. A path not learnt yet,
 * or an unknown key, says no (the tracked run then decides, and reports). In the same walk, `fit` gets every
 * mapping and list inside that fits on its own, at its path: a Deployment whose one container has a field not
 * seen before still fits everywhere else.
 */
function markFits(value: unknown, t: LearntNode | undefined, fit: Set<object>): boolean {
  if (value === null || typeof value !== 'object') return true;
  let ok = true;
  if (Array.isArray(value)) {
    for (const x of value) if (x !== null && typeof x === 'object' && !markFits(x, t?.item, fit)) ok = false;
  } else if (!t || !t.known || t.conflict) {
    ok = false;
  } else if (t.enumerated || t.known.size > 0) {
    // (a mapping whose schema declares nothing is free-form: the validator does not look inside)
    const o = value as Record<string, unknown>;
    for (const k of Object.keys(o)) {
      if (!t.enumerated && !t.known.has(k)) ok = false;
      const x = o[k];
      if (x === null || typeof x !== 'object') continue;
      const c = t.keys.get(k);
      // (a list of scalars has no mapping in it to learn: nothing under it was recorded)
      if (!c && Array.isArray(x) && x.every((i) => i === null || typeof i !== 'object')) continue;
      if (!c || !markFits(x, c, fit)) ok = false;
    }
  }
  if (ok) fit.add(value);
  return ok;
}

/**
 * validateTracked's answer for a built-in kind's validator, through the proxies only where needed: an object
 * that fits what earlier runs learnt (markFits) and passes the plain validator has no errors and no unknown
 * field, so no record is needed. One that does not fit is tracked only in the mappings and lists that do not:
 * the others hold no unknown field either (the schema at a path does not depend on the data). The proxies made
 * every property read a trap call: most of schema validation's time on a large repository of similar objects.
 * A run with errors or an unknown field is done again fully tracked, as before (a failing validator need not
 * read every key, the errors' handling looks at what it read of embedded objects, and the advice on an unknown
 * field at every mapping of the object); so is an object with an alias in it.
 * Not for validators with anyOf/oneOf (some of the catalog's CRD packages: CATALOG_DATA_DEPENDENT), whose reads
 * depend on the data.
 */
/** Whether a mapping has a key its schema does not read: an unknown field, whose advice looks at the whole object. */
function readsUnknown(nodes: readonly NodeAccess[]): boolean {
  for (const n of nodes) {
    if (n.enumerated || n.known.size === 0) continue;
    for (const k of Object.keys(n.value)) if (!n.known.has(k)) return true;
  }
  return false;
}

export function validateLearnt(v: Validator, object: unknown): { errors: AjvError[]; nodes: NodeAccess[]; skipped: unknown[] } {
  let root = learnt.get(v);
  if (!root) learnt.set(v, (root = newLearnt()));
  const fit = new Set<object>();
  const fits = markFits(object, root, fit);
  if (fits && v(object)) return { errors: [], nodes: [], skipped: [] };
  const aliased = shares(object);
  if (!fits && fit.size && !aliased) {
    const run = validateTracked(v, object, undefined, fit);
    if (!run.errors.length && !readsUnknown(run.nodes)) {
      learn(root, run.nodes);
      return run;
    }
  }
  const run = validateTracked(v, object);
  if (!run.errors.length && !aliased) learn(root, run.nodes);
  return run;
}

const declared = new Map<string, Set<string>>();

/** The keys a generated schema (by module name) declares: what its validator reads of an empty mapping. */
export function declaredKeys(name: string): Set<string> {
  let keys = declared.get(name);
  if (!keys) {
    loader ??= new SchemaLoader();
    const v = loader.validator('kubernetes-models', name);
    keys = v ? (validateTracked(v, {}).nodes[0]?.known ?? new Set()) : new Set();
    declared.set(name, keys);
  }
  return keys;
}
