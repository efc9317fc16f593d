/** The resource graph: indexes over one resource set, so cross-resource rules never loop over all pairs. */
import { WORKLOAD_KINDS, KIND_GROUPS } from './kinds.js';
import type { Resource } from './resource.js';
import { matchesMap, matchesSelector, requiredPairs, asLabels, type LabelSelector, type Labels } from './selectors.js';
import { podTemplateOf, type PodTemplate } from './workloads.js';

export class ResourceGraph {
  readonly all: readonly Resource[];
  private readonly byKind = new Map<string, Resource[]>();
  private readonly byName = new Map<string, Resource[]>();
  private readonly templates = new Map<Resource, PodTemplate>();
  /** namespace -> "key=value" -> templates carrying that label. */
  private readonly labelIndex = new Map<string, Map<string, PodTemplate[]>>();
  private readonly templatesByNs = new Map<string, PodTemplate[]>();
  readonly namespaces = new Set<string>();

  constructor(resources: readonly Resource[]) {
    this.all = resources;
    for (const r of resources) {
      push(this.byKind, r.kind, r);
      push(this.byName, nameKey(r.kind, r.name, r.namespace), r);
      if (r.namespace) this.namespaces.add(r.namespace);
      if ((WORKLOAD_KINDS as readonly string[]).includes(r.kind)) {
        const t = podTemplateOf(r);
        if (!t) continue;
        this.templates.set(r, t);
        push(this.templatesByNs, r.namespace, t);
        let idx = this.labelIndex.get(r.namespace);
        if (!idx) this.labelIndex.set(r.namespace, (idx = new Map()));
        for (const [k, v] of Object.entries(t.labels)) push(idx, `${k}=${v}`, t);
      }
    }
  }

  /** Resources of a kind (or kind group such as 'Workload'), optionally in one namespace. */
  ofKind(kind: string, namespace?: string): readonly Resource[] {
    const kinds = KIND_GROUPS[kind] ?? [kind];
    const out: Resource[] = [];
    for (const k of kinds) for (const r of this.byKind.get(k) ?? []) if (namespace === undefined || r.namespace === namespace) out.push(r);
    return out;
  }

  get(kind: string, name: string, namespace = ''): Resource | undefined {
    return this.byName.get(nameKey(kind, name, namespace))?.[0];
  }

  /** All objects declared with the same kind, namespace and name. */
  getAll(kind: string, name: string, namespace = ''): readonly Resource[] {
    return this.byName.get(nameKey(kind, name, namespace)) ?? [];
  }

  podTemplate(r: Resource): PodTemplate | undefined {
    return this.templates.get(r);
  }

  /** Pod templates of every workload in a namespace. */
  templatesIn(namespace: string): readonly PodTemplate[] {
    return this.templatesByNs.get(namespace) ?? [];
  }

  /**
   * Pod templates a selector picks in a namespace. `selector` is either a plain label map (Service) or a
   * LabelSelector (matchLabels/matchExpressions). A plain map that is empty selects nothing; an empty
   * LabelSelector selects everything.
   */
  templatesSelectedBy(selector: Labels | LabelSelector, namespace: string, kind: 'map' | 'selector'): PodTemplate[] {
    const pairs = requiredPairs(selector);
    let candidates: readonly PodTemplate[];
    if (pairs.length) {
      const idx = this.labelIndex.get(namespace);
      // The rarest required pair gives the smallest candidate list.
      let best: PodTemplate[] | undefined;
      for (const [k, v] of pairs) {
        const list = idx?.get(`${k}=${v}`) ?? [];
        if (!best || list.length < best.length) best = list;
      }
      candidates = best ?? [];
    } else {
      if (kind === 'map') return [];
      candidates = this.templatesIn(namespace);
    }
    return candidates.filter((t) =>
      kind === 'map' ? matchesMap(asLabels(selector), t.labels) : matchesSelector(selector as LabelSelector, t.labels),
    );
  }
}

function nameKey(kind: string, name: string, namespace: string): string {
  return `${kind}\u0000${namespace}\u0000${name}`;
}

function push<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  const a = m.get(k);
  if (a) a.push(v);
  else m.set(k, [v]);
}
