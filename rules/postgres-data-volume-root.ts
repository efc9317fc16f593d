import { defineRule } from '../src/rule.js';
import { containersOf } from '../src/util/pod.js';
import { imageName } from '../src/graph/images.js';

/** The image's tag as a major version, when it reads as one ("16.4-alpine" -> 16). */
function majorOf(image: string): number | undefined {
  const tag = /:([^@/]+)$/.exec(image.split('@')[0])?.[1];
  const m = tag ? /^(\d+)/.exec(tag) : null;
  return m ? Number(m[1]) : undefined;
}

export default defineRule({
  id: 'postgres-data-volume-root',
  meta: {
    description: 'Report PostgreSQL whose data directory is the root of a persistent volume',
    category: 'storage',
    severity: 'warning',
    recommended: true,
    kinds: ['Workload'],
    messages: {
      root:
        'Container "{{container}}" keeps PostgreSQL\'s data directory ({{pgdata}}) at the root of volume "{{volume}}": a freshly formatted block volume holds lost+found there, and initdb refuses a non-empty directory, so the first start fails (initdb: directory exists but is not empty)',
    },
    docs: {
      rationale:
        'The official postgres image (up to 17) initialises its cluster in PGDATA, /var/lib/postgresql/data by default. Mounting a persistent volume exactly there makes the volume\'s root the data directory; ext4 and xfs block volumes (EBS, Persistent Disk, Azure Disk, most CSI drivers) come with lost+found in their root, and initdb stops because the directory is not empty. It works on some storage and fails on the next cluster, which is why it survives review.',
      remediation:
        'Point PGDATA at a subdirectory of the mount (`PGDATA=/var/lib/postgresql/data/pgdata`), or mount the volume one level up (at /var/lib/postgresql, as the postgres 18 image expects) or with `subPath: pgdata`.',
    },
  },
  check(r, ctx) {
    const t = ctx.graph.podTemplate(r);
    if (!t) return;
    const claims = new Set<string>();
    for (const v of Array.isArray(t.spec.volumes) ? t.spec.volumes : []) if (v?.persistentVolumeClaim && typeof v.name === 'string') claims.add(v.name);
    for (const vct of Array.isArray(r.object.spec?.volumeClaimTemplates) ? r.object.spec.volumeClaimTemplates : []) if (typeof vct?.metadata?.name === 'string') claims.add(vct.metadata.name);
    if (!claims.size) return;
    for (const x of containersOf(r)) {
      if (x.init || imageName(x.c.image) !== 'postgres') continue;
      const major = majorOf(String(x.c.image));
      const env = Array.isArray(x.c.env) ? (x.c.env as Record<string, unknown>[]) : [];
      const pgEnv = env.find((e) => e?.name === 'PGDATA');
      if (pgEnv && typeof pgEnv.value !== 'string') continue; // from a ConfigMap or Secret: unknown
      const pgdata = (typeof pgEnv?.value === 'string' ? pgEnv.value : major !== undefined && major >= 18 ? '' : '/var/lib/postgresql/data').replace(/\/+$/, '');
      if (!pgdata) continue;
      const mounts = Array.isArray(x.c.volumeMounts) ? (x.c.volumeMounts as Record<string, unknown>[]) : [];
      mounts.forEach((m, i) => {
        if (!claims.has(String(m?.name)) || m.subPath || m.subPathExpr) return;
        if (String(m.mountPath ?? '').replace(/\/+$/, '') !== pgdata) return;
        ctx.report({ messageId: 'root', path: [...x.path, 'volumeMounts', i, 'mountPath'], data: { container: x.name, pgdata, volume: String(m.name) } });
      });
    }
  },
});
