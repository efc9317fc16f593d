/**
 * kustomize's PatchStrategicMergeTransformer on the build's objects: which objects a patch names, and what
 * stays of their identity (the algorithm itself is merge.ts).
 */
import { clone, deleteKey, isObj, originOfKey, setKey, type Obj, type Origin } from './nodes.js';
import { strategicMerge } from './merge.js';
import { schemaOf } from './schema.js';
import { type Built, type Kust, Ctx, str, gvkOf, meta, nameOf, nsOf, nsEq } from './context.js';

export function applyStrategic(res: Built[], patch: Obj, targets: Built[] | undefined, kust: Kust, at: Origin | undefined, ctx: Ctx, allowNameChange = false): void {
  const pm = isObj(patch.metadata) ? patch.metadata : {};
  const matched =
    targets ??
    res.filter((b) => {
      const g = gvkOf(b.obj);
      const pg = gvkOf(patch);
      // kustomize looks the patch's own id up: group, version and kind must all be the target's
      if (g.kind !== pg.kind || (str(patch.apiVersion) && (g.group !== pg.group || g.version !== pg.version))) return false;
      return b.ids.some((id) => id.name === str(pm.name) && (pm.namespace === undefined ? true : nsEq(id.namespace, str(pm.namespace))));
    });
  if (!matched.length) {
    ctx.notFound(at, kust.display, `the patch for ${str(patch.kind)} "${str(pm.name)}" matches no resource of this build; kustomize build fails here (no matches for Id)`);
    return;
  }
  for (const b of matched) {
    const p = clone(patch);
    if (targets) {
      // a targeted patch keeps the target's identity
      const m = isObj(p.metadata) ? p.metadata : undefined;
      if (m && !allowNameChange) {
        deleteKey(m, 'name');
        deleteKey(m, 'namespace');
      }
      deleteKey(p, 'apiVersion');
      deleteKey(p, 'kind');
    } else if (isObj(p.metadata)) deleteKey(p.metadata, 'name');
    const before = nameOf(b.obj);
    const m0 = meta(b.obj);
    const ns0 = 'namespace' in m0 ? { v: m0.namespace, o: originOfKey(m0, 'namespace') } : undefined;
    const keep = strategicMerge(b.obj, p, { schema: schemaOf(str(b.obj.apiVersion), str(b.obj.kind), ctx.customSchema) });
    if (!keep) {
      res.splice(res.indexOf(b), 1);
      continue;
    }
    // kustomize gives the patched object its namespace back whatever the patch says (a patch written against
    // the base's `namespace: system` does not move the object out of the namespace the base put it in)
    const m = meta(b.obj);
    if (ns0) setKey(m, 'namespace', ns0.v, ns0.o);
    else deleteKey(m, 'namespace');
    if (nameOf(b.obj) !== before) b.ids.push({ name: nameOf(b.obj), namespace: nsOf(b.obj) });
  }
}
