/**
 * Istio as the manifests declare it: which pods get a sidecar, and which mutual-TLS mode a PeerAuthentication
 * puts on a workload's port. Only what the scanned objects say counts: a namespace that is not among the files
 * gives no verdict, so rules built on these stay silent rather than guess.
 */
import type { KubeObject, Resource } from './resource.js';
import type { ResourceGraph } from './graph.js';
import { asLabels, matchesSelector } from './selectors.js';

/** Istio's default root namespace: a PeerAuthentication there without a selector applies to the whole mesh. */
export const ISTIO_ROOT_NAMESPACE = 'istio-system';

export interface Injection {
  /** Why the pods get a sidecar, for messages: 'namespace "shop" is labelled istio-injection=enabled'. */
  because: string;
}

/**
 * Does Istio inject a sidecar into this workload's pods? The pod's `sidecar.istio.io/inject` label (or the
 * older annotation) decides first, then the scanned Namespace's `istio-injection` label or revision label
 * `istio.io/rev`. Undefined when nothing scanned says (the namespace is not among the files, or says nothing),
 * when the pods run on the host network (never injected), or when the namespace uses ambient mode (no sidecar).
 */
export function sidecarInjection(graph: ResourceGraph, w: Resource): Injection | undefined {
  const t = graph.podTemplate(w);
  if (!t || t.spec.hostNetwork === true) return undefined;
  const own = t.labels['sidecar.istio.io/inject'] ?? t.annotations['sidecar.istio.io/inject'];
  if (own === 'false') return undefined;
  const ns = graph.get('Namespace', w.namespace, '');
  const nsLabels = asLabels(ns?.object.metadata?.labels);
  if (nsLabels['istio-injection'] === 'disabled') return undefined;
  if (own === 'true') return { because: `its pods are labelled sidecar.istio.io/inject=true` };
  if (nsLabels['istio.io/dataplane-mode'] === 'ambient') return undefined;
  if (nsLabels['istio-injection'] === 'enabled') return { because: `namespace "${w.namespace}" is labelled istio-injection=enabled` };
  if (nsLabels['istio.io/rev']) return { because: `namespace "${w.namespace}" is labelled istio.io/rev=${nsLabels['istio.io/rev']}` };
  return undefined;
}

export type MtlsMode = 'STRICT' | 'PERMISSIVE' | 'DISABLE';

export interface MtlsVerdict {
  mode: MtlsMode;
  /** The PeerAuthentication that decides, and the path of the field that sets the mode. */
  policy: Resource;
  path: (string | number)[];
}

const MODES = new Set(['STRICT', 'PERMISSIVE', 'DISABLE']);

function modeOf(v: unknown): MtlsMode | undefined {
  return typeof v === 'string' && MODES.has(v) ? (v as MtlsMode) : undefined;
}

const isPeerAuthentication = (r: Resource) => r.apiVersion.startsWith('security.istio.io/');

/**
 * The mutual-TLS mode Istio applies to traffic reaching `port` (a container port) of the workload's pods:
 * a workload PeerAuthentication's port-level mode, then its own mode, then the namespace-wide policy, then the
 * mesh-wide one in the root namespace. Undefined when no scanned PeerAuthentication decides (Istio's default
 * is PERMISSIVE, but a mesh-wide policy may live outside the scan).
 */
export function mtlsModeAt(graph: ResourceGraph, w: Resource, port: number): MtlsVerdict | undefined {
  const t = graph.podTemplate(w);
  if (!t) return undefined;
  const inNs = graph.ofKind('PeerAuthentication', w.namespace).filter(isPeerAuthentication);
  const selecting = inNs.filter((pa) => {
    const sel = pa.object.spec?.selector;
    return sel && typeof sel === 'object' && Object.keys(asLabels((sel as KubeObject).matchLabels)).length > 0 && matchesSelector(sel, t.labels);
  });
  // Istio applies the oldest of several; the manifests carry no creation time, so the first declared stands in.
  const pa = selecting[0];
  if (pa) {
    const plm = pa.object.spec?.portLevelMtls;
    const at = plm && typeof plm === 'object' ? (plm as KubeObject)[String(port)] : undefined;
    const portMode = modeOf(at?.mode);
    if (portMode) return { mode: portMode, policy: pa, path: ['spec', 'portLevelMtls', String(port), 'mode'] };
    const own = modeOf(pa.object.spec?.mtls?.mode);
    if (own) return { mode: own, policy: pa, path: ['spec', 'mtls', 'mode'] };
  }
  const wide = (list: readonly Resource[]) => list.filter(isPeerAuthentication).find((p) => !p.object.spec?.selector && modeOf(p.object.spec?.mtls?.mode));
  const nsWide = wide(inNs);
  if (nsWide) return { mode: modeOf(nsWide.object.spec.mtls.mode)!, policy: nsWide, path: ['spec', 'mtls', 'mode'] };
  const mesh = wide(graph.ofKind('PeerAuthentication', ISTIO_ROOT_NAMESPACE));
  if (mesh) return { mode: modeOf(mesh.object.spec.mtls.mode)!, policy: mesh, path: ['spec', 'mtls', 'mode'] };
  return undefined;
}
