/**
 * Node positions as a tree of [start, end) ranges, built only for documents that get findings: by the
 * block-YAML loader (block-yaml.ts) when it takes the document, else from js-yaml's parse events here. (The
 * `yaml` library gives the same answer but costs ~70 ms to load and is slow to warm up; it remains the
 * last fallback.)
 */
import jsyaml from 'js-yaml';
import type { Path } from '../types.js';

export interface PosNode {
  start: number;
  end: number;
  kind: string;
  result: unknown;
  children: PosNode[];
}

interface ListenerState {
  position: number;
  kind: string | null;
  result: unknown;
}

/** Build the position tree of a document, or null when the events do not nest as expected. */
export function positionTree(text: string): PosNode | null {
  const stack: PosNode[] = [{ start: 0, end: text.length, kind: 'root', result: undefined, children: [] }];
  try {
    jsyaml.load(text, {
      listener(event: string, state: ListenerState) {
        if (event === 'open') {
          stack.push({ start: state.position, end: -1, kind: '', result: undefined, children: [] });
        } else if (event === 'close') {
          const n = stack.pop();
          if (!n || stack.length === 0) throw new Error('unbalanced');
          n.end = state.position;
          n.kind = state.kind ?? '';
          n.result = state.result;
          // A flow collection inside a block one arrives wrapped in a node for the same value: unwrap it.
          const only = n.children.length === 1 ? n.children[0] : undefined;
          if (only && only.result === n.result && only.kind === n.kind && n.kind !== 'scalar') {
            n.children = only.children;
            n.start = only.start;
          }
          stack[stack.length - 1].children.push(n);
        }
      },
    } as jsyaml.LoadOptions);
  } catch {
    return null;
  }
  if (stack.length !== 1) return null;
  return stack[0].children[0] ?? null;
}

function skipSpace(text: string, i: number, end: number): number {
  while (i < end) {
    const c = text[i];
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') i++;
    else if (c === '#') {
      const nl = text.indexOf('\n', i);
      i = nl === -1 ? end : nl + 1;
    } else break;
  }
  return i;
}

function trimEnd(text: string, start: number, end: number): number {
  while (end > start && /\s/.test(text[end - 1])) end--;
  return end;
}

function lineEnd(text: string, offset: number): number {
  const nl = text.indexOf('\n', offset);
  return nl === -1 ? text.length : nl;
}

function scalarKey(n: PosNode): string | undefined {
  return n.result === null || typeof n.result === 'object' ? undefined : String(n.result);
}

/** Same contract as locateInDocument (locate.ts): [start, end) of the node at path or its closest ancestor. */
export function locateWithTree(tree: PosNode, text: string, path: Path): [number, number] | null {
  return locateFrom(tree, text, path, null, tree);
}

/**
 * locateWithTree from a node on the way: `key` is the key it was reached through (null: an item, or the
 * document), `root` the document's node when `node` may be it (a scalar document is not a scalar found).
 */
export function locateFrom(node: PosNode, text: string, path: Path, key: PosNode | null, root: PosNode | null): [number, number] | null {
  for (const seg of path) {
    if (node.kind === 'mapping') {
      const kids = node.children;
      if (kids.length % 2 !== 0) return null; // explicit keys, merges: let the other locator answer
      let found = -1;
      for (let i = kids.length - 2; i >= 0; i -= 2) {
        if (scalarKey(kids[i]) === String(seg)) {
          found = i;
          break;
        }
      }
      if (found === -1) break;
      key = kids[found];
      node = kids[found + 1];
    } else if (node.kind === 'sequence') {
      const idx = typeof seg === 'number' ? seg : Number(seg);
      const item = Number.isInteger(idx) ? node.children[idx] : undefined;
      if (!item || node.children.length !== (Array.isArray(node.result) ? node.result.length : -1)) {
        if (!item) break;
        return null;
      }
      key = null;
      node = item;
    } else break;
  }
  if (node.kind === 'scalar' && node !== root) {
    const s = skipSpace(text, node.start, node.end);
    return [s, Math.max(trimEnd(text, s, node.end), s + 1)];
  }
  if (key) {
    const s = skipSpace(text, key.start, key.end);
    return [s, Math.max(trimEnd(text, s, key.end), s + 1)];
  }
  const s = skipSpace(text, node.start, text.length);
  return [s, Math.max(Math.min(lineEnd(text, s), trimEnd(text, s, node.end)), s + 1)];
}
