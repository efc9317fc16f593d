/** Services a workload is configured to talk to: URLs and host:port settings that name a scanned Service. */
import type { Path } from '../types.js';
import type { KubeObject, Resource } from './resource.js';
import type { ResourceGraph } from './graph.js';
import { settingsOf } from './settings.js';
import { keyWords } from './credentials.js';
import { toNumber } from './scaling.js';

export interface Dependency {
  service: Resource;
  /** The Service port entry used. */
  servicePort: KubeObject;
  /** Where the setting is written, for messages and positions. */
  where: string;
  resource: Resource;
  path: Path;
  /** host:port as written. */
  address: string;
}

const DEFAULT_PORTS: Record<string, number> = {
  postgres: 5432, postgresql: 5432, redis: 6379, rediss: 6379, mysql: 3306, mariadb: 3306, mongodb: 27017, amqp: 5672,
  amqps: 5671, http: 80, https: 443, nats: 4222, kafka: 9092, grpc: 443,
};

/** Resolve a DNS name to a Service among the scanned files: name, name.ns, name.ns.svc, name.ns.svc.cluster.local. */
function serviceFor(g: ResourceGraph, host: string, ns: string): Resource | undefined {
  const parts = host.toLowerCase().replace(/\.$/, '').split('.');
  if (parts.length === 1) return g.get('Service', parts[0], ns);
  if (parts.length === 2 || (parts.length >= 3 && parts[2] === 'svc')) return g.get('Service', parts[0], parts[1]);
  return undefined;
}

function pickPort(svc: Resource, port: number | undefined): KubeObject | undefined {
  const ports: KubeObject[] = Array.isArray(svc.object.spec?.ports) ? svc.object.spec.ports.filter((p: unknown) => p && typeof p === 'object') : [];
  if (port !== undefined) return ports.find((p) => toNumber(p.port) === port);
  return ports.length === 1 ? ports[0] : undefined;
}

const URL_RE = /\b([a-z][a-z0-9+.-]*):\/\/(?:[^@\s/]*@)?([a-z0-9][a-z0-9.-]*)(?::(\d{1,5}))?/gi;
const HOSTPORT_RE = /^([a-z0-9][a-z0-9.-]*):(\d{1,5})$/i;

export function dependenciesOf(g: ResourceGraph, w: Resource): Dependency[] {
  const out: Dependency[] = [];
  const seen = new Set<string>();
  const add = (host: string, port: number | undefined, s: { resource: Resource; path: Path; where: string }) => {
    const svc = serviceFor(g, host, w.namespace);
    if (!svc || svc.object.spec?.type === 'ExternalName') return;
    const sp = pickPort(svc, port);
    if (!sp) return;
    const id = `${svc.key}:${sp.port}`;
    if (seen.has(id)) return;
    seen.add(id);
    out.push({ service: svc, servicePort: sp, where: s.where, resource: s.resource, path: s.path, address: `${host}:${sp.port}` });
  };
  for (const s of settingsOf(g, w)) {
    if (s.file || s.key === 'command' || s.key === 'args') continue;
    const v = s.value.trim();
    URL_RE.lastIndex = 0;
    let m: RegExpExecArray | null;
    let matched = false;
    while ((m = URL_RE.exec(v))) {
      matched = true;
      add(m[2], m[3] ? Number(m[3]) : DEFAULT_PORTS[m[1].toLowerCase()], s);
    }
    if (matched) continue;
    const hp = HOSTPORT_RE.exec(v);
    if (hp) {
      add(hp[1], Number(hp[2]), s);
      continue;
    }
    const words = keyWords(s.key);
    if (words[words.length - 1] === 'host' || words[words.length - 1] === 'hostname') add(v, undefined, s);
  }
  return out;
}
