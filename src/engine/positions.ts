/**
 * Positions of the findings of a run, resolved together once every rule has run, one document at a time.
 *
 * A document the block loader read is located by walking its lines (nothing kept), but past a few locations,
 * and for documents js-yaml or the `yaml` library read, `locate` builds a position tree and a line index (several
 * times the size of the parsed object) and keeps them for later calls. Asked while the rules ran, every such
 * document kept them to the end of the run: about 70% of the heap on a repository of generated applications.
 * Resolved here, each document is located through a copy of it (ParsedDocument.withoutCaches) that shares its
 * text and value, so what locating builds is garbage as soon as that document's positions are known.
 */
import type { Location, Path, Range } from '../types.js';
import type { ParsedDocument } from '../parse/documents.js';
import type { Resource } from '../graph/resource.js';

export interface Position {
  loc: Location;
  /** The line in the source text (where comment directives live). */
  srcLine: number;
}

/** What to locate: a path inside a resource. */
interface Request {
  resource: Resource;
  path: Path;
}

export class PositionBatch {
  private readonly requests: Request[] = [];

  /** Ask for the position of `path` in `resource`; the number names the answer in `resolve()`'s list. */
  add(resource: Resource, path: Path): number {
    // (a copy: a rule may go on to change an array it reported)
    this.requests.push({ resource, path: [...path] });
    return this.requests.length - 1;
  }

  /**
   * Every position asked for, in the order asked; a document whose locating throws leaves its answers
   * undefined (`failed` is told, once per document).
   */
  resolve(failed: (resource: Resource, e: unknown) => void): (Position | undefined)[] {
    const out: (Position | undefined)[] = new Array(this.requests.length);
    const byDoc = new Map<ParsedDocument, number[]>();
    this.requests.forEach((q, i) => {
      let l = byDoc.get(q.resource.doc);
      if (!l) byDoc.set(q.resource.doc, (l = []));
      l.push(i);
    });
    for (const [doc, list] of byDoc) {
      const via = throwawayCopy(doc);
      try {
        for (const i of list) out[i] = this.requests[i].resource.position(this.requests[i].path, via);
      } catch (e) {
        for (const i of list) out[i] = undefined;
        failed(this.requests[list[0]].resource, e);
      }
    }
    this.requests.length = 0;
    return out;
  }
}

/**
 * The document again, sharing its text, value and problems, whose position caches are dropped with it. A
 * document with problems is located in place: the slow path's syntax tree, which locating it uses, is kept
 * on it anyway, and a copy would parse the text once more.
 */
function throwawayCopy(doc: ParsedDocument): { locate(path: Path): Range } {
  return doc.problems.length ? doc : doc.withoutCaches();
}
