import { defineRule } from '../src/rule.js';
import { BUILTIN_SCHEMAS } from '../src/schema/builtin-index.js';
import { lifecycle } from '../src/schema/lifecycle.js';

/** Every apiVersion a built-in kind was ever served under (the schemas shipped, plus removed ones). */
let versionsOf: Map<string, Set<string>> | undefined;
let servedVersions: Set<string> | undefined;
function index(): { versionsOf: Map<string, Set<string>>; served: Set<string> } {
  if (!versionsOf || !servedVersions) {
    versionsOf = new Map();
    servedVersions = new Set();
    const add = (apiVersion: string, kind: string) => {
      let s = versionsOf!.get(kind);
      if (!s) versionsOf!.set(kind, (s = new Set()));
      s.add(apiVersion);
      servedVersions!.add(apiVersion);
    };
    for (const key of Object.keys(BUILTIN_SCHEMAS)) {
      const slash = key.lastIndexOf('/');
      add(key.slice(0, slash), key.slice(slash + 1));
    }
    for (const e of lifecycle().apis) add(e.apiVersion, e.kind);
  }
  return { versionsOf, served: servedVersions };
}

export default defineRule({
  id: 'api-kind-mismatch',
  meta: {
    description: 'Forbid a built-in kind under a Kubernetes apiVersion that never served it',
    category: 'schema',
    severity: 'error',
    recommended: true,
    kinds: ['*'],
    messages: {
      mismatch: '{{apiVersion}} has no kind {{kind}} and never had one ({{kind}} is {{where}}); the API server answers "no matches for kind {{kind}} in version {{apiVersion}}" and nothing is applied',
    },
    docs: {
      rationale:
        'A kind written under the wrong version of its group, or under another group (PodSecurityPolicy as `policy/v1` when it only ever existed as `policy/v1beta1`, CronJob as `apps/v1`, Ingress as `networking.k8s.io/v1beta2`), is not a deprecation: that API never existed, so every apply fails with "no matches for kind". It usually comes from bumping every apiVersion of a repository at once, or from a guide written from memory. The rule knows the kinds of every built-in Kubernetes API group and version (the schemas k8s-audit ships and the removed APIs it tracks) and reports a kind that one of them never served while another did.',
      remediation: 'Use an apiVersion that serves the kind (the message lists them). If the kind was removed (PodSecurityPolicy), replace it with what superseded it (Pod Security Admission labels on the Namespace).',
      examples: {
        invalid: 'apiVersion: policy/v1\nkind: PodSecurityPolicy\nmetadata:\n  name: restricted\nspec:\n  privileged: false\n',
        valid: 'apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata:\n  name: web\nspec:\n  maxUnavailable: 1\n  selector:\n    matchLabels:\n      app: web\n',
      },
    },
    peers: [{ tool: 'kubeconform', id: 'could not find schema' }],
  },
  check(r, ctx) {
    const { versionsOf: byKind, served } = index();
    // Only an apiVersion Kubernetes itself serves (custom resource groups are the CRDs' business).
    if (!served.has(r.apiVersion)) return;
    const versions = byKind.get(r.kind);
    if (!versions || versions.has(r.apiVersion)) return;
    const list = [...versions].sort();
    const where = `served as ${list.slice(0, 4).join(', ')}${list.length > 4 ? ', ...' : ''}`;
    ctx.report({ messageId: 'mismatch', path: ['apiVersion'], data: { apiVersion: r.apiVersion, kind: r.kind, where } });
  },
});
