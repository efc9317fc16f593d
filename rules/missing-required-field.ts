import { defineRule } from '../src/rule.js';
import { schemaOf } from '../src/schema/validate.js';
import type { Resource } from '../src/graph/resource.js';
import type { ResourceGraph } from '../src/graph/graph.js';
import { scanWideOfKind } from '../src/graph/scan.js';

/**
 * A MutatingWebhookConfiguration among the scanned files that mutates this custom resource: its rules name the
 * resource's API group (or every group), or it has no rules and is named after the group (Knative-style
 * webhooks fill their rules in at runtime). Returns the note for the finding, or undefined.
 */
function defaultingWebhook(r: Resource, g: ResourceGraph): string | undefined {
  const slash = r.apiVersion.indexOf('/');
  const group = slash < 0 ? '' : r.apiVersion.slice(0, slash);
  if (!group.includes('.')) return undefined;
  const own = g.ofKind('MutatingWebhookConfiguration');
  // a webhook mutates what any unit of the scan deploys (its own unit's first)
  for (const m of new Set([...own, ...scanWideOfKind('MutatingWebhookConfiguration')])) {
    for (const w of Array.isArray(m.object.webhooks) ? m.object.webhooks : []) {
      const rules = Array.isArray(w?.rules) ? w.rules : [];
      const named = typeof w?.name === 'string' && (w.name === group || w.name.endsWith(`.${group}`));
      const covers = rules.some((x: { apiGroups?: unknown }) => Array.isArray(x?.apiGroups) && x.apiGroups.some((a) => a === '*' || a === group));
      if (covers || (rules.length === 0 && named)) return `but the mutating webhook ${m.name} ${own.includes(m) ? 'of this install' : `(${m.file})`} may set it before the API server validates, so this is not certain`;
    }
  }
  return undefined;
}

export default defineRule({
  id: 'missing-required-field',
  meta: {
    description: 'Require the fields that the schema of the object marks as required',
    category: 'schema',
    severity: 'error',
    recommended: true,
    completeness: true,
    kinds: ['*'],
    messages: {
      missing: '{{problem}}; the API server rejects the object',
    },
    docs: {
      rationale:
        'The API server refuses an object that lacks a required field (a container without a name, a port without a number, a Deployment without a selector), so the whole apply fails. Built-in kinds are checked against the Kubernetes OpenAPI schema, custom resources against the CustomResourceDefinition found among the scanned files.',
      remediation: 'Add the missing field at the reported place (check the indentation: a field one level too deep or too shallow counts as missing).',
    },
    peers: [{ tool: 'kubeconform', id: 'required' }],
  },
  check(r, ctx) {
    let mutated: string | undefined | null = null;
    for (const i of schemaOf(r, ctx.graph).issues) {
      if (i.kind !== 'required') continue;
      // A custom resource a mutating webhook of the scanned install defaults before validation (Tekton names
      // unnamed steps, Knative fills its specs): the field may well be set by the time the API server checks.
      if (mutated === null) mutated = defaultingWebhook(r, ctx.graph);
      ctx.report({ messageId: 'missing', data: { problem: i.text }, path: i.path.length ? i.path : ['kind'], uncertain: i.uncertain ?? mutated });
    }
  },
});
