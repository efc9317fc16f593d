/** What an HPA scales on and what a VPA controls. */
import type { Path } from '../types.js';
import type { KubeObject, Resource } from './resource.js';

export interface HpaResourceMetric {
  resource: 'cpu' | 'memory' | string;
  /** 'Utilization' (percent of requests) or 'AverageValue' / 'Value'. */
  targetType: string;
  container?: string;
  path: Path;
}

/** Resource metrics of an HPA (v2 Resource/ContainerResource, v1 targetCPUUtilizationPercentage, v2 default cpu 80%). */
export function hpaResourceMetrics(hpa: Resource): HpaResourceMetric[] {
  const spec = hpa.object.spec ?? {};
  const out: HpaResourceMetric[] = [];
  if (spec.targetCPUUtilizationPercentage !== undefined) out.push({ resource: 'cpu', targetType: 'Utilization', path: ['spec', 'targetCPUUtilizationPercentage'] });
  if (Array.isArray(spec.metrics)) {
    spec.metrics.forEach((m: KubeObject, i: number) => {
      if (!m || typeof m !== 'object') return;
      const field = m.type === 'ContainerResource' ? 'containerResource' : m.type === 'Resource' ? 'resource' : undefined;
      const r = field ? m[field] : undefined;
      if (!r || typeof r.name !== 'string') return;
      // v2: target.type; v2beta1: targetAverageUtilization / targetAverageValue.
      const targetType = r.target?.type ?? (r.targetAverageUtilization !== undefined ? 'Utilization' : r.targetAverageValue !== undefined ? 'AverageValue' : 'Utilization');
      out.push({ resource: r.name, targetType, container: typeof r.container === 'string' ? r.container : undefined, path: ['spec', 'metrics', i, field!, 'name'] });
    });
  } else if (spec.targetCPUUtilizationPercentage === undefined && /autoscaling\/v2/.test(hpa.apiVersion)) {
    out.push({ resource: 'cpu', targetType: 'Utilization', path: ['spec'] }); // v2 default: 80% cpu
  }
  return out;
}

/** The update mode of a VPA (absent = Auto) and whether it actively changes pods. */
export function vpaMode(vpa: Resource): { mode: string; active: boolean; path: Path } {
  const p = vpa.object.spec?.updatePolicy;
  const mode = typeof p?.updateMode === 'string' ? p.updateMode : 'Auto';
  return { mode, active: ['Auto', 'Recreate', 'InPlaceOrRecreate'].includes(mode), path: p?.updateMode !== undefined ? ['spec', 'updatePolicy', 'updateMode'] : ['spec'] };
}

/** Resources a VPA controls for a container (default cpu and memory; `mode: Off` policies control nothing). */
export function vpaControls(vpa: Resource, container: string): string[] {
  const policies = vpa.object.spec?.resourcePolicy?.containerPolicies;
  let policy: KubeObject | undefined;
  if (Array.isArray(policies)) policy = policies.find((p) => p?.containerName === container) ?? policies.find((p) => p?.containerName === '*');
  if (policy?.mode === 'Off') return [];
  const cr = policy?.controlledResources;
  return Array.isArray(cr) ? cr.map(String) : ['cpu', 'memory'];
}
