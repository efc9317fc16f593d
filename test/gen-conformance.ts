// `npm run docs` (second step): write docs/parity.md, the parity table, from conformance-map.ts.
import fs from 'node:fs';
import { renderConformanceMarkdown } from './conformance-map.js';

const p = 'docs/parity.md';
const intro = `# Parity with peer linters

Every default check of kube-linter, Polaris and kube-score that has a counterpart in k8s-audit, with how it
compares on the peers' own pass/fail fixtures (\`test/conformance.test.ts\` runs them and fails on any
unexplained mismatch, and when this table is stale). Each rule's page names its kube-linter, Polaris,
kube-score and Checkov equivalents.

`;
const s = `${intro}<!-- conformance:start -->\n${renderConformanceMarkdown()}\n<!-- conformance:end -->\n`;
if (!fs.existsSync(p) || fs.readFileSync(p, 'utf8') !== s) fs.writeFileSync(p, s);
