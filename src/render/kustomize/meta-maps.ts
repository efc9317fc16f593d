/**
 * kustomize reads and writes `metadata.labels` and `metadata.annotations` as Go map[string]string (kyaml's
 * GetLabels/SetAnnotations): each value becomes the text of its YAML node, written back as a string. So
 * `i: 5` becomes "5", `n: null` becomes "null", `t: ~` becomes "~", an empty value becomes "", and an empty or
 * null map is removed. It happens to every object's annotations at the end of the build (when kustomize removes
 * its internal annotations), and to a patch's labels and annotations when patchesStrategicMerge applies it.
 * The text is the one written, so it is taken while the file is read (before 0755 reads as 493).
 */
import { deleteKey, isObj, originOfKey, setKey, type Obj } from './nodes.js';

/** The text kyaml's node holds for a value (a plain scalar as written; a map or list holds none). */
function nodeText(holder: Obj, key: string): string {
  const v = holder[key];
  if (typeof v === 'string') return v;
  const o = originOfKey(holder, key);
  if (o?.raw !== undefined && Object.is(o.rawValue, v)) return o.raw;
  if (v === null || v === undefined) return '';
  if (isObj(v) || Array.isArray(v)) return '';
  return String(v);
}

/**
 * A resource's annotations as read: each plain scalar as its text. An empty value stays null until the end of
 * the build (a strategic-merge patch of the object drops it first, as kyaml drops every empty field).
 */
export function annotationsAsText(doc: unknown): void {
  const m = isObj(doc) && isObj(doc.metadata) ? doc.metadata.annotations : undefined;
  if (!isObj(m)) return;
  for (const k of Object.keys(m)) {
    const v = m[k];
    if (typeof v === 'string' || (v === null && originOfKey(m, k)?.raw === undefined)) continue;
    setKey(m, k, nodeText(m, k), plainOrigin(m, k));
  }
}

/** The origin of a value without the raw text it no longer has. */
function plainOrigin(holder: Obj, key: string) {
  const o = originOfKey(holder, key);
  if (!o) return o;
  const { raw: _raw, rawValue: _rv, ...rest } = o;
  void _raw;
  void _rv;
  return rest;
}

/** metadata[field] as kyaml's setMapInMetadata leaves it: values as strings, an empty map removed. */
export function asStringMap(metadata: Obj, field: 'labels' | 'annotations'): void {
  if (!(field in metadata)) return;
  const m = metadata[field];
  if (!isObj(m) || !Object.keys(m).length) {
    deleteKey(metadata, field);
    return;
  }
  for (const k of Object.keys(m)) if (typeof m[k] !== 'string') setKey(m, k, nodeText(m, k), plainOrigin(m, k));
}
