import { defineRule } from '../src/rule.js';
import type { Severity } from '../src/types.js';
import { policySet, verdictsFor } from '../src/cel/policy.js';

/** A binding's validationActions as a finding's severity: the strongest of them. */
function severityOf(actions: readonly string[]): Severity {
  return actions.includes('Deny') ? 'error' : actions.includes('Warn') ? 'warning' : 'info';
}

const VERB: Record<Severity, string> = { error: 'denies', warning: 'warns about', info: 'audits' };

export default defineRule({
  id: 'admission-policy',
  meta: {
    description: "Apply the scan's ValidatingAdmissionPolicies to its objects, as the API server would on create",
    category: 'correctness',
    severity: 'error',
    recommended: true,
    kinds: ['*'],
    messages: {
      violation: 'ValidatingAdmissionPolicy "{{policy}}" (binding "{{binding}}") {{verb}} this {{kind}}: {{message}}',
    },
    docs: {
      rationale:
        'A cluster that enforces ValidatingAdmissionPolicies refuses (Deny), warns about (Warn) or records (Audit) each object that fails one of their CEL validations, and the team learns it only when `kubectl apply` or the GitOps sync fails. The policies and bindings in the scanned tree, and those named by `policies:` in the configuration, are evaluated offline against every scanned object as a CREATE: matchConstraints, the binding\'s matchResources, matchConditions, variables, params and failurePolicy as the API server applies them. The finding\'s severity is the binding\'s action: Deny is an error, Warn a warning, Audit info. What cannot be known offline (a namespaceSelector for a Namespace that is not scanned, a param that is not scanned, a field the API server would default) gives no error. See docs/policies.md.',
      remediation: "Change the object so that it satisfies the policy's validation (the message says which), or, if the policy should not apply to it, narrow the policy's matchConstraints or the binding's matchResources.",
      references: ['https://kubernetes.io/docs/reference/access-authn-authz/validating-admission-policy/'],
    },
  },
  check(r, ctx) {
    const set = policySet(ctx.graph);
    if (!set.bindings.length) return;
    for (const v of verdictsFor(r, set)) {
      const severity = severityOf(v.actions);
      ctx.report({
        messageId: 'violation',
        path: v.path,
        severity,
        uncertain: v.uncertain,
        data: { policy: v.policy.name, binding: v.bindingName, verb: VERB[severity], kind: r.kind, message: v.message },
        related: [
          ...(v.policy.source.resource ? [{ resource: v.policy.source.resource, message: `the policy "${v.policy.name}"` }] : []),
          ...(v.binding.resource ? [{ resource: v.binding.resource, message: `the binding "${v.bindingName}"` }] : []),
        ],
      });
    }
  },
});
