import { describeCount, toNumber } from '../src/graph/scaling.js';
import { defineRule, type Related } from '../src/rule.js';
import type { Resource } from '../src/graph/resource.js';
import type { PodTemplate } from '../src/graph/workloads.js';
import { asLabels, matchesSelector } from '../src/graph/selectors.js';

const SINGLE_NODE = new Set(['ReadWriteOnce', 'ReadWriteOncePod']);

/** The access modes of a claim when every one of them is single-node; undefined otherwise. */
function singleNodeModes(pvc: Resource): string[] | undefined {
  const modes = pvc.object.spec?.accessModes;
  if (!Array.isArray(modes) || modes.length === 0) return undefined;
  return modes.every((m) => SINGLE_NODE.has(String(m))) ? modes.map(String) : undefined;
}

/** True when `a`'s pods must run on the same node as `b`'s (required pod affinity on hostname, or both pinned to one node). */
function coLocated(a: PodTemplate, b: PodTemplate): boolean {
  const host = (t: PodTemplate) => asLabels(t.spec.nodeSelector)['kubernetes.io/hostname'] ?? (typeof t.spec.nodeName === 'string' ? t.spec.nodeName : undefined);
  if (host(a) && host(a) === host(b)) return true;
  const follows = (x: PodTemplate, y: PodTemplate) => {
    const terms = x.spec.affinity?.podAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
    return Array.isArray(terms) && terms.some((t) => t?.topologyKey === 'kubernetes.io/hostname' && t.labelSelector && matchesSelector(t.labelSelector, y.labels));
  };
  return follows(a, b) || follows(b, a);
}

/** Pods a RollingUpdate may take down before the new one is ready: 0 means the old pod keeps the volume. */
function maxUnavailable(w: Resource, replicas: number): number {
  const ru = w.object.spec?.strategy?.rollingUpdate;
  const v = ru?.maxUnavailable;
  if (v === undefined || v === null) return Math.floor(replicas * 0.25);
  const n = toNumber(v);
  if (n !== undefined) return n;
  const pct = /^(\d+)%$/.exec(String(v));
  return pct ? Math.floor((replicas * Number(pct[1])) / 100) : 0;
}

export default defineRule({
  id: 'rwo-volume-shared',
  meta: {
    description: 'Forbid a ReadWriteOnce volume claim mounted by more pods than one node can guarantee',
    category: 'storage',
    severity: 'error',
    recommended: true,
    kinds: ['Workload'],
    messages: {
      scaled:
        '{{kind}} "{{workload}}" mounts claim "{{claim}}" ({{modes}}) but can run {{count}} ({{source}}); a {{modes}} volume attaches to one node, so pods scheduled elsewhere hang in ContainerCreating with Multi-Attach errors',
      scaledPod:
        '{{kind}} "{{workload}}" mounts claim "{{claim}}" (ReadWriteOncePod) but can run {{count}} ({{source}}); ReadWriteOncePod admits exactly one pod, so every other replica stays Pending',
      shared:
        'Claim "{{claim}}" ({{modes}}) is mounted by {{kind}} "{{workload}}" and also by {{others}}; the volume attaches to one node, so whichever pod lands on another node hangs with a Multi-Attach error',
      rollingUpdate:
        'Deployment "{{workload}}" mounts claim "{{claim}}" ({{modes}}) with a RollingUpdate strategy that keeps the old pod until the new one is ready; if the new pod lands on another node it cannot attach the volume and the rollout deadlocks',
    },
    docs: {
      rationale:
        'ReadWriteOnce means one *node*, not one pod: the volume is attached to a single node at a time. A Deployment with several replicas, an HPA, a DaemonSet or a parallel Job that mounts the same RWO claim works only while every pod happens to land on that node; the others hang in ContainerCreating with "Multi-Attach error for volume". ReadWriteOncePod is stricter still: one pod. Two different workloads (say a Deployment and a backup CronJob) mounting one RWO claim fail the same way. Even a single-replica Deployment deadlocks on rollout: RollingUpdate starts the new pod before stopping the old one, and if it is scheduled on another node it waits forever for the volume the old pod holds. The rule reads the claim\'s accessModes and the replica range of every workload that mounts it (replicas, HPA maxReplicas, DaemonSet = one pod per node, Job parallelism). A CronJob alone is not flagged for possibly overlapping runs, nor a one-off Job that prepares the volume for a single-pod workload (it releases the volume when it ends), and workloads forced onto the same node (required podAffinity on kubernetes.io/hostname, or the same pinned node) may share a claim.',
      remediation:
        'Give each replica its own volume (a StatefulSet with volumeClaimTemplates), use ReadWriteMany storage (EFS, Filestore, Azure Files, CephFS, NFS) when the data is really shared, or pin the workload to one replica with `strategy: {type: Recreate}` so the old pod releases the volume before the new one starts.',
      references: ['https://kubernetes.io/docs/concepts/storage/persistent-volumes/#access-modes'],
    },
  },
  check(w, ctx) {
    const g = ctx.graph;
    const range = g.replicaRange(w);
    const reported = new Set<string>();
    for (const ref of g.refsOf(w)) {
      if (ref.kind !== 'PersistentVolumeClaim' || reported.has(ref.name)) continue;
      const pvc = g.get('PersistentVolumeClaim', ref.name, w.namespace);
      if (!pvc) continue;
      const modes = singleNodeModes(pvc);
      if (!modes) continue;
      reported.add(ref.name);
      const related: Related[] = [{ resource: pvc, path: ['spec', 'accessModes'], message: `accessModes of claim "${pvc.name}"` }];
      const data = { kind: w.kind, workload: w.name, claim: ref.name, modes: modes.join(', ') };
      if (range.max > 1) {
        const count = describeCount(range);
        if (range.resource !== w) related.push({ resource: range.resource, path: [...range.path], message: range.source });
        ctx.report({ messageId: modes.includes('ReadWriteOncePod') ? 'scaledPod' : 'scaled', path: ref.path, data: { ...data, count, source: range.source }, related });
        continue;
      }
      // Declarations with the same kind, namespace and name are one object (e.g. alternatives in different files).
      const mine = g.podTemplate(w)!;
      // A one-off Job next to one single-pod workload is the migrate-then-serve pattern: the Job releases the
      // volume when it ends, and the workload's pod waits for it (ContainerCreating) rather than failing. Two
      // long-running workloads, a CronJob (it runs again while the workload serves), or a Job next to a
      // scaled workload stay reported.
      const batch = (k: string) => k === 'Job';
      const others = g
        .consumersOf('PersistentVolumeClaim', ref.name, w.namespace)
        .filter((c) => c.owner.key !== w.key && !coLocated(mine, g.podTemplate(c.owner)!))
        .filter((c) => !(batch(w.kind) !== batch(c.owner.kind) && g.replicaRange(batch(w.kind) ? c.owner : w).max <= 1));
      const otherOwners = [...new Map(others.map((c) => [c.owner.key, c.owner])).values()];
      if (otherOwners.length) {
        ctx.report({
          messageId: 'shared',
          path: ref.path,
          data: { ...data, others: otherOwners.map((o) => `${o.kind} "${o.name}"`).join(', ') },
          related: [...related, ...others.map((c) => ({ resource: c.owner, path: c.ref.path, message: `also mounted by ${c.owner.kind} "${c.owner.name}"` }))],
        });
        continue;
      }
      if (w.kind === 'Deployment' && range.max === 1) {
        const type = w.object.spec?.strategy?.type ?? 'RollingUpdate';
        if (type === 'RollingUpdate' && maxUnavailable(w, 1) < 1) {
          ctx.report({ messageId: 'rollingUpdate', path: ref.path, data, related });
        }
      }
    }
  },
});
