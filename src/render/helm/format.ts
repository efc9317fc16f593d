// `helm template`-style output: split documents, sort by kind install order, hooks last.
import { loadYaml } from './yaml.js';
import { isMap } from './values.js';
import type { RenderResult } from './types.js';

export const INSTALL_ORDER = [
  'PriorityClass', 'Namespace', 'NetworkPolicy', 'ResourceQuota', 'LimitRange', 'PodSecurityPolicy', 'PodDisruptionBudget', 'ServiceAccount',
  'Secret', 'SecretList', 'ConfigMap', 'StorageClass', 'PersistentVolume', 'PersistentVolumeClaim', 'CustomResourceDefinition', 'ClusterRole',
  'ClusterRoleList', 'ClusterRoleBinding', 'ClusterRoleBindingList', 'Role', 'RoleList', 'RoleBinding', 'RoleBindingList', 'Service', 'DaemonSet',
  'Pod', 'ReplicationController', 'ReplicaSet', 'Deployment', 'HorizontalPodAutoscaler', 'StatefulSet', 'Job', 'CronJob', 'IngressClass', 'Ingress',
  'APIService', 'MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration',
];

export interface ManifestDoc {
  template: string;
  content: string;
  kind: string;
  hook: boolean;
}

/** Helm's SplitManifests: split on (?:^|\s*\n)---\s* after trimming; drop empty docs. */
export function splitManifests(text: string): string[] {
  const t = text.trim();
  return t.split(/(?:^|\s*\n)---\s*/).map((d) => d.trim()).filter((d) => d.length > 0);
}

function head(doc: string): { kind: string; hook: boolean } {
  try {
    const v = loadYaml(doc);
    if (!isMap(v)) return { kind: '', hook: false };
    const md = isMap(v.metadata) ? v.metadata : {};
    const ann = isMap(md.annotations) ? md.annotations : {};
    return { kind: typeof v.kind === 'string' ? v.kind : '', hook: Object.prototype.hasOwnProperty.call(ann, 'helm.sh/hook') };
  } catch {
    return { kind: '', hook: false };
  }
}

export function sortByKind<T extends { kind: string }>(docs: T[]): T[] {
  const order = new Map(INSTALL_ORDER.map((k, i) => [k, i]));
  return docs
    .map((d, i) => ({ d, i }))
    .sort((a, b) => {
      const oa = order.get(a.d.kind), ob = order.get(b.d.kind);
      if (oa === undefined && ob === undefined) {
        if (a.d.kind !== b.d.kind) return a.d.kind < b.d.kind ? -1 : 1;
        return a.i - b.i;
      }
      if (oa === undefined) return 1;
      if (ob === undefined) return -1;
      return oa !== ob ? oa - ob : a.i - b.i;
    })
    .map((x) => x.d);
}

export function manifestDocs(result: Pick<RenderResult, 'templates'>): { manifests: ManifestDoc[]; hooks: ManifestDoc[] } {
  const generic: ManifestDoc[] = [];
  const hooks: ManifestDoc[] = [];
  const tpls = [...result.templates].sort((a, b) => (a.template < b.template ? -1 : a.template > b.template ? 1 : 0));
  for (const t of tpls) {
    if (t.text.trim() === '') continue;
    for (const content of splitManifests(t.text)) {
      const h = head(content);
      (h.hook ? hooks : generic).push({ template: t.template, content, kind: h.kind, hook: h.hook });
    }
  }
  return { manifests: sortByKind(generic), hooks: sortByKind(hooks) };
}

/** The text stream `helm template` prints for a rendered chart. */
export function formatAsHelmTemplate(result: Pick<RenderResult, 'templates'>): string {
  const { manifests, hooks } = manifestDocs(result);
  let m = '';
  for (const d of manifests) m += `---\n# Source: ${d.template}\n${d.content}\n`;
  let out = m.trim() + '\n';
  for (const d of hooks) out += `---\n# Source: ${d.template}\n${d.content}\n`;
  return out;
}
