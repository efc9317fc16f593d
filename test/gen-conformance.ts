// `npm run docs` (second step): rewrite the README parity table from conformance-map.ts.
import fs from 'node:fs';
import { renderConformanceMarkdown } from './conformance-map.js';
const p = 'README.md';
let s = fs.readFileSync(p, 'utf8');
const block = `<!-- conformance:start -->\n${renderConformanceMarkdown()}\n<!-- conformance:end -->`;
if (s.includes('<!-- conformance:start -->')) s = s.replace(/<!-- conformance:start -->[\s\S]*<!-- conformance:end -->/, block);
else s = s.replace('## Library', `## Parity with peer linters\n\nEvery default check of kube-linter, Polaris and kube-score that has a counterpart here, with how it compares on the\npeers' own pass/fail fixtures (\`test/conformance.test.ts\` runs them and fails on any unexplained mismatch; it\nalso fails when this table is stale). Each rule's section below names its kube-linter, Polaris, kube-score and\nCheckov equivalents.\n\n${block}\n\n## Library`);
fs.writeFileSync(p, s);
