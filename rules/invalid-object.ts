import { defineRule } from '../src/rule.js';
import { isKubeLike, isToolConfig } from '../src/engine/objects.js';

const describe = (v: unknown) => (Array.isArray(v) ? 'a list' : v === null ? 'null' : typeof v === 'object' ? 'a mapping' : `the ${typeof v} ${JSON.stringify(v)}`);

export default defineRule({
  id: 'invalid-object',
  meta: {
    description: 'Require apiVersion, kind and metadata to have the shape every Kubernetes object needs',
    category: 'syntax',
    severity: 'error',
    recommended: true,
    kinds: [],
    messages: {
      missing: 'This document looks like a Kubernetes object but has no {{field}}; the API server cannot tell what it is',
      notString: '{{field}} must be a non-empty string, not {{actual}}; the API server rejects the object',
      metadata: 'metadata must be a mapping, not {{actual}}; the API server rejects the object',
      noName: 'metadata.name is missing (and there is no generateName); `kubectl apply` fails with "resource name may not be empty"',
    },
    docs: {
      rationale:
        'Every object needs a string apiVersion and kind and a metadata mapping with a name. A document that gets these wrong is refused as a whole, and the rest of the linter cannot check it either.',
      remediation: 'Give the object `apiVersion: <group/version>`, `kind: <Kind>` and `metadata: {name: <name>}` with the right types.',
    },
  },
  checkDocument(doc, ctx) {
    const v = doc.value;
    if (!v || typeof v !== 'object' || Array.isArray(v) || doc.problems.length) return;
    const o = v as Record<string, unknown>;
    if (!isKubeLike(o)) return;
    // istioctl, kind, kustomize, kubeadm ... configs: never sent to the API server
    if (isToolConfig(o)) return;
    const at = (path: (string | number)[]) => {
      const r = doc.locate(path);
      return { line: r.line, column: r.column, endLine: r.endLine, endColumn: r.endColumn };
    };
    let ok = true;
    for (const field of ['apiVersion', 'kind'] as const) {
      if (!(field in o)) {
        ctx.report({ messageId: 'missing', data: { field }, ...at([]) });
        ok = false;
      } else if (typeof o[field] !== 'string' || o[field] === '') {
        ctx.report({ messageId: 'notString', data: { field, actual: describe(o[field]) }, ...at([field]) });
        ok = false;
      }
    }
    const md = o.metadata;
    if (md !== undefined && md !== null && (typeof md !== 'object' || Array.isArray(md))) {
      ctx.report({ messageId: 'metadata', data: { actual: describe(md) }, ...at(['metadata']) });
      return;
    }
    if (!ok || /List$/.test(String(o.kind))) return;
    const m = (md ?? {}) as Record<string, unknown>;
    if ((m.name === undefined || m.name === null || m.name === '') && !m.generateName) {
      ctx.report({ messageId: 'noName', ...at(md ? ['metadata'] : ['kind']) });
    }
  },
});
