/** Where a workload serves metrics: annotations, ServiceMonitors/PodMonitors, METRICS_PORT-style settings. */
import type { Path } from '../types.js';
import type { KubeObject, Resource } from './resource.js';
import type { ResourceGraph } from './graph.js';
import { keyWords } from './credentials.js';
import { settingsOf } from './settings.js';
import { containerPortsOf, findPort, toNumber } from './scaling.js';

export interface MetricsPort {
  port: number;
  /** For messages: 'annotation prometheus.io/port', 'ServiceMonitor "api" endpoint "metrics"', 'env METRICS_PORT'. */
  source: string;
  resource: Resource;
  path: Path;
  kind: 'annotation' | 'monitor' | 'setting';
}

/** A METRICS_PORT-style setting: its port, or undefined. */
export function metricsPortSetting(key: string, value: string): number | undefined {
  const w = keyWords(key);
  if (!w.some((x) => x === 'metrics' || x === 'prometheus' || x === 'telemetry')) return undefined;
  const v = value.trim().replace(/^["']|["']$/g, '');
  if (w.includes('port')) {
    const n = toNumber(v);
    return n !== undefined && n > 0 && n < 65536 ? n : undefined;
  }
  if (w.some((x) => ['addr', 'address', 'listen', 'bind', 'endpoint'].includes(x))) {
    const m = /^(?:[a-z]+:\/\/)?(?:[\w.-]*|\[[0-9a-f:]*\]):(\d{2,5})(?:\/.*)?$/i.exec(v);
    const n = m ? Number(m[1]) : undefined;
    return n !== undefined && n > 0 && n < 65536 ? n : undefined;
  }
  return undefined;
}

/** Ports the application is told to serve metrics on through its env or ConfigMaps. */
export function metricsSettingsOf(graph: ResourceGraph, w: Resource): MetricsPort[] {
  const out: MetricsPort[] = [];
  for (const s of settingsOf(graph, w)) {
    if (s.file || s.key === 'command' || s.key === 'args') continue;
    const port = metricsPortSetting(s.key, s.value);
    if (port !== undefined) out.push({ port, source: s.where, resource: s.resource, path: s.path, kind: 'setting' });
  }
  return out;
}

function servicePortTarget(svc: Resource, name: string): unknown {
  const ports = svc.object.spec?.ports;
  if (!Array.isArray(ports)) return undefined;
  const p = ports.find((x: KubeObject) => x?.name === name);
  return p ? (p.targetPort ?? p.port) : undefined;
}

/** Every port something scrapes metrics from on this workload's pods (resolved to a number where possible). */
export function metricsPortsOf(graph: ResourceGraph, w: Resource): readonly MetricsPort[] {
  return graph.derived(metricsPortsOf, w, () => collectMetricsPorts(graph, w));
}

function collectMetricsPorts(graph: ResourceGraph, w: Resource): MetricsPort[] {
  const t = graph.podTemplate(w);
  if (!t) return [];
  const ports = containerPortsOf(t);
  const out: MetricsPort[] = [];
  const ann = toNumber(t.annotations['prometheus.io/port']);
  if (ann !== undefined) out.push({ port: ann, source: 'annotation prometheus.io/port', resource: w, path: [...t.path, 'metadata', 'annotations', 'prometheus.io/port'], kind: 'annotation' });
  const services = graph.selectorsOf(w, 'Service');
  for (const svc of services) {
    const a = toNumber(svc.annotations['prometheus.io/port']);
    if (a !== undefined) out.push({ port: a, source: `annotation prometheus.io/port of Service "${svc.name}"`, resource: svc, path: ['metadata', 'annotations', 'prometheus.io/port'], kind: 'annotation' });
  }
  const monitors = new Map<Resource, Resource[]>();
  for (const svc of services) for (const sm of graph.monitorsOfService(svc)) monitors.set(sm, [...(monitors.get(sm) ?? []), svc]);
  for (const [sm, selected] of monitors) {
    const eps = sm.object.spec?.endpoints;
    if (!Array.isArray(eps)) continue;
    eps.forEach((ep: KubeObject, i: number) => {
      let target: unknown = ep?.targetPort;
      if (target === undefined && typeof ep?.port === 'string') for (const s of selected) target ??= servicePortTarget(s, ep.port);
      const resolved = findPort(ports, target)?.port ?? toNumber(target);
      if (resolved !== undefined) out.push({ port: resolved, source: `ServiceMonitor "${sm.name}" endpoint ${ep.port ?? ep.targetPort}`, resource: sm, path: ['spec', 'endpoints', i, ep?.port !== undefined ? 'port' : 'targetPort'], kind: 'monitor' });
    });
  }
  for (const pm of graph.selectorsOf(w, 'PodMonitor')) {
    const eps = pm.object.spec?.podMetricsEndpoints;
    if (!Array.isArray(eps)) continue;
    eps.forEach((ep: KubeObject, i: number) => {
      const resolved = findPort(ports, ep?.port ?? ep?.portNumber ?? ep?.targetPort)?.port ?? toNumber(ep?.portNumber ?? ep?.targetPort);
      if (resolved !== undefined) out.push({ port: resolved, source: `PodMonitor "${pm.name}" endpoint ${ep.port ?? ep.portNumber ?? ep.targetPort}`, resource: pm, path: ['spec', 'podMetricsEndpoints', i, 'port'], kind: 'monitor' });
    });
  }
  out.push(...metricsSettingsOf(graph, w));
  return out;
}
