import { defineRule } from '../src/rule.js';
import { BINDING_KIND, POLICY_KIND, bindingProblems, compilePolicy, policySet } from '../src/cel/policy.js';

export default defineRule({
  id: 'admission-policy-error',
  meta: {
    description: 'Report ValidatingAdmissionPolicies and bindings the API server would refuse or cannot apply',
    category: 'correctness',
    severity: 'error',
    recommended: true,
    kinds: [POLICY_KIND, BINDING_KIND],
    messages: {
      policy: 'ValidatingAdmissionPolicy "{{name}}": {{message}}',
      binding: 'ValidatingAdmissionPolicyBinding "{{name}}": {{message}}',
    },
    docs: {
      rationale:
        "A policy whose CEL expression does not parse or type-check is refused by the API server, so nothing it was meant to enforce is enforced; a binding that names a policy that does not exist, or a param object that is not there, does nothing (or, with parameterNotFoundAction: Deny, denies every object it matches). The expressions are compiled in the CEL environment of the API server's admission policies, with the Kubernetes libraries (lists, strings, regex, URLs, IP/CIDR, quantity, format, sets).",
      remediation: 'Fix the expression the message quotes, or create the policy or param object the binding names (or correct the name).',
      references: ['https://kubernetes.io/docs/reference/access-authn-authz/validating-admission-policy/', 'https://kubernetes.io/docs/reference/using-api/cel/'],
    },
  },
  check(r, ctx) {
    if (!r.apiVersion.startsWith('admissionregistration.k8s.io/')) return;
    if (r.kind === POLICY_KIND) {
      for (const p of compilePolicy({ object: r.object, resource: r }).problems) ctx.report({ messageId: 'policy', path: p.path, data: { name: r.name, message: p.message } });
      return;
    }
    // a fragment (one file, a chart) may leave out what the cluster holds: what is absent is reported at info
    const fragment = ctx.settings.partial ? 'the scan is a fragment (a single file or a chart), and the cluster may hold it' : undefined;
    for (const p of bindingProblems(r, policySet(ctx.graph))) ctx.report({ messageId: 'binding', path: p.path, data: { name: r.name, message: p.message }, uncertain: p.absent ? fragment : undefined });
  },
});
