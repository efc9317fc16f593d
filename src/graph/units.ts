/**
 * Deployment units: what is deployed together, so that cross-resource rules join only objects that can exist
 * together. A kustomize build, a chart rendering and a guide are units of their own (the loaders group them).
 * Plain manifests are split here:
 * - two objects with the same API group, kind, namespace and name can never both be deployed, so files that
 *   define the same object are never in one unit (alternatives kept side by side, a release file beside the
 *   sources it was concatenated from, test fixtures beside samples);
 * - files join when an object of one refers to an object of the other (by name, by label selector, or by
 *   living in a Namespace the other declares; the most referenced pairs first), then the files of one directory
 *   join, each unless the join would put one object in twice; sibling folders that do not refer to each other
 *   (independent samples) stay apart.
 * Each unit carries the words that say what a rule searched ("in samples/guestbook/"), and the objects that
 * collide are remembered for the duplicate-object rule.
 */
import path from 'node:path';
import type { Resource } from './resource.js';
import { podTemplateOf } from './workloads.js';

export interface DeploymentUnit {
  resources: Resource[];
  /** Completes "... is not found {{searched}}": "among the scanned files", "in samples/guestbook/". */
  searched: string;
}

export interface Collision {
  /** The first definition (in path order). */
  first: Resource;
  /** Further objects of this file that are defined before it too. */
  more: number;
  /** Every file that defines one of them first. */
  files: string[];
}

const collisions = new WeakMap<Resource, Collision>();

/** The earlier definition of the same object in another file (or earlier in the same file), if any. */
export function collisionOf(r: Resource): Collision | undefined {
  return collisions.get(r);
}

/** Identity as far as the API server is concerned: API group (not version), kind, namespace, name. */
export function identityOf(r: Resource): string {
  const slash = r.apiVersion.lastIndexOf('/');
  const group = slash < 0 ? '' : r.apiVersion.slice(0, slash);
  return `${group}/${r.kind}/${r.namespace}/${r.name}`;
}

class Clusters {
  private parent: number[];
  keys: Set<string>[];
  constructor(keys: Set<string>[]) {
    this.parent = keys.map((_, i) => i);
    this.keys = keys;
  }
  find(i: number): number {
    while (this.parent[i] !== i) i = this.parent[i] = this.parent[this.parent[i]];
    return i;
  }
  /** Join the clusters of a and b unless they hold an object in common; true when they are (now) one. */
  join(a: number, b: number): boolean {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra === rb) return true;
    const [small, large] = this.keys[ra].size <= this.keys[rb].size ? [ra, rb] : [rb, ra];
    for (const k of this.keys[small]) if (this.keys[large].has(k)) return false;
    for (const k of this.keys[small]) this.keys[large].add(k);
    this.parent[small] = large;
    return true;
  }
}

/**
 * Split plain manifests (files read as they are, not built) into deployment units, and record the objects
 * defined twice. `resources` are in path order.
 */
export function plainUnits(resources: readonly Resource[]): DeploymentUnit[] {
  const files: string[] = [];
  const byFile = new Map<string, Resource[]>();
  for (const r of resources) {
    let list = byFile.get(r.file);
    if (!list) {
      byFile.set(r.file, (list = []));
      files.push(r.file);
    }
    list.push(r);
  }
  recordCollisions(files, byFile);
  if (files.length <= 1) return resources.length ? [{ resources: [...resources], searched: 'among the scanned files' }] : [];

  const index = new Map(files.map((f, i) => [f, i]));
  const clusters = new Clusters(files.map((f) => new Set(byFile.get(f)!.map(identityOf))));

  // 1. References between files (by name, by label selector, by namespace), the most referenced pairs first: a
  //    variant file joins the stack it refers to most, not the first file that happens to precede it.
  const weight = new Map<string, { a: number; b: number; n: number }>();
  for (const [a, b] of referenceEdges(resources, index)) {
    const [x, y] = a < b ? [a, b] : [b, a];
    const k = `${x}:${y}`;
    const e = weight.get(k);
    if (e) e.n++;
    else weight.set(k, { a: x, b: y, n: 1 });
  }
  for (const e of [...weight.values()].sort((p, q) => q.n - p.n || p.a - q.a || p.b - q.b)) clusters.join(e.a, e.b);

  // 2. Files of one directory, in path order: each joins the first cluster of its directory it does not collide with.
  const byDir = new Map<string, number[]>();
  files.forEach((f, i) => {
    const d = path.posix.dirname(f);
    let l = byDir.get(d);
    if (!l) byDir.set(d, (l = []));
    l.push(i);
  });
  for (const list of byDir.values()) {
    for (let k = 1; k < list.length; k++) {
      const tried = new Set<number>();
      for (let j = 0; j < k; j++) {
        const root = clusters.find(list[j]);
        if (tried.has(root)) continue;
        tried.add(root);
        if (clusters.join(root, list[k])) break;
      }
    }
  }

  const units = new Map<number, Resource[]>();
  files.forEach((f, i) => {
    const root = clusters.find(i);
    let l = units.get(root);
    if (!l) units.set(root, (l = []));
    l.push(...byFile.get(f)!);
  });
  if (units.size === 1) return [{ resources: [...resources], searched: 'among the scanned files' }];
  const list = [...units.values()];
  const dirs = list.map((rs) => commonDir(rs.map((r) => r.file)));
  return list.map((rs, i) => ({ resources: rs, searched: describe(rs, dirs[i], dirs.filter((d) => d === dirs[i]).length > 1) }));
}

/**
 * The objects defined twice, one note per file: at the file's first object that an earlier file (or the same
 * file, earlier) defines, counting the file's other such objects. Objects named by the server (generateName) are
 * never the same object.
 */
function recordCollisions(files: string[], byFile: Map<string, Resource[]>): void {
  const first = new Map<string, Resource>();
  for (const f of files) {
    let note: Collision | undefined;
    for (const r of byFile.get(f)!) {
      const md = r.object.metadata as { name?: unknown } | undefined;
      if (typeof md?.name !== 'string' || !md.name) continue;
      const id = identityOf(r);
      const earlier = first.get(id);
      if (!earlier) {
        first.set(id, r);
        continue;
      }
      if (note) {
        note.more++;
        if (!note.files.includes(earlier.file)) note.files.push(earlier.file);
      } else collisions.set(r, (note = { first: earlier, more: 0, files: [earlier.file] }));
    }
  }
}

/** How many files may offer the same name or label pair for it still to link them. */
const MAX_FANOUT = 64;

/** Pairs of file indexes whose objects refer to each other. */
function referenceEdges(resources: readonly Resource[], index: Map<string, number>): [number, number][] {
  // What each namespace offers: names (any kind), pod template and object labels, Namespace objects.
  const names = new Map<string, Set<number>>();
  const labels = new Map<string, Set<number>>();
  const add = (m: Map<string, Set<number>>, k: string, f: number) => {
    let s = m.get(k);
    if (!s) m.set(k, (s = new Set()));
    s.add(f);
  };
  for (const r of resources) {
    const f = index.get(r.file)!;
    if (r.kind === 'Namespace') add(names, `ns\u0000${r.name}`, f);
    add(names, `${r.namespace}\u0000${r.name}`, f);
    for (const [k, v] of Object.entries(r.labels)) add(labels, `${r.namespace}\u0000${k}=${v}`, f);
    const t = podTemplateOf(r);
    if (t) for (const [k, v] of Object.entries(t.labels)) add(labels, `${r.namespace}\u0000${k}=${v}`, f);
  }
  const edges: [number, number][] = [];
  for (const r of resources) {
    const f = index.get(r.file)!;
    // A name or label pair that dozens of files offer identifies no stack (and linking them all is quadratic).
    const link = (set: Set<number> | undefined) => {
      if (set && set.size <= MAX_FANOUT) for (const g of set) if (g !== f) edges.push([f, g]);
    };
    if (r.namespace) link(names.get(`ns\u0000${r.namespace}`));
    const { refs, pairs } = mentions(r);
    for (const n of refs) if (n !== r.name) link(names.get(`${r.namespace}\u0000${n}`));
    for (const p of pairs) link(labels.get(`${r.namespace}\u0000${p}`));
  }
  return edges;
}

/** Keys whose string value names another object wherever they are. */
const REF_KEYS = new Set(['claimName', 'secretName', 'serviceName', 'serviceAccountName', 'serviceAccount', 'configMapName']);
/** Objects whose `name` names another object: env and volume sources, targets, bindings, backends, routes. */
const REF_PARENTS = new Set([
  'configMapRef', 'secretRef', 'configMap', 'secret', 'configMapKeyRef', 'secretKeyRef', 'persistentVolumeClaim',
  'scaleTargetRef', 'targetRef', 'roleRef', 'subjects', 'service', 'backend', 'defaultBackend', 'serviceRef',
  'parentRefs', 'backendRefs', 'issuerRef', 'sourceRef', 'imagePullSecrets',
]);
/** Keys whose map value is a label selector. */
const SELECTOR_KEYS = new Set(['selector', 'matchLabels', 'podSelector']);

/** The names an object mentions where references live, and the label pairs its selectors require. */
function mentions(r: Resource): { refs: Set<string>; pairs: Set<string> } {
  const refs = new Set<string>();
  const pairs = new Set<string>();
  // A CRD's megabytes of schema name nothing deployed beside it (what refers to it is its custom resources).
  if (r.kind === 'CustomResourceDefinition') return { refs, pairs };
  const walk = (v: unknown, depth: number, parent: string) => {
    if (depth > 40 || v === null || typeof v !== 'object') return;
    if (Array.isArray(v)) {
      for (const x of v) walk(x, depth + 1, parent);
      return;
    }
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
      if (depth === 0 && k === 'metadata') continue;
      if (typeof x === 'string') {
        if (x.length <= 253 && (REF_KEYS.has(k) || (k === 'name' && REF_PARENTS.has(parent)))) refs.add(x);
      } else if (SELECTOR_KEYS.has(k) && x && typeof x === 'object' && !Array.isArray(x)) {
        for (const [lk, lv] of Object.entries(x as Record<string, unknown>)) if (typeof lv === 'string') pairs.add(`${lk}=${lv}`);
        walk(x, depth + 1, k);
      } else walk(x, depth + 1, k);
    }
  };
  walk(r.object, 0, '');
  return { refs, pairs };
}

function commonDir(files: string[]): string {
  let dir = path.posix.dirname(files[0]);
  for (const f of files) while (dir !== '.' && dir !== '/' && !f.startsWith(dir + '/')) dir = path.posix.dirname(dir);
  return dir;
}

function describe(rs: Resource[], dir: string, shared: boolean): string {
  const files = [...new Set(rs.map((r) => r.file))];
  if (files.length === 1) return `in ${files[0]}`;
  const where = dir === '.' ? 'the scanned folder' : `${dir}/`;
  if (!shared) return `in ${where}`;
  const names = files.map((f) => (dir === '.' ? f : f.slice(dir.length + 1)));
  return `in ${names.slice(0, 3).join(', ')}${names.length > 3 ? ` and ${names.length - 3} more files` : ''} of ${where}`;
}

/** The words for a loader's group: a kustomize build, a chart rendering, a guide. */
export function searchedIn(group: string, sample: Resource | undefined): string {
  if (group.startsWith('kustomize:') || group.startsWith('kustomize-base:')) return `in kustomize build ${group.slice(group.indexOf(':') + 1)}`;
  // (a finding's context names the rendering; one defect found by several renderings stays one finding)
  if (group.startsWith('chart:')) return `in chart ${group.slice('chart:'.length).split('#')[0]}`;
  if (group.startsWith('md:')) return `in ${sample?.file ?? group.slice(3)}`;
  return 'among the scanned files';
}
