/**
 * The order `kustomize build` prints resources in: its SortOrderTransformer, run once at the end of the
 * top-level build. With no `sortOptions` the CLI (and kubectl) asks for the legacy order: kinds in a fixed
 * priority list first (Namespace, ..., PodDisruptionBudget), the webhook configurations last, every other
 * kind between them by group/version/kind; within one group/version/kind by namespace, then name.
 * `sortOptions: {order: fifo}` keeps the order resources were accumulated in.
 */
import { isObj, type Obj } from './nodes.js';

/** kustomize's defaultOrderFirst / defaultOrderLast (its comment says: never to change). */
const DEFAULT_FIRST = [
  'Namespace', 'ResourceQuota', 'StorageClass', 'CustomResourceDefinition', 'ServiceAccount', 'PodSecurityPolicy', 'Role', 'ClusterRole',
  'RoleBinding', 'ClusterRoleBinding', 'ConfigMap', 'Secret', 'Endpoints', 'Service', 'LimitRange', 'PriorityClass', 'PersistentVolume',
  'PersistentVolumeClaim', 'Deployment', 'StatefulSet', 'CronJob', 'PodDisruptionBudget',
];
const DEFAULT_LAST = ['MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration'];

export interface SortChoice {
  order: 'fifo' | 'legacy';
  first: string[];
  last: string[];
}

/**
 * The sort a top-level kustomization asks for, or the reason kustomize refuses its `sortOptions`
 * (kustomize reads the field only at the top of the build).
 */
export function sortChoice(sortOptions: unknown): SortChoice | { error: string } {
  if (sortOptions === undefined || sortOptions === null) return { order: 'legacy', first: DEFAULT_FIRST, last: DEFAULT_LAST };
  const so = isObj(sortOptions) ? sortOptions : {};
  const order = so.order;
  if (order !== 'fifo' && order !== 'legacy') return { error: "the field 'sortOptions.order' must be one of [fifo, legacy]" };
  const legacy = so.legacySortOptions;
  if (order === 'fifo') {
    if (legacy !== undefined && legacy !== null) return { error: "the field 'sortOptions.legacySortOptions' is set but the selected sort order is 'fifo', not 'legacy'" };
    return { order, first: [], last: [] };
  }
  if (!isObj(legacy)) return { order, first: DEFAULT_FIRST, last: DEFAULT_LAST };
  const names = (v: unknown) => (Array.isArray(v) ? v.map((x) => String(x)) : []);
  return { order, first: names(legacy.orderFirst), last: names(legacy.orderLast) };
}

const s = (v: unknown) => (v === undefined || v === null ? '' : String(v));

function gvk(o: Obj): { group: string; version: string; kind: string } {
  const av = s(o.apiVersion);
  const slash = av.indexOf('/');
  return { group: slash >= 0 ? av.slice(0, slash) : '', version: slash >= 0 ? av.slice(slash + 1) : av, kind: s(o.kind) };
}

/** Go compares strings bytewise; for the same result on any text, compare UTF-8 bytes. */
function goLess(a: string, b: string): number {
  if (a === b) return 0;
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/** Sort `items` (each with its object) the way kustomize's SortOrderTransformer does. */
export function sortResources<T>(items: T[], objOf: (t: T) => Obj, choice: SortChoice): T[] {
  if (choice.order === 'fifo') return items;
  const rank = new Map<string, number>();
  choice.first.forEach((k, i) => rank.set(k, -choice.first.length + i));
  choice.last.forEach((k, i) => rank.set(k, 1 + i));
  const keyed = items.map((item) => {
    const o = objOf(item);
    const g = gvk(o);
    const md = isObj(o.metadata) ? o.metadata : {};
    return {
      item,
      rank: rank.get(g.kind) ?? 0,
      gvk: [g.group || '~G', g.version || '~V', g.kind || '~K'].join('_'),
      id: [s(md.namespace) || '~X', s(md.name) || '~N'].join('|'),
    };
  });
  keyed.sort((a, b) => {
    if (a.gvk !== b.gvk) return a.rank !== b.rank ? a.rank - b.rank : goLess(a.gvk, b.gvk);
    return goLess(a.id, b.id);
  });
  return keyed.map((k) => k.item);
}
