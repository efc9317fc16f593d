import { describeCount } from '../src/graph/scaling.js';
import { defineRule, type Related } from '../src/rule.js';
import { settingsOf } from '../src/graph/settings.js';
import { containersOf } from '../src/graph/workloads.js';
import { detectEmbeddedDb, detectEmbeddedDbInArgs, detectEmbeddedDbInText, type EmbeddedDb } from '../src/graph/embedded-db.js';
import { redactUrls } from '../src/graph/credentials.js';
import type { Path } from '../src/types.js';
import type { Resource } from '../src/graph/resource.js';

export default defineRule({
  id: 'single-writer-db-scaled',
  meta: {
    description: 'Forbid embedded single-writer databases such as SQLite in workloads that run more than one pod',
    category: 'reliability',
    severity: 'error',
    recommended: true,
    kinds: ['Workload'],
    messages: {
      scaled:
        '{{kind}} "{{workload}}" uses {{engine}} ({{where}}: {{evidence}}) but can run {{count}} ({{source}}); {{engine}} allows one writer, so replicas either lock each other out ("database is locked"), corrupt a shared file, or each write to a private copy and serve diverging data',
    },
    docs: {
      rationale:
        'SQLite, BoltDB/bbolt, LevelDB, RocksDB and file-mode H2 or Derby are embedded, single-writer stores: one process owns the file. Behind a Deployment with several replicas, an HPA or a DaemonSet, the pods either share the file over a network volume (lock contention, corruption on NFS-style storage, Multi-Attach errors on ReadWriteOnce) or each get a private copy, so writes land on whichever replica served the request and reads disagree. The rule looks for the database in literal env values, command and args, and the ConfigMap keys the workload consumes (envFrom, configMapKeyRef, mounted config files), and names the setting and where the replica count comes from (replicas, an HPA\'s maxReplicas, one pod per node). StatefulSets are only flagged when they mount a shared claim, since per-replica volumes may be intended (each replica its own store).',
      remediation:
        'Run the workload as a single replica (`replicas: 1`, no HPA, `strategy: Recreate`), or move the data to a client/server database (PostgreSQL, MySQL) or a replicated store built for it (rqlite, LiteFS, dqlite) before scaling out.',
      references: ['https://www.sqlite.org/whentouse.html', 'https://www.sqlite.org/lockingv3.html#how_to_corrupt'],
    },
  },
  check(w, ctx) {
    const g = ctx.graph;
    const t = g.podTemplate(w);
    if (!t) return;
    const range = g.replicaRange(w);
    if (range.max <= 1) return;
    if (w.kind === 'StatefulSet' && !g.refsOf(w).some((r) => r.kind === 'PersistentVolumeClaim')) return;
    const count = describeCount(range);
    const related: Related[] = range.resource !== w ? [{ resource: range.resource, path: [...range.path], message: range.source }] : [];
    const seen = new Set<string>();
    const report = (db: EmbeddedDb, where: string, resource: Resource, path: Path) => {
      const id = `${resource.key}\u0000${path.join('.')}`;
      if (seen.has(id)) return;
      seen.add(id);
      ctx.report({
        messageId: 'scaled',
        resource,
        path,
        data: { kind: w.kind, workload: w.name, engine: db.engine, where: db.setting ? `${where}, setting ${db.setting}` : where, evidence: redactUrls(db.evidence), count, source: range.source },
        related: resource === w ? related : [...related, { resource: w, path: ['metadata', 'name'], message: `consumed by ${w.kind} "${w.name}"` }],
      });
    };
    for (const s of settingsOf(g, w)) {
      if (s.key === 'command' || s.key === 'args') continue;
      const db = s.file ? detectEmbeddedDbInText(s.value) : detectEmbeddedDb(s.key, s.value);
      if (db) report(db, s.where, s.resource, s.path);
    }
    for (const c of containersOf(t)) {
      for (const field of ['command', 'args'] as const) {
        const list = c.container[field];
        if (!Array.isArray(list)) continue;
        const hit = detectEmbeddedDbInArgs(list.map(String));
        if (hit) report(hit.db, `${field} of container "${c.container.name}"`, w, [...c.path, field, hit.index]);
      }
    }
  },
});
