import { defineRule } from '../src/rule.js';
import { containersOf } from '../src/util/pod.js';
import { builtAtDeploy } from '../src/graph/build-images.js';

/** The tag of an image reference, '' when it has none; undefined when it is pinned by digest or templated. */
function imageTag(image: string): string | undefined {
  if (image.includes('@')) return undefined;
  // (`$` cannot occur in an image reference: `$IMAGE` and `${IMAGE}` are placeholders for envsubst and the like)
  if (image.includes('{{') || image.includes('$')) return undefined;
  const slash = image.lastIndexOf('/');
  const colon = image.lastIndexOf(':');
  return colon > slash ? image.slice(colon + 1) : '';
}

/** Tags that name a branch or a channel, not a build: they move with every push. */
const MOVING_TAGS = new Set(['main', 'master', 'nightly', 'dev', 'develop', 'development', 'edge', 'head', 'canary', 'snapshot', 'unstable', 'trunk', 'rolling']);

export default defineRule({
  id: 'image-tag-latest',
  meta: {
    description: 'Require container images to carry a fixed tag or digest, not latest or no tag',
    category: 'reliability',
    severity: 'warning',
    recommended: true,
    kinds: ['Workload', 'CustomResourcePods'],
    messages: {
      latest:
        'Container "{{container}}" uses the image {{image}} with the tag "latest": which build runs depends on when each node pulled it, so replicas can differ and a rollback does not bring back the old code',
      moving:
        'Container "{{container}}" uses the image {{image}} with the tag "{{tag}}", which follows a branch or release channel and moves with every push: replicas pulled at different times run different builds and a rollback does not bring back the old code',
      untagged:
        'Container "{{container}}" uses the image {{image}} without a tag, which means "latest": which build runs depends on when each node pulled it, so replicas can differ and a rollback does not bring back the old code',
    },
    docs: {
      rationale:
        '`latest` (or no tag), and branch or channel tags such as `main`, `master`, `nightly`, `dev` or `edge`, are moving pointers. Nodes cache whatever they pulled first, so replicas on different nodes run different builds; a Deployment rollback restores the same tag and therefore not the old code; and nothing in the manifest records what is deployed.',
      remediation: 'Pin the image to a version tag (`nginx:1.27.3`) or, better, a digest (`nginx@sha256:...`). References a build tool replaces when it deploys are not reported: `ko://` import paths, the `build.artifacts[].image` names of a skaffold.yaml and the images a Tiltfile builds (`docker_build`, `custom_build`) found in the scanned tree.',
    },
    peers: [
      { tool: 'kube-linter', id: 'latest-tag' },
      { tool: 'polaris', id: 'tagNotSpecified' },
      { tool: 'kube-score', id: 'container-image-tag' },
      { tool: 'checkov', id: 'CKV_K8S_14' },
    ],
  },
  check(r, ctx) {
    for (const x of containersOf(r)) {
      if (typeof x.c.image !== 'string' || !x.c.image.trim()) continue;
      const image = x.c.image.trim();
      // ko://, a Skaffold artifact or a Tilt build: the tool writes the image it built (by tag or digest) here
      if (builtAtDeploy(image)) continue;
      const tag = imageTag(image);
      if (tag === undefined) continue;
      if (tag === '') ctx.report({ messageId: 'untagged', path: [...x.path, 'image'], data: { container: x.name, image } });
      else if (tag === 'latest') ctx.report({ messageId: 'latest', path: [...x.path, 'image'], data: { container: x.name, image } });
      else if (MOVING_TAGS.has(tag.toLowerCase())) ctx.report({ messageId: 'moving', path: [...x.path, 'image'], data: { container: x.name, image, tag } });
    }
  },
});
