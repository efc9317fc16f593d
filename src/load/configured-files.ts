/**
 * Files the configuration names (`crds:`, `policies:`): each entry a file or a directory of .yaml/.yml/.json
 * files (hidden names skipped, 8 levels deep, at most MAX_FILES files), relative to the configuration's
 * directory, read through the one bounded read path and parsed into documents.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseSource } from '../parse/documents.js';
import { readTextLenient } from './read.js';

/** How many files the entries may hold before the rest is left unread. */
const MAX_FILES = 2000;

/** Every document of the files the entries name, with its file; `missing` names the first entry that does not exist. */
export function readConfiguredDocuments(list: readonly string[], baseDir: string): { docs: { file: string; value: unknown }[] } | { missing: string } {
  const files: string[] = [];
  const walk = (p: string, depth: number) => {
    if (files.length >= MAX_FILES) return;
    const st = fs.statSync(p);
    if (st.isFile()) files.push(p);
    else if (st.isDirectory() && depth < 8)
      for (const n of fs.readdirSync(p).sort()) {
        const c = path.join(p, n);
        if (!n.startsWith('.') && (fs.statSync(c).isDirectory() || /\.(ya?ml|json)$/.test(n))) walk(c, depth + 1);
      }
  };
  for (const entry of list) {
    const abs = path.resolve(baseDir, entry);
    if (!fs.existsSync(abs)) return { missing: entry };
    walk(abs, 0);
  }
  const docs: { file: string; value: unknown }[] = [];
  for (const f of files) {
    // through the one read path: capped, and never a FIFO or a device swapped in after the walk's stat
    const read = readTextLenient(f);
    if (!('text' in read)) continue;
    for (const d of parseSource({ file: f, text: read.text, format: f.endsWith('.json') ? 'json' : 'yaml', origin: 'file', group: '' })) docs.push({ file: f, value: d.value });
  }
  return { docs };
}
