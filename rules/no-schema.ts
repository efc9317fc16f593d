import { defineRule } from '../src/rule.js';
import { schemaOf } from '../src/schema/validate.js';
import { isBuiltinGroup, misplacedKind } from '../src/schema/kinds.js';

/** Built-in API groups that kubernetes-models (Kubernetes 1.36 schemas) does not cover at all. */
const NEWER_BUILTIN_GROUPS = new Set(['resource.k8s.io', 'storagemigration.k8s.io', 'internal.apiserver.k8s.io']);
import { apiEntry } from '../src/schema/lifecycle.js';

export default defineRule({
  id: 'no-schema',
  meta: {
    description: 'Report kinds that no known schema describes, so their fields go unchecked',
    category: 'schema',
    severity: 'info',
    recommended: true,
    kinds: ['*'],
    messages: {
      builtin: 'No schema for the built-in {{apiVersion}} {{kind}} in k8s-audit\'s Kubernetes 1.36 schemas: the metadata of its objects is checked, their other fields are not',
      none: 'No schema for {{apiVersion}} {{kind}}: the metadata of its objects is checked, their other fields are not; scan its CustomResourceDefinition with them to validate those',
    },
    docs: {
      rationale:
        'Custom resources are validated against the CustomResourceDefinitions among the scanned files. When the definition is elsewhere (installed by an operator, another repository), nothing vouches for the fields, and a typo there is only found at apply time. Reported once per kind, at its first object.',
      remediation: 'Scan the CustomResourceDefinition together with the resources (for example the operator\'s CRD manifests), or accept that these objects are only checked for their metadata.',
    },
  },
  check(r, ctx) {
    if (schemaOf(r, ctx.graph).source !== 'none' || apiEntry(r.apiVersion, r.kind) || misplacedKind(r.apiVersion, r.kind)) return;
    if (ctx.graph.firstOf(r.apiVersion, r.kind) !== r) return;
    const group = r.apiVersion.includes('/') ? r.apiVersion.slice(0, r.apiVersion.lastIndexOf('/')) : '';
    const builtin = isBuiltinGroup(r.apiVersion) || NEWER_BUILTIN_GROUPS.has(group);
    ctx.report({ messageId: builtin ? 'builtin' : 'none', data: { apiVersion: r.apiVersion, kind: r.kind }, path: ['kind'] });
  },
});
