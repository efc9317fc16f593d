/**
 * Patches as kustomize v5 applies them: strategic merge (maps merged, null deletes, lists merged by their
 * merge key, `$patch: delete|replace`; kyaml does not know `$retainKeys`, `$setElementOrder` or
 * `$deleteFromPrimitiveList`, which stay in the object as fields) and JSON 6902 (RFC 6902
 * operations on RFC 6901 pointers). Every value a patch sets takes the patch's line as its origin.
 */
import { clone, deleteKey, isObj, itemOrigins, originOfItem, originOfKey, setItems, setKey, type Obj, type Origin } from './nodes.js';
import { below, fieldOf, type SchemaAt } from './schema.js';

export interface MergeContext {
  /** Where the patched object's root is in kustomize's schema (undefined: no schema, lists are replaced). */
  schema: SchemaAt | undefined;
}

/** Apply a strategic-merge patch to `target` in place. Returns false when the patch deletes the whole object. */
export function strategicMerge(target: Obj, patch: Obj, ctx: MergeContext): boolean {
  if (patch.$patch === 'delete') return false;
  mergeMap(target, patch, ctx.schema);
  dropEmptyFields(target, ctx.schema, 0);
  return true;
}

/**
 * kyaml walks the whole object it merges a patch into and drops every field written with no value at all
 * (`nodeSelector:`), in maps and in the items of keyed lists, not only where the patch reaches; a field
 * written `null` stays. (An empty value is a null whose origin holds no source text.)
 */
function dropEmptyFields(o: Obj, at: SchemaAt | undefined, depth: number): void {
  if (depth > 200) return;
  for (const k of Object.keys(o)) {
    const v = o[k];
    if (v === null) {
      if (originOfKey(o, k)?.raw === undefined) deleteKey(o, k);
    } else if (isObj(v)) dropEmptyFields(v, below(at, k), depth + 1);
    else if (Array.isArray(v) && fieldOf(at, k)?.key) for (const item of v) if (isObj(item)) dropEmptyFields(item, below(at, k), depth + 1);
  }
}

function mergeMap(target: Obj, patch: Obj, at: SchemaAt | undefined): void {
  if (patch.$patch === 'replace') {
    for (const k of Object.keys(target)) deleteKey(target, k);
    for (const k of Object.keys(patch)) if (k !== '$patch') setKey(target, k, stripDirectives(clone(patch[k])), originOfKey(patch, k));
    return;
  }
  // kyaml knows only `$patch`: `$retainKeys`, `$setElementOrder/...` and `$deleteFromPrimitiveList/...` are
  // merged as fields and printed (see stripDirectives)
  for (const k of Object.keys(patch)) {
    if (k === '$patch') continue;
    const pv = patch[k];
    const origin = originOfKey(patch, k);
    if (pv === null) {
      deleteKey(target, k);
      continue;
    }
    const tv = target[k];
    if (isObj(pv)) {
      if (pv.$patch === 'delete') {
        deleteKey(target, k);
        continue;
      }
      if (isObj(tv) && pv.$patch !== 'replace') {
        mergeMap(tv, pv, below(at, k));
        if (origin && !originOfKey(target, k)) setKey(target, k, tv, origin);
      } else setKey(target, k, stripDirectives(clone(pv)), origin);
      continue;
    }
    if (Array.isArray(pv)) {
      if (Array.isArray(tv)) mergeList(target, k, tv, pv, at, origin);
      else setKey(target, k, stripDirectives(clone(pv)), origin);
      continue;
    }
    // A patch that restates a value (the merge key of a list item, an unchanged field) does not produce it.
    if (k in target && Object.is(target[k], pv)) continue;
    setKey(target, k, pv, origin);
  }
}

function mergeList(parent: Obj, field: string, tv: unknown[], pv: unknown[], at: SchemaAt | undefined, origin: Origin | undefined): void {
  // `- $patch: replace` in a list: the rest of the patch list is the new list.
  if (pv.some((x) => isObj(x) && x.$patch === 'replace' && Object.keys(x).length === 1)) {
    const items = pv.filter((x) => !(isObj(x) && x.$patch === 'replace' && Object.keys(x).length === 1));
    setKey(parent, field, stripDirectives(clone(items)), origin);
    return;
  }
  const meta = fieldOf(at, field);
  const key = meta?.key;
  if (meta?.set && pv.every((x) => !isObj(x) && !Array.isArray(x))) {
    // as for keyed lists: the patch's items first, then the resource's the patch does not name
    const items: unknown[] = [];
    const origins: (Origin | undefined)[] = [];
    pv.forEach((x, i) => {
      if (items.includes(x)) return;
      items.push(x);
      origins.push(originOfItem(pv, i) ?? origin);
    });
    tv.forEach((x, i) => {
      if (items.includes(x)) return;
      items.push(x);
      origins.push(originOfItem(tv, i));
    });
    setItems(tv, items, origins);
    return;
  }
  if (!key) {
    setKey(parent, field, stripDirectives(clone(pv)), origin);
    return;
  }
  if (meta?.keys) {
    mergeMultiKeyList(tv, pv, meta.keys, below(at, field), origin);
    return;
  }
  // kyaml merges the resource into the patch: the patch's items come first, in its order (merged with the
  // resource's item of the same key), then the resource's items the patch does not name.
  const items: unknown[] = [];
  const origins: (Origin | undefined)[] = [];
  const used = new Set<number>();
  pv.forEach((p, i) => {
    const po = originOfItem(pv, i) ?? origin;
    if (!isObj(p) || !(key in p)) {
      if (!(isObj(p) && p.$patch)) {
        items.push(stripDirectives(clone(p)));
        origins.push(po);
      }
      return;
    }
    const hit = tv.findIndex((x, j) => !used.has(j) && isObj(x) && String(x[key]) === String(p[key]));
    if (hit >= 0) used.add(hit);
    if (p.$patch === 'delete') return;
    if (hit < 0 || p.$patch === 'replace') {
      items.push(stripDirectives(clone(p)));
      origins.push(po);
      return;
    }
    const cur = tv[hit] as Obj;
    mergeMap(cur, p, below(at, field));
    items.push(cur);
    origins.push(originOfItem(tv, hit) ?? po);
  });
  tv.forEach((x, j) => {
    if (used.has(j)) return;
    items.push(x);
    origins.push(originOfItem(tv, j));
  });
  setItems(tv, items, origins);
}

// ------------------------------------------------------------------ lists with several merge keys

/** A field's value as kyaml compares it (the scalar's text; '' for a missing, null or empty value). */
function keyText(item: unknown, key: string): string {
  if (!isObj(item)) return '';
  const v = item[key];
  return v === null || v === undefined || isObj(v) || Array.isArray(v) ? '' : String(v);
}

const isEmptyItem = (x: unknown) => x === null || x === undefined || (isObj(x) && !Object.keys(x).length);

/**
 * kyaml's ElementSetter: each item matching `values` on `keys` (a '' value matches any value present; keys past
 * the values repeat the last test) is replaced by `element`, or removed when there is none; `element` is
 * appended when nothing matched. Empty items go; items that are not maps stay.
 */
function elementSetter(list: unknown[], keys: string[], values: string[], element?: Obj): void {
  const out: unknown[] = [];
  let matched = false;
  for (const item of list) {
    if (isEmptyItem(item)) continue;
    if (!isObj(item)) {
      out.push(item);
      continue;
    }
    let found = false;
    for (let j = 0; j < keys.length; j++) {
      if (j < values.length) found = keys[j] in item && item[keys[j]] !== null && (values[j] === '' || keyText(item, keys[j]) === values[j]);
      if (!found) break;
    }
    if (!found) {
      if (values.length) out.push(item);
      continue;
    }
    matched = true;
    if (element) out.push(element);
  }
  if (element && !matched) out.push(element);
  list.splice(0, list.length, ...out);
}

/** kyaml's validateKeys: the keys some item has a value for, and this item's values of them. */
function validKeysOf(valuesList: string[][], values: string[], keys: string[]): [string[], string[]] {
  const valid = new Set<string>();
  for (const vs of valuesList) vs.forEach((v, i) => v !== '' && valid.add(keys[i]));
  if (!valid.size) return [keys, values];
  return [keys.filter((k) => valid.has(k)), values.filter((v, i) => v !== '' || valid.has(keys[i]))];
}

/** kyaml's mergeValues: two items' key values that differ only where one is empty are the same item. */
function unifyValues(valuesList: string[][]): void {
  for (let i = 0; i < valuesList.length; i++) {
    for (let j = 0; j < valuesList.length; j++) {
      const a = valuesList[i];
      const b = valuesList[j];
      if (a.length !== b.length) continue;
      let common = false;
      let ok = true;
      const res: string[] = [];
      for (let k = 0; k < a.length; k++) {
        if (a[k] === b[k]) {
          common = true;
          res.push(a[k]);
        } else if (a[k] !== '' && b[k] !== '') {
          ok = false;
          break;
        } else res.push(a[k] || b[k]);
      }
      if (ok && common) valuesList[i] = valuesList[j] = res;
    }
  }
}

/**
 * A list whose schema gives several map keys (container ports: containerPort and protocol), merged as kyaml's
 * walkAssociativeSequence does with kustomize's prepend option: the key values of the patch's items, then the
 * resource's, each merged item by item (the resource's item changed in place), the patch's new items first,
 * then the resource's items again in their order. Its quirks are kept: a port that names no protocol and one
 * that does are one item; an item the keys do not find is dropped or duplicated as kyaml drops or duplicates it.
 */
function mergeMultiKeyList(tv: unknown[], pv: unknown[], keys: string[], at: SchemaAt | undefined, origin: Origin | undefined): void {
  const itemOrigin = new Map<unknown, Origin | undefined>();
  tv.forEach((x, j) => itemOrigin.set(x, originOfItem(tv, j)));
  pv.forEach((x, i) => itemOrigin.set(x, originOfItem(pv, i) ?? origin));
  const dest = [...tv];
  // the key values of every item, the patch's first, each once
  const valuesList: string[][] = [];
  const seen = new Set<string>();
  for (const src of [pv, tv]) {
    for (const item of src) {
      const vs = keys.map((k) => keyText(item, k));
      const id = JSON.stringify(vs);
      if (seen.has(id)) continue;
      seen.add(id);
      valuesList.push(vs);
    }
  }
  unifyValues(valuesList);
  const find = (list: unknown[], ks: string[], vs: string[]): Obj | undefined =>
    list.find((x): x is Obj => isObj(x) && ks.every((k, i) => k in x && x[k] !== null && keyText(x, k) === vs[i]));
  const toAdd: unknown[] = [];
  let validKeys: string[] = keys;
  for (const values of valuesList) {
    let validValues: string[];
    [validKeys, validValues] = validKeysOf(valuesList, values, keys);
    const [k1, v1] = validKeysOf([validValues], validValues, validKeys);
    const d = find(dest, k1, v1);
    const p = find(pv, k1, v1);
    let val: Obj | undefined;
    if (p && p.$patch === 'delete') val = undefined;
    else if (d && p && p.$patch !== 'replace') {
      mergeMap(d, p, at);
      val = d;
    } else if (p) {
      val = stripDirectives(clone(p));
      itemOrigin.set(val, itemOrigin.get(p));
    } else val = d;
    if (!val || !Object.keys(val).length) {
      elementSetter(dest, validKeys, validValues);
      continue;
    }
    validKeys.forEach((k, i) => {
      if (!(k in val!) && validValues[i] !== '') setKey(val!, k, /^\d+$/.test(validValues[i]) ? Number(validValues[i]) : validValues[i], itemOrigin.get(val));
    });
    elementSetter(toAdd, validKeys, validValues, val);
  }
  // kyaml's appendListNode(itemsToBeAdded, dest): the resource's items again, each replacing its match
  if (valuesList.length) {
    for (const elem of dest) {
      const v: string[] = [];
      for (const k of validKeys) {
        if (!isObj(elem) || !(k in elem) || elem[k] === undefined) {
          toAdd.push(elem);
          continue;
        }
        v.push(keyText(elem, k));
      }
      if (!isObj(elem)) continue;
      if (validKeys.length > 1) elementSetter(toAdd, validKeys, v);
      elementSetter(toAdd, validKeys, v, elem);
    }
  }
  setItems(tv, toAdd, toAdd.map((x) => itemOrigin.get(x)));
}

/** Directives a patch carries that must not reach the output. */
export function stripDirectives<T>(v: T): T {
  if (Array.isArray(v)) {
    for (let i = v.length - 1; i >= 0; i--) {
      const x = v[i];
      if (isObj(x) && x.$patch !== undefined && Object.keys(x).length === 1) v.splice(i, 1);
      else stripDirectives(x);
    }
  } else if (isObj(v)) {
    for (const k of Object.keys(v)) {
      if (k === '$patch') deleteKey(v, k);
      else stripDirectives(v[k]);
    }
  }
  return v;
}

// ------------------------------------------------------------------ JSON 6902

export class PatchError extends Error {}

function unescape(seg: string): string {
  return seg.replace(/~1/g, '/').replace(/~0/g, '~');
}

function parsePointer(p: unknown): string[] {
  if (typeof p !== 'string') throw new PatchError(`the path ${JSON.stringify(p)} is not a string`);
  if (p === '') return [];
  if (!p.startsWith('/')) throw new PatchError(`the path "${p}" must start with "/"`);
  return p.slice(1).split('/').map(unescape);
}

function resolveParent(doc: Obj, segs: string[]): { parent: unknown; last: string } {
  let cur: unknown = doc;
  for (const s of segs.slice(0, -1)) {
    if (Array.isArray(cur)) {
      const i = Number(s);
      if (!/^\d+$/.test(s) || i >= cur.length) throw new PatchError(`the path element "${s}" is not in the document`);
      cur = cur[i];
    } else if (isObj(cur)) {
      if (!(s in cur)) throw new PatchError(`the path element "${s}" is not in the document`);
      cur = cur[s];
    } else throw new PatchError(`the path element "${s}" is not in the document`);
  }
  return { parent: cur, last: segs[segs.length - 1] };
}

function getAt(doc: Obj, segs: string[]): unknown {
  if (!segs.length) return doc;
  const { parent, last } = resolveParent(doc, segs);
  if (Array.isArray(parent)) {
    const i = Number(last);
    if (!/^\d+$/.test(last) || i >= parent.length) throw new PatchError(`the path element "${last}" is not in the document`);
    return parent[i];
  }
  if (isObj(parent) && last in parent) return parent[last];
  throw new PatchError(`the path element "${last}" is not in the document`);
}

function addAt(doc: Obj, segs: string[], value: unknown, origin: Origin | undefined, replace: boolean): void {
  if (!segs.length) throw new PatchError('replacing the whole document is not supported');
  const { parent, last } = resolveParent(doc, segs);
  if (Array.isArray(parent)) {
    const origins = [...itemOrigins(parent)];
    const items = [...parent];
    if (last === '-' && !replace) {
      items.push(value);
      origins[items.length - 1] = origin;
    } else {
      const i = Number(last);
      if (!/^\d+$/.test(last) || i > parent.length || (replace && i >= parent.length)) throw new PatchError(`the index "${last}" is out of range`);
      if (replace) {
        items[i] = value;
        origins[i] = origin;
      } else {
        items.splice(i, 0, value);
        origins.splice(i, 0, origin);
      }
    }
    setItems(parent, items, origins);
    return;
  }
  if (!isObj(parent)) throw new PatchError(`the path element "${last}" cannot be set`);
  // (kustomize's json-patch: `replace` of an absent key of an existing map sets it, as `add` does)
  setKey(parent, last, value, origin);
}

function removeAt(doc: Obj, segs: string[]): unknown {
  const { parent, last } = resolveParent(doc, segs);
  if (Array.isArray(parent)) {
    const i = Number(last);
    if (!/^\d+$/.test(last) || i >= parent.length) throw new PatchError(`the index "${last}" is out of range`);
    const items = [...parent];
    const origins = [...itemOrigins(parent)];
    const [v] = items.splice(i, 1);
    origins.splice(i, 1);
    setItems(parent, items, origins);
    return v;
  }
  if (!isObj(parent) || !(last in parent)) throw new PatchError(`the path element "${last}" is not in the document`);
  const v = parent[last];
  deleteKey(parent, last);
  return v;
}

/** Apply JSON 6902 operations (a list of {op, path, value, from}) to `doc` in place. */
export function jsonPatch(doc: Obj, ops: unknown[]): void {
  ops.forEach((op, i) => {
    if (!isObj(op)) throw new PatchError(`operation ${i + 1} is not a mapping`);
    const origin = originOfItem(ops, i);
    const segs = parsePointer(op.path);
    switch (op.op) {
      case 'add':
        addAt(doc, segs, clone(op.value), originOfKey(op, 'value') ?? origin, false);
        break;
      case 'replace':
        addAt(doc, segs, clone(op.value), originOfKey(op, 'value') ?? origin, true);
        break;
      case 'remove':
        removeAt(doc, segs);
        break;
      case 'move': {
        const from = parsePointer(op.from);
        const v = removeAt(doc, from);
        addAt(doc, segs, v, origin, false);
        break;
      }
      case 'copy':
        addAt(doc, segs, clone(getAt(doc, parsePointer(op.from))), origin, false);
        break;
      case 'test': {
        const v = getAt(doc, segs);
        if (JSON.stringify(v) !== JSON.stringify(op.value)) throw new PatchError(`test operation failed at "${String(op.path)}"`);
        break;
      }
      default:
        throw new PatchError(`unknown operation ${JSON.stringify(op.op)}`);
    }
  });
}
