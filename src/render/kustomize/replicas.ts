/**
 * kustomize's ReplicaCountTransformer (`replicas:` and its config in `transformers:`).
 */
import { isObj, originOfKey, setKey, type Obj, type Origin } from './nodes.js';
import { REPLICAS } from './fieldspecs.js';
import { type Built, type Kust, Ctx, str } from './context.js';
import { specApplies } from './select.js';

/** One `replicas:` entry: the count on every workload that has (or had) the name; none is kustomize's error. */
export function applyReplicas(res: Built[], r: Obj, at: Origin | undefined, kust: Kust, ctx: Ctx): void {
  const count = Number(r.count);
  let hit = false;
  for (const b of res) {
    if (!REPLICAS.some((s) => specApplies(s, b.obj)) || !b.ids.some((id) => id.name === str(r.name))) continue;
    hit = true;
    if (!isObj(b.obj.spec)) setKey(b.obj, 'spec', {}, at);
    setKey(b.obj.spec as Obj, 'replicas', count, originOfKey(r, 'count') ?? at);
  }
  if (!hit) ctx.problem('error', at, kust.display, `replicas for "${str(r.name)}" matches no Deployment, ReplicaSet, StatefulSet or ReplicationController of this build`);
}

/** A ReplicaCountTransformer config: its count on the workloads of its name that have a spec. */
export function applyReplicaCountTransformer(res: Built[], replica: Obj, at: Origin | undefined): void {
  for (const b of res) if (b.ids.some((id) => id.name === str(replica.name)) && REPLICAS.some((s) => specApplies(s, b.obj)) && isObj(b.obj.spec)) setKey(b.obj.spec as Obj, 'replicas', Number(replica.count), at);
}
