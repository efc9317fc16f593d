/**
 * kustomize's patch fields (`patches`, `patchesStrategicMerge`, `patchesJson6902`): reading a patch from its
 * file or inline string (origins moved to where the string sits), choosing its targets, and handing it to the
 * strategic-merge or JSON 6902 transformer.
 */
import { isObj, loadDocuments, originOfItem, originOfKey, originOfNode, setItems, setKey, setSelfOrigin, YamlLoadError, type Obj, type Origin } from './nodes.js';
import { asKyaml, type ScalarRules } from './kyaml.js';
import { readTextLenient } from '../../load/read.js';
import { type Built, type Kust, Ctx, str } from './context.js';
import { selects, selectorOf } from './select.js';
import { applyStrategic } from './strategic-merge.js';
import { asStringMap } from './meta-maps.js';
import { applyJson6902 } from './json6902.js';

function patchOrigins(kust: Kust, entry: Obj, key: 'patch' | 'path', ctx: Ctx): { text: string; file: string; lineOffset: number; colOffset: number } | undefined {
  if (key === 'path') {
    const abs = ctx.resolveLocal(kust, str(entry.path), originOfKey(entry, 'path'), 'patch');
    if (!abs) return undefined;
    const text = ctx.readText(abs, kust, originOfKey(entry, 'path'), 'patch');
    return text === undefined ? undefined : { text, file: ctx.host.display(abs), lineOffset: 0, colOffset: 0 };
  }
  return inlineText(kust, entry, 'patch');
}

/** An inline YAML string of a kustomization (`patch: |-`): its text and where its lines sit in the file. */
export function inlineText(kust: Kust, holder: Obj, key: string): { text: string; file: string; lineOffset: number; colOffset: number } {
  const text = str(holder[key]);
  const at = originOfKey(holder, key);
  let lineOffset = at ? at.line : 0;
  let colOffset = 0;
  try {
    const read = readTextLenient(kust.file);
    if (!('text' in read)) throw new Error(read.failure.message);
    const lines = read.text.split('\n');
    const keyLine = lines[(at?.line ?? 1) - 1] ?? '';
    const after = keyLine.slice(keyLine.indexOf(':') + 1).trim();
    if (/^[|>]/.test(after)) {
      // a block scalar: its content starts on the next line, indented
      const first = text.split('\n')[0];
      for (let i = at?.line ?? 0; i < lines.length; i++) {
        if (lines[i].trim() === '') continue;
        const idx = lines[i].indexOf(first);
        if (idx >= 0) {
          lineOffset = i;
          colOffset = idx;
        }
        break;
      }
    } else lineOffset = (at?.line ?? 1) - 1;
  } catch {
    /* keep */
  }
  return { text, file: kust.display, lineOffset, colOffset };
}

/** Move the origins of a value parsed from an inline string to where that string sits in its file. */
function shiftOrigins(v: unknown, file: string, dl: number, dc: number, seen = new Set<unknown>()): void {
  if (seen.has(v)) return;
  const shift = (o: Origin | undefined): Origin | undefined => (o ? { ...o, file, line: o.line + dl, column: o.column + dc } : o);
  if (Array.isArray(v)) {
    seen.add(v);
    setItems(v, [...v], v.map((_, i) => shift(originOfItem(v, i))));
    v.forEach((x) => shiftOrigins(x, file, dl, dc, seen));
  } else if (isObj(v)) {
    seen.add(v);
    setSelfOrigin(v, shift(originOfNode(v)));
    for (const k of Object.keys(v)) {
      setKey(v, k, v[k], shift(originOfKey(v, k)));
      shiftOrigins(v[k], file, dl, dc, seen);
    }
  }
}

/** A patch's documents; `rules` null leaves plain scalars unread (the caller reads them with asKyaml). */
export function parsePatch(src: { text: string; file: string; lineOffset: number; colOffset: number }, kust: Kust, at: Origin | undefined, ctx: Ctx, rules: ScalarRules | null = 'kyaml'): unknown[] | undefined {
  try {
    const loaded = loadDocuments(src.text, src.file, { uniqueKeys: true });
    const docs = (rules ? asKyaml(loaded, src.text, rules) : loaded).map((d) => d.value);
    if (src.lineOffset || src.colOffset) for (const d of docs) shiftOrigins(d, src.file, src.lineOffset, src.colOffset);
    return docs;
  } catch (e) {
    ctx.problem('error', e instanceof YamlLoadError ? { file: src.file, line: e.line + src.lineOffset, column: e.column + src.colOffset } : at, kust.display, `the patch is not valid YAML: ${(e as Error).message}; kustomize build fails here`);
    return undefined;
  }
}

export function runPatch(res: Built[], entry: Obj, kust: Kust, at: Origin | undefined, ctx: Ctx, kind: 'patches' | 'strategic' | 'json6902'): void {
  const src = entry.path !== undefined ? patchOrigins(kust, entry, 'path', ctx) : entry.patch !== undefined ? patchOrigins(kust, entry, 'patch', ctx) : undefined;
  if (!src) {
    if (entry.path === undefined && entry.patch === undefined) ctx.problem('error', at, kust.display, 'a patch needs a path or an inline patch; kustomize build fails here');
    return;
  }
  const loaded = parsePatch(src, kust, at, ctx, null);
  if (!loaded) return;
  const target = entry.target !== undefined ? selectorOf(entry.target) : undefined;
  const targets = target ? res.filter((b) => selects(target, b)) : undefined;
  // a target that selects nothing: kustomize applies the patch to nothing, silently
  if (target && !targets!.length) return;
  const options = isObj(entry.options) ? entry.options : {};
  const isJson = kind === 'json6902' || (loaded.length === 1 && Array.isArray(loaded[0]));
  // patchesStrategicMerge loads the patch as a resource and copies its labels and annotations through Go
  // string maps (CopyMergeMetaDataFieldsFrom): `b: null` there sets "null" instead of removing b
  if (kind === 'strategic') {
    for (const d of loaded) {
      if (!isObj(d) || !isObj(d.metadata)) continue;
      asStringMap(d.metadata, 'labels');
      asStringMap(d.metadata, 'annotations');
    }
  }
  // a JSON 6902 patch is read by go-yaml v2 (YAMLToJSON), a strategic-merge patch by kyaml
  const docs = asKyaml(loaded.map((value) => ({ value })), src.text, isJson ? 'json-patch' : 'kyaml').map((d) => d.value);
  if (isJson) {
    const ops = Array.isArray(docs[0]) ? docs[0] : [];
    if (!targets) return ctx.problem('error', at, kust.display, 'a JSON 6902 patch needs a target; kustomize build fails here');
    applyJson6902(res, ops, targets, kust, at, ctx);
    return;
  }
  for (const d of docs) {
    if (d === null || d === undefined) continue;
    if (!isObj(d)) {
      ctx.problem('error', at, kust.display, 'a strategic-merge patch must be a mapping; kustomize build fails here');
      continue;
    }
    applyStrategic(res, d, targets, kust, at, ctx, options.allowNameChange === true);
  }
}
