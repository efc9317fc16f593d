/**
 * kustomize's PatchJson6902Transformer on the build's objects (the operations themselves are merge.ts).
 */
import { deleteKey, isObj, originOfKey, setKey, type Origin } from './nodes.js';
import { jsonPatch } from './merge.js';
import { type Built, type Kust, Ctx, str, nameOf, nsOf } from './context.js';

export function applyJson6902(res: Built[], ops: unknown[], targets: Built[], kust: Kust, at: Origin | undefined, ctx: Ctx): void {
  for (const b of targets) {
    const before = nameOf(b.obj);
    // Inside kustomize every object carries annotations (its internal previous-id ones, removed when the build
    // ends), so a patch may add under /metadata/annotations of an object that shows none.
    const m = isObj(b.obj.metadata) ? b.obj.metadata : undefined;
    const lent = m !== undefined && !isObj(m.annotations);
    if (lent) setKey(m, 'annotations', {}, originOfKey(m, 'annotations'));
    try {
      jsonPatch(b.obj, ops);
    } catch (e) {
      ctx.problem('error', at, kust.display, `the JSON patch cannot be applied to ${str(b.obj.kind)} "${nameOf(b.obj)}": ${(e as Error).message}; kustomize build fails here`);
    }
    if (lent && isObj(b.obj.metadata) && isObj(b.obj.metadata.annotations) && !Object.keys(b.obj.metadata.annotations).length) deleteKey(b.obj.metadata, 'annotations');
    if (nameOf(b.obj) !== before) b.ids.push({ name: nameOf(b.obj), namespace: nsOf(b.obj) });
  }
  void res;
}
