/**
 * Plain JS values with origins: every mapping key and sequence item remembers the file line that produced
 * it, so a finding on a built object points at the base line, the patch line or the generator entry that set
 * the value. Origins live beside the values (WeakMaps keyed by the containers) and travel with clones.
 */
import { yamlLib, type YAMLType } from '../../parse/yaml-lib.js';
import { LineIndex } from '../../parse/source.js';
import { blockPositionTree } from '../../parse/block-yaml.js';
import { isBlank, splitDocuments } from '../../parse/fast.js';
import type { PosNode } from '../../parse/positions.js';

export interface Origin {
  /** Display path of the file. */
  file: string;
  line: number;
  column: number;
  /** A plain scalar's source text (`010`, `yes`), kept as written while the value is unchanged. */
  raw?: string;
  rawValue?: unknown;
}

export type Obj = Record<string, unknown>;

interface MapOrigins {
  self?: Origin;
  keys: Map<string, Origin>;
}

const mapOrigins = new WeakMap<object, MapOrigins>();
const seqOrigins = new WeakMap<unknown[], (Origin | undefined)[]>();

export function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function originOfKey(o: Obj, key: string): Origin | undefined {
  return mapOrigins.get(o)?.keys.get(key) ?? mapOrigins.get(o)?.self;
}

export function originOfItem(a: unknown[], i: number): Origin | undefined {
  return seqOrigins.get(a)?.[i];
}

export function originOfNode(v: unknown): Origin | undefined {
  if (Array.isArray(v)) return seqOrigins.get(v)?.find(Boolean);
  if (isObj(v)) return mapOrigins.get(v)?.self;
  return undefined;
}

function mapEntry(o: Obj): MapOrigins {
  let m = mapOrigins.get(o);
  if (!m) mapOrigins.set(o, (m = { keys: new Map() }));
  return m;
}

/** Set `o[key] = value`, recording where the value came from. */
export function setKey(o: Obj, key: string, value: unknown, origin?: Origin): void {
  o[key] = value;
  if (origin) mapEntry(o).keys.set(key, origin);
}

export function deleteKey(o: Obj, key: string): void {
  delete o[key];
  mapOrigins.get(o)?.keys.delete(key);
}

export function setSelfOrigin(v: unknown, origin: Origin | undefined): void {
  if (!origin) return;
  if (isObj(v)) mapEntry(v).self = origin;
  else if (Array.isArray(v)) {
    const s = seqOrigins.get(v) ?? [];
    for (let i = 0; i < v.length; i++) s[i] ??= origin;
    seqOrigins.set(v, s);
  }
}

export function itemOrigins(a: unknown[]): (Origin | undefined)[] {
  let s = seqOrigins.get(a);
  if (!s) seqOrigins.set(a, (s = []));
  return s;
}

/** Replace the items of `a` (keeping origins in step): `items[i]` with origin `origins[i]`. */
export function setItems(a: unknown[], items: unknown[], origins: (Origin | undefined)[]): void {
  a.length = 0;
  a.push(...items);
  seqOrigins.set(a, origins.slice(0, items.length));
}

/** Deep copy, origins included. */
export function clone<T>(v: T): T {
  if (Array.isArray(v)) {
    const out = v.map(clone);
    const s = seqOrigins.get(v);
    if (s) seqOrigins.set(out, [...s]);
    return out as T;
  }
  if (isObj(v)) {
    const out: Obj = {};
    for (const k of Object.keys(v)) out[k] = clone(v[k]);
    const m = mapOrigins.get(v);
    if (m) mapOrigins.set(out, { self: m.self, keys: new Map(m.keys) });
    return out as T;
  }
  return v;
}

/** Every node of `v` (and below) takes `origin`: generated objects point at their generator entry. */
export function stamp(v: unknown, origin: Origin): void {
  if (Array.isArray(v)) {
    seqOrigins.set(v, v.map(() => origin));
    v.forEach((x) => stamp(x, origin));
  } else if (isObj(v)) {
    mapOrigins.set(v, { self: origin, keys: new Map(Object.keys(v).map((k) => [k, origin])) });
    for (const k of Object.keys(v)) stamp(v[k], origin);
  }
}

export interface LoadedDoc {
  value: unknown;
  /** 1-based line of the document's first content. */
  line: number;
}

export class YamlLoadError extends Error {
  constructor(
    message: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(message);
  }
}

/**
 * The fast path: the block-YAML loader's position tree (the block style kubectl, kustomize and Helm write)
 * carries the values it built and each node's offsets. Undefined when it does not take every document.
 */
function loadFast(text: string, file: string): LoadedDoc[] | undefined {
  const out: LoadedDoc[] = [];
  for (const chunk of splitDocuments(text)) {
    if (isBlank(chunk.text)) continue;
    const tree = blockPositionTree(chunk.text);
    if (!tree) return undefined;
    const idx = new LineIndex(chunk.text);
    const at = (n: PosNode): Origin => {
      let s = n.start;
      const t = chunk.text;
      while (s < n.end && (t[s] === ' ' || t[s] === '\n')) s++;
      const p = idx.position(s);
      return { file, line: p.line + chunk.startLine, column: p.column };
    };
    const rawOf = (n: PosNode, o: Origin): Origin => {
      if (n.kind !== 'scalar') return o;
      // (a plain scalar cannot hold " #": from there on it is a comment)
      const src = chunk.text.slice(n.start, n.end).replace(/[ \t]+#.*$/s, '').trim();
      if (!src || /^['"|>]/.test(src) || src.includes('\n')) return o;
      return { ...o, raw: src, rawValue: n.result };
    };
    const walk = (n: PosNode): void => {
      if (n.kind === 'mapping') {
        const o = n.result as Obj;
        const m = mapEntry(o);
        m.self = at(n);
        for (let i = 0; i + 1 < n.children.length; i += 2) {
          const k = n.children[i];
          const v = n.children[i + 1];
          m.keys.set(String(k.result), rawOf(v, at(k)));
          walk(v);
        }
      } else if (n.kind === 'sequence') {
        const a = n.result as unknown[];
        seqOrigins.set(a, n.children.map((c) => rawOf(c, at(c))));
        n.children.forEach(walk);
      }
    };
    if (tree.kind === 'mapping' && tree.children.length / 2 !== Object.keys(tree.result as Obj).length) return undefined;
    walk(tree);
    out.push({ value: tree.result, line: at(tree).line });
  }
  return out;
}

/**
 * Parse a multi-document YAML (or JSON) text into values with origins. Aliases are resolved (with the
 * library's alias-count limit); a syntax error throws YamlLoadError at its line.
 */
export function loadDocuments(text: string, file: string, opts: { uniqueKeys?: boolean } = {}): LoadedDoc[] {
  const fast = loadFast(text, file);
  if (fast) return fast;
  const Y = yamlLib();
  const idx = new LineIndex(text);
  // The core schema, as the rest of k8s-audit (js-yaml 4) resolves plain scalars; their text is kept anyway.
  // (go-yaml v3, which kustomize reads resources with, refuses a key defined twice: `uniqueKeys` asks for that)
  const docs = Y.parseAllDocuments(text, { uniqueKeys: opts.uniqueKeys === true, merge: true, prettyErrors: false });
  const list = Array.isArray(docs) ? docs : [docs];
  const out: LoadedDoc[] = [];
  for (const d of list) {
    const err = d.errors[0];
    if (err) {
      const p = idx.position(err.pos[0]);
      throw new YamlLoadError(err.message.split('\n')[0], p.line, p.column);
    }
    if (d.contents === null) continue;
    const at = (node: { range?: [number, number, number] | null } | null | undefined): Origin | undefined => {
      if (!node?.range) return undefined;
      const p = idx.position(node.range[0]);
      return { file, line: p.line, column: p.column };
    };
    /** The origin of a value: where its key (or item) sits, plus a plain scalar's text. */
    const withRaw = (o: Origin | undefined, valueNode: unknown, value: unknown): Origin | undefined => {
      if (o && Y.isScalar(valueNode) && valueNode.type === 'PLAIN' && !valueNode.tag && typeof (valueNode as { source?: unknown }).source === 'string') {
        return { ...o, raw: (valueNode as unknown as { source: string }).source, rawValue: value };
      }
      return o;
    };
    const anchors = new Map<string, unknown>();
    let aliasCount = 0;
    const build = (node: unknown, depth: number): unknown => {
      if (depth > 200) throw new YamlLoadError('the document is nested too deeply', at(node as never)?.line ?? 1, 1);
      let v: unknown;
      if (Y.isAlias(node)) {
        if (++aliasCount > 1000) throw new YamlLoadError('too many aliases', at(node)?.line ?? 1, 1);
        return clone(anchors.get(node.source) ?? null);
      }
      if (Y.isMap(node)) {
        const o: Obj = {};
        setSelfOrigin(o, at(node));
        for (const pair of node.items) {
          const keyNode = pair.key as YAMLType.Scalar | null;
          // a merge key (`<<: *base`, `<<: [*a, *b]`; the library gives its key as a symbol): the keys of the
          // merged maps the mapping does not set itself, the first merged map first
          const isMergeKey = Y.isScalar(keyNode) && (keyNode.value === '<<' || (typeof keyNode.value === 'symbol' && (keyNode as { source?: unknown }).source === '<<'));
          if (isMergeKey && (Y.isAlias(pair.value) || (Y.isSeq(pair.value) && pair.value.items.every((x) => Y.isAlias(x))))) {
            const srcs = Y.isSeq(pair.value) ? pair.value.items : [pair.value];
            for (const one of srcs) {
              const src = build(one, depth + 1);
              if (isObj(src)) for (const k of Object.keys(src)) if (!(k in o)) setKey(o, k, src[k], originOfKey(src, k));
            }
            continue;
          }
          // a plain key as written (`y`, `010`), as kustomize keeps it
          const plainKey = Y.isScalar(keyNode) && keyNode.type === 'PLAIN' && typeof (keyNode as { source?: unknown }).source === 'string' ? (keyNode as unknown as { source: string }).source : undefined;
          const key = plainKey ?? (Y.isScalar(keyNode) ? String(keyNode.value) : String(keyNode === null ? '' : (keyNode as { toString(): string }).toString()));
          const val = build(pair.value, depth + 1);
          setKey(o, key, val, withRaw(at(keyNode as never) ?? at(pair.value as never), pair.value, val));
        }
        v = o;
      } else if (Y.isSeq(node)) {
        const a: unknown[] = [];
        const origins: (Origin | undefined)[] = [];
        for (const it of node.items) {
          const val = build(it, depth + 1);
          a.push(val);
          origins.push(withRaw(at(it as never), it, val));
        }
        setItems(a, [...a], origins);
        v = a;
      } else if (Y.isScalar(node)) {
        v = node.value;
        if (typeof v === 'bigint') v = Number(v);
      } else v = null;
      const anchor = (node as { anchor?: string } | null)?.anchor;
      if (anchor) anchors.set(anchor, v);
      return v;
    };
    const value = build(d.contents, 0);
    out.push({ value, line: at(d.contents as never)?.line ?? 1 });
  }
  return out;
}
