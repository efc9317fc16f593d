/**
 * Objects that act on the whole cluster, seen by every deployment unit of a scan: admission webhooks mutate
 * objects whichever unit deploys them (as CustomResourceDefinitions validate them, src/schema/crd.ts). Set per
 * run by the engine.
 */
import type { Resource } from './resource.js';

let byKind = new Map<string, Resource[]>();

/** Kinds that act cluster-wide, whichever unit of the scan declares them. */
const SCAN_WIDE_KINDS = new Set(['MutatingWebhookConfiguration', 'ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding', 'Namespace', 'CustomResourceDefinition']);

export function setScanWide(resources: readonly Resource[]): void {
  byKind = new Map();
  for (const r of resources) {
    if (!SCAN_WIDE_KINDS.has(r.kind)) continue;
    let l = byKind.get(r.kind);
    if (!l) byKind.set(r.kind, (l = []));
    l.push(r);
  }
}

/** The scan's objects of a cluster-wide kind (SCAN_WIDE_KINDS), whatever unit holds them. */
export function scanWideOfKind(kind: string): readonly Resource[] {
  return byKind.get(kind) ?? [];
}
