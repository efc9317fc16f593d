import { defineRule } from '../src/rule.js';

export default defineRule({
  id: 'syntax-error',
  meta: {
    description: 'Report YAML and JSON that does not parse',
    category: 'syntax',
    severity: 'error',
    recommended: true,
    kinds: [],
    messages: {
      syntax: 'YAML syntax error: {{detail}}; kubectl cannot read this document',
      json: 'JSON syntax error: {{detail}}; kubectl cannot read this file',
      tab: 'A tab is used for indentation; YAML allows only spaces, so kubectl cannot read this document',
      alias: 'Aliases expand to more than {{limit}} nodes (an alias bomb); the document was not linted and API servers refuse such input',
      depth: 'The document nests deeper than {{limit}} levels; it was not linted',
    },
    docs: {
      rationale:
        'A document that does not parse is not applied at all: `kubectl apply` stops at it, and in a multi-document file the documents after it are often not applied either. Alias bombs (billion laughs) and absurd nesting are resource-exhaustion input that API servers reject. Files that are not manifests are left alone: JSON that names no apiVersion or kind (tsconfig.json with comments, editor settings) and template files with `{{ }}` markers outside a Helm chart.',
      remediation:
        'Fix the syntax at the reported line: check indentation (spaces only), quoting, and that each `key: value` sits on its own line. Replace aliases with explicit values.',
    },
    peers: [{ tool: 'kubeconform', id: 'parse error' }],
  },
  checkDocument(doc, ctx) {
    // Not a manifest at all: JSON that names no apiVersion/kind (tsconfig.json with comments, editor
    // settings), or a plain file holding Go/Jinja template markers outside a chart. Nothing to apply there.
    if (doc.problems.some((p) => p.kind === 'syntax') && doc.source.origin === 'file') {
      if (doc.source.format === 'json' && !/"(apiVersion|kind)"\s*:/.test(doc.text)) return;
      if (/\{\{[^}]*\}\}|\{%[^%]*%\}/.test(doc.text)) return;
    }
    for (const p of doc.problems) {
      const at = { line: p.line, column: p.column, endLine: p.endLine, endColumn: p.endColumn };
      if (p.kind === 'syntax') {
        const json = doc.source.format === 'json';
        ctx.report({ messageId: json ? 'json' : 'syntax', data: { detail: p.message.replace(/^invalid JSON: /, '') }, ...at });
      } else if (p.kind === 'tab-indent') ctx.report({ messageId: 'tab', ...at });
      else if (p.kind === 'alias') ctx.report({ messageId: 'alias', data: { limit: 100 }, ...at });
      else if (p.kind === 'too-deep') ctx.report({ messageId: 'depth', data: { limit: 512 }, ...at });
    }
  },
});
