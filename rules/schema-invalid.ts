import { defineRule } from '../src/rule.js';
import { schemaOf } from '../src/schema/validate.js';
import { misplacedKind } from '../src/schema/kinds.js';
import { apiEntry } from '../src/schema/lifecycle.js';

/** ConfigMaps and Secrets are limited to 1 MiB of data (core.MaxSecretSize, checked by the API server). */
const MAX_DATA = 1024 * 1024;

function bytes(s: string): number {
  return Buffer.byteLength(s, 'utf8');
}

/** Bytes the API server counts: keys plus values (Secret data decoded from base64). */
function dataSize(o: Record<string, unknown>, kind: string): number {
  let total = 0;
  const add = (m: unknown, decode: boolean) => {
    if (!m || typeof m !== 'object' || Array.isArray(m)) return;
    for (const [k, v] of Object.entries(m)) {
      if (typeof v !== 'string') continue;
      total += (kind === 'ConfigMap' ? bytes(k) : 0) + (decode ? Math.floor((v.replace(/[\s=]/g, '').length * 3) / 4) : bytes(v));
    }
  };
  if (kind === 'ConfigMap') {
    add(o.data, false);
    add(o.binaryData, true);
  } else {
    add(o.data, true);
    add(o.stringData, false);
  }
  return total;
}

export default defineRule({
  id: 'schema-invalid',
  meta: {
    description: 'Require field values to have the type, allowed value and range that the schema of the object demands',
    category: 'schema',
    severity: 'error',
    recommended: true,
    kinds: ['*'],
    messages: {
      invalid: '{{problem}}; the API server rejects the object',
      tooLarge: '{{kind}} data adds up to {{size}} bytes, over the 1 MiB (1048576 bytes) limit; the API server rejects the object (mount large files from a volume or an image instead)',
      kind: '{{apiVersion}} has no kind {{kind}} ({{suggestion}}); the API server answers "no matches for kind"',
    },
    docs: {
      rationale:
        'The API server decodes manifests strictly: a port written as a string, an environment value written as a number, a label value that YAML reads as a boolean, or an imagePullPolicy outside its allowed values make the whole apply fail, and so does a ConfigMap or Secret holding more than 1 MiB of data. Built-in kinds are checked against the Kubernetes OpenAPI schema (through kubernetes-models), custom resources against the CustomResourceDefinition found among the scanned files.',
      remediation: 'Give the field a value of the type the message names: quote strings that YAML would read as numbers or booleans (`"8080"`, `"true"`), unquote numbers, and pick one of the allowed values.',
    },
    peers: [{ tool: 'kubeconform', id: 'schema validation' }],
  },
  check(r, ctx) {
    const res = schemaOf(r, ctx.graph);
    if (res.source === 'none' && !apiEntry(r.apiVersion, r.kind)) {
      const m = misplacedKind(r.apiVersion, r.kind);
      if (m) ctx.report({ messageId: 'kind', data: { apiVersion: r.apiVersion, kind: r.kind, suggestion: m.suggestion }, path: ['kind'] });
      return;
    }
    if ((r.kind === 'ConfigMap' || r.kind === 'Secret') && r.apiVersion === 'v1') {
      const size = dataSize(r.object, r.kind);
      if (size > MAX_DATA) ctx.report({ messageId: 'tooLarge', data: { kind: r.kind, size }, path: ['data'] });
    }
    for (const i of res.issues) {
      if (i.kind === 'unknown' || i.kind === 'required' || i.kind === 'quantity') continue;
      if (i.kind === 'base64' && r.kind === 'Secret' && i.path[0] === 'data') continue;
      ctx.report({ messageId: 'invalid', data: { problem: i.text }, path: i.path.length ? i.path : ['kind'], uncertain: i.uncertain });
    }
  },
});
