/**
 * `k8s-audit extract guide.md --out dir/`: write what a guide teaches to disk, for people who want to apply
 * or diff it: every virtual file at its path (the last version when the guide gives one twice, with any
 * "Add to <file>" additions), and every manifest that has no path under manifests/<guide>/.
 */
import path from 'node:path';
import { analyseGuide } from './markdown.js';
import { writeInside } from './sandbox.js';

export interface Extracted {
  /** Path written, relative to the output directory (forward slashes). */
  path: string;
  /** 1-based guide line the content starts at. */
  line: number;
  category: string;
}

/** A file the guide names that was not written: its path leaves --out (`../x`, `/etc/x`, a link on the way). */
export interface Refused {
  path: string;
  line: number;
  reason: string;
}

export function extractGuide(text: string, file: string, outDir: string, refused: Refused[] = []): Extracted[] {
  const a = analyseGuide(text, file);
  const out: Extracted[] = [];
  const taken = new Set<string>();
  const write = (rel: string, content: string, line: number, category: string) => {
    if (taken.has(rel)) return;
    taken.add(rel);
    try {
      writeInside(outDir, rel, content);
    } catch (e) {
      refused.push({ path: rel, line, reason: (e as Error).message });
      return;
    }
    out.push({ path: rel, line, category });
  };
  for (const [p, versions] of a.files) {
    const vf = versions[versions.length - 1];
    write(p, vf.raw, vf.line, vf.category);
  }
  const stem = path.basename(file).replace(/\.(md|markdown)$/i, '').replace(/[^\w.-]+/g, '-') || 'guide';
  for (const u of a.units) {
    if (u.path || u.category !== 'manifest') continue;
    const what = u.origin === 'heredoc' ? 'here-document' : 'block';
    write(`manifests/${stem}/${what}-line-${u.line}.${u.format === 'json' ? 'json' : 'yaml'}`, u.raw, u.line, u.category);
  }
  return out;
}

/** The `extract` subcommand: returns the exit code (2 for a usage error). */
export async function extractCommand(guide: string | undefined, out: string | undefined, cwd = process.cwd()): Promise<number> {
  const fs = await import('node:fs');
  const usage = (msg: string) => {
    process.stderr.write(`k8s-audit: ${msg}\n`);
    return 2;
  };
  if (!guide) return usage('extract takes a Markdown guide: k8s-audit extract guide.md --out dir/');
  if (!out) return usage('extract needs --out <dir>: the directory to write the guide\'s files to');
  const abs = path.resolve(cwd, guide);
  const { readTextLenient } = await import('./read.js');
  const read = readTextLenient(abs);
  if ('failure' in read) return usage(`cannot read ${guide}: ${read.failure.kind === 'special' ? `it is ${read.failure.message}` : read.failure.message.replace(/^cannot read the file: /, '')}`);
  const text = read.text;
  const outDir = path.resolve(cwd, out);
  const { analyseGuide: analyse, guideStats } = await import('./markdown.js');
  const st = guideStats(analyse(text, guide));
  const refused: Refused[] = [];
  const shownGuide = path.relative(cwd, abs).split(path.sep).join('/') || guide;
  const written = extractGuide(text, shownGuide, outDir, refused);
  const shown = path.relative(cwd, outDir) || '.';
  for (const w of written) process.stdout.write(`${path.join(shown, w.path).split(path.sep).join('/')}\t(line ${w.line}, ${w.category})\n`);
  for (const r of refused) process.stderr.write(`${shownGuide}:${r.line}: not written: ${r.reason}\n`);
  process.stdout.write(`${written.length} file${written.length === 1 ? '' : 's'} written to ${shown} (the guide has ${st.blocks} code blocks: ${st.manifests} Kubernetes objects, ${st.virtualFiles} named files, ${st.charts} chart${st.charts === 1 ? '' : 's'}, ${st.templates} templates, ${st.fragments} excerpts)\n`);
  return refused.length ? 1 : 0;
}
