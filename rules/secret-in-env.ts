import { defineRule } from '../src/rule.js';
import { containersOf, isObj } from '../src/util/pod.js';

export default defineRule({
  id: 'secret-in-env',
  meta: {
    description: 'Prefer mounting Secrets as files over passing them in environment variables',
    category: 'security',
    severity: 'info',
    recommended: false,
    kinds: ['Workload'],
    messages: {
      env: 'Container "{{container}}" reads Secret "{{secret}}" into environment variable {{env}}: environment variables leak into crash dumps, debug endpoints, child processes and `kubectl describe`-style tooling, and do not update when the Secret is rotated',
      envFrom: 'Container "{{container}}" loads every key of Secret "{{secret}}" into its environment (envFrom): environment variables leak into crash dumps, debug endpoints and child processes, and do not update when the Secret is rotated',
    },
    docs: {
      rationale:
        'A Secret mounted as a volume is a file readable only by the container, updated in place when the Secret changes. Passed as an environment variable (`valueFrom.secretKeyRef` or `envFrom.secretRef`) it is copied into the process environment: inherited by every child process, printed by crash reporters and debug pages that dump the environment, visible in `/proc/<pid>/environ`, and frozen until the pod restarts. Opt-in and informational: many applications only read configuration from the environment.',
      remediation: 'Mount the Secret as a volume (`volumes[].secret` with `volumeMounts`) and have the application read the file, or pass the file\'s path in the environment instead of its content.',
      references: ['https://kubernetes.io/docs/concepts/security/secrets-good-practices/'],
    },
    peers: [{ tool: 'checkov', id: 'CKV_K8S_35' }],
  },
  check(r, ctx) {
    for (const x of containersOf(r)) {
      if (Array.isArray(x.c.env)) {
        x.c.env.forEach((e: unknown, i: number) => {
          const ref = isObj(e) && isObj(e.valueFrom) ? e.valueFrom.secretKeyRef : undefined;
          if (!isObj(ref) || !isObj(e)) return;
          ctx.report({ messageId: 'env', path: [...x.path, 'env', i, 'valueFrom', 'secretKeyRef'], data: { container: x.name, secret: String(ref.name ?? '?'), env: String(e.name ?? '?') } });
        });
      }
      if (Array.isArray(x.c.envFrom)) {
        x.c.envFrom.forEach((e: unknown, i: number) => {
          if (!isObj(e) || !isObj(e.secretRef)) return;
          ctx.report({ messageId: 'envFrom', path: [...x.path, 'envFrom', i, 'secretRef'], data: { container: x.name, secret: String(e.secretRef.name ?? '?') } });
        });
      }
    }
  },
});
