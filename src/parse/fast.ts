/**
 * The fast path of parsing: split a YAML stream into documents and load each, with the block-YAML loader
 * (block-yaml.ts) or else js-yaml. No positions, no precise errors: documents the fast path cannot take (a
 * syntax error, an alias, absurd depth) go to the slow path in documents.ts.
 */
import jsyaml from 'js-yaml';
import { NOT_HANDLED, loadBlockYamlWithDepth } from './block-yaml.js';

/** Deeper values are not linted (no Kubernetes object comes close; rules recurse). */
export const MAX_DEPTH = 512;

export interface Chunk {
  /** 0-based line in the source where this document's text starts. */
  startLine: number;
  text: string;
}

/**
 * What the fast path made of a document: its value (`block`: read by the block loader, whose lines then give
 * positions without another parse), or why the slow path must look at it.
 */
export type FastResult = { value: unknown; shape: 'ok' | 'deep'; block?: boolean } | { shape: 'shared' | 'error' };

/**
 * Split a YAML stream at document markers. A `---` or `...` at column 0 always ends the current
 * document (YAML 1.2 §9.1.4 forbids them inside scalars), so a line scan is exact.
 */
export function splitDocuments(text: string): Chunk[] {
  const chunks: Chunk[] = [];
  let start = 0;
  let startLine = 0;
  let line = 0;
  let pos = 0;
  let sawContentSinceStart = false;
  let hasDirective = false;
  while (pos <= text.length) {
    const nl = text.indexOf('\n', pos);
    const end = nl === -1 ? text.length : nl;
    const c0 = text.charCodeAt(pos);
    // Only lines starting with '-', '.', '%', '#', or content matter; most lines are indented content.
    const isStart = c0 === 45 /* - */ && text.startsWith('---', pos) && (end - pos === 3 || /\s/.test(text[pos + 3]));
    const isEnd = c0 === 46 /* . */ && text.startsWith('...', pos) && (end - pos === 3 || /\s/.test(text[pos + 3]));
    if (isStart) {
      if (sawContentSinceStart && !hasDirective) {
        chunks.push({ startLine, text: text.slice(start, pos) });
        start = pos;
        startLine = line;
      }
      sawContentSinceStart = true;
      hasDirective = false;
    } else if (isEnd) {
      chunks.push({ startLine, text: text.slice(start, nl === -1 ? end : nl + 1) });
      start = nl === -1 ? text.length : nl + 1;
      startLine = line + 1;
      sawContentSinceStart = false;
    } else if (c0 === 37 /* % */) {
      hasDirective = true;
    } else if (!sawContentSinceStart && hasContent(text, pos, end)) {
      sawContentSinceStart = true;
    }
    if (nl === -1) break;
    pos = nl + 1;
    line++;
  }
  if (start < text.length) chunks.push({ startLine, text: text.slice(start) });
  return chunks;
}

/** Whether text[from, to) holds something other than blanks or a comment. */
function hasContent(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c === 32 || (c >= 9 && c <= 13) || (c > 127 && /\s/.test(text[i]))) continue; // as String#trim
    return c !== 35; /* # */
  }
  return false;
}

/** A document with nothing but blank lines, comments, markers and directives. */
export function isBlank(text: string): boolean {
  let pos = 0;
  while (pos < text.length) {
    const nl = text.indexOf('\n', pos);
    const end = nl === -1 ? text.length : nl;
    if (hasContent(text, pos, end)) {
      const t = text.slice(pos, end).trim();
      if (t !== '---' && t !== '...' && !t.startsWith('%')) return false;
    }
    pos = end + 1;
  }
  return true;
}

/** The text Helm would split: it takes any line starting with `---` as a marker (`---# note` included). */
export function prepareText(text: string, origin: string): string {
  return origin === 'helm' ? text.replace(/^---(?=[^\s-])/gm, '--- ') : text;
}

export function fastLoad(text: string): FastResult {
  // Plain block YAML (almost all of what tools write) first: about twice as fast as js-yaml, and the same value,
  // and its depth: no walk needed then.
  const block = loadBlockYamlWithDepth(text);
  if (block !== NOT_HANDLED && block.depth <= MAX_DEPTH) return { value: block.value, shape: 'ok', block: true };
  let value = block === NOT_HANDLED ? NOT_HANDLED : block.value;
  const aliases = value === NOT_HANDLED;
  if (aliases) {
    try {
      value = jsyaml.load(text, { json: false });
    } catch {
      return { shape: 'error' };
    }
  }
  const shape = inspect(value, aliases);
  return shape === 'shared' ? { shape } : { value, shape };
}

/**
 * One linear walk: too deep, or a node reachable twice (js-yaml keeps an alias as a shared reference)?
 * Without `aliases` (the block-YAML loader, which takes no aliases), only the depth.
 */
function inspect(value: unknown, aliases: boolean): 'ok' | 'deep' | 'shared' {
  if (value === null || typeof value !== 'object') return 'ok';
  const seen = aliases ? new Set<object>() : undefined;
  const stack: object[] = [value as object];
  const depths: number[] = [1];
  while (stack.length) {
    const v = stack.pop()!;
    const d = depths.pop()!;
    if (seen) {
      if (seen.has(v)) return 'shared';
      seen.add(v);
    }
    if (d > MAX_DEPTH) return 'deep';
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        const x = v[i];
        if (x !== null && typeof x === 'object') {
          stack.push(x);
          depths.push(d + 1);
        }
      }
    } else {
      for (const k in v) {
        const x = (v as Record<string, unknown>)[k];
        if (x !== null && typeof x === 'object') {
          stack.push(x);
          depths.push(d + 1);
        }
      }
    }
  }
  return 'ok';
}
