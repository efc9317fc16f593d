import { defineRule } from '../src/rule.js';

/** An elided value (`LS0tLS1CRUdJTi...`, `MIIE…`) or a fill-me-in marker (`<base64-encoded-cert>`). */
const ELIDED = /(\.\.\.|…)\s*$|^\s*<[^<>]+>\s*$/;

export default defineRule({
  id: 'secret-placeholder',
  meta: {
    description: 'Report Secrets whose values are elided or fill-in placeholders, which fail or mislead when applied as written',
    category: 'correctness',
    severity: 'warning',
    recommended: true,
    kinds: ['Secret'],
    messages: {
      data: 'Secret "{{name}}" key "{{key}}" holds a placeholder ({{shown}}), not base64: `kubectl apply` as written fails (illegal base64 data), and a real certificate or key must come from somewhere else',
      stringData: 'Secret "{{name}}" key "{{key}}" holds a placeholder ({{shown}}): applied as written, the Secret is created with that text as its value and whatever reads it fails at run time',
    },
    docs: {
      rationale:
        'Guides and examples often show a TLS or credential Secret with its value cut short (`LS0tLS1CRUdJTi...`) or as a marker (`<base64-encoded-key>`). Whoever applies the manifest as written gets a failed apply (`data` must be base64) or, under `stringData`, a Secret whose value is the marker itself. A committed Secret is also the wrong place for the real value.',
      remediation:
        'Create the Secret at deploy time instead of committing it: `kubectl create secret tls NAME --cert=tls.crt --key=tls.key`, a cert-manager Certificate for TLS, or an ExternalSecret / SealedSecret for credentials. Templated values (`${VAR}`, `{{ .Values.x }}`) that a tool fills in are not reported.',
    },
  },
  check(r, ctx) {
    for (const field of ['data', 'stringData'] as const) {
      const m = r.object[field];
      if (!m || typeof m !== 'object' || Array.isArray(m)) continue;
      for (const [key, v] of Object.entries(m)) {
        if (typeof v !== 'string' || !ELIDED.test(v)) continue;
        const shown = v.length > 12 ? `${v.slice(0, 6)}...` : v;
        ctx.report({ messageId: field, path: [field, key], data: { name: r.name, key, shown } });
      }
    }
  },
});
