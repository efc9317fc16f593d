/** NetworkPolicy semantics: which policies isolate a workload, and whether their rules admit a port. */
import type { KubeObject, Resource } from './resource.js';
import type { ResourceGraph } from './graph.js';
import { toNumber } from './scaling.js';

export type Direction = 'Ingress' | 'Egress';

/** Policy types of a NetworkPolicy, with the API default (Ingress, plus Egress when egress rules exist). */
export function policyTypes(np: Resource): Direction[] {
  const spec = np.object.spec ?? {};
  if (Array.isArray(spec.policyTypes) && spec.policyTypes.length) return spec.policyTypes.filter((t: unknown): t is Direction => t === 'Ingress' || t === 'Egress');
  return Array.isArray(spec.egress) ? ['Ingress', 'Egress'] : ['Ingress'];
}

/** NetworkPolicies that select the workload's pods and isolate them in the given direction. */
export function isolatingPolicies(graph: ResourceGraph, w: Resource, dir: Direction): Resource[] {
  // NetworkPolicies do not apply to pods on the host network.
  if (graph.podTemplate(w)?.spec.hostNetwork === true) return [];
  return graph.selectorsOf(w, 'NetworkPolicy').filter((np) => policyTypes(np).includes(dir));
}

export interface PolicyRule {
  policy: Resource;
  index: number;
  rule: KubeObject;
  /** from / to peers; empty = everyone. */
  peers: KubeObject[];
}

export function rulesOf(np: Resource, dir: Direction): PolicyRule[] {
  const list = np.object.spec?.[dir === 'Ingress' ? 'ingress' : 'egress'];
  if (!Array.isArray(list)) return [];
  const field = dir === 'Ingress' ? 'from' : 'to';
  return list
    .map((rule: unknown, index: number) => ({ rule, index }))
    .filter((x): x is { rule: KubeObject; index: number } => !!x.rule && typeof x.rule === 'object')
    .map(({ rule, index }) => ({ policy: np, index, rule, peers: Array.isArray(rule[field]) ? rule[field].filter((p: unknown) => p && typeof p === 'object') : [] }));
}

/** Does a rule's port list admit this port? Absent or empty `ports` admits all ports. */
export function ruleAdmitsPort(rule: KubeObject, port: number, protocol = 'TCP', names: readonly string[] = []): boolean {
  const ports = rule.ports;
  if (!Array.isArray(ports) || ports.length === 0) return true;
  return ports.some((p: KubeObject) => {
    if (!p || typeof p !== 'object') return false;
    const proto = typeof p.protocol === 'string' ? p.protocol : 'TCP';
    if (proto !== protocol) return false;
    if (p.port === undefined || p.port === null) return true;
    const n = toNumber(p.port);
    if (n !== undefined) {
      const end = toNumber(p.endPort);
      return end !== undefined ? port >= n && port <= end : port === n;
    }
    return typeof p.port === 'string' && names.includes(p.port);
  });
}
