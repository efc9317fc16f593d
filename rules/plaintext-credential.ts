import { defineRule } from '../src/rule.js';
import { detectCredential, detectCredentialsInText, generatedTest, KIND_LABEL, type CredentialContext, type CredentialHit } from '../src/graph/credentials.js';
import { containersOf } from '../src/graph/workloads.js';

export default defineRule({
  id: 'plaintext-credential',
  meta: {
    description: 'Forbid passwords, tokens, keys and connection strings with inline passwords in ConfigMaps, env values and args',
    category: 'security',
    severity: 'error',
    recommended: true,
    kinds: ['ConfigMap', 'Workload'],
    messages: {
      configMap:
        'ConfigMap "{{name}}" key "{{key}}" holds {{what}} ({{reason}}: {{redacted}}); ConfigMaps are not encrypted at rest, are shown by `kubectl describe` and readable by anyone allowed to read ConfigMaps, and end up in Git',
      configFile:
        'ConfigMap "{{name}}" key "{{key}}" is a config file whose setting "{{setting}}" holds {{what}} ({{reason}}: {{redacted}}); ConfigMaps are not encrypted at rest and are readable by anyone allowed to read ConfigMaps',
      env:
        'Container "{{container}}" sets env {{key}} to {{what}} in plain text ({{redacted}}); it is stored in the {{kind}} spec, visible to anyone who can read the {{kind}} and committed to Git',
      arg:
        'Container "{{container}}" passes {{what}} on the command line ({{flag}} {{redacted}}); it is stored in the {{kind}} spec and visible in `ps` output on the node',
    },
    docs: {
      rationale:
        'Credentials in a ConfigMap, a literal env `value:` or a command-line flag are plain text in etcd (Secrets can be encrypted at rest), printed by `kubectl describe`, readable by every role that may read ConfigMaps or the workload, and committed with the manifest. The detector is deliberately precise: a key counts when it names a credential (password, passwd, secret, token, api key, access key, private key, client secret) and does not end in a word that makes it metadata (password_min_length, PASSWORD_FILE, jwt_secret_name, token_ttl, max_tokens); a credential word first followed by what it is for (SECRET_BLAH, TOKEN_GITHUB) counts too; a value counts when it is a literal (not empty, not a boolean, not a file path, not a reference such as ${VAR}, $(VAR), {{ .Values.x }}, <your-password> or vault:..., not code that reads the environment such as os.environ["TOKEN"], os.getenv(...), process.env.TOKEN or `Bearer ${TOKEN}`). A value that names another object is not the credential: the name of a Secret of the scan or of one the pod mounts or reads, or an object name under a key that by convention holds one (passwordSecret, tokenSecret, apiKeySecret; existingSecret, secretName, *SecretName and *SecretRef are not credential keys at all). Values a Helm chart generates while rendering (randAlphaNum, randAscii, genPrivateKey, genCA, derivePassword, ...) are not in the repository and are not reported. Independent of the key, PEM private keys, URLs with an inline user:password and well-known token formats (AWS, GitHub, GitLab, Slack, Stripe, Google) are flagged. A literal placeholder such as `changeme` is still reported: it is the password the application runs with. Printed values are redacted to their first two characters.',
      remediation:
        'Move the value into a Secret (created out of band, by External Secrets, Sealed Secrets or SOPS, not committed in plain text) and reference it with `valueFrom.secretKeyRef`, `envFrom.secretRef` or a secret volume; for connection strings, pass the password separately (e.g. PGPASSWORD from a Secret) or build the whole URL in the Secret. Rotate any credential that was committed.',
      references: ['https://kubernetes.io/docs/concepts/configuration/secret/', 'https://kubernetes.io/docs/concepts/security/secrets-good-practices/'],
    },
  },
  check(r, ctx) {
    const what = (h: CredentialHit) => KIND_LABEL[h.kind];
    // A value that is the name of a Secret of the scan, or of one the pod mounts or reads, names that Secret; a
    // value the chart generated while rendering is not in the repository.
    const podSecrets = new Set(r.kind === 'ConfigMap' ? [] : ctx.graph.refsOf(r).filter((x) => x.kind === 'Secret').map((x) => x.name));
    const use: CredentialContext = {
      namesObject: (v) => podSecrets.has(v) || ctx.graph.get('Secret', v, r.namespace) !== undefined,
      generated: generatedTest(r.doc.source.generated),
    };
    if (r.kind === 'ConfigMap') {
      const data = r.object.data;
      if (!data || typeof data !== 'object' || Array.isArray(data)) return;
      for (const [key, value] of Object.entries(data)) {
        if (typeof value !== 'string' && typeof value !== 'number') continue;
        // Knative's and Tekton's `_example` key documents the settings in comments; nothing reads it.
        if (key === '_example') continue;
        const v = String(value);
        if (v.includes('\n')) {
          const hits = detectCredentialsInText(v, use);
          const h = hits[0];
          if (!h) continue;
          if (h.setting) ctx.report({ messageId: 'configFile', path: ['data', key], data: { name: r.name, key, setting: h.setting, what: what(h), reason: h.reason, redacted: h.redacted } });
          else ctx.report({ messageId: 'configMap', path: ['data', key], data: { name: r.name, key, what: what(h), reason: h.reason, redacted: h.redacted } });
          continue;
        }
        const h = detectCredential(key, v, use);
        if (h) ctx.report({ messageId: 'configMap', path: ['data', key], data: { name: r.name, key, what: what(h), reason: h.reason, redacted: h.redacted } });
      }
      return;
    }
    const t = ctx.graph.podTemplate(r);
    if (!t) return;
    for (const c of containersOf(t)) {
      const container = String(c.container.name ?? '');
      const env = c.container.env;
      if (Array.isArray(env)) {
        env.forEach((e, i) => {
          if (!e || typeof e !== 'object' || typeof e.name !== 'string' || e.value === undefined || e.value === null) return;
          const h = detectCredential(e.name, e.value, use);
          if (h) ctx.report({ messageId: 'env', path: [...c.path, 'env', i, 'value'], data: { container, key: e.name, what: what(h), redacted: h.redacted, kind: r.kind } });
        });
      }
      for (const field of ['command', 'args'] as const) {
        const list = c.container[field];
        if (!Array.isArray(list)) continue;
        for (let i = 0; i < list.length; i++) {
          const a = String(list[i]);
          const eq = /^(--?[A-Za-z0-9_.-]+)=(.+)$/.exec(a);
          let flag: string | undefined;
          let value: string | undefined;
          let at = i;
          if (eq) [flag, value] = [eq[1], eq[2]];
          else if (/^--?[A-Za-z0-9_.-]+$/.test(a) && i + 1 < list.length && !String(list[i + 1]).startsWith('-')) [flag, value, at] = [a, String(list[i + 1]), i + 1];
          if (!flag || value === undefined) continue;
          const h = detectCredential(flag.replace(/^-+/, ''), value, use);
          if (h) ctx.report({ messageId: 'arg', path: [...c.path, field, at], data: { container, flag, what: what(h), redacted: h.redacted, kind: r.kind } });
        }
      }
    }
  },
});
