import { defineRule } from '../src/rule.js';

export default defineRule({
  id: 'default-namespace',
  meta: {
    description: 'Flag namespaced objects that land in the default namespace',
    category: 'configuration',
    severity: 'warning',
    recommended: false,
    completeness: true,
    kinds: ['*'],
    messages: {
      explicit: '{{kind}} "{{name}}" is placed in the "default" namespace, where it shares RBAC, quotas and network policies with everything else nobody gave a namespace',
      implicit: '{{kind}} "{{name}}" names no namespace, so it lands in "default", where it shares RBAC, quotas and network policies with everything else nobody gave a namespace',
    },
    docs: {
      rationale:
        'Namespaces are the unit of RBAC, ResourceQuota, LimitRange, NetworkPolicy and Pod Security admission. The `default` namespace usually has none of them configured and collects whatever was applied without a namespace, so an application there is neither isolated nor governed. Opt-in: objects without a namespace are often applied with `kubectl -n` or by a Helm release; set `namespace:` in .k8s-audit.yaml (or `--namespace`) to say where they go. Objects a Helm chart renders without a namespace are not flagged: they go to the release namespace.',
      remediation: 'Set `metadata.namespace` to the application\'s own namespace (and create that Namespace with its quotas and policies), or tell k8s-audit the namespace the files are applied to with `--namespace`.',
    },
    peers: [
      { tool: 'kube-linter', id: 'use-namespace' },
      { tool: 'checkov', id: 'CKV_K8S_21' },
    ],
  },
  check(r, ctx) {
    if (r.namespace !== 'default') return;
    if (r.kind.endsWith('List') || r.kind === 'Event' || r.kind === 'Endpoints' || r.kind === 'EndpointSlice') return;
    // Custom cluster-scoped kinds the engine does not know by name (ClusterIssuer-style) carry no namespace.
    if (r.kind.startsWith('Cluster')) return;
    // The kubernetes ClusterIP Service and similar system objects live in default by design.
    if (r.kind === 'Service' && r.name === 'kubernetes') return;
    const ns = r.object.metadata?.namespace;
    // A chart's objects without a namespace go to the release namespace chosen at install time.
    if (ns !== 'default' && r.group.startsWith('chart:')) return;
    // A kustomize base's objects without a namespace take the one each overlay sets.
    if (ns !== 'default' && r.group.startsWith('kustomize-base:')) return;
    if (ns === 'default') ctx.report({ messageId: 'explicit', path: ['metadata', 'namespace'], data: { kind: r.kind, name: r.name } });
    else ctx.report({ messageId: 'implicit', path: ['metadata', 'name'], data: { kind: r.kind, name: r.name } });
  },
});
