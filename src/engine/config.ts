/** .k8s-audit.yaml: discovery, validation against the shipped JSON Schema, and defaults. */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { yamlLib, type YAMLType } from '../parse/yaml-lib.js';
import type { Severity } from '../types.js';
import { isInside, realpathOrUndefined } from '../load/sandbox.js';
import { LineIndex } from '../parse/source.js';
import { checkKubeVersion } from './kube-version.js';
import { readBytes, decodeText } from '../load/read.js';
import { compileGlob, type Glob, type GlobDialect } from '../util/glob.js';
import type { CustomRuleConfig } from '../cel/custom-rules.js';

export const CONFIG_NAMES = ['.k8s-audit.yaml', '.k8s-audit.yml'];
export const DEFAULT_KUBE_VERSION = '1.34';

export interface ExcludeEntry {
  kind?: string;
  name?: string;
  namespace?: string;
  files?: string;
  rules: string[];
  reason?: string;
}

export interface Config {
  profile?: 'recommended' | 'all';
  rules?: Record<string, Severity | 'off'>;
  ignore?: string[];
  exclude?: ExcludeEntry[];
  namespace?: string;
  kubeVersion?: string;
  external?: { kind: string; name: string; namespace?: string }[];
  /** CustomResourceDefinition files or directories (relative to the configuration) to validate custom resources with. */
  crds?: string[];
  /** ValidatingAdmissionPolicy and binding files or directories (relative to the configuration), src/cel/policy.ts. */
  policies?: string[];
  /** CEL rules of the configuration, src/cel/custom-rules.ts. */
  customRules?: CustomRuleConfig[];
  helm?: { values?: string[]; set?: string[]; apiVersions?: string[]; binary?: string; scenarios?: boolean };
  /** Per-chart settings, keyed by the chart's path relative to the configuration (src/engine/charts.ts). */
  charts?: Record<string, ChartSettings>;
}

export interface ChartSettings {
  values?: string[];
  set?: string[];
  releaseName?: string;
  namespace?: string;
  apiVersions?: string[];
}

export interface LoadedConfig {
  config: Config;
  /** Absolute path of the file it came from, if any. */
  file?: string;
  /** The parsed file, to locate entries (unused exclusions are reported at their line). */
  doc?: YAMLType.Document.Parsed;
  /** The file's text, to turn the document's offsets into lines. */
  text?: string;
  /** Why a discovered file was not read (a FIFO, a device, over the size cap): reported, and the defaults used. */
  unread?: string;
}

/** A configuration is a page of settings: anything larger is not one. */
export const MAX_CONFIG_BYTES = 4 * 1024 * 1024;

export class ConfigError extends Error {}

let schemaCache: JsonSchema | undefined;
export function configSchema(): JsonSchema {
  if (!schemaCache) {
    const here = path.dirname(fileURLToPath(import.meta.url));
    // dist/src/engine -> package root, or src/engine when run from source.
    for (const up of ['../../../schema', '../../schema']) {
      const p = path.join(here, up, 'k8s-audit.schema.json');
      if (fs.existsSync(p)) {
        schemaCache = JSON.parse(fs.readFileSync(p, 'utf8')) as JsonSchema;
        break;
      }
    }
    if (!schemaCache) throw new Error('k8s-audit.schema.json is missing from the package');
  }
  return schemaCache;
}

export function findConfig(cwd: string): string | undefined {
  let dir = path.resolve(cwd);
  for (;;) {
    for (const n of CONFIG_NAMES) {
      const p = path.join(dir, n);
      if (fs.existsSync(p)) return p;
    }
    const up = path.dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
}

/** Load `explicit` or the nearest config walking up from cwd. Throws ConfigError with the bad key named. */
export function loadConfig(cwd: string, explicit?: string): LoadedConfig {
  const file = explicit ? path.resolve(cwd, explicit) : findConfig(cwd);
  if (!file) return { config: {} };
  const read = readBytes(file, { cap: MAX_CONFIG_BYTES });
  if ('failure' in read) {
    const f = read.failure;
    const what = f.kind === 'special' ? `it is ${f.message}` : f.message;
    // One committed in the scanned tree (a link to /dev/zero, a FIFO) is reported and the run goes on
    // without it; one named with --config is the user's mistake, a usage error.
    if (!explicit && f.kind !== 'unreadable') return { config: {}, file, unread: `the configuration ${path.basename(file)} was not read (${what}); the run used the defaults` };
    throw new ConfigError(`cannot read configuration ${rel(cwd, file)}: ${what}`);
  }
  const decoded = decodeText(read.buf);
  if ('problem' in decoded) throw new ConfigError(`${rel(cwd, file)}: ${decoded.problem.message}`);
  const text = decoded.text;
  const doc = yamlLib().parseDocument(text, { prettyErrors: false });
  if (doc.errors.length) {
    const e = doc.errors[0];
    const lc = e.linePos?.[0];
    throw new ConfigError(`${rel(cwd, file)}${lc ? `:${lc.line}:${lc.col}` : ''}: invalid YAML: ${e.message.split('\n')[0]}`);
  }
  const value = doc.toJS() ?? {};
  if (value && typeof value === 'object' && 'kubeVersion' in value) {
    const checked = checkKubeVersion((value as Config).kubeVersion);
    if ('error' in checked) throw new ConfigError(`${rel(cwd, file)}${lineOf(doc, text, 'kubeVersion')}: invalid configuration: kubeVersion ${checked.error}`);
  }
  const errors = validate(value, configSchema(), '');
  if (errors.length) {
    throw new ConfigError(`${rel(cwd, file)}: invalid configuration: ${errors.join('; ')}`);
  }
  return { config: value as Config, file, doc, text };
}

/** `:LINE:COL` of a top-level key's value in the configuration's text, or nothing. */
function lineOf(doc: YAMLType.Document, text: string, key: string): string {
  const map = doc.contents as { items?: { key?: { value?: unknown }; value?: { range?: [number, number, number] } }[] } | null;
  const at = map?.items?.find((i) => i.key?.value === key)?.value?.range?.[0];
  if (at === undefined) return '';
  const p = new LineIndex(text).position(at);
  return `:${p.line}:${p.column}`;
}

function rel(cwd: string, f: string): string {
  const r = path.relative(cwd, f);
  return r && !r.startsWith('..') ? r.split(path.sep).join('/') : f;
}

export interface JsonSchema {
  type?: string;
  enum?: unknown[];
  properties?: Record<string, JsonSchema>;
  additionalProperties?: boolean | JsonSchema;
  required?: string[];
  items?: JsonSchema;
  pattern?: string;
  description?: string;
}

/** A validator for the subset of JSON Schema the configuration schema uses; messages name the key. */
export function validate(value: unknown, schema: JsonSchema, at: string): string[] {
  const where = at || 'the configuration';
  const errors: string[] = [];
  if (schema.enum && !schema.enum.includes(value)) {
    return [`${where} must be one of ${schema.enum.map((x) => JSON.stringify(x)).join(', ')} (got ${JSON.stringify(value)})`];
  }
  if (schema.type) {
    const t = Array.isArray(value) ? 'array' : value === null ? 'null' : typeof value;
    if (t !== schema.type) return [`${where} must be ${schema.type === 'array' ? 'a list' : schema.type === 'object' ? 'a mapping' : `a ${schema.type}`} (got ${t === 'object' ? 'a mapping' : t === 'array' ? 'a list' : JSON.stringify(value)})`];
  }
  if (schema.pattern && typeof value === 'string' && !new RegExp(schema.pattern).test(value)) {
    errors.push(`${where} "${value}" does not look like ${schema.description ?? schema.pattern}`);
  }
  if (schema.type === 'object' && value && typeof value === 'object') {
    const obj = value as Record<string, unknown>;
    for (const r of schema.required ?? []) if (!(r in obj)) errors.push(`${at ? `${at}.` : ''}${r} is required`);
    for (const [k, v] of Object.entries(obj)) {
      const key = at ? `${at}.${k}` : k;
      const sub = schema.properties?.[k];
      if (sub) errors.push(...validate(v, sub, key));
      else if (schema.additionalProperties === false) {
        const known = Object.keys(schema.properties ?? {});
        errors.push(`unknown key "${key}"${known.length ? ` (expected one of: ${known.join(', ')})` : ''}`);
      } else if (typeof schema.additionalProperties === 'object') errors.push(...validate(v, schema.additionalProperties, key));
    }
  }
  if (schema.type === 'array' && Array.isArray(value) && schema.items) {
    value.forEach((v, i) => errors.push(...validate(v, schema.items!, `${at}[${i}]`)));
  }
  return errors;
}

/**
 * Minimal glob: `*` any run of characters (including '/' only with `**`, which also takes a '/' after it),
 * `?` one character; matched in linear time (src/util/glob.ts): a scanned tree's configuration writes them.
 */
const CONFIG_GLOB: GlobDialect = { globstar: 'anywhere-slash', classes: false, braces: false, escapes: false };

const compiled = new Map<string, Glob>();

export function globMatch(glob: string | undefined, value: string): boolean {
  if (glob === undefined) return true;
  let g = compiled.get(glob);
  if (!g) compiled.set(glob, (g = compileGlob(glob, CONFIG_GLOB)));
  return g.test(value);
}

/** A setting of a discovered configuration that was not honoured, at its line in the file. */
export interface RefusedSetting {
  file: string;
  line: number;
  column: number;
  message: string;
}

/**
 * Settings that run a program or load code. A configuration found by walking up from the working directory
 * sits in the tree being scanned, which may be an untrusted pull request: these are honoured only from the
 * command line, an environment variable, or a file passed explicitly with --config.
 */
export const EXECUTING_SETTINGS: readonly (readonly string[])[] = [['helm', 'binary']];

/**
 * The configuration as it may be used: a discovered one loses the settings that run programs, and values
 * files that lead outside its own directory (a link or `..` out of the project would let a pull request read
 * any file of the runner into a report). Each refused setting is returned with its line.
 */
export function trustedView(loaded: LoadedConfig, explicit: boolean): { config: Config; refused: RefusedSetting[] } {
  const refused: RefusedSetting[] = [];
  if (loaded.unread && loaded.file) refused.push({ file: loaded.file, line: 1, column: 1, message: loaded.unread });
  if (explicit || !loaded.file) return { config: loaded.config, refused };
  const cfg: Config = { ...loaded.config, helm: loaded.config.helm ? { ...loaded.config.helm } : undefined };
  const at = (keyPath: (string | number)[]) => {
    const node = loaded.doc?.getIn(keyPath, true) as { range?: [number, number, number] } | undefined;
    const pair = loaded.doc && keyPath.length ? findKeyNode(loaded.doc, keyPath) : undefined;
    const off = pair ?? node?.range?.[0];
    return off !== undefined && loaded.text ? new LineIndex(loaded.text).position(off) : { line: 1, column: 1 };
  };
  for (const keyPath of EXECUTING_SETTINGS) {
    const [section, key] = keyPath;
    const sec = (cfg as Record<string, Record<string, unknown> | undefined>)[section];
    if (!sec || sec[key] === undefined) continue;
    delete sec[key];
    refused.push({
      file: loaded.file,
      ...at([...keyPath]),
      message: `the setting "${keyPath.join('.')}" of ${path.basename(loaded.file)} runs a program, and a configuration found in the scanned tree is not trusted to choose one; it was ignored (pass it on the command line or with an explicit --config)`,
    });
  }
  const dir = path.dirname(loaded.file);
  const realDir = realpathOrUndefined(dir) ?? dir;
  // Files a discovered configuration names must stay inside its directory.
  const keepInside = (list: string[], key: (string | number)[], what: string): string[] =>
    list.filter((v, i) => {
      const abs = path.resolve(dir, v);
      const real = realpathOrUndefined(abs);
      const inside = real === undefined ? isInside(path.resolve(dir), abs) : isInside(realDir, real);
      if (!inside)
        refused.push({
          file: loaded.file!,
          ...at([...key, i]),
          message: `the ${what} "${v}" named in ${path.basename(loaded.file!)} leads outside the project (${real ?? abs}); a configuration found in the scanned tree may not make k8s-audit read files outside it, so it was not read`,
        });
      return inside;
    });
  if (cfg.helm?.values?.length) cfg.helm.values = keepInside(cfg.helm.values, ['helm', 'values'], 'values file');
  if (cfg.crds?.length) cfg.crds = keepInside(cfg.crds, ['crds'], 'CRD path');
  if (cfg.policies?.length) cfg.policies = keepInside(cfg.policies, ['policies'], 'policy path');
  if (cfg.charts) {
    cfg.charts = Object.fromEntries(Object.entries(cfg.charts).map(([key, s]) => [key, s.values?.length ? { ...s, values: keepInside(s.values, ['charts', key, 'values'], 'values file') } : s]));
  }
  return { config: cfg, refused };
}

function findKeyNode(doc: YAMLType.Document.Parsed, keyPath: (string | number)[]): number | undefined {
  // The key of a mapping entry is the better place to point at than its value.
  if (typeof keyPath[keyPath.length - 1] !== 'string') return undefined;
  const parent = keyPath.length > 1 ? (doc.getIn(keyPath.slice(0, -1), true) as { items?: { key?: { value?: unknown; range?: [number, number, number] } }[] } | undefined) : (doc.contents as { items?: { key?: { value?: unknown; range?: [number, number, number] } }[] } | null);
  const item = parent?.items?.find((it) => it.key?.value === keyPath[keyPath.length - 1]);
  return item?.key?.range?.[0];
}
