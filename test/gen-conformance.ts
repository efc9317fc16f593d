// `npm run docs` (second step): write docs/parity.md from the conformance scores (test/conformance-score.ts).
import fs from 'node:fs';
import { corpusAvailable, renderParityPage, scoreConformance } from './conformance-score.js';

const p = 'docs/parity.md';
if (!corpusAvailable) {
  console.log('gen-conformance: ../shared/corpus is absent; docs/parity.md left as it is');
} else {
  const s = renderParityPage(await scoreConformance());
  if (!fs.existsSync(p) || fs.readFileSync(p, 'utf8') !== s) fs.writeFileSync(p, s);
}
