/**
 * kustomize's name back-references (its nameref filter), run once at the end of the build: every reference to an
 * object of the build follows the object's renames, and a reference written as a map takes its namespace.
 */
import { isObj, originOfKey, setKey } from './nodes.js';
import { NAME_REFERENCES, pathSegments } from './fieldspecs.js';
import { type Built, str, gvkOf, nameOf, nsOf, isCluster, nsEq } from './context.js';
import { visitField } from './select.js';

export function fixNameReferences(res: Built[], configured: typeof NAME_REFERENCES = []): void {
  const byKind = new Map<string, Built[]>();
  for (const b of res) {
    const k = str(b.obj.kind);
    if (!byKind.has(k)) byKind.set(k, []);
    byKind.get(k)!.push(b);
  }
  // kustomize resolves every reference to an object of the build, renamed or not: a name follows the
  // object's renames, and a reference written as a map (a RoleBinding subject, a webhook's clientConfig.service)
  // also takes the object's namespace.
  for (const ref of [...NAME_REFERENCES, ...configured]) {
    const referrals = byKind.get(ref.referral) ?? [];
    if (!referrals.length) continue;
    for (const r of byKind.get(ref.referrer) ?? []) {
      if (ref.referrerGroup !== undefined && gvkOf(r.obj).group !== ref.referrerGroup) continue;
      const rns = nsOf(r.obj);
      const pick = (name: string, ns: string | undefined): Built | undefined => {
        const cands = referrals.filter((x) => x.ids.some((id) => id.name === name));
        if (!cands.length) return undefined;
        if (ns !== undefined) {
          // a reference that names a namespace: the objects first in it (their original id), else now in it
          const byOrigin = cands.filter((x) => isCluster(x.obj) || nsEq(x.ids[0].namespace, ns));
          return (byOrigin.length ? byOrigin : cands.filter((x) => isCluster(x.obj) || nsEq(nsOf(x.obj), ns)))[0];
        }
        // one that names none: objects in the referrer's namespace now (any, for a cluster-scoped referrer)
        return cands.filter((x) => isCluster(x.obj) || isCluster(r.obj) || nsEq(nsOf(x.obj), rns))[0];
      };
      const segs = pathSegments(ref.path);
      visitField(r.obj, segs, false, undefined, (holder, key) => {
        const v = holder[key];
        const kindSibling = holder.kind;
        if (key === 'name' && typeof kindSibling === 'string' && (segs.includes('roleRef') || segs.includes('scaleTargetRef')) && kindSibling !== ref.referral) return;
        if (typeof v === 'string') {
          const x = pick(v, undefined);
          if (x) setKey(holder, key, nameOf(x.obj), originOfKey(holder, key));
        } else if (Array.isArray(v)) {
          // a list of names (rules/resourceNames) or of subjects
          v.forEach((item, i) => {
            if (typeof item === 'string') {
              const x = pick(item, undefined);
              if (x) v[i] = nameOf(x.obj);
            } else if (isObj(item) && typeof item.name === 'string' && (item.kind === undefined || item.kind === ref.referral)) {
              const x = pick(item.name, item.namespace !== undefined ? str(item.namespace) : undefined);
              if (x) {
                setKey(item, 'name', nameOf(x.obj), originOfKey(item, 'name'));
                if (!isCluster(x.obj) && nsOf(x.obj)) setKey(item, 'namespace', nsOf(x.obj), originOfKey(item, 'namespace') ?? originOfKey(item, 'name'));
              }
            }
          });
        } else if (isObj(v) && typeof v.name === 'string') {
          const x = pick(v.name, v.namespace !== undefined ? str(v.namespace) : undefined);
          if (x) {
            setKey(v, 'name', nameOf(x.obj), originOfKey(v, 'name'));
            if (!isCluster(x.obj) && nsOf(x.obj)) setKey(v, 'namespace', nsOf(x.obj), originOfKey(v, 'namespace') ?? originOfKey(v, 'name'));
          }
        }
      });
    }
  }
}
