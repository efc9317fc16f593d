/** `npm run docs`: rewrite the README rules block from the rule metadata. */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { rules } from '../../rules/index.js';
import { updateReadme } from '../docs.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const file = path.join(root, 'README.md');
const before = fs.readFileSync(file, 'utf8');
const after = updateReadme(before, rules);
if (after !== before) {
  fs.writeFileSync(file, after);
  console.log('README.md rules section updated');
} else console.log('README.md rules section is up to date');
