/**
 * kustomize's NamespaceTransformer: `namespace:` on every namespaced object (by kustomize's scope data), on the
 * subjects and service references it knows, and on the fields `configurations:` adds.
 */
import { isObj, originOfKey, setKey, type Origin } from './nodes.js';
import { pathSegments } from './fieldspecs.js';
import { asFieldSpecs } from './transformer-configs.js';
import { type Built, Ctx, str, list, meta, nameOf, nsOf, isCluster } from './context.js';
import { visitField } from './select.js';

export function applyNamespace(res: Built[], ns: string, origin: Origin | undefined): void {
  for (const b of res) {
    const o = b.obj;
    const kind = str(o.kind);
    const m = meta(o);
    if (kind === 'Namespace' && str(o.apiVersion) === 'v1') {
      setKey(m, 'name', ns, originOfKey(m, 'name') ?? origin);
    }
    if (!isCluster(o)) setKey(m, 'namespace', ns, originOfKey(m, 'namespace') ?? origin);
    if (kind === 'RoleBinding' || kind === 'ClusterRoleBinding') {
      for (const s of list(o.subjects)) if (isObj(s) && s.name === 'default') setKey(s, 'namespace', ns, originOfKey(s, 'namespace') ?? origin);
    }
    if (kind === 'APIService' && isObj(o.spec) && isObj(o.spec.service)) setKey(o.spec.service, 'namespace', ns, origin);
    if (kind === 'CustomResourceDefinition') visitField(o, ['spec', 'conversion', 'webhook', 'clientConfig', 'service', 'namespace'], false, origin, (h, key) => setKey(h, key, ns, origin));
    const last = b.ids[b.ids.length - 1];
    if (!last || last.namespace !== nsOf(o) || last.name !== nameOf(o)) b.ids.push({ name: nameOf(o), namespace: nsOf(o) });
  }
}

/** The namespace fields `configurations:` adds (a webhook's service namespace, ...): set, or created where asked. */
export function applyConfiguredNamespace(res: Built[], ns: string, ctx: Ctx, origin: Origin | undefined): void {
  for (const b of res) {
    for (const spec of asFieldSpecs(ctx.cfg.current().namespace, b.obj)) {
      if (spec.path === 'metadata/namespace' || spec.path === 'metadata/name') continue;
      visitField(b.obj, pathSegments(spec.path), !!spec.create, origin, (holder, key) => {
        if (spec.create || holder[key] !== undefined) setKey(holder, key, ns, originOfKey(holder, key) ?? origin);
      });
    }
  }
}
