// One large multi-document file where a few documents are not plain block YAML (issue 31): 65
// CustomResourceDefinition-like documents of about 57 KB each (3.7 MB), of which 3 need the slow path (an
// anchor and alias, a `!!str` tag, a merge key). Only those three should leave the fast path; the others
// must not pay for them. Usage: node bench/mixed-file.mjs [FILE] [--all-fast] (default: a new temp dir; prints
// the file). A FILE ending in .md is a guide with the documents in one ```yaml block.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const DOCUMENTS = 65;
const SLOW = new Map([
  [10, 'alias'],
  [33, 'tag'],
  [60, 'merge'],
]);

/** A CRD whose schema has `fields` properties, each an object of a few typed fields with descriptions. */
function crd(d, fields, slow) {
  const group = `group${d}.example.com`;
  const lines = [
    'apiVersion: apiextensions.k8s.io/v1',
    'kind: CustomResourceDefinition',
    'metadata:',
    `  name: widgets${d}.${group}`,
    '  labels:',
    `    app.kubernetes.io/name: widgets${d}`,
    'spec:',
    `  group: ${group}`,
    '  names:',
    '    kind: Widget',
    `    plural: widgets${d}`,
    '  scope: Namespaced',
    '  versions:',
    '  - name: v1',
    '    served: true',
    '    storage: true',
    '    schema:',
    '      openAPIV3Schema:',
    '        type: object',
    '        properties:',
    '          spec:',
    '            type: object',
    '            properties:',
  ];
  for (let f = 0; f < fields; f++) {
    const anchor = slow === 'alias' && f === 0 ? ' &shared' : '';
    lines.push(
      `              field${f}:`,
      `                description: "Field ${f} of widget ${d}: how the controller reconciles this part, in a sentence or two."`,
      `                type: object`,
      `                properties:`,
      `                  enabled:${anchor}`,
      `                    type: boolean`,
      `                    default: ${f % 2 === 0}`,
      `                  replicas:`,
      `                    type: integer`,
      `                    format: int32`,
      `                    minimum: 0`,
      `                  mode:`,
      `                    type: string`,
      `                    enum: [Auto, Manual, "Off"]`,
    );
  }
  if (slow === 'alias') lines.push('              aliased:', '                properties:', '                  enabled: *shared');
  if (slow === 'tag') lines.push('              tagged:', '                type: !!str string');
  if (slow === 'merge') lines.push('              merged:', '                <<: {type: object}', '                description: merged');
  return lines.join('\n') + '\n';
}

export function mixedFile(file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'k8s-audit-mixed-')), 'crds.yaml'), slow = SLOW) {
  const docs = [];
  for (let d = 0; d < DOCUMENTS; d++) docs.push(crd(d, 108, slow.get(d)));
  const yaml = docs.join('---\n');
  fs.writeFileSync(file, file.endsWith('.md') ? `# Installing the widgets\n\n\`\`\`yaml\n${yaml}\`\`\`\n` : yaml);
  return file;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) console.log(mixedFile(process.argv[2], process.argv[3] === "--all-fast" ? new Map() : SLOW));
