import { defineRule } from '../src/rule.js';
import { podPath, podsOf } from '../src/util/pod.js';

export default defineRule({
  id: 'service-account-token-automount',
  meta: {
    description: 'Require pods to opt out of mounting a service account token they do not use',
    category: 'security',
    severity: 'warning',
    recommended: false,
    completeness: true,
    kinds: ['Workload', 'CustomResourcePods'],
    messages: {
      automounted:
        'The pod mounts the API token of ServiceAccount "{{sa}}"{{how}}: anyone who gets code execution in it can call the Kubernetes API with that account\'s permissions',
    },
    docs: {
      rationale:
        'By default every pod gets a token for its ServiceAccount at /var/run/secrets/kubernetes.io/serviceaccount. Most applications never talk to the API server, and for them the token is only useful to an attacker. Setting `automountServiceAccountToken: false` on the pod (or on its ServiceAccount, when that is among the scanned files) removes it. Opt-in because controllers and operators need the token and many clusters accept the default.',
      remediation: 'Set `automountServiceAccountToken: false` in the pod spec (or on the ServiceAccount), and leave it on only for pods that call the Kubernetes API.',
    },
    peers: [
      { tool: 'polaris', id: 'automountServiceAccountToken' },
      { tool: 'checkov', id: 'CKV_K8S_38' },
    ],
  },
  check(r, ctx) {
    for (const pod of podsOf(r)) {
      const own = pod.spec.automountServiceAccountToken;
      if (own === false) continue;
      const saName = typeof pod.spec.serviceAccountName === 'string' && pod.spec.serviceAccountName ? pod.spec.serviceAccountName : typeof pod.spec.serviceAccount === 'string' && pod.spec.serviceAccount ? pod.spec.serviceAccount : 'default';
      if (own === true) {
        ctx.report({ messageId: 'automounted', path: podPath(pod, 'automountServiceAccountToken'), data: { sa: saName, how: ' (automountServiceAccountToken: true)' } });
        continue;
      }
      const sa = ctx.graph.get('ServiceAccount', saName, r.namespace);
      if (sa && sa.object.automountServiceAccountToken === false) continue;
      ctx.report({ messageId: 'automounted', path: pod.specPath, data: { sa: saName, how: sa ? ' (neither the pod nor the ServiceAccount sets automountServiceAccountToken: false)' : ' (the pod does not set automountServiceAccountToken: false)' } });
    }
  },
});
