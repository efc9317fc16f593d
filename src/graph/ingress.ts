/** Ingress backends (networking.k8s.io/v1 and the old v1beta1 shape) with their paths. */
import type { Path } from '../types.js';
import type { KubeObject, Resource } from './resource.js';

export interface IngressBackend {
  service: string;
  /** Port number or name; undefined when absent. */
  port?: number | string;
  /** Path of the service name and of the port inside the Ingress. */
  namePath: Path;
  portPath: Path;
}

function backendOf(b: unknown, base: Path): IngressBackend | undefined {
  if (!b || typeof b !== 'object') return undefined;
  const o = b as KubeObject;
  if (o.service && typeof o.service === 'object' && typeof o.service.name === 'string') {
    const p = o.service.port ?? {};
    const port = typeof p.number === 'number' ? p.number : typeof p.name === 'string' ? p.name : undefined;
    return { service: o.service.name, port, namePath: [...base, 'service', 'name'], portPath: [...base, 'service', 'port', typeof p.number === 'number' ? 'number' : 'name'] };
  }
  if (typeof o.serviceName === 'string') {
    const port = typeof o.servicePort === 'number' || typeof o.servicePort === 'string' ? o.servicePort : undefined;
    return { service: o.serviceName, port, namePath: [...base, 'serviceName'], portPath: [...base, 'servicePort'] };
  }
  return undefined;
}

export function ingressBackends(ing: Resource): IngressBackend[] {
  const spec = ing.object.spec ?? {};
  const out: IngressBackend[] = [];
  const def = backendOf(spec.defaultBackend ?? spec.backend, ['spec', spec.defaultBackend ? 'defaultBackend' : 'backend']);
  if (def) out.push(def);
  (Array.isArray(spec.rules) ? spec.rules : []).forEach((rule: KubeObject, i: number) => {
    const paths = rule?.http?.paths;
    if (!Array.isArray(paths)) return;
    paths.forEach((p: KubeObject, j: number) => {
      const b = backendOf(p?.backend, ['spec', 'rules', i, 'http', 'paths', j, 'backend']);
      if (b) out.push(b);
    });
  });
  return out;
}
