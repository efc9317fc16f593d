/** What a pod template refers to by name: claims, ConfigMaps, Secrets, its ServiceAccount. */
import type { Path } from '../types.js';
import type { KubeObject } from './resource.js';
import { containersOf, type PodTemplate } from './workloads.js';

export type RefKind = 'ConfigMap' | 'Secret' | 'PersistentVolumeClaim' | 'ServiceAccount';

export interface PodRef {
  kind: RefKind;
  name: string;
  /** Path of the name scalar inside the owner resource. */
  path: Path;
  /** `optional: true` on the reference: a missing object is fine. */
  optional: boolean;
  /** How it is referenced, for messages: "volume config", "envFrom", "env DB_URL". */
  via: string;
  /** The key for configMapKeyRef / secretKeyRef and keyed volume items. */
  keys?: string[];
  /** Container name for env/envFrom references. */
  container?: string;
  /** Volume name for volume references. */
  volume?: string;
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v ? v : typeof v === 'number' ? String(v) : undefined;
}

function obj(v: unknown): KubeObject | undefined {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as KubeObject) : undefined;
}

function arr(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

function itemKeys(items: unknown): string[] | undefined {
  const keys = arr(items)
    .map((i) => str(obj(i)?.key))
    .filter((k): k is string => !!k);
  return keys.length ? keys : undefined;
}

/** Every by-name reference a pod template makes. */
export function podRefs(t: PodTemplate): PodRef[] {
  const out: PodRef[] = [];
  const base: Path = [...t.path, 'spec'];
  const spec = t.spec;

  const sa = str(spec.serviceAccountName) ?? str(spec.serviceAccount);
  if (sa && sa !== 'default') {
    out.push({ kind: 'ServiceAccount', name: sa, path: [...base, spec.serviceAccountName !== undefined ? 'serviceAccountName' : 'serviceAccount'], optional: false, via: 'serviceAccountName' });
  }

  arr(spec.imagePullSecrets).forEach((s, i) => {
    const name = str(obj(s)?.name);
    if (name) out.push({ kind: 'Secret', name, path: [...base, 'imagePullSecrets', i, 'name'], optional: false, via: 'imagePullSecrets' });
  });

  // A StatefulSet replaces a pod volume that has the name of one of its volumeClaimTemplates.
  const templated = t.owner.kind === 'StatefulSet' ? claimTemplatesOf(obj(t.owner.object.spec)) : undefined;
  arr(spec.volumes).forEach((v0, i) => {
    const v = obj(v0);
    if (!v) return;
    if (templated && typeof v.name === 'string' && templated.has(v.name)) return;
    const vp: Path = [...base, 'volumes', i];
    const vol = str(v.name);
    const pvc = obj(v.persistentVolumeClaim);
    const claim = str(pvc?.claimName);
    if (claim) out.push({ kind: 'PersistentVolumeClaim', name: claim, path: [...vp, 'persistentVolumeClaim', 'claimName'], optional: false, via: `volume ${vol ?? i}`, volume: vol });
    const cm = obj(v.configMap);
    const cmName = str(cm?.name);
    if (cmName) out.push({ kind: 'ConfigMap', name: cmName, path: [...vp, 'configMap', 'name'], optional: cm?.optional === true, via: `volume ${vol ?? i}`, volume: vol, keys: itemKeys(cm?.items) });
    const sec = obj(v.secret);
    const secName = str(sec?.secretName);
    if (secName) out.push({ kind: 'Secret', name: secName, path: [...vp, 'secret', 'secretName'], optional: sec?.optional === true, via: `volume ${vol ?? i}`, volume: vol, keys: itemKeys(sec?.items) });
    arr(obj(v.projected)?.sources).forEach((s0, j) => {
      const s = obj(s0);
      if (!s) return;
      for (const [field, kind] of [
        ['configMap', 'ConfigMap'],
        ['secret', 'Secret'],
      ] as const) {
        const src = obj(s[field]);
        const n = str(src?.name);
        if (n) out.push({ kind, name: n, path: [...vp, 'projected', 'sources', j, field, 'name'], optional: src?.optional === true, via: `projected volume ${vol ?? i}`, volume: vol, keys: itemKeys(src?.items) });
      }
    });
  });

  for (const c of containersOf(t)) {
    const cname = str(c.container.name);
    arr(c.container.envFrom).forEach((e0, i) => {
      const e = obj(e0);
      if (!e) return;
      for (const [field, kind] of [
        ['configMapRef', 'ConfigMap'],
        ['secretRef', 'Secret'],
      ] as const) {
        const r = obj(e[field]);
        const n = str(r?.name);
        if (n) out.push({ kind, name: n, path: [...c.path, 'envFrom', i, field, 'name'], optional: r?.optional === true, via: 'envFrom', container: cname });
      }
    });
    arr(c.container.env).forEach((e0, i) => {
      const e = obj(e0);
      const vf = obj(e?.valueFrom);
      if (!vf) return;
      for (const [field, kind] of [
        ['configMapKeyRef', 'ConfigMap'],
        ['secretKeyRef', 'Secret'],
      ] as const) {
        const r = obj(vf[field]);
        const n = str(r?.name);
        const key = str(r?.key);
        if (n) out.push({ kind, name: n, path: [...c.path, 'env', i, 'valueFrom', field, 'name'], optional: r?.optional === true, via: `env ${str(e?.name) ?? i}`, container: cname, keys: key ? [key] : undefined });
      }
    });
  }
  return out;
}

/** StatefulSet volumeClaimTemplates by name (per-replica claims). */
export function claimTemplatesOf(spec: KubeObject | undefined): Map<string, { index: number; spec: KubeObject }> {
  const out = new Map<string, { index: number; spec: KubeObject }>();
  arr(spec?.volumeClaimTemplates).forEach((v0, i) => {
    const v = obj(v0);
    const n = str(obj(v?.metadata)?.name);
    if (n) out.set(n, { index: i, spec: obj(v?.spec) ?? {} });
  });
  return out;
}
