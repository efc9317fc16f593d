import { defineRule } from '../src/rule.js';
import { isObj, strings } from '../src/util/pod.js';

interface Path_ {
  group: string;
  resources: readonly string[];
  verbs: readonly string[];
  why: string;
  peer?: string;
}

/**
 * Grants that lead to more privilege than they name. Only explicit names count: a `*` is rbac-wildcard's, and
 * the verbs escalate, bind and impersonate are rbac-escalation-verbs'.
 */
const PATHS: readonly Path_[] = [
  { group: '', resources: ['pods'], verbs: ['create'], why: 'run a pod as any ServiceAccount of the namespace, mount any of its Secrets, and so act with every permission granted there' },
  { group: 'rbac.authorization.k8s.io', resources: ['rolebindings', 'clusterrolebindings'], verbs: ['create', 'update', 'patch'], why: 'hand any role it holds to any subject, including itself under another ServiceAccount' },
  { group: 'admissionregistration.k8s.io', resources: ['mutatingwebhookconfigurations', 'validatingwebhookconfigurations'], verbs: ['create', 'update', 'patch'], why: 'send every object written to the API server (Secrets included) to a webhook of its choice, and rewrite pods as they are created' },
  { group: 'certificates.k8s.io', resources: ['certificatesigningrequests/approval'], verbs: ['update', 'patch'], why: 'approve certificate requests, and with a signer\'s approve permission obtain a client certificate for any user or group, system:masters included' },
  { group: 'certificates.k8s.io', resources: ['signers'], verbs: ['approve'], why: 'approve certificates for that signer: with kubernetes.io/kube-apiserver-client, a client certificate for any identity' },
  { group: '', resources: ['services/status'], verbs: ['update', 'patch'], why: 'set status.loadBalancer.ingress of any Service and intercept traffic to that address across the cluster (CVE-2020-8554)', peer: 'CKV2_K8S_4' },
  { group: '', resources: ['nodes/proxy'], verbs: ['get', 'create', 'update', 'patch'], why: 'call the kubelet API of every node, which runs commands in any pod on it without passing admission or audit' },
];

export default defineRule({
  id: 'rbac-escalation-paths',
  meta: {
    description: 'Report RBAC grants that lead to more privilege than they name (create pods, write bindings or admission webhooks, approve certificates, services/status, nodes/proxy)',
    category: 'security',
    severity: 'warning',
    recommended: false,
    kinds: ['Role', 'ClusterRole'],
    messages: {
      path: '{{kind}} "{{name}}" grants {{verb}} on {{resource}}: the subject can {{why}}',
    },
    docs: {
      rationale:
        'Some permissions are worth more than they say. Creating pods gives the identity of any ServiceAccount in the namespace; writing RoleBindings hands out roles; writing admission webhook configurations intercepts every API write; approving CertificateSigningRequests (with a signer\'s `approve`) mints client certificates for any identity; writing `services/status` redirects traffic (CVE-2020-8554); `nodes/proxy` reaches the kubelet, which runs commands in any pod on the node. Controllers and operators legitimately need some of these, so the rule is opt-in: review each grant and keep it only on the ServiceAccount of the component that needs it. Grants through `*` are reported by rbac-wildcard, and the escalate, bind and impersonate verbs by rbac-escalation-verbs.',
      remediation: 'Remove the verb, or move it to a Role bound only to the controller that needs it, scoped with `resourceNames` where possible.',
      references: ['https://kubernetes.io/docs/concepts/security/rbac-good-practices/#privilege-escalation-risks'],
    },
    peers: [
      { tool: 'checkov', id: 'CKV2_K8S_2' },
      { tool: 'checkov', id: 'CKV2_K8S_4' },
    ],
  },
  check(r, ctx) {
    if (!Array.isArray(r.object.rules)) return;
    r.object.rules.forEach((rule: unknown, i: number) => {
      if (!isObj(rule)) return;
      const groups = strings(rule.apiGroups);
      const resources = strings(rule.resources).map((x) => x.toLowerCase());
      const verbs = strings(rule.verbs).map((x) => x.toLowerCase());
      // A rule limited to named objects (resourceNames) grants create on nothing: create cannot be restricted that way.
      const named = strings(rule.resourceNames).length > 0;
      for (const p of PATHS) {
        if (!groups.includes(p.group)) continue;
        for (const res of p.resources) {
          if (!resources.includes(res)) continue;
          const verb = p.verbs.find((v) => verbs.includes(v));
          if (!verb || (named && verb === 'create')) continue;
          ctx.report({ messageId: 'path', path: ['rules', i, 'verbs', strings(rule.verbs).findIndex((v) => v.toLowerCase() === verb)], data: { kind: r.kind, name: r.name, verb, resource: res, why: p.why } });
        }
      }
    });
  },
});
