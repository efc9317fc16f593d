/**
 * kustomize's ValueAddTransformer (a `transformers:` entry): one value (by default the name of the
 * directory of the kustomization running it) written at each target's field path, on the objects its
 * selector picks (every object without one). `metadata/namespace` moves namespaced objects into the value;
 * `filePathPosition: N` inserts the value as the Nth part of the '/'-separated path already there.
 */
import path from 'node:path';
import { isObj, originOfKey, setKey, type Obj, type Origin } from './nodes.js';

const s = (v: unknown) => (v === undefined || v === null ? '' : String(v));

export interface ValueAddHost<T> {
  /** The directory of the kustomization that runs the transformer. */
  dir: string;
  /** The objects a kustomize selector picks. */
  select(selector: unknown): T[];
  isCluster(o: Obj): boolean;
  /** Record that an object's namespace changed (name references follow it). */
  moved(b: T): void;
  /** The targets of `targetFilePath`, or undefined when it cannot be read (the host reports why). */
  targetsFromFile?(file: string): unknown[] | undefined;
}

/** kustomize's filesys.InsertPathPart: `part` as the `pos`th element of a '/' path. */
function insertPathPart(p: string, pos: number, part: string): string {
  if (!part) return p;
  const parts = p === '' ? [] : p.split('/');
  const at = Math.min(Math.max(pos, 0), parts.length);
  parts.splice(at, 0, part);
  return parts.join('/');
}

/** Field path segments: '/'-separated, `\/` keeping a slash inside a segment. */
function segments(fp: string): string[] {
  const out: string[] = [];
  for (const f of fp.split('/')) {
    if (out.length && out[out.length - 1].endsWith('\\')) out[out.length - 1] = `${out[out.length - 1].slice(0, -1)}/${f}`;
    else out.push(f);
  }
  return out;
}

/** Apply the config; the returned string is kustomize's error when it refuses it. */
export function applyValueAdd<T extends { obj: Obj }>(cfg: Obj, host: ValueAddHost<T>, origin: Origin | undefined): string | undefined {
  const value = s(cfg.value).trim() || path.basename(host.dir);
  const targets = Array.isArray(cfg.targets) ? [...cfg.targets] : [];
  if (cfg.targetFilePath !== undefined && s(cfg.targetFilePath)) {
    const more = host.targetsFromFile?.(s(cfg.targetFilePath));
    if (!more) return undefined;
    targets.push(...more);
  }
  if (!targets.length) return 'must specify at least one target';
  for (const t of targets) {
    if (!isObj(t)) continue;
    if (!s(t.fieldPath)) return 'fieldPath cannot be empty';
    if (Number(t.filePathPosition ?? 0) < 0) return `value of FilePathPosition (${s(t.filePathPosition)}) cannot be negative`;
  }
  for (const t of targets) {
    if (!isObj(t)) continue;
    const fieldPath = s(t.fieldPath);
    const pos = Number(t.filePathPosition ?? 0);
    for (const b of t.selector === undefined || t.selector === null ? host.select(undefined) : host.select(t.selector)) {
      if (fieldPath === 'metadata/namespace') {
        if (host.isCluster(b.obj)) continue;
        if (!isObj(b.obj.metadata)) setKey(b.obj, 'metadata', {}, origin);
        const m = b.obj.metadata as Obj;
        setKey(m, 'namespace', value, originOfKey(m, 'namespace') ?? origin);
        host.moved(b);
        continue;
      }
      const segs = segments(fieldPath);
      let node: Obj = b.obj;
      for (const seg of segs.slice(0, -1)) {
        if (!isObj(node[seg])) setKey(node, seg, {}, origin);
        node = node[seg] as Obj;
      }
      const last = segs[segs.length - 1];
      const cur = node[last];
      if (isObj(cur) || Array.isArray(cur)) return `wrong node kind: expected ScalarNode at ${fieldPath}`;
      setKey(node, last, pos > 0 ? insertPathPart(s(cur), pos - 1, value) : value, originOfKey(node, last) ?? origin);
    }
  }
  return undefined;
}
