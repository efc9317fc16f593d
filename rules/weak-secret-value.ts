import { defineRule } from '../src/rule.js';
import { redact } from '../src/graph/credentials.js';
import { secretValues } from '../src/graph/secret-values.js';

export default defineRule({
  id: 'weak-secret-value',
  meta: {
    description: 'Forbid well-known weak or default values (password123, admin, changeme) in Secret manifests',
    category: 'security',
    severity: 'error',
    recommended: true,
    kinds: ['Secret'],
    messages: {
      weak: 'Secret "{{name}}" key "{{key}}" holds a well-known weak or default value ({{redacted}}): it is in every password list, and committed in the manifest everyone with the repository has it',
    },
    docs: {
      rationale:
        'Guides and examples ship Secrets with values such as `password123`, `admin`, `changeme` or `redispassword` (often base64-encoded, which hides nothing). Applied as they are, the database or cache runs with a password every scanner tries first, and the value is in the repository for good.',
      remediation:
        'Generate a strong value at deploy time (`kubectl create secret generic db --from-literal=password="$(openssl rand -base64 32)"`) or keep it in a secret store (ExternalSecret, SealedSecret), remove the Secret from the repository, and rotate the value that was committed.',
    },
    peers: [{ tool: 'checkov', id: 'CKV_SECRET_* (secrets scanning)' }],
  },
  check(r, ctx) {
    for (const v of secretValues(r)) {
      if (v.weak) ctx.report({ messageId: 'weak', path: [v.field, v.key], data: { name: r.name, key: v.key, redacted: redact(v.text) } });
    }
  },
});
