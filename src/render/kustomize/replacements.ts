/**
 * kustomize's ReplacementTransformer (`replacements:`): a value copied from one source field to target fields,
 * with delimiters, field paths with list selectors, and the target's scalar type kept.
 */
import { clone, isObj, originOfItem, originOfKey, setKey, type Obj, type Origin } from './nodes.js';
import { splitDotted } from './fieldspecs.js';
import { type Built, type Kust, Ctx, str, list, nameOf, nsOf } from './context.js';
import { type Selector, selects, selectorOf } from './select.js';

/** A replacement fieldPath: `spec.template.spec.containers.[name=app].image`, `metadata.annotations.[a.b/c]`. */
function fieldPathSegments(fp: string): string[] {
  return splitDotted(fp).filter((s) => s !== '').map((s) => (/^\[[^=\]]*\]$/.test(s) ? s.slice(1, -1) : s));
}

function lookupPath(node: unknown, segs: string[], create: boolean, origin: Origin | undefined): { holder: Obj | unknown[]; key: string | number }[] {
  if (!segs.length) return [];
  const [head, ...rest] = segs;
  const sel = /^\[([^=\]]+)=([^\]]*)\]$/.exec(head);
  if (Array.isArray(node)) {
    if (sel) {
      const hits = node.filter((x) => isObj(x) && str(x[sel[1]]) === sel[2]);
      return hits.flatMap((h) => (rest.length ? lookupPath(h, rest, create, origin) : []));
    }
    if (head === '*') return node.flatMap((x, i) => (rest.length ? lookupPath(x, rest, create, origin) : [{ holder: node, key: i }]));
    if (/^\d+$/.test(head)) {
      const i = Number(head);
      if (i >= node.length) return [];
      return rest.length ? lookupPath(node[i], rest, create, origin) : [{ holder: node, key: i }];
    }
    return [];
  }
  if (!isObj(node)) return [];
  if (!rest.length) return head in node || create ? [{ holder: node, key: head }] : [];
  let next = node[head];
  if ((next === undefined || next === null) && create) {
    next = /^\[/.test(rest[0]) ? [] : {};
    setKey(node, head, next, origin);
  }
  return lookupPath(next, rest, create, origin);
}

/**
 * The resources of a build by every name they had, for the selectors of replacements: thousands of targets each
 * naming one resource must not each scan every resource. Selectors whose name is a pattern (anything but letters,
 * digits, '-' and '_': '.' matches any character) still look at every resource.
 */
export class NameIndex {
  private readonly byName = new Map<string, Built[]>();
  private readonly order = new Map<Built, number>();
  constructor(readonly res: Built[]) {
    res.forEach((b, i) => {
      this.order.set(b, i);
      for (const id of b.ids) this.add(b, id.name);
    });
  }

  /** b is now also known by name (a replacement renamed it). */
  add(b: Built, name: string): void {
    const l = this.byName.get(name);
    if (!l) this.byName.set(name, [b]);
    else if (!l.includes(b)) l.push(b);
  }

  /** The resources sel selects, in build order. */
  select(sel: Selector): Built[] {
    if (!sel.name || !/^[\w-]+$/.test(sel.name)) return this.res.filter((b) => selects(sel, b));
    const hits = (this.byName.get(sel.name) ?? []).filter((b) => selects(sel, b));
    return hits.length > 1 ? hits.sort((a, b) => this.order.get(a)! - this.order.get(b)!) : hits;
  }
}

/**
 * kustomize copies only the text of a scalar into a scalar target, whose type stays: a number into a string
 * argument gives "32", the string "8" into `parallelism` gives 8.
 */
function keepScalarType(target: unknown, v: unknown): unknown {
  const scalar = (x: unknown) => typeof x === 'string' || typeof x === 'number' || typeof x === 'boolean' || typeof x === 'bigint';
  if (!scalar(target) || !scalar(v)) return v;
  const text = String(v);
  if (typeof target === 'string') return text;
  if (typeof target === 'number' || typeof target === 'bigint') return /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text.trim()) ? Number(text) : v;
  if (typeof target === 'boolean') return text === 'true' ? true : text === 'false' ? false : v;
  return v;
}

export function applyReplacement(ix: NameIndex, r: Obj, kust: Kust, at: Origin | undefined, ctx: Ctx): void {
  const source = isObj(r.source) ? r.source : undefined;
  if (!source) return ctx.problem('error', at, kust.display, 'a replacement needs a source; kustomize build fails here');
  const srcSel = selectorOf(source);
  const candidates = ix.select(srcSel);
  if (candidates.length === 0) return ctx.notFound(originOfKey(r, 'source') ?? at, kust.display, `the replacement source ${JSON.stringify(srcSel)} matches no resource of this build (it must match exactly one); kustomize build fails here`);
  if (candidates.length !== 1) return ctx.problem('error', originOfKey(r, 'source') ?? at, kust.display, `the replacement source ${JSON.stringify(srcSel)} matches ${candidates.length} resources of this build (it must match exactly one); kustomize build fails here`);
  const fp = str(source.fieldPath) || 'metadata.name';
  const hits = lookupPath(candidates[0].obj, fieldPathSegments(fp), false, undefined);
  if (!hits.length) return ctx.problem('error', originOfKey(source, 'fieldPath') ?? at, kust.display, `the replacement source field "${fp}" is not in ${str(candidates[0].obj.kind)} "${nameOf(candidates[0].obj)}"; kustomize build fails here`);
  const h = hits[0];
  let value = (h.holder as Record<string | number, unknown>)[h.key as never] as unknown;
  const sopts = isObj(source.options) ? source.options : {};
  if (sopts.delimiter !== undefined && typeof value === 'string') {
    const parts = value.split(str(sopts.delimiter));
    value = parts[Number(sopts.index ?? 0)] ?? '';
  }
  list(r.targets).forEach((t) => {
    if (!isObj(t)) return;
    const sel = selectorOf(t.select);
    const rejects = list(t.reject).map(selectorOf);
    const topts = isObj(t.options) ? t.options : {};
    for (const b of ix.select(sel)) {
      if (rejects.some((rj) => selects(rj, b))) continue;
      list(t.fieldPaths).forEach((p, pi) => {
        const origin = originOfItem(t.fieldPaths as unknown[], pi) ?? at;
        for (const hit of lookupPath(b.obj, fieldPathSegments(str(p)), topts.create === true, origin)) {
          let v: unknown = value;
          const holder = hit.holder as Record<string | number, unknown>;
          if (topts.delimiter !== undefined) {
            const cur = str(holder[hit.key as never]);
            const parts = cur.split(str(topts.delimiter));
            const idx = Number(topts.index ?? 0);
            if (idx < 0) parts.unshift(str(value));
            else if (idx >= parts.length) parts.push(str(value));
            else parts[idx] = str(value);
            v = parts.join(str(topts.delimiter));
          }
          v = keepScalarType(holder[hit.key as never], v);
          if (Array.isArray(holder)) {
            holder[hit.key as number] = clone(v);
          } else setKey(holder as Obj, hit.key as string, clone(v), origin);
          if (str(p) === 'metadata.name') {
            b.ids.push({ name: nameOf(b.obj), namespace: nsOf(b.obj) });
            ix.add(b, nameOf(b.obj));
          }
        }
      });
    }
  });
}
