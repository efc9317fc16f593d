/** Pod templates of every workload kind, and the replica range each workload can run at. */
import type { Path } from '../types.js';
import type { KubeObject, Resource } from './resource.js';
import { asLabels } from './selectors.js';

export interface PodTemplate {
  /** The workload that owns the template. */
  owner: Resource;
  /** The pod spec (possibly empty). */
  spec: KubeObject;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  /** Path of the template (the object holding metadata and spec) inside the owner; [] for a Pod. */
  path: Path;
}

const TEMPLATE_PATHS: Record<string, Path> = {
  Pod: [],
  Deployment: ['spec', 'template'],
  StatefulSet: ['spec', 'template'],
  DaemonSet: ['spec', 'template'],
  ReplicaSet: ['spec', 'template'],
  ReplicationController: ['spec', 'template'],
  Job: ['spec', 'template'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template'],
  PodTemplate: ['template'],
};

export function podTemplateOf(r: Resource): PodTemplate | undefined {
  const path = TEMPLATE_PATHS[r.kind];
  if (!path) return undefined;
  const t = r.get(path);
  if (!t || typeof t !== 'object') return undefined;
  const tpl = t as KubeObject;
  const spec = tpl.spec && typeof tpl.spec === 'object' ? tpl.spec : {};
  const md = tpl.metadata && typeof tpl.metadata === 'object' ? tpl.metadata : {};
  const annotations = md.annotations && typeof md.annotations === 'object' && !Array.isArray(md.annotations) ? md.annotations : {};
  return { owner: r, spec, labels: asLabels(md.labels), annotations, path };
}

export interface Container {
  container: KubeObject;
  /** Path of the container inside its owner resource. */
  path: Path;
  init: boolean;
}

/** Containers and init containers of a pod template, with their paths. */
export function containersOf(t: PodTemplate): Container[] {
  const out: Container[] = [];
  for (const [field, init] of [
    ['initContainers', true],
    ['containers', false],
  ] as const) {
    const list = t.spec[field];
    if (!Array.isArray(list)) continue;
    list.forEach((c, i) => {
      if (c && typeof c === 'object') out.push({ container: c, path: [...t.path, 'spec', field, i], init });
    });
  }
  return out;
}
