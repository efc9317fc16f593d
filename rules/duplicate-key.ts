import { defineRule } from '../src/rule.js';

export default defineRule({
  id: 'duplicate-key',
  meta: {
    description: 'Forbid the same key twice in one YAML mapping',
    category: 'syntax',
    severity: 'error',
    recommended: true,
    kinds: [],
    messages: {
      duplicate: 'Duplicate key {{key}} in the same mapping; kubectl rejects it (strict decoding) and other tools silently keep only one value',
      missingSeparator:
        'A second object starts here ({{key}} again at the top level) without a `---` separator, so the two objects merge into one: kubectl rejects the document and other tools keep only the last object',
    },
    docs: {
      rationale:
        'YAML forbids duplicate keys. Since Kubernetes 1.27 `kubectl apply` uses strict field validation and fails on them, while older tools and many libraries silently keep the last value, so the object differs between tools: a classic source of "the env var I set is ignored".',
      remediation: 'Keep one of the keys: merge the two values into the one you mean and delete the other.',
    },
    peers: [{ tool: 'kubeconform', id: 'duplicate key (strict)' }],
  },
  checkDocument(doc, ctx) {
    let merged = false;
    for (const p of doc.problems) {
      if (p.kind !== 'duplicate-key') continue;
      const key = /duplicate key "([^"]*)"/.exec(p.message)?.[1];
      const at = { line: p.line, column: p.column, endLine: p.endLine, endColumn: p.endColumn };
      if (p.column === 1 && (key === 'apiVersion' || key === 'kind')) {
        // One finding for the missing separator, not one per repeated top-level key.
        if (!merged) ctx.report({ messageId: 'missingSeparator', data: { key: `"${key}"` }, ...at });
        merged = true;
        continue;
      }
      if (merged && p.column === 1) continue;
      ctx.report({ messageId: 'duplicate', data: { key: key ? `"${key}"` : '' }, ...at });
    }
  },
});
