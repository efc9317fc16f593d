import { defineRule } from '../src/rule.js';
import { schemaOf } from '../src/schema/validate.js';

const PLACEHOLDER = /\.\.\.|…|<[^>]*>|\$\{|\{\{|^(?:changeme|CHANGEME|REPLACE_ME|TODO|xxx+|XXX+)$/;

export default defineRule({
  id: 'invalid-base64-secret',
  meta: {
    description: 'Require the values under a Secret\'s data to be valid base64',
    category: 'schema',
    severity: 'error',
    recommended: true,
    kinds: ['Secret'],
    messages: {
      invalid: 'Secret data key "{{key}}" is not valid base64; the API server rejects the Secret (plain text belongs under stringData)',
    },
    docs: {
      rationale:
        'Values under `data` are decoded as standard, padded base64 when the Secret is created; anything else makes the apply fail. The usual cause is plain text (or base64 without its `=` padding) put under `data` instead of `stringData`.',
      remediation: 'Move the value to `stringData` (written in plain text, encoded by the API server), or encode it with `printf %s "$value" | base64`.',
    },
  },
  check(r, ctx) {
    for (const i of schemaOf(r, ctx.graph).issues) {
      if (i.kind !== 'base64' || i.path[0] !== 'data') continue;
      // An elided or templated value ("LS0tLS1CRUdJTi...", "<base64 cert>", "\${TLS_CRT}") is a placeholder
      // for the reader to fill in, not a value anyone applies as written.
      const v = r.get(i.path);
      if (typeof v === 'string' && PLACEHOLDER.test(v)) continue;
      ctx.report({ messageId: 'invalid', data: { key: String(i.path[1]) }, path: i.path });
    }
  },
});
