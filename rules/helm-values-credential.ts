import { defineRule } from '../src/rule.js';
import { credentialKeyKind, findCredentials, KIND_LABEL } from '../src/graph/credentials.js';

/** A fill-in value in a credential field: the guide has the reader write the credential into the values. */
const PLACEHOLDER = /^(?:(?:YOUR|INSERT|REPLACE|ENTER|PUT)[_-][A-Z0-9_-]+|[A-Z0-9_-]+[_-]HERE|<[^<>]+>|changeme|change-me|CHANGEME|REPLACE_ME)$/;

/** A key under a mapping of references (remoteKeys, secretRefs, existingSecrets): names, not values. */
const REFERENCE_PARENT = /(^|[a-z])(remote)?keys?$|refs?$|names?$|^existing/i;

export default defineRule({
  id: 'helm-values-credential',
  meta: {
    description: 'Report credentials written as literal Helm values, in a chart\'s values, a -f file or a guide\'s values block',
    category: 'security',
    severity: 'error',
    recommended: true,
    kinds: [],
    readsValues: true,
    messages: {
      placeholder:
        'The Helm value "{{key}}" is {{what}} to be filled in ({{value}}): the credential ends up in plain text in the values file, `helm get values` and the release history; point the chart at an existing Secret instead',
      literal:
        'The Helm value "{{key}}" is {{what}} in plain text ({{redacted}}): it is committed with the values file, shown by `helm get values`, stored in the release Secret and rendered into whatever the chart makes of it',
    },
    docs: {
      rationale:
        'Charts take passwords, tokens and keys as values (`auth.password`, `jwtSecret`, `s3.secretAccessKey`, `replication.password`). Written literally in values.yaml, a `-f` file or the heredoc of `helm install -f - <<EOF`, the credential is in Git for everyone with the repository, in `helm get values` for everyone who may read the release, and in the release history. A value the rendered templates of the chart use as the name of a Secret (`secretName:`, `secretKeyRef.name`, the `metadata.name` of a Secret) names that Secret and is not reported. The detector is the one `plaintext-credential` uses: a key that names a credential with a literal value (not empty, not a reference such as `${VAR}` or `{{ }}`), a URL with an inline password, or a well-known token format.',
      remediation:
        'Leave the value empty and point the chart at an existing Secret (most charts have `existingSecret`/`auth.existingSecret`), created at deploy time with `kubectl create secret`, an ExternalSecret or a SealedSecret; or pass it on the command line from a secret store (`--set-file`, `helm secrets`).',
    },
  },
  checkDocument(doc, ctx) {
    if (doc.source.role !== 'helm-values' || doc.value === null || typeof doc.value !== 'object' || Array.isArray(doc.value)) return;
    const v = doc.value as Record<string, unknown>;
    if (typeof v.apiVersion === 'string' && typeof v.kind === 'string') return; // an object: plaintext-credential's
    const references = (path: (string | number)[]) => path.slice(0, -1).some((p) => typeof p === 'string' && REFERENCE_PARENT.test(p));
    for (const { path, hit } of findCredentials(doc.value)) {
      if (references(path)) continue;
      const value = path.reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Record<string | number, unknown>)[k] : undefined), doc.value);
      // the chart's templates use it as a Secret's name (secretName:, secretKeyRef.name, a Secret's metadata.name)
      if (typeof value === 'string' && doc.source.secretNames?.has(value.trim())) continue;
      // a secret store's key path (akidb/prod/jwt-secret) names where the credential is, not the credential
      if (typeof value === 'string' && /^[a-z0-9._-]+(\/[a-z0-9._-]+)+$/.test(value)) continue;
      const r = doc.locate(path);
      ctx.report({ messageId: 'literal', data: { key: path.join('.'), what: KIND_LABEL[hit.kind], redacted: hit.redacted }, line: r.line, column: r.column });
    }
    const walk = (o: unknown, path: (string | number)[]) => {
      if (Array.isArray(o)) o.forEach((x, i) => walk(x, [...path, i]));
      else if (o && typeof o === 'object') for (const [k, x] of Object.entries(o)) walk(x, [...path, k]);
      else if (typeof o === 'string' && PLACEHOLDER.test(o.trim()) && !references(path)) {
        const kind = credentialKeyKind(String(path[path.length - 1]));
        if (!kind) return;
        const r = doc.locate(path);
        ctx.report({ messageId: 'placeholder', data: { key: path.join('.'), what: KIND_LABEL[kind], value: o.trim() }, line: r.line, column: r.column });
      }
    };
    walk(doc.value, []);
  },
});
