import { defineRule } from '../src/rule.js';

export default defineRule({
  id: 'kustomize-partial-build',
  meta: {
    description: 'Report the parts of a kustomization k8s-audit did not build: remote bases, plugins, vars',
    category: 'meta',
    severity: 'info',
    recommended: true,
    kinds: [],
    messages: {
      partial: '{{detail}}',
    },
    docs: {
      rationale:
        'k8s-audit reads only the scanned tree and runs nothing it finds there, so a kustomization\'s remote resources (URLs, git repositories) and generator and transformer plugins are not part of what it lints, nor can it know whether a patch, var or replacement that finds no object of the build is aimed at what they add. The rest of the build is linted; this note says where the lint is incomplete, so that a clean report is not read as covering what was never built.',
      remediation:
        'Vendor remote bases into the repository, or pass `--kustomize-binary` (command line only) to build with an installed kustomize that fetches them.',
    },
  },
  checkDocument(doc, ctx) {
    for (const p of doc.problems) if (p.kind === 'kustomize-partial') ctx.report({ messageId: 'partial', data: { detail: p.message }, line: p.line, column: p.column });
  },
});
