/** Map a path inside a document to a character range, falling back to the closest existing ancestor. */
import type { Path } from '../types.js';
import { yamlLib, type YAMLType } from './yaml-lib.js';

type AnyNode = YAMLType.Node | YAMLType.Pair | null | undefined;

function lineEnd(text: string, offset: number): number {
  const nl = text.indexOf('\n', offset);
  return nl === -1 ? text.length : nl;
}

/**
 * Returns [start, end) offsets in `text`:
 * - a scalar at the path: the scalar itself;
 * - a map or sequence reached through a key: the key (`selector:` line);
 * - a map reached through a sequence index: the first line of the item;
 * - a missing path: the same for the closest existing ancestor.
 */
export function locateInDocument(doc: YAMLType.Document.Parsed, text: string, path: Path): [number, number] | null {
  const Y = yamlLib();
  let node: AnyNode = doc.contents;
  let keyNode: YAMLType.Node | null = null;
  if (!node) return null;
  for (const seg of path) {
    if (Y.isMap(node)) {
      const pair = findPair(node, seg);
      if (!pair) break;
      keyNode = Y.isNode(pair.key) ? pair.key : null;
      node = pair.value as AnyNode;
      if (!node) {
        node = null;
        break;
      }
    } else if (Y.isSeq(node)) {
      const idx = typeof seg === 'number' ? seg : Number(seg);
      const item: unknown = Number.isInteger(idx) ? node.items[idx] : undefined;
      if (!item || !Y.isNode(item)) break;
      keyNode = null;
      node = item;
    } else {
      break;
    }
    if (Y.isAlias(node)) break;
  }
  if (node && Y.isScalar(node) && node.range) {
    return [node.range[0], node.range[1]];
  }
  if (keyNode && keyNode.range) {
    return [keyNode.range[0], keyNode.range[1]];
  }
  if (node && Y.isNode(node) && node.range) {
    const start = node.range[0];
    return [start, Math.min(lineEnd(text, start), node.range[1])];
  }
  return null;
}

function findPair(map: YAMLType.YAMLMap, key: string | number): YAMLType.Pair | undefined {
  const Y = yamlLib();
  // The last pair wins, as in the parsed data.
  for (let i = map.items.length - 1; i >= 0; i--) {
    const p = map.items[i];
    const k = Y.isScalar(p.key) ? p.key.value : p.key;
    if (k === key || String(k) === String(key)) return p;
  }
  return undefined;
}
