/**
 * kustomize's ConfigMapGenerator and SecretGenerator (literals, files, env files, options, behavior
 * create/merge/replace) and its HashTransformer (the content-hash name suffix, added at the end of the build).
 */
import fs from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { deleteKey, isObj, originOfItem, originOfKey, setKey, stamp, type Obj, type Origin } from './nodes.js';
import { isInside, realpathOrUndefined } from '../../load/sandbox.js';
import { hasOrigin, ORIGIN_ANNOTATION, setOrigin, type OriginRecord } from './build-metadata.js';
import { type Built, type Kust, Ctx, str, list, gvkOf, meta, nameOf, nsOf, nsEq, rename } from './context.js';

export interface GenOptions {
  labels?: Obj;
  annotations?: Obj;
  disableNameSuffixHash?: boolean;
  immutable?: boolean;
}

/** A generated object's origin (kustomize's AddOriginAnnotation: kept when it already has one). */
export function generatedBy(o: Obj, origin: OriginRecord, ctx: Ctx): void {
  if (ctx.meta && !hasOrigin(o)) setOrigin(o, origin, ctx.meta.at);
}

/** Base64 the way kyaml writes generated data: 70-character lines, each ending in a newline, once over 70. */
function base64Lines(buf: Buffer): string {
  const enc = buf.toString('base64');
  if (enc.length < 70) return enc;
  let out = '';
  for (let i = 0; i < enc.length; i += 70) out += enc.slice(i, i + 70) + '\n';
  return out;
}

/** kustomize's env file: KEY=VALUE lines, '#' comments; a bare KEY would read the environment, which is refused. */
function parseEnvFile(text: string, display: string, ctx: Ctx, kust: Kust): [string, string, Origin][] {
  const out: [string, string, Origin][] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.replace(/\r$/, '');
    const t = line.trim();
    if (!t || t.startsWith('#')) return;
    const at = { file: display, line: i + 1, column: line.length - line.trimStart().length + 1 };
    const eq = line.indexOf('=');
    if (eq < 0) {
      ctx.problem('unsafe', at, kust.display, `"${t}" in ${display} asks for the value of the environment variable ${t}; k8s-audit does not read its environment into a build, so the key is left empty`);
      out.push([t, '', at]);
      return;
    }
    out.push([line.slice(0, eq).trimStart(), line.slice(eq + 1), at]);
  });
  return out;
}

export function generate(kust: Kust, kind: 'ConfigMap' | 'Secret', g: Obj, global: GenOptions, at: Origin | undefined, ctx: Ctx): Built | undefined {
  const name = str(g.name);
  if (!name) {
    ctx.problem('error', at, kust.display, `a ${kind === 'ConfigMap' ? 'configMapGenerator' : 'secretGenerator'} entry has no name; kustomize build fails here`);
    return undefined;
  }
  const entries: { key: string; value: string; binary?: boolean; at: Origin | undefined }[] = [];
  const add = (key: string, value: Buffer | string, where: Origin | undefined) => {
    const buf = Buffer.isBuffer(value) ? value : Buffer.from(value, 'utf8');
    const isText = (() => {
      try {
        new TextDecoder('utf-8', { fatal: true }).decode(buf);
        return true;
      } catch {
        return false;
      }
    })();
    if (entries.some((e) => e.key === key)) ctx.problem('error', where, kust.display, `the key "${key}" is set twice in the ${kind} generator "${name}"; kustomize build fails here`);
    entries.push({ key, value: isText ? buf.toString('utf8') : base64Lines(buf), binary: !isText, at: where });
  };
  list(g.literals).forEach((l, i) => {
    const s = str(l);
    const where = originOfItem(g.literals as unknown[], i);
    const eq = s.indexOf('=');
    if (eq < 0) return ctx.problem('error', where, kust.display, `the literal "${s}" is not key=value; kustomize build fails here`);
    let v = s.slice(eq + 1);
    if (v.length >= 2 && ((v.startsWith('"') && v.endsWith('"')) || (v.startsWith("'") && v.endsWith("'")))) v = v.slice(1, -1);
    add(s.slice(0, eq), v, where);
  });
  list(g.files).forEach((f, i) => {
    const s = str(f);
    const where = originOfItem(g.files as unknown[], i);
    const eq = s.indexOf('=');
    const key = eq >= 0 ? s.slice(0, eq) : path.basename(s);
    const rel = eq >= 0 ? s.slice(eq + 1) : s;
    const abs = ctx.resolveLocal(kust, rel, where, 'generator file');
    if (!abs) return;
    try {
      if (fs.statSync(abs).isDirectory()) {
        for (const n of fs.readdirSync(abs).sort()) {
          const p = path.join(abs, n);
          if (!isInside(ctx.host.root, realpathOrUndefined(p) ?? p) || fs.statSync(p).isDirectory()) continue;
          const buf = ctx.readBytes(p, kust, where, 'generator file');
          if (buf) add(n, buf, where);
        }
        return;
      }
    } catch (e) {
      return ctx.problem('error', where, kust.display, `cannot read the generator file "${rel}": ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
    const buf = ctx.readBytes(abs, kust, where, 'generator file');
    if (buf) add(key, buf, where);
  });
  const envs = [...list(g.envs), ...(g.env !== undefined ? [g.env] : [])];
  envs.forEach((e, i) => {
    const where = Array.isArray(g.envs) && i < g.envs.length ? originOfItem(g.envs, i) : originOfKey(g, 'env');
    const abs = ctx.resolveLocal(kust, str(e), where, 'env file');
    if (!abs) return;
    const text = ctx.readText(abs, kust, where, 'env file');
    if (text === undefined) return;
    for (const [key, value, lineAt] of parseEnvFile(text, ctx.host.display(abs), ctx, kust)) add(key, value, lineAt);
  });
  const local = (isObj(g.options) ? g.options : {}) as GenOptions;
  // kustomize ORs the global switches into each generator's own
  const opts: GenOptions = { disableNameSuffixHash: global.disableNameSuffixHash === true || local.disableNameSuffixHash === true, immutable: global.immutable === true || local.immutable === true };
  const labels = { ...(isObj(global.labels) ? global.labels : {}), ...(isObj(g.options) && isObj((g.options as Obj).labels) ? ((g.options as Obj).labels as Obj) : {}) };
  const annotations = { ...(isObj(global.annotations) ? global.annotations : {}), ...(isObj(g.options) && isObj((g.options as Obj).annotations) ? ((g.options as Obj).annotations as Obj) : {}) };
  const origin = at ?? { file: kust.display, line: 1, column: 1 };
  const m: Obj = { name };
  if (g.namespace) m.namespace = str(g.namespace);
  if (Object.keys(labels).length) m.labels = Object.fromEntries(Object.entries(labels).map(([a, b]) => [a, str(b)]));
  if (Object.keys(annotations).length) m.annotations = Object.fromEntries(Object.entries(annotations).map(([a, b]) => [a, str(b)]));
  const obj: Obj = { apiVersion: 'v1', kind, metadata: m };
  if (kind === 'Secret') obj.type = str(g.type) || 'Opaque';
  const data: Obj = {};
  const binaryData: Obj = {};
  for (const e of entries) {
    if (kind === 'Secret') data[e.key] = e.binary ? e.value : base64Lines(Buffer.from(e.value, 'utf8'));
    else if (e.binary) binaryData[e.key] = e.value;
    else data[e.key] = e.value;
  }
  // kustomize makes a Secret with its data map always (empty when nothing is given), a ConfigMap without one
  if (Object.keys(data).length || kind === 'Secret') obj.data = data;
  if (Object.keys(binaryData).length) obj.binaryData = binaryData;
  if (opts.immutable) obj.immutable = true;
  stamp(obj, origin);
  // each key points at its own literal, file or env line
  for (const e of entries) {
    const holder = (kind === 'ConfigMap' && e.binary ? obj.binaryData : obj.data) as Obj | undefined;
    if (holder && e.at) setKey(holder, e.key, holder[e.key], e.at);
  }
  return { obj, ids: [{ name, namespace: str(g.namespace) }], hash: !opts.disableNameSuffixHash, behavior: str(g.behavior) || 'create' };
}

export function mergeGenerated(res: Built[], b: Built, asked: string, ctx: Ctx, kust: Kust, at: Origin | undefined): void {
  const g = gvkOf(b.obj);
  // kustomize reads any other behavior as unspecified, which acts as create
  const behavior = asked === 'merge' || asked === 'replace' ? asked : 'create';
  const match = res.find((x) => gvkOf(x.obj).kind === g.kind && x.ids.some((id) => id.name === nameOf(b.obj) && nsEq(id.namespace, nsOf(b.obj))));
  if (behavior === 'create') {
    if (match) return ctx.problem('error', at, kust.display, `the ${g.kind} "${nameOf(b.obj)}" already exists; a generator with behavior create may not add it again (use behavior: merge or replace)`);
    res.push(b);
    return;
  }
  if (!match) return ctx.notFound(at, kust.display, `the ${g.kind} "${nameOf(b.obj)}" to ${behavior} is not in the resources; kustomize build fails here`);
  if (behavior === 'replace') {
    for (const key of ['data', 'binaryData', 'type', 'immutable']) {
      if (b.obj[key] !== undefined) setKey(match.obj, key, b.obj[key], originOfKey(b.obj, key));
      else if (key !== 'type') deleteKey(match.obj, key);
    }
  } else {
    // the merged object is the new one with the old data under it: its type (a Secret generator's default
    // Opaque over kubernetes.io/tls) and its immutable, the data of both, the new keys winning
    for (const key of ['type', 'immutable']) {
      if (b.obj[key] !== undefined) setKey(match.obj, key, b.obj[key], originOfKey(b.obj, key));
      else if (key !== 'type') deleteKey(match.obj, key);
    }
    for (const key of ['data', 'binaryData']) {
      const src = b.obj[key];
      if (!isObj(src)) continue;
      if (!isObj(match.obj[key])) setKey(match.obj, key, {}, originOfKey(b.obj, key));
      const dst = match.obj[key] as Obj;
      for (const dk of Object.keys(src)) setKey(dst, dk, src[dk], originOfKey(src, dk));
    }
  }
  const bm = b.obj.metadata as Obj;
  const mm = meta(match.obj);
  // with behavior merge the object keeps where it came from; replace takes the generator's origin
  const keepOrigin = behavior === 'merge' && hasOrigin(match.obj);
  for (const key of ['labels', 'annotations']) {
    if (!isObj(bm[key])) continue;
    if (!isObj(mm[key])) setKey(mm, key, {}, originOfKey(bm, key));
    for (const [lk, lv] of Object.entries(bm[key] as Obj)) if (!(keepOrigin && key === 'annotations' && lk === ORIGIN_ANNOTATION)) setKey(mm[key] as Obj, lk, lv, originOfKey(bm[key] as Obj, lk));
  }
  // the hash suffix stays only when both generators ask for it (kustomize keeps its build annotation from the
  // base's object and drops it when the overlay's generator does not set it)
  match.hash = (match.hash ?? false) && (b.hash ?? false);
}

/** Go's json.Marshal of a string: HTML characters escaped as \u003c, \u003e, \u0026 (and U+2028/9). */
function goJsonString(s: string): string {
  return JSON.stringify(s).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Go's json.Marshal: maps with sorted keys, no spaces. */
function goJson(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'string') return goJsonString(v);
  if (typeof v === 'number' || typeof v === 'boolean') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(goJson).join(',')}]`;
  if (isObj(v)) return `{${Object.keys(v).sort().map((k) => `${goJsonString(k)}:${goJson(v[k])}`).join(',')}}`;
  return JSON.stringify(String(v));
}

/** kustomize's name hash of a ConfigMap or Secret: sha256 of its JSON form, 10 hex digits with o/l/3/a/e spelt out. */
export function nameHash(o: Obj): string {
  const kind = str(o.kind);
  // kustomize looks the name up as one field called "metadata/name", which no object has: the name in the
  // hashed form is always empty (so two generators with the same data get the same suffix).
  const name = '';
  // Every string value as text, the way kyaml reads the nodes (numbers in data stay as written).
  const asStrings = (v: unknown): unknown => (isObj(v) ? Object.fromEntries(Object.entries(v).map(([a, b]) => [a, isObj(b) || Array.isArray(b) ? b : str(b)])) : v);
  const val = (key: string) => (o[key] === undefined ? '' : isObj(o[key]) ? asStrings(o[key]) : str(o[key]));
  let m: Obj;
  if (kind === 'ConfigMap') {
    m = { kind: 'ConfigMap', name, data: val('data') };
    if (isObj(o.binaryData)) m.binaryData = asStrings(o.binaryData);
  } else if (kind === 'Secret') {
    m = { kind: 'Secret', type: val('type'), name, data: val('data') };
    if (isObj(o.stringData)) m.stringData = asStrings(o.stringData);
  } else m = o;
  const hex = createHash('sha256').update(goJson(m)).digest('hex');
  return hex.slice(0, 10).replace(/[013ae]/g, (c) => ({ '0': 'g', '1': 'h', '3': 'k', a: 'm', e: 't' })[c]!);
}

export function addHashes(res: Built[]): void {
  for (const b of res) {
    if (!b.hash) continue;
    rename(b, `${nameOf(b.obj)}-${nameHash(b.obj)}`);
  }
}
