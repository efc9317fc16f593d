/** `npm run docs`: write docs/rules/<id>.md for every rule and the README rules table from the metadata. */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { rules } from '../../rules/index.js';
import { renderRulePage, ruleExamples, updateReadme } from '../docs.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const file = path.join(root, 'README.md');
const before = fs.readFileSync(file, 'utf8');
const after = updateReadme(before, rules);
if (after !== before) {
  fs.writeFileSync(file, after);
  console.log('README.md rules table updated');
} else console.log('README.md rules table is up to date');

const dir = path.join(root, 'docs', 'rules');
fs.mkdirSync(dir, { recursive: true });
const pages = new Set(rules.map((r) => `${r.id}.md`));
let written = 0;
for (const r of rules) {
  const p = path.join(dir, `${r.id}.md`);
  const text = renderRulePage(r, ruleExamples(r.id, root));
  if (!fs.existsSync(p) || fs.readFileSync(p, 'utf8') !== text) {
    fs.writeFileSync(p, text);
    written++;
  }
}
for (const f of fs.readdirSync(dir)) if (f.endsWith('.md') && !pages.has(f)) fs.rmSync(path.join(dir, f));
console.log(`docs/rules: ${written} page(s) written, ${pages.size} rules`);
