import { defineRule } from '../src/rule.js';
import { containersOf } from '../src/util/pod.js';
import { imageName } from '../src/graph/images.js';

/** The command line of a container as one string (command + args). */
function commandLine(c: Record<string, unknown>): string {
  const parts = [...(Array.isArray(c.command) ? c.command : []), ...(Array.isArray(c.args) ? c.args : [])];
  return parts.map(String).join(' ');
}

export default defineRule({
  id: 'redis-without-auth',
  meta: {
    description: 'Report Redis started with protected mode off and no password or ACL',
    category: 'security',
    severity: 'warning',
    recommended: true,
    kinds: ['Workload'],
    messages: {
      open:
        'Container "{{container}}" runs Redis with --protected-mode no and neither requirepass nor an ACL file: every pod that can reach it may read and overwrite all data, and `CONFIG SET` or `MODULE LOAD` turns that into code execution in the container',
    },
    docs: {
      rationale:
        'Protected mode is Redis\'s last guard when no password is set: it refuses clients that do not come from localhost. Guides turn it off (`--protected-mode no`) so that other pods can connect, and forget the password. The result is an unauthenticated Redis reachable from the whole cluster (and from outside when a Service exposes it): anyone can read or flush the data, and `CONFIG SET dir`/`dbfilename` or `MODULE LOAD` are well-known routes to writing files and running code.',
      remediation:
        'Set a password from a Secret (`--requirepass "$(REDIS_PASSWORD)"` with the env var from `secretKeyRef`, or `requirepass` in redis.conf) or an ACL file (`--aclfile`), and restrict who may connect with a NetworkPolicy. The Bitnami chart does this with `auth.enabled: true`.',
    },
  },
  check(r, ctx) {
    for (const x of containersOf(r)) {
      if (!/^(redis|redis-stack-server|valkey|keydb)$/.test(imageName(x.c.image))) continue;
      const line = commandLine(x.c);
      if (!/--protected-mode\s+no\b|protected-mode\s*["']?no/i.test(line)) continue;
      // a password (flag or env) or an ACL anywhere in the container's configuration
      const env = Array.isArray(x.c.env) ? (x.c.env as Record<string, unknown>[]) : [];
      const hasAuth = /--requirepass|requirepass\s|--aclfile|--masterauth|\buser\s+\S+\s+on\b/.test(line) || env.some((e) => /PASSWORD|REQUIREPASS/i.test(String(e?.name ?? '')));
      if (hasAuth) continue;
      const where = [...(Array.isArray(x.c.command) ? ['command'] : []), ...(Array.isArray(x.c.args) ? ['args'] : [])];
      ctx.report({ messageId: 'open', path: [...x.path, where[where.length - 1] ?? 'image'], data: { container: x.name } });
    }
  },
});
