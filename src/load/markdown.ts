/**
 * Markdown deployment guides as input. The guide is parsed with a CommonMark parser (commonmark.js, the
 * reference implementation), so code blocks are exactly the ones GitHub renders: backtick and tilde fences,
 * longer closing fences, fences indented inside list items, unterminated fences, and "fences" inside a fence.
 *
 * Each code block becomes zero or more units: a yaml/yml/json block, an untagged block holding Kubernetes
 * objects, or a here-document inside a shell block (or a shell session mis-tagged yaml). Units are classified
 * (manifest, broken manifest, template, chart metadata, values, fragment, config of another tool, bad
 * example); manifests and the YAML files a guide names become SourceTexts whose positions map back to the
 * guide's own line and column. Blocks introduced by a path (a caption, a heading, the info string, a
 * first-line comment, `cat > path <<EOF`) are virtual files; "Add to values.yaml:" appends to one. Those that
 * form a Helm chart (Chart.yaml, values.yaml, templates/) are collected as virtual charts, with the values
 * files and `helm ... -f - <<EOF` here-documents the guide gives as scenarios (markdown-expand.ts renders
 * them). Shell expansions in unquoted here-documents and `${VAR}` in YAML blocks get same-length
 * placeholders; `raw` keeps the text as written (what `extract` writes).
 */
import { Parser, type Node } from 'commonmark';
import jsyaml from 'js-yaml';
import YAML from 'yaml';
import type { MappedPosition, SourceDirective, SourceText } from '../parse/source.js';
import { NOT_HANDLED, loadBlockYaml } from '../parse/block-yaml.js';
import { splitDocuments } from '../parse/fast.js';
import { parseDirectiveBody } from '../suppress.js';
import { findHeredocs, neutraliseBraced, type Heredoc } from './markdown-shell.js';

export interface CodeBlock {
  /** 0-based, in document order. */
  index: number;
  fenced: boolean;
  /** First word of the info string, lowercased ('' when untagged). */
  lang: string;
  info: string;
  /** 1-based guide line of the opening fence (of the first line for an indented block). */
  line: number;
  /** 1-based guide line where the block ends (its closing fence when there is one). */
  endLine: number;
  /** False for a fence that runs to the end of its container (no closing fence). */
  terminated: boolean;
  /** Content lines, container indentation removed. */
  lines: string[];
  /** Per content line: its 1-based line in the guide. */
  lineNo: number[];
  /** Per content line: characters of the guide line before the content (list indentation, `> `). */
  colOffset: number[];
  caption?: Caption;
  directives: SourceDirective[];
  /** Introduced as a bad example ("Bad:", "❌ Don't", a first comment "# Wrong"): shown, not linted. */
  counterexample?: boolean;
  /** The prose just before the block (a paragraph or heading), when there is some. */
  intro?: string;
}

export interface Caption {
  path: string;
  /** `file`: the block is the file; `append`: "Add to values.yaml:" adds the block to it. */
  mode: 'file' | 'append';
  how: 'caption' | 'heading' | 'comment' | 'heredoc';
  line: number;
}

export type UnitCategory =
  /** One or more Kubernetes objects. */
  | 'manifest'
  /** Looks like a manifest but does not parse: reported as a syntax error. */
  | 'broken'
  /** A Helm/Go template (or a file under a chart's templates/): never parsed as raw YAML. */
  | 'template'
  /** A chart's Chart.yaml. */
  | 'chart'
  /** Helm values: a chart's values.yaml, a values file the guide gives, a values snippet. */
  | 'values'
  /** YAML that is not a whole object: a `resources:` excerpt, a partial spec. */
  | 'fragment'
  /** Configuration of another tool: kind, kustomize, docker-compose, a GitHub workflow, a kubeconfig. */
  | 'config'
  /** Presented as a bad example ("Bad:", "❌ Don't do this"): shown, not linted. */
  | 'counterexample'
  /** Not YAML or JSON (a script, a README, NOTES.txt): only a virtual file. */
  | 'other';

export const UNIT_CATEGORIES: readonly UnitCategory[] = ['manifest', 'broken', 'template', 'chart', 'values', 'fragment', 'config', 'counterexample', 'other'];

export interface Unit {
  block: CodeBlock;
  origin: 'block' | 'heredoc';
  heredoc?: Heredoc;
  /** 1-based guide line of the here-document's command (heredocs) or of the block's fence. */
  line: number;
  format: 'yaml' | 'json' | 'text';
  /** The text linted: shell expansions and envsubst placeholders replaced by same-length placeholders. */
  text: string;
  /** The text as the guide writes it (what `extract` writes). */
  raw: string;
  lineNo: number[];
  colOffset: number[];
  /** The virtual file this unit is (or is appended to). */
  path?: string;
  append?: boolean;
  category: UnitCategory;
  /** Kubernetes objects in the unit (List items counted one by one). */
  objects: number;
  kinds: string[];
  /** A few words naming where in the guide the unit is. */
  context: string;
  /** The chart a values unit belongs to (its root), when known. */
  chart?: string;
}

export interface VirtualFile {
  path: string;
  /** The units it is made of: the file itself, then any "Add to <path>" additions. */
  units: Unit[];
  text: string;
  /** As the guide writes it. */
  raw: string;
  category: UnitCategory;
  /** Maps a 1-based line/column of `text` to the guide. */
  mapPosition(line: number, column: number): MappedPosition;
  /** 1-based guide line where the file starts. */
  line: number;
}

export interface VirtualChart {
  /** Directory of Chart.yaml, as the guide names it ('.' for a chart at the top). */
  root: string;
  name: string;
  /** Chart.yaml was not in the guide (templates only): a minimal one is made up. */
  synthesized: boolean;
  /** Every file of the chart, by path relative to the chart root (latest version of each). */
  files: Map<string, VirtualFile>;
  /** The values files and values here-documents the guide gives for this chart, in guide order. */
  scenarios: { name: string; file: VirtualFile }[];
}

export interface GuideAnalysis {
  /** Display path of the guide. */
  file: string;
  blocks: CodeBlock[];
  units: Unit[];
  /** Every version of every virtual file, in guide order (a later caption of the same path is a new version). */
  files: Map<string, VirtualFile[]>;
  charts: VirtualChart[];
}

export interface GuideStats {
  /** Code blocks as CommonMark (and GitHub) sees them, fenced and indented. */
  blocks: number;
  /** Blocks per language tag ('' for untagged). */
  languages: Record<string, number>;
  /** YAML/JSON texts read: yaml/json blocks, untagged blocks holding objects, here-documents, named files. */
  units: number;
  heredocs: number;
  /** Kubernetes objects in manifest units. */
  manifests: number;
  /** Distinct virtual file paths. */
  virtualFiles: number;
  charts: number;
  templates: number;
  fragments: number;
  categories: Record<UnitCategory, number>;
}

const YAML_LANGS = new Set(['yaml', 'yml']);
const JSON_LANGS = new Set(['json', 'jsonc', 'json5']);
const SHELL_LANGS = new Set(['bash', 'sh', 'shell', 'zsh', 'console', 'shell-session', 'shellsession', 'terminal', 'ksh', 'fish']);
const TEMPLATE_LANGS = new Set(['gotmpl', 'go-template', 'gotemplate', 'tpl', 'helm', 'go-html-template', 'handlebars']);

/** API groups of configuration files for tools, not objects applied to a cluster. */
const CONFIG_GROUP = /^(?:kind\.x-k8s\.io|kustomize\.config\.k8s\.io|kubeadm\.k8s\.io|k3d\.io|kubelet\.config\.k8s\.io|kubeproxy\.config\.k8s\.io|kubescheduler\.config\.k8s\.io|apiserver\.config\.k8s\.io|apiserver\.k8s\.io|audit\.k8s\.io|eksctl\.io|ctlptl\.dev|skaffold|client\.authentication\.k8s\.io|config\.k8s\.io)\b/;

/** Helm template actions (not Prometheus/Alertmanager `{{ $labels.x }}` inside a quoted string). */
const HELM_ACTION = /\{\{-?\s*(?:\.|\$\.|\/\*|include\b|template\b|define\b|if\b|else\b|end\b|range\b|with\b|toYaml\b|tpl\b|required\b|default\b|printf\b|quote\b|block\b|\$[\w]*\s*:?=|nindent\b|indent\b)/;

const FILE_EXT = /\.(?:ya?ml|json|tpl|txt|toml|sh|bash|md|markdown|conf|cfg|ini|env|properties|py|js|mjs|ts|go|rs|sql|xml|html|j2|tf|hcl)$/i;
const FILE_NAME = /(?:^|\/)(?:Dockerfile|Makefile|Containerfile|Chart\.lock|\.helmignore)$/;
const PATH_CHARS = /^[\w@.+~-]+(?:\/[\w@.+~-]+)*$/;
const VALUES_PATH = /(?:^|\/)[^/]*values[^/]*\.ya?ml$/i;

export function isPathLike(s: string): boolean {
  const p = normalisePath(s);
  return !!p && PATH_CHARS.test(p) && !/^\.+$/.test(p) && !p.includes('://') && (FILE_EXT.test(p) || FILE_NAME.test(p));
}

export function normalisePath(s: string): string {
  let p = s.trim().replace(/^['"`]+|['"`]+$/g, '').replace(/\\/g, '/');
  while (p.startsWith('./')) p = p.slice(2);
  p = p.replace(/\/\.\//g, '/').replace(/\/{2,}/g, '/');
  if (p.startsWith('/') || p.split('/').includes('..')) return p.startsWith('/') ? p.replace(/^\/+/, '') : '';
  return p;
}

// ---------------------------------------------------------------------------------------------- parsing

/** Parse a guide into code blocks with their captions and suppression directives. */
export function parseBlocks(text: string, file: string): CodeBlock[] {
  const src = text.replace(/\r\n?/g, '\n');
  const guideLines = src.split('\n');
  const doc = new Parser().parse(src);
  const blocks: CodeBlock[] = [];
  const walker = doc.walker();
  let ev: ReturnType<typeof walker.next>;
  while ((ev = walker.next())) {
    const node = ev.node;
    if (!ev.entering || node.type !== 'code_block') continue;
    const pos = node.sourcepos;
    if (!pos) continue;
    const [[sl], [el]] = pos;
    const raw = node as unknown as { _isFenced?: boolean };
    const fenced = raw._isFenced ?? /^\s*(?:[>*+-]|\d+[.)])*\s*(?:```|~~~)/.test(guideLines[sl - 1] ?? '');
    const literal = node.literal ?? '';
    const lines = literal.split('\n');
    if (literal.endsWith('\n') || literal === '') lines.pop();
    const first = fenced ? sl + 1 : sl;
    const lineNo: number[] = [];
    const colOffset: number[] = [];
    lines.forEach((lit, i) => {
      const g = first + i;
      const rawLine = guideLines[g - 1] ?? '';
      lineNo.push(g);
      colOffset.push(rawLine.endsWith(lit) ? rawLine.length - lit.length : Math.max(0, leading(rawLine) - leading(lit)));
    });
    const info = (node.info ?? '').trim();
    const lang = (info.replace(/^\{\s*\.?/, '').split(/[\s{},:]/)[0] ?? '').toLowerCase();
    const block: CodeBlock = {
      index: blocks.length,
      fenced,
      lang,
      info,
      line: sl,
      endLine: el,
      terminated: !fenced || el === first + lines.length,
      lines,
      lineNo,
      colOffset,
      directives: [],
    };
    const { caption, directives, intro } = lookBehind(node, guideLines, file);
    if (isCounterexample(intro, lines)) block.counterexample = true;
    if (intro) block.intro = intro;
    // The info string can name the file itself: ```yaml title="k8s/app.yaml"```, ```yaml:k8s/app.yaml```.
    const named = /(?:\b(?:title|file(?:name)?|path)\s*=\s*["']?|^[\w+-]+:)([^\s"'{}]+)/i.exec(info);
    if (named && isPathLike(named[1])) block.caption = { path: normalisePath(named[1]), mode: 'file', how: 'caption', line: sl };
    else if (caption) block.caption = caption;
    block.directives = directives;
    blocks.push(block);
  }
  return blocks;
}

function leading(s: string): number {
  return s.length - s.trimStart().length;
}

const DIRECTIVE = /<!--\s*k8s-audit-ignore\b([\s\S]*?)-->/g;

/** The caption and `<!-- k8s-audit-ignore -->` directives just before a code block. */
function lookBehind(node: Node, guideLines: string[], file: string): { caption?: Caption; directives: SourceDirective[]; intro?: string } {
  const directives: SourceDirective[] = [];
  let caption: Caption | undefined;
  let intro: string | undefined;
  let prev = node.prev;
  let steps = 0;
  let firstText = 0;
  while (prev && steps < 4) {
    steps++;
    if (!firstText && (prev.type === 'paragraph' || prev.type === 'heading')) firstText = steps;
    const pos = prev.sourcepos;
    if (prev.type === 'html_block') {
      const lit = prev.literal ?? '';
      DIRECTIVE.lastIndex = 0;
      let m: RegExpExecArray | null;
      while ((m = DIRECTIVE.exec(lit))) {
        const before = lit.slice(0, m.index);
        const lineIdx = before.split('\n').length - 1;
        const line = (pos?.[0][0] ?? 1) + lineIdx;
        const rawLine = guideLines[line - 1] ?? '';
        const { rules, reason } = parseDirectiveBody(m[1].trim());
        directives.push({ rules, reason, file, line, column: Math.max(1, rawLine.indexOf('<!--') + 1) });
      }
      prev = prev.prev;
      continue;
    }
    if (pos && (prev.type === 'paragraph' || prev.type === 'heading')) {
      // A setext heading's underline is not part of its text.
      const rawText = guideLines
        .slice(pos[0][0] - 1, prev.type === 'heading' ? pos[0][0] : pos[1][0])
        .map((l) => l.replace(/^\s*(?:>\s?)*(?:[-*+]\s+|\d+[.)]\s+)?/, ''))
        .join(' ')
        .trim();
      if (steps === firstText) intro = rawText;
      // Only the nearest paragraph or heading can be the caption.
      const c = steps === firstText ? (prev.type === 'heading' ? headingCaption(rawText) : paragraphCaption(rawText)) : undefined;
      if (c) caption = { ...c, how: prev.type === 'heading' ? 'heading' : 'caption', line: pos[0][0] };
      // Directives may sit before the caption, or before a one-line lead-in ("**Storage:**", "Apply it:");
      // anything else ends the look-behind.
      const leadIn = prev.type === 'paragraph' && pos[0][0] === pos[1][0] && /:\s*(?:\*\*|__)?\s*$|^(?:\*\*|__)[^*_]+(?:\*\*|__)$/.test(rawText);
      prev = prev.prev;
      if (!c && !leadIn) break;
      continue;
    }
    break;
  }
  return { caption, directives, intro };
}

/** "Bad:", "**Wrong example:**", "Don't -", "# Anti-pattern:", or a cross mark anywhere. */
const BAD = /^[\s*_#>`(\[]*(?:\u274c|\u26d4|\u{1f6ab}|\u2717|\u2718)?[\s*_]*(?:bad|wrong|incorrect|insecure|anti-?pattern|don'?t|do not|avoid|not recommended|vulnerable)(?:\s+(?:do this|use this|do|example|practice|config(?:uration)?|pattern|approach|way|setup))?(?:\s*\([^)]*\))?[\s*_]*(?:[:.)\u2013\u2014-]|$)|\u274c|\u26d4|\u{1f6ab}|\u2717|\u2718/iu;
const GOOD = /(?:^|[\s*_(\[`"'])(?:good|correct|fixed|secure|recommended|better|right|instead)\b|\u2705|\u2714/iu;

/** A short lead-in or first comment that presents the block as what not to do. */
/**
 * Why a block of objects is an excerpt rather than whole objects, or undefined: the prose before it presents it as
 * a patch, excerpt or snippet, or its lines elide parts (`# ...`, `# ... omitted for brevity`, `# rest unchanged`).
 */
export function excerptReason(intro: string | undefined, lines: readonly string[]): string | undefined {
  const t = intro?.replace(/\s+/g, ' ').trim();
  if (t && t.length <= 300) {
    const m = /\b(patch(?:es)?|excerpt|snippet|fragment|abridged|(?:the )?relevant (?:part|section|fields?))\b/i.exec(t);
    if (m) return `the text presents it as ${/^[aeiou]/i.test(m[1]) ? 'an' : 'a'} ${m[1].toLowerCase()}`;
  }
  for (const l of lines) {
    if (/^\s*#\s*(?:\.{3}|…)/.test(l) || /^\s*#.*\b(?:omitted|truncated|abridged|for brevity|rest (?:of|unchanged)|unchanged|snip(?:ped)?)\b/i.test(l)) return 'it leaves parts out (a "# ..." comment)';
  }
  return undefined;
}

function isCounterexample(intro: string | undefined, lines: string[]): boolean {
  const first = lines.find((l) => l.trim() !== '')?.trim() ?? '';
  const comment = /^(?:#|\/\/)\s*(.*)$/.exec(first)?.[1];
  for (const t of [intro, comment]) {
    if (!t || t.length > 120) continue;
    if (BAD.test(t) && !GOOD.test(t.replace(/not recommended/gi, ''))) return true;
  }
  return false;
}

function paragraphCaption(t: string): { path: string; mode: 'file' | 'append' } | undefined {
  const s = t.replace(/\s+/g, ' ').trim();
  // **File:** `path`   File: path   **Filename**: `path`   Save as `path`:
  let m = /^(?:\*\*|__)?\s*(?:File(?:name)?|Path|Save(?: this)? as|Create(?: file)?|Write)\s*:?\s*(?:\*\*|__)?\s*:?\s*(?:\*\*|__)?`?([^\s`*]+?)`?(?:\*\*|__)?\s*:?\s*$/i.exec(s);
  if (m && isPathLike(m[1])) return { path: normalisePath(m[1]), mode: 'file' };
  // **configmaps/app-config.yaml**:   **`path`**   `path`:
  m = /^(?:\*\*|__|\*|_)?`?([^\s`*]+?)`?(?:\*\*|__|\*|_)?\s*:?\s*$/.exec(s);
  if (m && isPathLike(m[1])) return { path: normalisePath(m[1]), mode: 'file' };
  // Create a file named `k8s/app.yaml`:   Save the following as `app.yaml`:
  m = /^(?:\*\*|__)?\s*(?:Create|Save|Write|Put|Place)\b[^`*]{0,60}`([^`\s]+)`\s*(?:\*\*|__)?\s*:?\s*(?:\*\*|__)?\s*$/i.exec(s);
  if (m && isPathLike(m[1]) && !/\b(?:add|append)\b/i.test(s)) return { path: normalisePath(m[1]), mode: 'file' };
  // **Add to values.yaml:**   Append to `values.yaml`:
  m = /^(?:\*\*|__)?\s*(?:Add|Append)(?: (?:this|these lines|the following))? to `?([^\s`*:]+?)`?\s*:?\s*(?:\*\*|__)?\s*:?\s*$/i.exec(s);
  if (m && isPathLike(m[1])) return { path: normalisePath(m[1]), mode: 'append' };
  return undefined;
}

function headingCaption(t: string): { path: string; mode: 'file' } | undefined {
  const s = t.replace(/^#+\s*/, '').replace(/\s*#+\s*$/, '').trim();
  const m = /(?:^|[\s(:])(?:\*\*|__)?`?([^\s`*()]+?)`?(?:\*\*|__)?\)?\s*:?$/.exec(s);
  if (m && isPathLike(m[1])) return { path: normalisePath(m[1]), mode: 'file' };
  return undefined;
}

function commentCaption(lines: string[]): string | undefined {
  const first = lines.find((l) => l.trim() !== '');
  if (!first) return undefined;
  const m = /^\s*#\s*(?:(?:File(?:name)?|Path)\s*:\s*)?(\S+)\s*$/i.exec(first);
  if (m && /\.(?:ya?ml|json)$/i.test(m[1]) && isPathLike(m[1])) return normalisePath(m[1]);
  return undefined;
}

// ---------------------------------------------------------------------------------------------- analysis

interface Parsed {
  docs: { value: unknown; error: boolean }[];
  error: boolean;
}

const parsedCache = new Map<string, Parsed>();

/**
 * Parse for classification: js-yaml first (fast, duplicate keys tolerated); when it fails or the text has
 * anchors, document by document, the yaml library only for those the block loader does not take.
 */
function parseYamlText(text: string): Parsed {
  let r = parsedCache.get(text);
  if (!r) {
    if (parsedCache.size > 2000) parsedCache.clear();
    parsedCache.set(text, (r = parseYamlUncached(text)));
  }
  return r;
}

function parseYamlUncached(text: string): Parsed {
  if (!/(?:^|[\s,[{:-])[*&][^\s]/.test(text)) {
    try {
      const docs: Parsed['docs'] = [];
      jsyaml.loadAll(text, (value) => docs.push({ value, error: false }), { json: true });
      return { docs, error: false };
    } catch {
      // the yaml library decides
    }
  }
  return parseYamlByDocument(text);
}

/**
 * One document at a time (a `---` or `...` at column 0 always ends one: fast.ts splitDocuments), so that one
 * anchor or error in a long block does not send all its documents to the yaml library (seconds for a few MB):
 * plain block YAML, which the yaml library reads alike (its keys are strings to both), is read by the block
 * loader; the documents between two such, anything else, by the yaml library together, in one call (a call per
 * document would make thousands of empty documents slower than one parse of them all).
 */
function parseYamlByDocument(text: string): Parsed {
  const chunks = splitDocuments(text);
  if (chunks.length < 2) return parseYamlSlow(text);
  const out: Parsed = { docs: [], error: false };
  let others = ''; // the documents since the last plain one (the chunks are consecutive slices of the text)
  const flush = () => {
    if (!others) return;
    const p = parseYamlSlow(others);
    out.docs.push(...p.docs);
    out.error ||= p.error;
    others = '';
  };
  for (const c of chunks) {
    const value = loadBlockYaml(c.text);
    if (value === NOT_HANDLED) {
      others += c.text;
      continue;
    }
    flush();
    out.docs.push({ value, error: false });
  }
  flush();
  return out;
}

function parseYamlSlow(text: string): Parsed {
  try {
    const docs = YAML.parseAllDocuments(text, { uniqueKeys: false, strict: false, prettyErrors: false, merge: true, logLevel: 'silent' });
    const list = Array.isArray(docs) ? docs : [docs];
    const out: Parsed = { docs: [], error: false };
    for (const d of list) {
      const error = d.errors.length > 0;
      let value: unknown;
      if (!error) {
        try {
          value = d.toJS({ maxAliasCount: 100 });
        } catch {
          value = undefined;
        }
      }
      out.error ||= error;
      out.docs.push({ value, error });
    }
    return out;
  } catch {
    return { docs: [], error: true };
  }
}

function parseJsonText(text: string): Parsed {
  try {
    return { docs: [{ value: JSON.parse(text), error: false }], error: false };
  } catch {
    return { docs: [], error: true };
  }
}

type Rec = Record<string, unknown>;
const isRec = (v: unknown): v is Rec => v !== null && typeof v === 'object' && !Array.isArray(v);

function kubeObjects(v: unknown): Rec[] {
  if (!isRec(v) || typeof v.apiVersion !== 'string' || typeof v.kind !== 'string' || !v.apiVersion || !v.kind) return [];
  if (/List$/.test(v.kind) && Array.isArray(v.items)) return v.items.flatMap((i) => kubeObjects(i));
  return [v];
}

function isToolConfig(o: Rec): boolean {
  const api = String(o.apiVersion);
  if (CONFIG_GROUP.test(api)) return true;
  // A kubeconfig.
  return api === 'v1' && o.kind === 'Config' && ('clusters' in o || 'contexts' in o || 'users' in o);
}

/** Helm actions, or `{{ ... }}` outside quoted strings and comments (Jinja, Go templates). */
function isTemplateText(text: string): boolean {
  if (!text.includes('{{')) return false;
  if (HELM_ACTION.test(text)) return true;
  return text.split('\n').some((l) => /\{\{.*\}\}/.test(l.replace(/"(?:[^"\\]|\\.)*"|'(?:[^']|'')*'/g, '""').replace(/(^|\s)#.*$/, '')));
}

function looksLikeManifest(text: string): boolean {
  return /^\s*[{,]?\s*"?apiVersion"?\s*:/m.test(text) && /^\s*[{,]?\s*"?kind"?\s*:/m.test(text);
}

function topKeys(v: unknown): string[] {
  return isRec(v) ? Object.keys(v) : [];
}

/** Analyse a guide: blocks, units, virtual files and charts. */
export function analyseGuide(text: string, file: string): GuideAnalysis {
  const blocks = parseBlocks(text, file);
  const units: Unit[] = [];
  const mk = (block: CodeBlock, init: Omit<Unit, 'block' | 'category' | 'objects' | 'kinds' | 'context' | 'raw'> & { category?: UnitCategory; raw?: string }): Unit => ({ block, category: 'other', objects: 0, kinds: [], context: '', raw: init.text, ...init });
  const heredocUnits = (b: CodeBlock, only?: (h: Heredoc) => boolean): number => {
    let n = 0;
    for (const h of findHeredocs(b.lines)) {
      if (only && !only(h)) continue;
      n++;
      const lineNo = h.lines.map((_, i) => b.lineNo[h.bodyStart + i] ?? (b.lineNo[b.lineNo.length - 1] ?? b.line) + 1);
      const colOffset = h.lines.map((_, i) => (b.colOffset[h.bodyStart + i] ?? 0) + h.stripped[i]);
      const path = h.consumer.kind === 'file' ? normalisePath(h.consumer.path) : undefined;
      const yamlish = path ? /\.(?:ya?ml|json)$/i.test(path) : true;
      const format = yamlish ? (path && /\.json$/i.test(path) ? 'json' : 'yaml') : 'text';
      units.push(mk(b, { origin: 'heredoc', heredoc: h, line: b.lineNo[h.commandLine] ?? b.line, format, text: joinLines(h.lines), raw: joinLines(h.raw), lineNo, colOffset, path: path || undefined }));
    }
    return n;
  };
  // A here-document that feeds kubectl, helm or a file: what makes a block shell even when tagged otherwise.
  const deploys = (h: Heredoc) => h.consumer.kind !== 'other';
  // A command at the start of a line (not a script inside a YAML block scalar) in a block that is not YAML.
  const shellLike = (b: CodeBlock) => b.lines.some((l) => /^(?:\$\s+)?(?:kubectl|cat|helm|tee)\b.*<<-?\s*['"\\]?[A-Za-z_]/.test(l)) && parseYamlText(joinLines(b.lines)).error;

  for (const b of blocks) {
    const whole = { lineNo: b.lineNo, colOffset: b.colOffset, text: joinLines(b.lines) };
    const captionPath = b.caption?.path;
    const append = b.caption?.mode === 'append';
    if (YAML_LANGS.has(b.lang) || JSON_LANGS.has(b.lang)) {
      // A shell session tagged yaml: read its here-documents instead of failing to parse it.
      if (!captionPath && shellLike(b) && heredocUnits(b, deploys)) continue;
      const format = JSON_LANGS.has(b.lang) && !/\.ya?ml$/i.test(captionPath ?? '') ? 'json' : 'yaml';
      const path = captionPath ?? (format === 'yaml' ? commentCaption(b.lines) : undefined);
      const text = format === 'yaml' ? neutralisedText(b.lines, whole.text) : whole.text;
      units.push(mk(b, { origin: 'block', line: b.line, format, ...whole, text, raw: whole.text, path, append }));
    } else if (SHELL_LANGS.has(b.lang)) {
      if (captionPath) units.push(mk(b, { origin: 'block', line: b.line, format: 'text', ...whole, path: captionPath, append }));
      heredocUnits(b);
    } else if (captionPath) {
      const yamlish = /\.(?:ya?ml)$/i.test(captionPath) && !TEMPLATE_LANGS.has(b.lang);
      const text = yamlish ? neutralisedText(b.lines, whole.text) : whole.text;
      units.push(mk(b, { origin: 'block', line: b.line, format: yamlish ? 'yaml' : /\.json$/i.test(captionPath) && !b.lang ? 'json' : 'text', ...whole, text, raw: whole.text, path: captionPath, append }));
    } else if (b.lang === '' || b.lang === 'text' || b.lang === 'plaintext' || b.lang === 'txt') {
      // An untagged block counts when it holds Kubernetes objects, or here-documents that deploy something.
      if (shellLike(b) && heredocUnits(b, deploys)) continue;
      if (!looksLikeManifest(whole.text) || isTemplateText(whole.text)) continue;
      const text = neutralisedText(b.lines, whole.text);
      const p = parseYamlText(text);
      if (p.error || !p.docs.some((d) => kubeObjects(d.value).length)) continue;
      units.push(mk(b, { origin: 'block', line: b.line, format: 'yaml', ...whole, text, raw: whole.text, path: commentCaption(b.lines) }));
    } else if (TEMPLATE_LANGS.has(b.lang)) {
      units.push(mk(b, { origin: 'block', line: b.line, format: 'text', ...whole, category: 'template' }));
    }
  }

  // "Add to values.yaml:" names a file the guide gave earlier, often by its base name only.
  const seen: string[] = [];
  for (const u of units) {
    if (!u.path) continue;
    if (u.append && !seen.includes(u.path)) {
      const match = seen.filter((p) => p.endsWith('/' + u.path));
      if (new Set(match).size === 1) u.path = match[0];
    }
    seen.push(u.path);
  }

  // Charts: a Chart.yaml names its root; templates/ without a Chart.yaml make one up.
  const roots = new Map<string, boolean>();
  for (const u of units) {
    if (!u.path) continue;
    if (/(?:^|\/)Chart\.ya?ml$/.test(u.path)) roots.set(dirOf(u.path), false);
  }
  for (const u of units) {
    if (!u.path) continue;
    const t = /^(?:(.*)\/)?templates\/./.exec(u.path);
    if (t) {
      const root = t[1] ?? '.';
      if (![...roots.keys()].some((r) => within(u.path!, r))) roots.set(root, true);
    }
  }
  const chartOf = (p: string): string | undefined => {
    let best: string | undefined;
    for (const r of roots.keys()) if (within(p, r) && (best === undefined || r.length > best.length)) best = r;
    return best;
  };

  // Classify.
  const defaultValueKeys = new Map<string, Set<string>>();
  for (const u of units) classify(u, chartOf);
  for (const u of units) {
    if (u.path && u.category === 'values' && roots.has(dirOf(u.path)) && /(?:^|\/)values\.ya?ml$/.test(u.path)) {
      const p = parseYamlText(u.text);
      const keys = defaultValueKeys.get(dirOf(u.path)) ?? new Set<string>();
      for (const d of p.docs) for (const k of topKeys(d.value)) keys.add(k);
      defaultValueKeys.set(dirOf(u.path), keys);
    }
  }
  // Uncaptioned snippets whose keys are all chart values are values snippets.
  for (const u of units) {
    if (u.category !== 'fragment' || u.path) continue;
    const p = parseYamlText(u.text);
    const keys = p.docs.flatMap((d) => topKeys(d.value));
    if (!keys.length) continue;
    for (const [root, set] of defaultValueKeys) {
      if (keys.every((k) => set.has(k))) {
        u.category = 'values';
        u.chart = root;
        break;
      }
    }
  }
  for (const u of units) u.context = contextOf(u);

  // Virtual files (every version) and charts.
  const files = new Map<string, VirtualFile[]>();
  for (const u of units) {
    if (!u.path) continue;
    const versions = files.get(u.path) ?? [];
    const last = versions[versions.length - 1];
    if (u.append && last) {
      last.units.push(u);
      rebuild(last, file);
    } else {
      const vf: VirtualFile = { path: u.path, units: [u], text: '', raw: '', category: u.category, line: u.line, mapPosition: () => ({ file, line: u.line, column: 1 }) };
      rebuild(vf, file);
      versions.push(vf);
    }
    files.set(u.path, versions);
  }

  const charts: VirtualChart[] = [];
  for (const [root, synthesized] of roots) {
    const cf = new Map<string, VirtualFile>();
    for (const [p, versions] of files) {
      if (!within(p, root) || chartOf(p) !== root) continue;
      const rel = root === '.' ? p : p.slice(root.length + 1);
      if (VALUES_PATH.test(rel) && rel !== 'values.yaml' && rel !== 'values.yml' && !rel.startsWith('templates/')) continue;
      cf.set(rel, versions[versions.length - 1]);
    }
    const chartYaml = cf.get('Chart.yaml') ?? cf.get('Chart.yml');
    let name = root === '.' ? 'chart' : root.split('/').pop()!;
    if (chartYaml) {
      const v = parseYamlText(chartYaml.text).docs[0]?.value;
      if (isRec(v) && typeof v.name === 'string' && v.name) name = v.name;
    }
    charts.push({ root, name, synthesized, files: cf, scenarios: [] });
  }
  // Scenarios: values files the guide gives, and values here-documents handed to helm for this chart.
  for (const u of units) {
    if (u.category !== 'values') continue;
    let root: string | undefined;
    if (u.path) {
      if (roots.has(dirOf(u.path)) && /(?:^|\/)values\.ya?ml$/.test(u.path)) continue;
      if (!VALUES_PATH.test(u.path)) continue;
      root = chartOf(u.path) ?? (charts.length === 1 ? charts[0].root : undefined);
    } else if (u.heredoc?.consumer.kind === 'helm-values') {
      const target = helmChartArg(u.heredoc.consumer.command);
      root = target !== undefined ? [...roots.keys()].find((r) => r === target || r.endsWith('/' + target) || target.endsWith('/' + r)) : undefined;
    }
    if (root === undefined) continue;
    u.chart = root;
    const chart = charts.find((c) => c.root === root)!;
    const vf: VirtualFile = u.path ? files.get(u.path)!.find((f) => f.units.includes(u))! : { path: `values at line ${u.line}`, units: [u], text: '', raw: '', category: 'values', line: u.line, mapPosition: () => ({ file, line: u.line, column: 1 }) };
    if (!u.path) rebuild(vf, file);
    if (vf.units[0] !== u) continue;
    chart.scenarios.push({ name: u.path ? `${u.path} (line ${u.line})` : `values here-document at line ${u.line}`, file: vf });
  }
  // The parses were for classifying this guide: the values of its blocks are not kept while it is linted.
  parsedCache.clear();
  return { file, blocks, units, files, charts };
}

function joinLines(lines: string[]): string {
  return lines.length ? lines.join('\n') + '\n' : '';
}

/**
 * The block's text with `${VAR}` placeholders; the joined text itself when there are none (almost always), so a
 * large block is not held twice (as the text linted and as the text written).
 */
function neutralisedText(lines: string[], joined: string): string {
  return joined.includes('${') ? joinLines(lines.map(neutraliseBraced)) : joined;
}

function dirOf(p: string): string {
  const i = p.lastIndexOf('/');
  return i === -1 ? '.' : p.slice(0, i);
}

function within(p: string, root: string): boolean {
  return root === '.' || p.startsWith(root + '/');
}

/** The chart argument of `helm install NAME CHART ...` / `helm upgrade NAME CHART` / `helm template [NAME] CHART`. */
function helmChartArg(command: string): string | undefined {
  const m = /\bhelm\s+(install|upgrade|template)\b(.*)$/.exec(command);
  if (!m) return undefined;
  const words = m[2].split(/\s+/).filter(Boolean);
  const positional: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    if (w.startsWith('-')) {
      if (!w.includes('=') && /^(?:-f|--values|-n|--namespace|--set|--set-string|--set-file|--set-json|--version|--repo|--kube-context|--timeout|-o|--output)$/.test(w)) i++;
      continue;
    }
    if (w.startsWith('<') || w === '|') break;
    positional.push(w);
  }
  const chart = m[1] === 'template' && positional.length === 1 ? positional[0] : positional[1];
  return chart ? normalisePath(chart) || '.' : undefined;
}

function classify(u: Unit, chartOf: (p: string) => string | undefined): void {
  if (u.category === 'template') return;
  const path = u.path;
  const root = path ? chartOf(path) : undefined;
  const rel = path && root !== undefined ? (root === '.' ? path : path.slice(root.length + 1)) : undefined;
  if (rel !== undefined && (rel.startsWith('templates/') || /\.tpl$/.test(rel))) {
    u.category = 'template';
    return;
  }
  if (path && /\.tpl$/.test(path)) {
    u.category = 'template';
    return;
  }
  if (u.format === 'text') {
    u.category = 'other';
    return;
  }
  if (isTemplateText(u.text)) {
    u.category = 'template';
    return;
  }
  const p = u.format === 'json' ? parseJsonText(u.text) : parseYamlText(u.text);
  if (p.error && u.text.includes('{{')) {
    // Template syntax that breaks the YAML: a template, not a broken manifest.
    u.category = 'template';
    return;
  }
  const objs = p.docs.flatMap((d) => kubeObjects(d.value));
  if (rel === 'Chart.yaml' || rel === 'Chart.yml') {
    u.category = p.error ? 'broken' : 'chart';
    return;
  }
  const real = objs.filter((o) => !isToolConfig(o));
  if (u.block.counterexample && !path && (real.length || p.error)) {
    u.category = 'counterexample';
    return;
  }
  if (real.length) {
    u.category = 'manifest';
    u.objects = real.length;
    u.kinds = real.map((o) => String(o.kind));
    return;
  }
  if (objs.length) {
    u.category = 'config';
    return;
  }
  if (u.origin === 'heredoc' && !path && u.heredoc?.consumer.kind === 'other') {
    // Input for some other program (SQL, a script): not YAML the guide deploys.
    u.category = 'other';
    u.format = 'text';
    return;
  }
  const valuesFile = (path && VALUES_PATH.test(path)) || u.heredoc?.consumer.kind === 'helm-values';
  if (p.error) {
    // A manifest, or a YAML file the guide names, that does not parse is a defect; an excerpt is not judged.
    const tagged = u.origin === 'heredoc' ? u.heredoc?.consumer.kind === 'kubectl' || !!path : YAML_LANGS.has(u.block.lang) || JSON_LANGS.has(u.block.lang) || !!path;
    u.category = tagged && (looksLikeManifest(u.text) || !!path) ? 'broken' : valuesFile ? 'values' : 'fragment';
    return;
  }
  const top = new Set(p.docs.flatMap((d) => topKeys(d.value)));
  if ((top.has('services') && (top.has('version') || top.has('volumes') || top.has('networks')) && !top.has('apiVersion')) || (top.has('jobs') && (top.has('on') || top.has('true') || top.has('name')))) {
    u.category = 'config';
    return;
  }
  if (valuesFile) {
    u.category = 'values';
    return;
  }
  u.category = 'fragment';
}

function contextOf(u: Unit): string {
  if (u.path) return `virtual file ${u.path}`;
  if (u.origin === 'heredoc') return `here-document at line ${u.line}`;
  return `block at line ${u.line}`;
}

function rebuild(vf: VirtualFile, file: string): void {
  const lineNo: number[] = [];
  const colOffset: number[] = [];
  let text = '';
  let raw = '';
  for (const u of vf.units) {
    text += u.text;
    raw += u.raw;
    lineNo.push(...u.lineNo);
    colOffset.push(...u.colOffset);
  }
  vf.text = text;
  vf.raw = raw;
  vf.category = vf.units[0].category;
  vf.mapPosition = positionMapper(file, lineNo, colOffset, vf.line);
}

/** Map 1-based line/column of a unit's text to the guide; lines past the end continue after the last one. */
export function positionMapper(file: string, lineNo: number[], colOffset: number[], fallbackLine: number): (line: number, column: number) => MappedPosition {
  return (line, column) => {
    if (!lineNo.length) return { file, line: fallbackLine, column: 1 };
    const i = Math.min(Math.max(line, 1), lineNo.length) - 1;
    const extra = Math.max(0, line - lineNo.length);
    return { file, line: lineNo[i] + extra, column: (extra ? 0 : colOffset[i]) + Math.max(column, 1) };
  };
}

/** The SourceTexts of a guide: manifests, broken manifests, and the YAML files it names (not templates). */
export function guideSources(a: GuideAnalysis): SourceText[] {
  const out: SourceText[] = [];
  const group = `md:${a.file}`;
  for (const u of a.units) {
    const fileish = !!u.path && (u.category === 'values' || u.category === 'chart');
    // values blocks and YAML excerpts are read for the credentials they teach to write down
    if (u.category !== 'manifest' && u.category !== 'broken' && !fileish && u.category !== 'values' && u.category !== 'fragment') continue;
    if (u.format === 'text' || !u.text.trim()) continue;
    out.push({
      file: a.file,
      text: u.text,
      format: u.format,
      origin: 'markdown',
      mapPosition: positionMapper(a.file, u.lineNo, u.colOffset, u.line),
      context: u.context,
      group,
      directives: u.block.directives.length ? u.block.directives : undefined,
      comments: true,
      ...(u.category === 'values' || u.category === 'fragment' ? { role: 'helm-values' as const } : {}),
      ...(u.category === 'manifest' && !u.path && excerptReason(u.block.intro, u.block.lines) ? { excerpt: excerptReason(u.block.intro, u.block.lines) } : {}),
      // blocks read for their values only: an excerpt or a values heredoc is not linted as a document
      ...(!fileish && (u.category === 'values' || u.category === 'fragment') ? { valuesOnly: true } : {}),
    });
  }
  return out;
}

/** Counts for a guide: blocks, manifests (objects), virtual files, charts, fragments, per category. */
export function guideStats(a: GuideAnalysis): GuideStats {
  const categories = Object.fromEntries(UNIT_CATEGORIES.map((c) => [c, 0])) as Record<UnitCategory, number>;
  const languages: Record<string, number> = {};
  for (const b of a.blocks) languages[b.lang] = (languages[b.lang] ?? 0) + 1;
  let manifests = 0;
  let units = 0;
  for (const u of a.units) {
    categories[u.category]++;
    manifests += u.objects;
    if (u.format !== 'text') units++;
  }
  return {
    blocks: a.blocks.length,
    languages,
    units,
    heredocs: a.units.filter((u) => u.origin === 'heredoc').length,
    manifests,
    virtualFiles: a.files.size,
    charts: a.charts.length,
    templates: categories.template,
    fragments: categories.fragment,
    categories,
  };
}
