import { defineRule } from '../src/rule.js';
import { collisionOf } from '../src/graph/units.js';

export default defineRule({
  id: 'duplicate-object',
  meta: {
    description: 'Report the same object (API group, kind, namespace, name) defined in two manifest files outside one build',
    category: 'correctness',
    // info: whether the two files go to the same cluster (one stack) or to different ones (an environment per
    // folder, variants side by side) is not in the files
    severity: 'info',
    recommended: true,
    kinds: ['*'],
    messages: {
      duplicate:
        '{{kind}} "{{name}}"{{inNamespace}} is also defined in {{other}}{{more}}: the cluster holds one object by that name, so applying both makes the last one applied win; unless the two go to different clusters, they are alternatives (linted apart) or one of them is stale',
    },
    docs: {
      rationale:
        'The API server identifies an object by its API group, kind, namespace and name. Two manifest files that define the same one cannot both be deployed: `kubectl apply -f` of both silently keeps the last, and two Argo CD or Flux applications that own them fight over it. Repositories keep such pairs on purpose (variants side by side, a release bundle beside its sources, test fixtures beside samples) and by accident (a copy that drifted). k8s-audit never joins the two in one deployment unit, so cross-resource rules do not mix a variant with the other\'s objects, and says here which files define the object twice, so that a stale copy can be found. Objects inside one kustomize build or one chart are checked by the build itself. Reported at info: folders per environment or per cluster legitimately define the same object, and the files do not say which cluster each goes to.',
      remediation:
        'If the files are alternatives, deploy them separately (different Argo CD applications, overlays, or folders applied one at a time) and, if the repeated warning is noise, exclude the rule for those files in .k8s-audit.yaml (`exclude: [{files: "release/**", rules: [duplicate-object]}]`). If one copy is stale, delete it or make it a kustomize patch of the other.',
    },
  },
  check(r, ctx) {
    const c = collisionOf(r);
    if (!c) return;
    ctx.report({
      messageId: 'duplicate',
      data: {
        kind: r.kind,
        name: r.name,
        inNamespace: r.namespace ? ` in namespace "${r.namespace}"` : '',
        other: c.first.file === r.file ? 'earlier in the same file' : c.first.file,
        more: c.more ? ` (as are ${c.more} more object${c.more === 1 ? '' : 's'} of this file${c.files.length > 1 ? `, in ${c.files.slice(1, 4).join(', ')}${c.files.length > 4 ? ' and others' : ''}` : ''})` : '',
      },
      related: [{ resource: c.first, message: `the other definition of ${r.kind} "${r.name}"` }],
    });
  },
});
