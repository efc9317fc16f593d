import { defineRule } from '../src/rule.js';

export default defineRule({
  id: 'kustomize-unused-file',
  meta: {
    description: 'Note the files of a kustomize directory that no kustomize build in the scan uses (they are not linted as objects)',
    category: 'meta',
    severity: 'info',
    recommended: true,
    kinds: [],
    messages: {
      unused: '{{detail}}',
    },
    docs: {
      rationale:
        'A directory with a kustomization is deployed through `kubectl kustomize` (or `kubectl apply -k`), never file by file: what it deploys is what its builds print. A YAML file beside the kustomization that no build reads (a patch kept commented out, as kubebuilder scaffolds `config/default` and `config/crd/patches`, or a file left behind by a refactor) is not an object anyone deploys, and linting it as one reports defects that do not exist: a patch has no image, no selector, no required fields. k8s-audit lints what the builds print and says here which files were left out, so dead files can still be found and removed.',
      remediation:
        'If the file should be deployed, list it in the kustomization (`resources:`, `patches:`, a generator or `configurations:`); if it is a scaffold kept for later, nothing needs doing; if it is dead, delete it.',
    },
  },
  checkDocument(doc, ctx) {
    for (const p of doc.problems) if (p.kind === 'kustomize-unused') ctx.report({ messageId: 'unused', data: { detail: p.message }, line: p.line, column: p.column });
  },
});
