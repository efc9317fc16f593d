import { defineRule } from '../src/rule.js';
import { redact } from '../src/graph/credentials.js';
import { secretValues } from '../src/graph/secret-values.js';

export default defineRule({
  id: 'secret-in-manifest',
  meta: {
    description: 'Report Secret manifests that carry their values in the repository',
    category: 'security',
    severity: 'warning',
    recommended: true,
    kinds: ['Secret'],
    messages: {
      committed:
        'Secret "{{name}}" carries the value of "{{key}}" ({{redacted}}) in the manifest: base64 is an encoding, not encryption, so everyone who can read the repository (and its history) has it',
    },
    docs: {
      rationale:
        'A Secret manifest in version control puts its values in the clear for everyone who can clone the repository, forever (history keeps what a later commit removes): the base64 of `data` is only an encoding. Guides ship such Secrets as examples, often with values like `password123` or `redispassword` that end up in production as they are. Values that a tool fills in (`${VAR}`, `{{ }}`) and placeholders (`secret-placeholder` reports those) are not reported here.',
      remediation:
        'Do not commit the Secret: create it at deploy time (`kubectl create secret generic NAME --from-literal=...` fed from a secret store), or commit an encrypted form (SealedSecret, SOPS) or an ExternalSecret that reads the value from AWS Secrets Manager, Vault or similar. Rotate any value that has been committed, and never use a dictionary or default password.',
    },
  },
  check(r, ctx) {
    // (a weak or default value is weak-secret-value's, at error)
    const values = secretValues(r);
    if (!values.length || values.some((v) => v.weak)) return;
    const v = values[0];
    ctx.report({ messageId: 'committed', path: [v.field, v.key], data: { name: r.name, key: v.key, redacted: redact(v.text) } });
  },
});
