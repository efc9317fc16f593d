/** Map a path inside a document to a character range, falling back to the closest existing ancestor. */
import YAML from 'yaml';
import type { Path } from '../types.js';

type Node = YAML.Node | YAML.Pair | null | undefined;

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
export function locateInDocument(doc: YAML.Document.Parsed, text: string, path: Path): [number, number] | null {
  let node: Node = doc.contents;
  let keyNode: YAML.Node | null = null;
  if (!node) return null;
  for (const seg of path) {
    if (YAML.isMap(node)) {
      const pair = findPair(node, seg);
      if (!pair) break;
      keyNode = YAML.isNode(pair.key) ? pair.key : null;
      node = pair.value as Node;
      if (!node) {
        node = null;
        break;
      }
    } else if (YAML.isSeq(node)) {
      const idx = typeof seg === 'number' ? seg : Number(seg);
      const item: unknown = Number.isInteger(idx) ? node.items[idx] : undefined;
      if (!item || !YAML.isNode(item)) break;
      keyNode = null;
      node = item;
    } else {
      break;
    }
    if (YAML.isAlias(node)) break;
  }
  if (node && YAML.isScalar(node) && node.range) {
    return [node.range[0], node.range[1]];
  }
  if (keyNode && keyNode.range) {
    return [keyNode.range[0], keyNode.range[1]];
  }
  if (node && YAML.isNode(node) && node.range) {
    const start = node.range[0];
    return [start, Math.min(lineEnd(text, start), node.range[1])];
  }
  return null;
}

function findPair(map: YAML.YAMLMap, key: string | number): YAML.Pair | undefined {
  // The last pair wins, as in the parsed data.
  for (let i = map.items.length - 1; i >= 0; i--) {
    const p = map.items[i];
    const k = YAML.isScalar(p.key) ? p.key.value : p.key;
    if (k === key || String(k) === String(key)) return p;
  }
  return undefined;
}
