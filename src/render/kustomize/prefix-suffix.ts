/**
 * kustomize's PrefixTransformer and SuffixTransformer: `namePrefix`/`nameSuffix` on every object's name, and
 * the PrefixSuffixTransformer (its PrefixTransformer, then its SuffixTransformer) as a `transformers:`
 * entry: the prefix and suffix go on the fields its `fieldSpecs` list, and only there. A `metadata/name` spec
 * renames the object (references follow it); any other path is just a value (a RoleBinding subject's name).
 * CustomResourceDefinitions, APIServices and Namespaces are never touched; without fieldSpecs kustomize
 * refuses the transformer.
 */
import { isObj, originOfKey, setKey, type Obj, type Origin } from './nodes.js';
import { configSpecApplies } from './transformer-configs.js';
import { type Built, str, meta, nameOf, rename } from './context.js';

interface Target {
  obj: Obj;
}

const s = (v: unknown) => (v === undefined || v === null ? '' : String(v));

function skipped(o: Obj): boolean {
  const kind = s(o.kind);
  const av = s(o.apiVersion);
  return kind === 'CustomResourceDefinition' || kind === 'Namespace' || (kind === 'APIService' && av.startsWith('apiregistration.k8s.io/'));
}

/** Set the scalar at `segs` below `node` (lists along the way traversed), creating it when asked. */
function edit(node: unknown, segs: string[], create: boolean, fn: (v: string) => string, origin: Origin | undefined): void {
  if (Array.isArray(node)) {
    for (const item of node) edit(item, segs, create, fn, origin);
    return;
  }
  if (!isObj(node) || !segs.length) return;
  const [head, ...rest] = segs;
  if (!rest.length) {
    const cur = node[head];
    if (cur === undefined || cur === null) {
      if (create) setKey(node, head, fn(''), origin);
      return;
    }
    if (!isObj(cur) && !Array.isArray(cur)) setKey(node, head, fn(s(cur)), originOfKey(node, head) ?? origin);
    return;
  }
  let next = node[head];
  if ((next === undefined || next === null) && create) setKey(node, head, (next = {}), origin);
  edit(next, rest, create, fn, origin);
}

/**
 * Apply a PrefixSuffixTransformer (or PrefixTransformer, SuffixTransformer) config. `rename` renames an
 * object the build tracks; the returned string is kustomize's error when it refuses the config.
 */
export function applyPrefixSuffix<T extends Target>(res: T[], cfg: Obj, kind: string, rename: (b: T, name: string) => void, origin: Origin | undefined): string | undefined {
  const specs = cfg.fieldSpecs;
  if (!Array.isArray(specs)) return 'fieldSpecs is not expected to be nil';
  const steps: [string, (v: string) => string][] = [];
  if (kind !== 'SuffixTransformer') steps.push([s(cfg.prefix), (v) => `${s(cfg.prefix)}${v}`]);
  if (kind !== 'PrefixTransformer') steps.push([s(cfg.suffix), (v) => `${v}${s(cfg.suffix)}`]);
  for (const [, fn] of steps) {
    for (const b of res) {
      if (skipped(b.obj)) continue;
      for (const f of specs) {
        if (!isObj(f) || !configSpecApplies({ group: s(f.group) || undefined, version: s(f.version) || undefined, kind: s(f.kind) || undefined }, b.obj)) continue;
        const path = s(f.path);
        if (path === 'metadata/name') {
          const m = isObj(b.obj.metadata) ? b.obj.metadata : undefined;
          rename(b, fn(s(m?.name)));
          continue;
        }
        edit(b.obj, path.split('/'), f.create === true, fn, origin);
      }
    }
  }
  return undefined;
}

/** `namePrefix` / `nameSuffix`: every object renamed but CRDs, APIServices and Namespaces. */
export function applyNamePrefixSuffix(res: Built[], pre: string, suf: string, origin: Origin | undefined): void {
  for (const b of res) {
    if (['CustomResourceDefinition', 'APIService', 'Namespace'].includes(str(b.obj.kind))) continue;
    rename(b, `${pre}${nameOf(b.obj)}${suf}`, originOfKey(meta(b.obj), 'name') ?? origin);
  }
}
