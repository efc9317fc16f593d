import { defineRule } from '../src/rule.js';
import { containersOf } from '../src/util/pod.js';
import { builtAtDeploy } from '../src/graph/build-images.js';

export default defineRule({
  id: 'image-pull-policy',
  meta: {
    description: 'Require imagePullPolicy Always so every start re-checks the registry and its credentials',
    category: 'security',
    severity: 'info',
    recommended: false,
    completeness: true,
    kinds: ['Workload', 'CustomResourcePods'],
    messages: {
      notAlways:
        'Container "{{container}}" uses imagePullPolicy {{policy}}: a node that already cached the image starts it without asking the registry, so a pod can use a private image it has no pull credentials for, and a re-pushed tag is not picked up',
    },
    docs: {
      rationale:
        'With `IfNotPresent` (the default for tagged images) a node reuses its cached copy, so any pod on that node can run a private image without valid `imagePullSecrets`, and a tag that was re-pushed is not refreshed. `Always` only re-checks the manifest (layers stay cached), so its cost is one registry round-trip per start. Opt-in and informational: with images pinned by digest and the AlwaysPullImages admission plugin off, many teams deliberately keep the default.',
      remediation: 'Set `imagePullPolicy: Always`, or pin images by digest and accept the default.',
    },
    peers: [
      { tool: 'polaris', id: 'pullPolicyNotAlways' },
      { tool: 'kube-score', id: 'container-image-pull-policy' },
      { tool: 'checkov', id: 'CKV_K8S_15' },
    ],
  },
  check(r, ctx) {
    for (const x of containersOf(r)) {
      const p = x.c.imagePullPolicy;
      if (p === 'Always') continue;
      const image = typeof x.c.image === 'string' ? x.c.image : '';
      // ko, Skaffold and Tilt write the image they just built (a new tag or a digest each time) in its place
      if (builtAtDeploy(image)) continue;
      // A digest names immutable content: the cached copy is the image asked for, which is what the
      // remediation recommends; re-pulling it would only re-check credentials.
      if (/@[a-z0-9]+(?:[+._-][a-z0-9]+)*:[0-9a-fA-F]{32,}$/.test(image)) continue;
      // Untagged and :latest images default to Always.
      if (p === undefined && (/:latest$/.test(image) || !/:[^/]+$/.test(image))) continue;
      ctx.report({ messageId: 'notAlways', path: p === undefined ? [...x.path, 'name'] : [...x.path, 'imagePullPolicy'], data: { container: x.name, policy: p === undefined ? 'unset (IfNotPresent)' : String(p) } });
    }
  },
});
