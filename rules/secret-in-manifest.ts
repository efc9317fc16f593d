import { defineRule } from '../src/rule.js';
import { redact } from '../src/graph/credentials.js';
import { secretValues } from '../src/graph/secret-values.js';
import type { Resource } from '../src/graph/resource.js';

const KUSTOMIZATION = /(^|\/)(kustomization\.ya?ml|Kustomization)$/;

/** The name a secretGenerator entry gives, without the content hash kustomize appends. */
function generatorName(r: Resource): string {
  return r.name.replace(/-[a-z0-9]{10}$/, '');
}

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
      stringData:
        'Secret "{{name}}" carries the value of "{{key}}" ({{redacted}}) in plain text under stringData: everyone who can read the repository (and its history) has it',
      literal:
        'secretGenerator "{{name}}" takes the value of "{{key}}" ({{redacted}}) as a literal written in the kustomization: everyone who can read the repository (and its history) has it',
      envFile:
        'secretGenerator "{{name}}" takes the value of "{{key}}" ({{redacted}}) from {{file}}, a file committed with the kustomization: everyone who can read the repository (and its history) has it',
    },
    docs: {
      rationale:
        'A Secret manifest in version control puts its values in the clear for everyone who can clone the repository, forever (history keeps what a later commit removes): the base64 of `data` is only an encoding. Guides ship such Secrets as examples, often with values like `password123` or `redispassword` that end up in production as they are. Values under `stringData` and kustomize `secretGenerator` literals and env files are plain text in the repository. The finding points at the key that gives the most away (a password, token, private key or registry credential before anything else); a Secret whose values are all public (a user or database name such as `POSTGRES_DB`, a host, a CA certificate without its key) is not reported. Values that a tool fills in (`${VAR}`, `{{ }}`), that a Helm chart generates while rendering (`randAlphaNum`, `genPrivateKey`, `genCA`) and placeholders (`secret-placeholder` reports those) are not reported here.',
      remediation:
        'Do not commit the Secret: create it at deploy time (`kubectl create secret generic NAME --from-literal=...` fed from a secret store), or commit an encrypted form (SealedSecret, SOPS) or an ExternalSecret that reads the value from AWS Secrets Manager, Vault or similar. Rotate any value that has been committed, and never use a dictionary or default password.',
    },
  },
  check(r, ctx) {
    // (a weak or default value is weak-secret-value's, at error)
    const values = secretValues(r);
    if (!values.length || values.some((v) => v.weak)) return;
    // The key that gives the most away: a credential, else one that may be; a Secret of only public values (a user
    // name, a database name, a CA certificate) commits nothing secret.
    const v = values.find((x) => x.sensitivity === 'credential') ?? values.find((x) => x.sensitivity === 'unknown');
    if (!v) return;
    const path = [v.field, v.key];
    const data = { name: r.name, key: v.key, redacted: redact(v.text) };
    // Where the value is written: a kustomize secretGenerator (the Secret's name is the generator's entry in the
    // kustomization) takes it from a literal there or from a file; otherwise the Secret itself holds it.
    if (r.doc.source.origin === 'kustomize' && KUSTOMIZATION.test(r.locate(['metadata', 'name']).file)) {
      const at = r.locate(path).file;
      if (KUSTOMIZATION.test(at)) return void ctx.report({ messageId: 'literal', path, data: { ...data, name: generatorName(r) } });
      return void ctx.report({ messageId: 'envFile', path, data: { ...data, name: generatorName(r), file: at.slice(at.lastIndexOf('/') + 1) } });
    }
    ctx.report({ messageId: v.field === 'stringData' ? 'stringData' : 'committed', path, data });
  },
});
