/**
 * `k8s-audit extract guide.md --out dir/`: write what a guide teaches to disk, for people who want to apply
 * or diff it: every virtual file at its path (the last version when the guide gives one twice, with any
 * "Add to <file>" additions), and every manifest that has no path under manifests/<guide>/.
 */
import path from 'node:path';
import { analyseGuide } from './markdown.js';
import { writeSafe } from './markdown-expand.js';

export interface Extracted {
  /** Path written, relative to the output directory (forward slashes). */
  path: string;
  /** 1-based guide line the content starts at. */
  line: number;
  category: string;
}

export function extractGuide(text: string, file: string, outDir: string): Extracted[] {
  const a = analyseGuide(text, file);
  const out: Extracted[] = [];
  const taken = new Set<string>();
  const write = (rel: string, content: string, line: number, category: string) => {
    if (taken.has(rel)) return;
    writeSafe(outDir, rel, content);
    taken.add(rel);
    out.push({ path: rel, line, category });
  };
  for (const [p, versions] of a.files) {
    const vf = versions[versions.length - 1];
    write(p, vf.text, vf.line, vf.category);
  }
  const stem = path.basename(file).replace(/\.(md|markdown)$/i, '').replace(/[^\w.-]+/g, '-') || 'guide';
  for (const u of a.units) {
    if (u.path || u.category !== 'manifest') continue;
    const what = u.origin === 'heredoc' ? 'here-document' : 'block';
    write(`manifests/${stem}/${what}-line-${u.line}.${u.format === 'json' ? 'json' : 'yaml'}`, u.text, u.line, u.category);
  }
  return out;
}
