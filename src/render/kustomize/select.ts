/**
 * kustomize's selectors (a patch `target`, a replacement `select`/`reject`: Go regexps, label and annotation
 * selectors) and its field-spec walk (`spec/template/metadata/labels`, `[]` for lists) that every field-spec
 * transformer shares.
 */
import { isObj, setKey, type Obj, type Origin } from './nodes.js';
import { type FieldSpec } from './fieldspecs.js';
import { tryCompileGo, type GoRegexp } from '../../util/re2.js';
import { type Built, str, gvkOf, nsOf } from './context.js';

export interface Selector {
  group?: string;
  version?: string;
  kind?: string;
  name?: string;
  namespace?: string;
  labelSelector?: string;
  annotationSelector?: string;
}

/**
 * A selector field as kustomize reads it: a Go regexp, anchored `^(?:...)$`. Compiled with RE2 (src/util/re2.ts):
 * the pattern is the kustomization's, and a backtracking RegExp would hang on `(a+)+b`.
 */
function anchored(pattern: string): GoRegexp | undefined {
  return tryCompileGo(`^(?:${pattern})$`);
}

function matchesLabelSelector(labels: Obj, sel: string): boolean {
  for (const part of sel.split(',').map((s) => s.trim()).filter(Boolean)) {
    let m;
    if ((m = /^([^!=\s]+)\s*(==|=|!=)\s*(.*)$/.exec(part))) {
      const v = labels[m[1]];
      const eq = v !== undefined && str(v) === m[3];
      if (m[2] === '!=' ? eq : !eq) return false;
    } else if ((m = /^([^\s]+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(part))) {
      const vals = m[3].split(',').map((s) => s.trim());
      const has = labels[m[1]] !== undefined && vals.includes(str(labels[m[1]]));
      if (m[2] === 'in' ? !has : has) return false;
    } else if (part.startsWith('!')) {
      if (labels[part.slice(1)] !== undefined) return false;
    } else if (labels[part] === undefined) return false;
  }
  return true;
}

export function selects(sel: Selector, b: Built): boolean {
  const g = gvkOf(b.obj);
  const test = (pat: string | undefined, v: string) => pat === undefined || pat === '' || (anchored(pat)?.test(v) ?? false);
  if (!test(sel.group, g.group) || !test(sel.version, g.version) || !test(sel.kind, g.kind)) return false;
  if (sel.name && !b.ids.some((id) => test(sel.name, id.name))) return false;
  if (sel.namespace && !test(sel.namespace, nsOf(b.obj)) && !b.ids.some((id) => test(sel.namespace, id.namespace))) return false;
  const md = isObj(b.obj.metadata) ? b.obj.metadata : {};
  if (sel.labelSelector && !matchesLabelSelector(isObj(md.labels) ? md.labels : {}, sel.labelSelector)) return false;
  if (sel.annotationSelector && !matchesLabelSelector(isObj(md.annotations) ? md.annotations : {}, sel.annotationSelector)) return false;
  return true;
}

export function selectorOf(v: unknown): Selector {
  if (!isObj(v)) return {};
  const s: Selector = {};
  for (const k of ['group', 'version', 'kind', 'name', 'namespace', 'labelSelector', 'annotationSelector'] as const) if (v[k] !== undefined) s[k] = str(v[k]);
  return s;
}

export function specApplies(fs: FieldSpec, o: Obj): boolean {
  const g = gvkOf(o);
  if (fs.kinds && !fs.kinds.includes(g.kind)) return false;
  if (fs.group !== undefined && fs.group !== g.group) return false;
  return true;
}

/** Visit the map that holds the last segment of `segs` below `node`, creating maps when asked. */
export function visitField(node: unknown, segs: string[], create: boolean, origin: Origin | undefined, fn: (holder: Obj, key: string) => void): void {
  if (Array.isArray(node)) {
    for (const item of node) visitField(item, segs, create, origin, fn);
    return;
  }
  if (!isObj(node) || !segs.length) return;
  const [seg, ...rest] = segs;
  // `name[]` (kustomize's sequence hint): a list, looked up but never created
  const seq = seg.endsWith('[]');
  const head = seq ? seg.slice(0, -2) : seg;
  if (!rest.length) {
    fn(node, head);
    return;
  }
  let next = node[head];
  if ((next === undefined || next === null) && create && !seq) {
    next = {};
    setKey(node, head, next, origin);
  }
  visitField(next, rest, create, origin, fn);
}
