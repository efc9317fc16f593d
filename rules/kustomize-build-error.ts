import { defineRule } from '../src/rule.js';

export default defineRule({
  id: 'kustomize-build-error',
  meta: {
    description: 'Report kustomizations that `kubectl apply -k` cannot build',
    category: 'syntax',
    severity: 'error',
    recommended: true,
    kinds: [],
    messages: {
      build: '{{detail}}',
    },
    docs: {
      rationale:
        'A kustomization that does not build deploys nothing: `kubectl apply -k` and `kustomize build` stop at a missing resource or patch file, a cycle between kustomizations, a patch that matches no object, two objects with the same name after prefixing, a generator key set twice, or a field kustomization.yaml does not have. k8s-audit builds every kustomization with a built-in build faithful to kustomize v5 and reports each such error at the kustomization line that causes it; the rest of the build is still linted.',
      remediation:
        'Fix the entry the finding points at: correct the path (relative to the kustomization\'s directory), make the patch name an object of the build (its kind and the name it has before this kustomization\'s prefix), rename one of the clashing objects, or remove the unknown field (a typo such as `resource:` for `resources:`).',
    },
    peers: [{ tool: 'kube-linter', id: 'kustomize build errors' }],
  },
  checkDocument(doc, ctx) {
    for (const p of doc.problems) if (p.kind === 'kustomize') ctx.report({ messageId: 'build', data: { detail: p.message }, line: p.line, column: p.column });
  },
});
