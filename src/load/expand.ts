/**
 * Turn an input (a manifest file, a Markdown guide, a Helm chart) into SourceTexts: the texts that hold
 * YAML/JSON documents, each with its mapping back to the file the user edits.
 */
import type { SourceText } from '../parse/source.js';
import type { ParsedDocument } from '../parse/documents.js';
import { decode, readText, type Input, type ReadProblem } from './files.js';
import { readBytes, lenientText, type ReadFailure } from './read.js';

export interface HelmSettings {
  values?: string[];
  set?: string[];
  setString?: string[];
  setFile?: string[];
  setJson?: string[];
  binary?: string;
  scenarios?: boolean;
  kubeVersion?: string;
  /** Extra .Capabilities.APIVersions, as helm template --api-versions. */
  apiVersions?: string[];
  namespace?: string;
  releaseName?: string;
}

export interface ExpandOptions {
  cwd: string;
  helm: HelmSettings;
  stdinText?: string;
}

export interface Expanded {
  sources: SourceText[];
  /** Problems that are not inside a parseable text: unreadable files, broken charts (already positioned). */
  problems: { file: string; line: number; column: number; problem: ReadProblem | { kind: 'chart' | 'unsafe' | 'kustomize' | 'kustomize-partial' | 'kustomize-unused' | 'values-unread'; message: string } }[];
  /** Documents produced directly (for example, a guide's blocks already parsed). */
  documents?: ParsedDocument[];
}

export async function expandInput(input: Input, opts: ExpandOptions): Promise<Expanded> {
  switch (input.kind) {
    case 'manifest':
      return expandManifest(input);
    case 'markdown':
      return expandMarkdown(input, opts);
    case 'chart':
      return expandChart(input, opts);
    case 'kustomize':
      return (await (await import('./kustomize.js')).expandKustomizations([input], opts)).expanded[0];
  }
}

/** Standard input: its bytes decoded as a file's are (UTF-16 with a BOM included), or why it was not read. */
export function stdinSource(input: string | Buffer, failure?: ReadFailure): Expanded {
  const r = failure ? { problem: failure } : decode(typeof input === 'string' ? Buffer.from(input, 'utf8') : input);
  if ('problem' in r) {
    const p = r.problem;
    return { sources: [], problems: [{ file: '<stdin>', line: 'line' in p ? p.line : 1, column: 'column' in p ? p.column : 1, problem: p }] };
  }
  const trimmed = r.text.trimStart();
  return {
    sources: [{ file: '<stdin>', text: r.text, format: trimmed.startsWith('{') ? 'json' : 'yaml', origin: 'stdin', group: '', comments: true }],
    problems: [],
  };
}

function expandManifest(input: Input): Expanded {
  const r = readText(input.abs);
  if ('problem' in r) {
    const p = r.problem;
    return { sources: [], problems: [{ file: input.rel, line: 'line' in p ? p.line : 1, column: 'column' in p ? p.column : 1, problem: p }] };
  }
  return {
    sources: [
      {
        file: input.rel,
        text: r.text,
        format: /\.json$/i.test(input.abs) ? 'json' : 'yaml',
        origin: 'file',
        group: '',
        comments: true,
        // a file named as a patch (patch.yaml, manager_auth_patch.yaml) that no kustomization uses holds excerpts
        ...(PATCH_FILE.test(input.rel.split('/').pop() ?? '') ? { excerpt: 'its file name says it is a patch' } : {}),
      },
    ],
    problems: [],
  };
}

const PATCH_FILE = /(^|[._-])patch(es)?([._-][^/]*)?\.(ya?ml|json)$/i;

async function expandMarkdown(input: Input, opts: ExpandOptions): Promise<Expanded> {
  const bytes = readBytes(input.abs);
  if ('failure' in bytes) return { sources: [], problems: [{ file: input.rel, line: 1, column: 1, problem: bytes.failure }] };
  const r = decode(bytes.buf);
  let text: string;
  if ('problem' in r) {
    const p = r.problem;
    // A guide with a mis-encoded character is still a guide: read it leniently (U+FFFD for bad bytes).
    if (p.kind !== 'encoding' || p.message.includes('UTF-32')) return { sources: [], problems: [{ file: input.rel, line: 1, column: 1, problem: p }] };
    text = lenientText(bytes.buf);
  } else text = r.text;
  const { expandGuide } = await import('./markdown-expand.js');
  return expandGuide(text, input.rel, opts);
}

async function expandChart(input: Input, opts: ExpandOptions): Promise<Expanded> {
  // The renderer is loaded only when a chart is found.
  return (await import('./chart.js')).expandChart(input, opts);
}
