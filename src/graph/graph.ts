/** The resource graph: indexes over one resource set, so cross-resource rules never loop over all pairs. */
import { WORKLOAD_KINDS, KIND_GROUPS } from './kinds.js';
import type { Resource } from './resource.js';
import { matchesMap, matchesSelector, requiredPairs, asLabels, type LabelSelector, type Labels } from './selectors.js';
import { podTemplateOf, type PodTemplate } from './workloads.js';
import { controllerPodLabels, createdBy, existsInEveryNamespace, isCatalogued, labelSetMatches, managerPodSets, mayMakePods, operatorNameMatch, operatorOfSelector, podLabelSets, podTemplatesOf, type PodLabelSet } from './controllers.js';
import { catalogueEntry, groupOf, selectorValues } from './operators.js';
import { podRefs, type PodRef, type RefKind } from './refs.js';
import { replicaRangeOf, type ReplicaRange } from './scaling.js';
import { ingressBackends } from './ingress.js';

/** Kinds whose selector picks pods, and how (`map`: Service-style plain map; `selector`: LabelSelector). */
export const POD_SELECTING_KINDS = ['Service', 'NetworkPolicy', 'PodDisruptionBudget', 'PodMonitor'] as const;
export type PodSelectingKind = (typeof POD_SELECTING_KINDS)[number];

export interface Consumer {
  owner: Resource;
  ref: PodRef;
}

export class ResourceGraph {
  readonly all: readonly Resource[];
  private readonly byKind = new Map<string, Resource[]>();
  private readonly byName = new Map<string, Resource[]>();
  private readonly templates = new Map<Resource, PodTemplate>();
  /** namespace -> "key=value" -> templates carrying that label. */
  private readonly labelIndex = new Map<string, Map<string, PodTemplate[]>>();
  private readonly templatesByNs = new Map<string, PodTemplate[]>();
  readonly namespaces = new Set<string>();
  private refs_?: Map<Resource, PodRef[]>;
  private consumers_?: Map<string, Consumer[]>;
  private scalers_?: Map<string, Resource[]>;
  private controllerLabels = new Map<PodTemplate, Record<string, string>[]>();
  private reverse_ = new Map<string, Map<Resource, Resource[]>>();
  private ranges_ = new Map<Resource, ReplicaRange>();
  private derived_ = new Map<object, Map<Resource, unknown>>();

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
        // Labels the controller adds to the pods (job-name, statefulset.kubernetes.io/pod-name, ...).
        const extra = controllerPodLabels(r);
        if (extra.length) {
          this.controllerLabels.set(t, extra);
          const seen = new Set<string>();
          for (const e of extra) for (const [k, v] of Object.entries(e)) if (!seen.has(`${k}=${v}`)) seen.add(`${k}=${v}`), push(idx, `${k}=${v}`, t);
        }
      }
    }
  }

  /**
   * What `what` (a function of this graph and one object, such as settingsOf) computes for `r`, computed once:
   * several rules ask the same question of each workload. The answer must not be changed by its users.
   */
  derived<T>(what: object, r: Resource, compute: () => T): T {
    let m = this.derived_.get(what);
    if (!m) this.derived_.set(what, (m = new Map()));
    if (m.has(r)) return m.get(r) as T;
    const v = compute();
    m.set(r, v);
    return v;
  }

  /** Resources of a kind (or kind group such as 'Workload'), optionally in one namespace. */
  ofKind(kind: string, namespace?: string): readonly Resource[] {
    const kinds = KIND_GROUPS[kind] ?? [kind];
    const out: Resource[] = [];
    for (const k of kinds) for (const r of this.byKind.get(k) ?? []) if (namespace === undefined || r.namespace === namespace) out.push(r);
    return out;
  }

  /** The first object (in input order) with this apiVersion and kind: for once-per-kind reports. */
  firstOf(apiVersion: string, kind: string): Resource | undefined {
    if (!this.first_) {
      this.first_ = new Map();
      for (const r of this.all) {
        const k = `${r.apiVersion}\u0000${r.kind}`;
        if (!this.first_.has(k)) this.first_.set(k, r);
      }
    }
    return this.first_.get(`${apiVersion}\u0000${kind}`);
  }
  private first_?: Map<string, Resource>;

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
    return this.selectTemplates(selector, namespace, kind);
  }

  /** Whether some pod template the selector picks satisfies `pred` (stops at the first). */
  someTemplateSelected(selector: Labels | LabelSelector, namespace: string, kind: 'map' | 'selector', pred: (t: PodTemplate) => boolean): boolean {
    return this.selectTemplates(selector, namespace, kind, pred, true).length > 0;
  }

  private selectTemplates(selector: Labels | LabelSelector, namespace: string, kind: 'map' | 'selector', pred?: (t: PodTemplate) => boolean, first = false): PodTemplate[] {
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
    const map = kind === 'map' ? asLabels(selector) : undefined;
    const out: PodTemplate[] = [];
    const test = (labels: Record<string, string>) => (map ? matchesMap(map, labels) : matchesSelector(selector as LabelSelector, labels));
    for (const t of candidates) {
      const extra = this.controllerLabels.get(t);
      if (!test(t.labels) && !extra?.some((e) => test({ ...t.labels, ...e }))) continue;
      if (pred && !pred(t)) continue;
      out.push(t);
      if (first) break;
    }
    return out;
  }

  /** Every workload (resource with a pod template). */
  workloads(): IterableIterator<[Resource, PodTemplate]> {
    return this.templates.entries();
  }

  /** By-name references (claims, ConfigMaps, Secrets, ServiceAccount) a workload's pod template makes. */
  refsOf(w: Resource): readonly PodRef[] {
    if (!this.refs_) {
      this.refs_ = new Map();
      for (const [r, t] of this.templates) this.refs_.set(r, podRefs(t));
    }
    return this.refs_.get(w) ?? [];
  }

  /** Workloads that reference an object by name (e.g. every pod template mounting claim "data"). */
  consumersOf(kind: RefKind, name: string, namespace: string): readonly Consumer[] {
    if (!this.consumers_) {
      this.consumers_ = new Map();
      for (const r of this.templates.keys()) for (const ref of this.refsOf(r)) push(this.consumers_, nameKey(ref.kind, ref.name, r.namespace), { owner: r, ref });
    }
    return this.consumers_.get(nameKey(kind, name, namespace)) ?? [];
  }

  private scalers(): Map<string, Resource[]> {
    if (!this.scalers_) {
      this.scalers_ = new Map();
      for (const kind of ['HorizontalPodAutoscaler', 'VerticalPodAutoscaler']) {
        for (const a of this.byKind.get(kind) ?? []) {
          const ref = kind === 'HorizontalPodAutoscaler' ? a.object.spec?.scaleTargetRef : a.object.spec?.targetRef;
          if (!ref || typeof ref !== 'object' || typeof ref.name !== 'string' || typeof ref.kind !== 'string') continue;
          push(this.scalers_, `${kind}\u0000${nameKey(ref.kind, ref.name, a.namespace)}`, a);
        }
      }
    }
    return this.scalers_;
  }

  /** HorizontalPodAutoscalers whose scaleTargetRef names this workload. */
  hpasOf(w: Resource): readonly Resource[] {
    return this.scalers().get(`HorizontalPodAutoscaler\u0000${nameKey(w.kind, w.name, w.namespace)}`) ?? [];
  }

  /** VerticalPodAutoscalers whose targetRef names this workload. */
  vpasOf(w: Resource): readonly Resource[] {
    return this.scalers().get(`VerticalPodAutoscaler\u0000${nameKey(w.kind, w.name, w.namespace)}`) ?? [];
  }

  /** HPAs or VPAs whose target names this kind/name in a namespace, whether or not the target was scanned. */
  scalersTargeting(scaler: 'HorizontalPodAutoscaler' | 'VerticalPodAutoscaler', kind: string, name: string, namespace: string): readonly Resource[] {
    return this.scalers().get(`${scaler}\u0000${nameKey(kind, name, namespace)}`) ?? [];
  }

  private monitorsOf_?: Map<Resource, Resource[]>;

  /** ServiceMonitors that select this Service (reverse of servicesSelectedBy, built once). */
  monitorsOfService(svc: Resource): readonly Resource[] {
    if (!this.monitorsOf_) {
      this.monitorsOf_ = new Map();
      for (const m of this.byKind.get('ServiceMonitor') ?? []) for (const s of this.servicesSelectedBy(m)) push(this.monitorsOf_, s, m);
    }
    return this.monitorsOf_.get(svc) ?? [];
  }

  private ingressIdx_?: Map<string, Resource[]>;

  /** Ingresses that route to a Service (by backend service name, same namespace). */
  ingressesFor(service: Resource): readonly Resource[] {
    if (!this.ingressIdx_) {
      this.ingressIdx_ = new Map();
      for (const ing of this.byKind.get('Ingress') ?? []) {
        for (const name of new Set(ingressBackends(ing).map((b) => b.service))) push(this.ingressIdx_, nameKey('Service', name, ing.namespace), ing);
      }
    }
    return this.ingressIdx_.get(nameKey('Service', service.name, service.namespace)) ?? [];
  }

  /** True when the scanned set holds at least one object of this kind (in any namespace). */
  hasKind(kind: string): boolean {
    return (this.byKind.get(kind)?.length ?? 0) > 0;
  }

  /**
   * The graph of the whole scan, when this one is a deployment unit of it (set by the engine): what the
   * repository as a whole declares tells its conventions (does it commit its ConfigMaps at all?).
   */
  scan?: ResourceGraph;

  /**
   * True when this unit, or another unit of the scan, runs pods in the namespace: the repository deploys its
   * workloads there, so a selector that matches none of them can be judged (and checked against the rest of
   * the scan by the engine).
   */
  deploysWorkloadsIn(namespace: string): boolean {
    return this.templatesIn(namespace).length > 0 || (this.scan?.templatesIn(namespace).length ?? 0) > 0;
  }

  /** True when the whole scan (not only this unit) holds an object of this kind. */
  hasKindInScan(kind: string): boolean {
    return this.hasKind(kind) || !!this.scan?.hasKind(kind);
  }

  /** The object an HPA's scaleTargetRef or a VPA's targetRef names, if scanned. */
  scaleTarget(a: Resource): Resource | undefined {
    const ref = a.kind === 'VerticalPodAutoscaler' ? a.object.spec?.targetRef : a.object.spec?.scaleTargetRef;
    if (!ref || typeof ref !== 'object' || typeof ref.name !== 'string' || typeof ref.kind !== 'string') return undefined;
    return this.get(ref.kind, ref.name, a.namespace);
  }

  /**
   * The pod template of the pods an HPA or VPA scales: the target workload's, or for a custom resource with a
   * scale subresource (an Argo Rollout) the single pod template the catalogue says it carries. A resource with
   * several templates (a RayCluster's groups) or none it can read gives none.
   */
  scaleTargetTemplate(a: Resource): { target: Resource; template: PodTemplate } | undefined {
    const target = this.scaleTarget(a);
    if (!target) return undefined;
    const own = this.podTemplate(target);
    if (own) return { target, template: own };
    if (!isCustomResource(target)) return undefined;
    const ts = podTemplatesOf(target);
    if (ts.length !== 1 || ts[0].kind !== 'template') return undefined;
    const md = ts[0].metadata ?? {};
    return { target, template: { owner: target, spec: ts[0].spec, labels: asLabels(md.labels), annotations: asLabels(md.annotations), path: ts[0].path } };
  }

  /** How many pods a workload can run: replicas (default 1), its HPAs' bounds, one per node for a DaemonSet. */
  replicaRange(w: Resource): ReplicaRange {
    let r = this.ranges_.get(w);
    if (!r) this.ranges_.set(w, (r = replicaRangeOf(w, this.hpasOf(w))));
    return r;
  }

  /** Namespaces a ServiceMonitor/PodMonitor looks in (namespaceSelector: any, matchNames, or its own). */
  monitorNamespaces(m: Resource): string[] {
    const ns = m.object.spec?.namespaceSelector;
    if (ns && typeof ns === 'object') {
      if (ns.any === true) return [...this.namespaces];
      if (Array.isArray(ns.matchNames) && ns.matchNames.length) return ns.matchNames.map(String);
    }
    return [m.namespace];
  }

  /** Services a ServiceMonitor selects (by Service labels, across its namespaceSelector). */
  servicesSelectedBy(monitor: Resource): Resource[] {
    let out = this.monitorServices_.get(monitor);
    if (out) return out;
    const sel: LabelSelector = monitor.object.spec?.selector && typeof monitor.object.spec.selector === 'object' ? monitor.object.spec.selector : {};
    const pairs = requiredPairs(sel);
    out = [];
    for (const ns of this.monitorNamespaces(monitor)) {
      const idx = this.serviceLabelIndex(ns);
      // The rarest required pair gives the smallest candidate list.
      let candidates: readonly Resource[] | undefined;
      for (const [k, v] of pairs) {
        const list = idx.byPair.get(`${k}=${v}`) ?? [];
        if (!candidates || list.length < candidates.length) candidates = list;
      }
      for (const s of candidates ?? idx.all) if (matchesSelector(sel, s.labels)) out.push(s);
    }
    this.monitorServices_.set(monitor, out);
    return out;
  }

  private monitorServices_ = new Map<Resource, Resource[]>();
  private serviceIdx_ = new Map<string, { all: Resource[]; byPair: Map<string, Resource[]> }>();

  private serviceLabelIndex(ns: string): { all: Resource[]; byPair: Map<string, Resource[]> } {
    let idx = this.serviceIdx_.get(ns);
    if (!idx) {
      idx = { all: [...this.ofKind('Service', ns)], byPair: new Map() };
      for (const s of idx.all) for (const [k, v] of Object.entries(s.labels)) push(idx.byPair, `${k}=${v}`, s);
      this.serviceIdx_.set(ns, idx);
    }
    return idx;
  }

  /** How many objects of a kind a namespace holds among the scanned files. */
  countIn(kind: string, namespace: string): number {
    let m = this.counts_.get(kind);
    if (!m) {
      this.counts_.set(kind, (m = new Map()));
      for (const r of this.byKind.get(kind) ?? []) m.set(r.namespace, (m.get(r.namespace) ?? 0) + 1);
    }
    return m.get(namespace) ?? 0;
  }

  private counts_ = new Map<string, Map<string, number>>();

  /** Pod templates selected by a Service, NetworkPolicy, PodDisruptionBudget or PodMonitor; undefined for other kinds. */
  selectedTemplates(r: Resource): PodTemplate[] | undefined {
    const spec = r.object.spec && typeof r.object.spec === 'object' ? r.object.spec : {};
    switch (r.kind) {
      case 'Service':
        return spec.type === 'ExternalName' ? [] : this.templatesSelectedBy(asLabels(spec.selector), r.namespace, 'map');
      case 'NetworkPolicy':
        return this.templatesSelectedBy(spec.podSelector && typeof spec.podSelector === 'object' ? spec.podSelector : {}, r.namespace, 'selector');
      case 'PodDisruptionBudget':
        if (!spec.selector || typeof spec.selector !== 'object') return [];
        return this.templatesSelectedBy(spec.selector, r.namespace, 'selector');
      case 'PodMonitor': {
        const sel = spec.selector && typeof spec.selector === 'object' ? spec.selector : {};
        return this.monitorNamespaces(r).flatMap((ns) => this.templatesSelectedBy(sel, ns, 'selector'));
      }
    }
    return undefined;
  }

  /** The Services, NetworkPolicies, PodDisruptionBudgets or PodMonitors whose selector picks this workload's pods. */
  selectorsOf(w: Resource, kind: PodSelectingKind): readonly Resource[] {
    let idx = this.reverse_.get(kind);
    if (!idx) {
      this.reverse_.set(kind, (idx = new Map()));
      for (const s of this.byKind.get(kind) ?? []) for (const t of this.selectedTemplates(s) ?? []) push(idx, t.owner, s);
    }
    return idx.get(w) ?? [];
  }


  private crLabels_ = new Map<string, PodLabelSet[]>();
  private crLabelsBuilt = false;
  private unpredictable_ = new Map<string, Resource[]>();

  /**
   * Label sets of the pods custom resources in a namespace make their operators run (a Prometheus's, a
   * RayCluster's, a Zalando postgresql's with its run-time `spilo-role`): the labels their manifests give the
   * pods and those the catalogue (operators.json) says the operator adds. Used to stay silent about
   * selectors that match operator-managed pods, which have no pod template among the scanned files.
   * Custom resources that may make pods whose labels nothing predicts are kept apart (`unpredictablePodMakers`).
   */
  operatorPodLabels(namespace: string): readonly PodLabelSet[] {
    this.buildCrLabels();
    return this.crLabels_.get(namespace) ?? [];
  }

  private buildCrLabels(): void {
    if (this.crLabelsBuilt) return;
    this.crLabelsBuilt = true;
    for (const r of this.all) {
      if (!isCustomResource(r) && !catalogueEntry(r)) continue;
      const sets = podLabelSets(r);
      if (sets.length) push(this.crLabels_, r.namespace, ...sets);
      // A selector's matchLabels in an unknown custom resource are not its pods' labels (a typo copied there
      // would silence the rule): such a resource is named as the likely creator instead.
      else if (!isCatalogued(r) && mayMakePods(r)) push(this.unpredictable_, r.namespace, r);
    }
  }

  /** Custom resources in the namespace that may make pods whose labels neither their manifest nor the catalogue tells. */
  unpredictablePodMakers(namespace: string): readonly Resource[] {
    this.buildCrLabels();
    return this.unpredictable_.get(namespace) ?? [];
  }

  private installedGroups_?: Set<string>;

  /** API groups the scan installs or uses: CRDs' groups and the groups of the resources themselves. */
  installedGroups(): ReadonlySet<string> {
    // (the CRDs are often in another deployment unit of the scan than the policies.) A unit's graph asks the
    // scan's, which keeps the answer: each of a scan's units walking all of its objects again is quadratic.
    if (this.scan) return this.scan.installedGroups();
    if (!this.installedGroups_) {
      this.installedGroups_ = new Set();
      for (const r of this.all) {
        this.installedGroups_.add(groupOf(r.apiVersion));
        const g = r.kind === 'CustomResourceDefinition' ? r.object.spec?.group : undefined;
        if (typeof g === 'string') this.installedGroups_.add(g);
      }
    }
    return this.installedGroups_;
  }

  /**
   * True when a custom resource in the namespace may run pods this selector matches, or an operator the scan
   * installs runs such pods itself (Longhorn's instance managers, Rook's Ceph daemons and CSI plugins).
   */
  operatorMayRun(selector: Labels | LabelSelector, namespace: string, kind: 'map' | 'selector'): boolean {
    if (this.operatorPodLabels(namespace).some((s) => labelSetMatches(s, selector, kind))) return true;
    return managerPodSets(this.installedGroups()).some((m) => labelSetMatches(m.set, selector, kind));
  }

  /**
   * The hedge for a selector that picks no scanned pod: custom resources in the namespace that may make pods
   * with labels nobody can predict (their operator is not in the catalogue and they carry no pod template),
   * those whose name the selector's values carry first; or else the catalogue operator whose own label keys
   * the selector uses (its custom resource may be declared elsewhere). Undefined when neither applies.
   */
  selectorUncertainty(selector: Labels | LabelSelector, namespace: string, kind: 'map' | 'selector'): string | undefined {
    const values = new Set(selectorValues(selector, kind).flatMap(([, v]) => v));
    const named = (r: Resource) => [...values].some((v) => v === r.name || v.startsWith(`${r.name}-`) || v.endsWith(`-${r.name}`));
    const crs = [...this.unpredictablePodMakers(namespace)].sort((a, b) => Number(named(b)) - Number(named(a)));
    if (crs.length) {
      const ids = [...new Set(crs.map((r) => `${r.kind}/${r.name}`))];
      const names = ids.slice(0, 3).join(', ') + (ids.length > 3 ? `, and ${ids.length - 3} more` : '');
      return `but the custom resource${ids.length > 1 ? 's' : ''} ${names} in the namespace may make ${ids.length > 1 ? 'their operators' : 'its operator'} run pods whose labels cannot be known from the files, so this is not certain`;
    }
    const makers = this.podMakingWorkloads(namespace);
    if (makers.length) {
      const ids = makers.map((w) => `${w.kind}/${w.name}`);
      const names = ids.slice(0, 3).join(', ') + (ids.length > 3 ? `, and ${ids.length - 3} more` : '');
      return `but ${names} in the namespace may create pods at run time (${makers.length > 1 ? 'their ServiceAccounts are' : 'its ServiceAccount is'} allowed to create pods or workloads there), whose labels cannot be known from the files, so this is not certain`;
    }
    // When the namespace declares resources of that kind, a selector naming another one is more likely a typo.
    const op = operatorOfSelector(selector, kind);
    if (op && !this.all.some((r) => r.namespace === namespace && r.kind === op.kind && groupOf(r.apiVersion) === op.group)) return `but these are the labels the ${op.operator} gives the pods of a ${op.kind} (${op.group}), which may be declared outside the scanned files, so this is not certain`;
    return undefined;
  }

  private podMakers_?: { clusterWide: Set<string>; namespaced: Set<string> };

  /**
   * Workloads in the namespace whose ServiceAccount may create pods, or workloads that make pods, in that
   * namespace (an operator's manager, a storage driver's controller): the pods they make at run time have
   * labels no file shows. Read from the scan's Roles, ClusterRoles and their bindings. Only creators in the
   * selector's own namespace count: one elsewhere with cluster-wide rights makes pods for custom resources,
   * which are judged by themselves.
   */
  podMakingWorkloads(namespace: string): Resource[] {
    if (!this.podMakers_) {
      const all = this.scan?.all ?? this.all;
      const grants = new Set<string>();
      for (const r of all) {
        if (r.kind !== 'Role' && r.kind !== 'ClusterRole') continue;
        const rules = Array.isArray(r.object.rules) ? r.object.rules : [];
        if (rules.some(createsPods)) grants.add(r.kind === 'Role' ? `Role/${r.namespace}/${r.name}` : `ClusterRole//${r.name}`);
      }
      const clusterWide = new Set<string>();
      const namespaced = new Set<string>();
      for (const b of all) {
        if (b.kind !== 'RoleBinding' && b.kind !== 'ClusterRoleBinding') continue;
        const ref = b.object.roleRef;
        if (!ref || typeof ref.name !== 'string') continue;
        const key = ref.kind === 'Role' ? `Role/${b.namespace}/${ref.name}` : `ClusterRole//${ref.name}`;
        if (!grants.has(key)) continue;
        for (const sub of Array.isArray(b.object.subjects) ? b.object.subjects : []) {
          if (sub?.kind !== 'ServiceAccount' || typeof sub.name !== 'string') continue;
          const ns = typeof sub.namespace === 'string' ? sub.namespace : b.namespace;
          // A RoleBinding grants in its own namespace; a ClusterRoleBinding everywhere, the SA's included.
          if (b.kind === 'ClusterRoleBinding') clusterWide.add(`${ns}/${sub.name}`);
          else namespaced.add(`${b.namespace}|${ns}/${sub.name}`);
        }
      }
      this.podMakers_ = { clusterWide, namespaced };
    }
    const { clusterWide, namespaced } = this.podMakers_;
    const out: Resource[] = [];
    for (const t of this.templatesIn(namespace)) {
      const sa = typeof t.spec.serviceAccountName === 'string' ? t.spec.serviceAccountName : typeof t.spec.serviceAccount === 'string' ? t.spec.serviceAccount : 'default';
      const id = `${t.owner.namespace}/${sa}`;
      if (clusterWide.has(id) || namespaced.has(`${namespace}|${id}`)) out.push(t.owner);
    }
    return out;
  }

  private produced_?: Set<string>;

  /**
   * True when the object exists although no scanned manifest declares it: in every namespace (the
   * kube-root-ca.crt ConfigMap, the default ServiceAccount), or made by an operator from a custom resource
   * among the scanned files (controllers.ts).
   */
  created(kind: string, name: string, namespace: string): boolean {
    if (existsInEveryNamespace(kind, name)) return true;
    if (!this.produced_) {
      this.produced_ = new Set();
      for (const r of this.all) for (const o of createdBy(r)) this.produced_.add(nameKey(o.kind, o.name, r.namespace));
    }
    return this.produced_.has(nameKey(kind, name, namespace));
  }

  /**
   * Custom resources in the namespace whose operator is not described in controllers.ts: any of them may
   * create the pods, Services or Secrets a rule looks for. Rules that cannot know say so at info.
   */
  unknownCustomResources(namespace: string): readonly Resource[] {
    return this.all.filter((r) => r.namespace === namespace && isCustomResource(r) && !catalogueEntry(r));
  }

  /** "custom resources X/a, Y/b in namespace n may create it": for findings a rule cannot be sure of. */
  uncertaintyNote(namespace: string, what = 'it', hint: { kind?: string; name?: string; values?: string[] } = {}): string | undefined {
    // A name in an operator's pattern (KubeRay's <cluster>-head-svc): its custom resource may live elsewhere.
    if (hint.kind && hint.name) {
      const m = operatorNameMatch(hint.kind, hint.name);
      if (m) return `but the name is the one the ${m.group} operator gives what it creates for a ${m.kind} named "${m.crName}", which may be created elsewhere, so this is not certain`;
    }
    // Custom resources whose operator is not described: only those whose name the missing object's name (or
    // the selector's values) carries, as operators name what they create after the resource.
    const named = (n: string, cr: string) => n === cr || n.startsWith(`${cr}-`) || n.endsWith(`-${cr}`);
    // (a resource whose pod template is known runs pods with those labels, already matched against the selector)
    const crs = this.unknownCustomResources(namespace).filter(
      (r) => r.name.length >= 3 && ((hint.name !== undefined && named(hint.name, r.name)) || (!podLabelSets(r).length && (hint.values ?? []).some((v) => v === r.name))),
    );
    if (!crs.length) return undefined;
    const ids = [...new Set(crs.map((r) => `${r.kind}/${r.name}`))];
    const names = ids.slice(0, 3).join(', ') + (ids.length > 3 ? `, and ${ids.length - 3} more` : '');
    return `but the custom resource${ids.length > 1 ? 's' : ''} ${names} in the namespace may make ${ids.length > 1 ? 'their operators' : 'its operator'} create ${what}, so this is not certain`;
  }

  private webhookServers_?: Set<Resource>;

  /** True when the workload's pods back an admission webhook or an aggregated API (its Service is named there). */
  servesWebhook(w: Resource): boolean {
    if (!this.webhookServers_) {
      this.webhookServers_ = new Set();
      const services: { name: string; namespace: string }[] = [];
      for (const kind of ['MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration']) {
        for (const c of this.byKind.get(kind) ?? []) for (const h of Array.isArray(c.object.webhooks) ? c.object.webhooks : []) {
          const s = h?.clientConfig?.service;
          if (s && typeof s.name === 'string') services.push({ name: s.name, namespace: typeof s.namespace === 'string' ? s.namespace : 'default' });
        }
      }
      for (const a of this.byKind.get('APIService') ?? []) {
        const s = a.object.spec?.service;
        if (s && typeof s.name === 'string') services.push({ name: s.name, namespace: typeof s.namespace === 'string' ? s.namespace : 'default' });
      }
      for (const s of services) {
        const svc = this.get('Service', s.name, s.namespace);
        if (svc) for (const t of this.selectedTemplates(svc) ?? []) this.webhookServers_.add(t.owner);
      }
    }
    return this.webhookServers_.has(w);
  }

  private secretWriters_?: Set<string>;

  /** True when a Role (or ClusterRole) among the scanned files lets something create Secrets in the namespace at runtime. */
  createsSecretsAtRuntime(namespace: string): boolean {
    if (!this.secretWriters_) {
      this.secretWriters_ = new Set();
      for (const kind of ['Role', 'ClusterRole']) {
        for (const r of this.byKind.get(kind) ?? []) {
          const rules = Array.isArray(r.object.rules) ? r.object.rules : [];
          const writes = rules.some((x: { resources?: unknown; verbs?: unknown }) => Array.isArray(x?.resources) && x.resources.some((res) => res === 'secrets' || res === '*') && Array.isArray(x.verbs) && x.verbs.some((v) => v === 'create' || v === '*'));
          if (writes) this.secretWriters_.add(kind === 'Role' ? r.namespace : '*');
        }
      }
    }
    return this.secretWriters_.has(namespace) || this.secretWriters_.has('*');
  }

}

/** Kinds from API groups that are not Kubernetes' own, minus well-known custom kinds that never run pods. */
const NON_POD_CUSTOM_KINDS = new Set([
  'ServiceMonitor', 'PodMonitor', 'PrometheusRule', 'Probe', 'AlertmanagerConfig', 'ScrapeConfig', 'Certificate', 'CertificateRequest',
  'Issuer', 'ClusterIssuer', 'ExternalSecret', 'ClusterExternalSecret', 'SecretStore', 'ClusterSecretStore', 'SealedSecret',
  'VirtualService', 'DestinationRule', 'Gateway', 'ServiceEntry', 'Sidecar', 'PeerAuthentication', 'AuthorizationPolicy',
  'RequestAuthentication', 'EnvoyFilter', 'HTTPRoute', 'GRPCRoute', 'TCPRoute', 'TLSRoute', 'ReferenceGrant', 'GatewayClass',
  'Middleware', 'IngressRoute', 'ServiceProfile', 'Application', 'AppProject', 'Kustomization', 'HelmRelease', 'HelmRepository',
  'GitRepository', 'ConfigMapGenerator', 'GrafanaDashboard', 'BackendConfig', 'FrontendConfig', 'ManagedCertificate',
]);

/** An RBAC rule that lets its holder create pods or the workloads that make them. */
function createsPods(rule: { apiGroups?: unknown; resources?: unknown; verbs?: unknown }): boolean {
  const list = (v: unknown) => (Array.isArray(v) ? v.map(String) : []);
  const groups = list(rule?.apiGroups);
  const resources = list(rule?.resources);
  const verbs = list(rule?.verbs);
  if (!verbs.some((v) => v === 'create' || v === '*')) return false;
  const core = (groups.includes('') || groups.includes('*')) && resources.some((r) => r === 'pods' || r === '*');
  const apps = (groups.includes('apps') || groups.includes('*')) && resources.some((r) => ['deployments', 'statefulsets', 'daemonsets', 'replicasets', '*'].includes(r));
  const batch = (groups.includes('batch') || groups.includes('*')) && resources.some((r) => ['jobs', 'cronjobs', '*'].includes(r));
  return core || apps || batch;
}

function isCustomResource(r: Resource): boolean {
  const slash = r.apiVersion.indexOf('/');
  if (slash < 0) return false;
  const group = r.apiVersion.slice(0, slash);
  if (!group.includes('.') || group.endsWith('.k8s.io') || group === 'apiextensions.k8s.io') return false;
  return !NON_POD_CUSTOM_KINDS.has(r.kind);
}

function nameKey(kind: string, name: string, namespace: string): string {
  // (joined: one flat string per object in the index, not a template's chain of pieces)
  return [kind, namespace, name].join('\u0000');
}

function push<K, V>(m: Map<K, V[]>, k: K, ...v: V[]): void {
  const a = m.get(k);
  if (a) a.push(...v);
  else m.set(k, [...v]);
}
