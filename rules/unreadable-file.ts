import { defineRule } from '../src/rule.js';

export default defineRule({
  id: 'unreadable-file',
  meta: {
    description: 'Report manifest files that cannot be read as UTF-8 text',
    category: 'syntax',
    severity: 'error',
    recommended: true,
    kinds: [],
    messages: {
      binary: 'This file is binary (it contains NUL bytes), not YAML or JSON text; kubectl cannot apply it',
      utf32: 'This file is {{encoding}} text (it starts with a {{encoding}} byte order mark); kubectl reads only UTF-8 and UTF-16 with a byte order mark, and fails on this file',
      encoding: 'Invalid UTF-8 ({{detail}}); YAML and JSON manifests must be UTF-8, so kubectl rejects this file',
      tooLarge: 'This file was not read: {{detail}}',
      objectTooLarge: 'Not linted: {{detail}}',
      unreadable: 'This file could not be read: {{detail}}',
      name: 'Not linted: {{detail}}',
      special: 'This is {{detail}}; it was not read (opening a FIFO waits for a writer forever; a device may never end)',
    },
    docs: {
      rationale:
        'A file with a manifest extension that is not UTF-8 text is either misnamed (an archive, an image) or corrupted (an editor saved it as Latin-1 or UTF-32). Either way nothing in it gets applied. (UTF-16 with a byte order mark is read, as kubectl reads it.) A FIFO (named pipe), a device or a socket with a manifest name is never opened: opening a FIFO waits for a writer forever, and a device such as /dev/zero never ends; a name that is not valid UTF-8 cannot be opened by a Node.js program at all.',
      remediation:
        'Re-save the file as UTF-8, rename it if it is not a manifest, or exclude it with `ignore:` in .k8s-audit.yaml.',
    },
  },
  checkDocument(doc, ctx) {
    for (const p of doc.problems) {
      const at = { line: p.line, column: p.column };
      if (p.kind === 'binary') ctx.report({ messageId: 'binary', ...at });
      else if (p.kind === 'encoding' && /^the file is UTF-32/.test(p.message)) ctx.report({ messageId: 'utf32', data: { encoding: /UTF-32[LB]E/.exec(p.message)![0] }, ...at });
      else if (p.kind === 'encoding') ctx.report({ messageId: 'encoding', data: { detail: p.message.replace(/;.*$/, '') }, ...at });
      else if (p.kind === 'too-large' && /^this object is/.test(p.message)) ctx.report({ messageId: 'objectTooLarge', data: { detail: p.message }, ...at });
      else if (p.kind === 'too-large') ctx.report({ messageId: 'tooLarge', data: { detail: p.message }, ...at });
      else if (p.kind === 'name') ctx.report({ messageId: 'name', data: { detail: p.message }, ...at });
      else if (p.kind === 'special') ctx.report({ messageId: 'special', data: { detail: p.message }, ...at });
      else if (p.kind === 'unreadable') ctx.report({ messageId: 'unreadable', data: { detail: p.message.replace(/^cannot read the file: /, '') }, ...at });
    }
  },
});
