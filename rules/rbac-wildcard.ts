import { defineRule } from '../src/rule.js';
import { isObj, strings } from '../src/util/pod.js';

/** Read-only aggregated APIs: a wildcard there grants nothing beyond reading metrics. */
const METRICS_GROUPS = new Set(['metrics.k8s.io', 'custom.metrics.k8s.io', 'external.metrics.k8s.io']);

/** True when every API group of the rule is an operator's own (CRD) group or a metrics API, not core or built-in. */
function thirdPartyOnly(groups: string[]): boolean {
  return groups.length > 0 && groups.every((g) => METRICS_GROUPS.has(g) || (g.includes('.') && !g.endsWith('.k8s.io') && g !== '*'));
}

export default defineRule({
  id: 'rbac-wildcard',
  meta: {
    description: 'Forbid wildcards in the verbs or resources of Role and ClusterRole rules',
    category: 'security',
    severity: 'warning',
    recommended: true,
    kinds: ['Role', 'ClusterRole'],
    messages: {
      wildcard:
        '{{kind}} "{{name}}" grants "*" {{field}}{{scope}}: it covers everything that exists now and every {{future}} added later (including escalate, bind, impersonate and Secrets), far more than any workload needs',
    },
    docs: {
      rationale:
        'A wildcard verb or resource grants today\'s permissions and every one added in the future: `verbs: ["*"]` includes escalate, bind and impersonate, `resources: ["*"]` includes Secrets and every CRD. Least privilege means listing the verbs and resources the subject uses. Not flagged: ClusterRoles filled in by aggregation, and rules limited to an operator\'s own API groups (its CRDs, such as monitoring.coreos.com) or to the read-only metrics APIs.',
      remediation: 'Replace "*" with the explicit verbs (get, list, watch, ...) and resources the subject needs.',
    },
    peers: [
      { tool: 'kube-linter', id: 'wildcard-in-rules' },
      { tool: 'checkov', id: 'CKV_K8S_49' },
    ],
  },
  check(r, ctx) {
    if (!Array.isArray(r.object.rules) || isObj(r.object.aggregationRule)) return;
    const scope = r.kind === 'ClusterRole' ? ' cluster-wide' : ` in namespace "${r.namespace}"`;
    r.object.rules.forEach((rule: unknown, i: number) => {
      if (!isObj(rule) || thirdPartyOnly(strings(rule.apiGroups))) return;
      for (const [field, future] of [
        ['verbs', 'verb'],
        ['resources', 'resource type'],
      ] as const) {
        const idx = strings(rule[field]).indexOf('*');
        if (idx >= 0) ctx.report({ messageId: 'wildcard', path: ['rules', i, field, idx], data: { kind: r.kind, name: r.name, field, future, scope } });
      }
    });
  },
});
