import { defineRule } from '../src/rule.js';
import { containersOf } from '../src/graph/workloads.js';
import { imageName, STATEFUL_SERVERS } from '../src/graph/images.js';
import { describeCount } from '../src/graph/scaling.js';

const REPLICATION_HINT = /replica|replication|cluster|sentinel|slaveof|patroni|repmgr|galera|wsrep|group[_-]?replication|rs\.initiate|--replSet|change\s+(master|replication\s+source)\s+to|start\s+(slave|replica)|xtrabackup|pg_basebackup|primary_conninfo|server[-_]id/i;

export default defineRule({
  id: 'database-deployment-scaled',
  meta: {
    description: 'Forbid running a single-primary database or cache (PostgreSQL, MySQL, MongoDB, Redis) as several interchangeable replicas',
    category: 'reliability',
    severity: 'error',
    recommended: true,
    kinds: ['Deployment', 'ReplicaSet', 'ReplicationController', 'DaemonSet', 'StatefulSet'],
    messages: {
      deployment:
        '{{kind}} "{{name}}" runs {{server}} ({{image}}) and can run {{count}} ({{source}}); each replica is an independent server with its own data, so the Service load-balances clients across databases that disagree, and writes land on whichever pod answered',
      statefulset:
        'StatefulSet "{{name}}" runs {{count}} of {{server}} ({{image}}) ({{source}}) without any replication setup in its env or args; each pod is an independent primary with its own volume, so clients behind the Service see different data depending on the pod they reach',
    },
    docs: {
      rationale:
        'PostgreSQL, MySQL/MariaDB, MongoDB and Redis are single-primary servers: replicas only exist if the servers are told to replicate (primary/replica roles, a replica set, Redis replicaof or cluster mode, an operator such as CloudNativePG, Patroni or the Bitnami replication charts). Scaling the pods of a Deployment (or an HPA on it) starts several unrelated primaries, each with its own data directory: reads and writes scatter across them, and a shared volume makes it worse (two postmasters on one PGDATA corrupt it). A StatefulSet gives each pod its own volume but still no replication unless configured; the rule accepts a StatefulSet whose env or args mention replication, replicas, a cluster or sentinel mode.',
      remediation:
        'Run one replica (a StatefulSet with replicas: 1 and a volumeClaimTemplate), or use an operator or chart that sets up replication and failover (CloudNativePG, Zalando/Crunchy operators, Percona, MongoDB Community operator, Bitnami redis with architecture: replication, Redis Sentinel or Cluster), or a managed database.',
    },
  },
  check(w, ctx) {
    const range = ctx.graph.replicaRange(w);
    if (range.max <= 1) return;
    const t = ctx.graph.podTemplate(w);
    if (!t) return;
    for (const c of containersOf(t)) {
      if (c.init) continue;
      const name = imageName(c.container.image);
      const server = STATEFUL_SERVERS[name];
      if (!server) continue;
      const data = { kind: w.kind, name: w.name, server, image: String(c.container.image), count: describeCount(range), source: range.source };
      const related = range.resource !== w ? [{ resource: range.resource, path: [...range.path], message: range.source }] : [];
      if (w.kind === 'StatefulSet') {
        // Replication is often set up by an init container and a sidecar (the canonical replicated MySQL:
        // server-id per ordinal, xtrabackup clone, CHANGE MASTER TO): look at every container of the pod.
        const text = JSON.stringify(containersOf(t).map((x) => [x.container.env ?? [], x.container.args ?? [], x.container.command ?? []]));
        if (REPLICATION_HINT.test(text)) return;
        ctx.report({ messageId: 'statefulset', path: range.resource === w ? [...range.path] : [...c.path, 'image'], data, related });
        return;
      }
      ctx.report({ messageId: 'deployment', path: range.resource === w && w.kind !== 'DaemonSet' ? [...range.path] : [...c.path, 'image'], data, related });
      return;
    }
  },
});
