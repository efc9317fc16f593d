import { defineRule } from '../src/rule.js';

export default defineRule({
  id: 'unsafe-input',
  meta: {
    description: 'Report content of the scanned tree that tries to make the linter read outside it or run a program',
    category: 'security',
    severity: 'warning',
    recommended: true,
    kinds: [],
    messages: {
      refused: 'Refused: {{detail}}',
    },
    docs: {
      rationale:
        'k8s-audit runs in CI and pre-commit hooks on pull requests from people the maintainers may not trust. A symbolic link out of the repository, a `.Files.Get "../../.."` in a template, an archive member named `../x`, a values.schema.json `$ref` to a URL or another file, a `file://` dependency that climbs out of the chart, or a `.k8s-audit.yaml` committed in the tree that names a program to run would each let the scanned content read a runner\'s files into the report, or execute code. None of them is followed: the linter reads only the scanned tree and runs nothing it names. Each attempt is reported where it was found, because the chart or manifest does not lint (or install) as its author may think, and because an attempt to leave the tree in a pull request deserves a reviewer\'s eye.',
      remediation:
        'Keep everything a chart or manifest needs inside the repository: copy the file in instead of linking to it, use chart-relative paths in `.Files.Get`, inline the schema definitions a values.schema.json refers to, vendor a `file://` dependency under `charts/`. A program to render with (`--helm-binary`) belongs on the command line or in a configuration passed with `--config`, never in a `.k8s-audit.yaml` inside the scanned tree.',
    },
  },
  checkDocument(doc, ctx) {
    for (const p of doc.problems) {
      if (p.kind !== 'unsafe') continue;
      ctx.report({ messageId: 'refused', data: { detail: p.message }, line: p.line, column: p.column });
    }
  },
});
