import { defineRule } from '../src/rule.js';
import { containersOf, hasResource as has, isObj } from '../src/util/pod.js';

/** Quota keys that make admission require a value on every container: [requests or limits, resource]. */
const REQUIRED: Record<string, ['requests' | 'limits', string]> = {
  cpu: ['requests', 'cpu'],
  memory: ['requests', 'memory'],
  'requests.cpu': ['requests', 'cpu'],
  'requests.memory': ['requests', 'memory'],
  'requests.ephemeral-storage': ['requests', 'ephemeral-storage'],
  'limits.cpu': ['limits', 'cpu'],
  'limits.memory': ['limits', 'memory'],
  'limits.ephemeral-storage': ['limits', 'ephemeral-storage'],
};

export default defineRule({
  id: 'quota-container-resources',
  meta: {
    description: 'Require every container, init containers included, to set what a ResourceQuota of its namespace tracks',
    category: 'resources',
    severity: 'warning',
    recommended: true,
    completeness: true,
    kinds: ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'ReplicationController', 'Pod', 'Job', 'CronJob'],
    messages: {
      missing:
        '{{which}} container "{{container}}" sets no {{field}}, which ResourceQuota "{{quota}}" tracks in namespace "{{namespace}}" with no LimitRange to default it: the API server rejects every pod of this {{kind}} ("must specify {{field}}"), so it never runs',
    },
    docs: {
      rationale:
        'Once a ResourceQuota limits `requests.cpu`, `limits.memory` (or `cpu`, `memory`, ephemeral storage) in a namespace, quota admission refuses any pod in which a container, init containers and sidecars included, leaves that value unset. The Deployment or Job is accepted, but its ReplicaSet or Job controller then fails to create pods and reports it only in events: the rollout hangs with zero pods. Init containers are the usual miss, since linters and reviewers check only the main containers. A request is satisfied by a limit of the same resource (the API server copies it), and a LimitRange with defaults in the namespace fills them in, so neither is reported; quotas with scopes, and pods with pod-level resources, are not judged.',
      remediation: 'Give every container, init containers included, the requests and limits the quota tracks, or add a LimitRange with `default` and `defaultRequest` for the namespace.',
    },
  },
  check(r, ctx) {
    const quotas = ctx.graph.ofKind('ResourceQuota', r.namespace);
    if (!quotas.length || ctx.graph.ofKind('LimitRange', r.namespace).length) return;
    const containers = containersOf(r);
    if (!containers.length || isObj(containers[0].pod.spec.resources)) return;
    const reported = new Set<string>();
    for (const q of quotas) {
      const spec = q.object.spec;
      if (!isObj(spec) || !isObj(spec.hard) || spec.scopes || spec.scopeSelector) continue;
      for (const key of Object.keys(spec.hard)) {
        const need = REQUIRED[key];
        if (!need) continue;
        const [kind, what] = need;
        for (const x of containers) {
          const res = x.c.resources;
          if (has(res, kind, what) || (kind === 'requests' && has(res, 'limits', what))) continue;
          const field = `${kind}.${what}`;
          if (reported.has(`${x.name}/${field}`)) continue;
          reported.add(`${x.name}/${field}`);
          const path = isObj(res) ? (isObj(res[kind]) ? [...x.path, 'resources', kind] : [...x.path, 'resources']) : [...x.path, 'name'];
          ctx.report({ messageId: 'missing', path, data: { which: x.sidecar ? 'Sidecar' : x.init ? 'Init' : 'The', container: x.name, field, quota: q.name, namespace: r.namespace, kind: r.kind } });
        }
      }
    }
  },
});
