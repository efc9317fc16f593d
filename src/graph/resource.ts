/** One Kubernetes object found in the input, with the means to turn a path inside it into a position. */
import type { Location, Path, Range, ResourceRef } from '../types.js';
import type { ParsedDocument } from '../parse/documents.js';
import { mapPosition } from '../parse/source.js';
import { CLUSTER_SCOPED_KINDS } from './kinds.js';

// Plain parsed data; rules narrow it with the kubernetes-models interfaces where they want types.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type KubeObject = Record<string, any>;

export class Resource<T extends KubeObject = KubeObject> {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  /** Effective namespace; '' for cluster-scoped kinds. */
  readonly namespace: string;
  readonly key: string;

  constructor(
    readonly object: T,
    readonly doc: ParsedDocument,
    /** Where the object sits in its document: [] or ['items', i] inside a List. */
    readonly basePath: Path,
    defaultNamespace: string,
  ) {
    this.apiVersion = String(object.apiVersion);
    this.kind = String(object.kind);
    const md = object.metadata && typeof object.metadata === 'object' ? object.metadata : {};
    this.name = typeof md.name === 'string' || typeof md.name === 'number' ? String(md.name) : typeof md.generateName === 'string' ? md.generateName : '';
    this.namespace = CLUSTER_SCOPED_KINDS.has(this.kind) ? '' : typeof md.namespace === 'string' && md.namespace ? md.namespace : defaultNamespace;
    // (joined, not a template: a template leaves a chain of string pieces, three times the bytes, on every object)
    this.key = [this.apiVersion, this.kind, this.namespace, this.name].join('/');
  }

  get ref(): ResourceRef {
    return { apiVersion: this.apiVersion, kind: this.kind, name: this.name, namespace: this.namespace };
  }

  get group(): string {
    return this.doc.source.group;
  }

  get file(): string {
    return this.doc.source.file;
  }

  get labels(): Record<string, string> {
    const l = this.object.metadata?.labels;
    return l && typeof l === 'object' ? l : {};
  }

  get annotations(): Record<string, string> {
    const a = this.object.metadata?.annotations;
    return a && typeof a === 'object' && !Array.isArray(a) ? a : {};
  }

  /** Value at a path relative to this object. */
  get(path: Path): unknown {
    let v: unknown = this.object;
    for (const k of path) {
      if (v === null || typeof v !== 'object') return undefined;
      v = (v as Record<string | number, unknown>)[k];
    }
    return v;
  }

  /** Exact position in the real file of the node at `path` (or its closest existing ancestor). */
  locate(path: Path = ['metadata', 'name']): Location {
    return this.position(path).loc;
  }

  /**
   * The position in the real file, and the line in the source text (where comment directives live). `via`
   * locates in this object's document in its place (src/engine/positions.ts: one whose caches are not kept).
   */
  position(path: Path, via: { locate(path: Path): Range } = this.doc): { loc: Location; srcLine: number } {
    const r = via.locate([...this.basePath, ...path]);
    const s = mapPosition(this.doc.source, r.line, r.column);
    const e = mapPosition(this.doc.source, r.endLine, r.endColumn);
    // An end that maps elsewhere (another file, or before the start) collapses to one character.
    const ok = e.file === s.file && (e.line > s.line || (e.line === s.line && e.column > s.column));
    return {
      loc: { file: s.file, line: s.line, column: s.column, endLine: ok ? e.line : s.line, endColumn: ok ? e.column : s.column + 1 },
      srcLine: r.line,
    };
  }

  /** The object as its kubernetes-models interface (see kube-types.ts `isKind`). */
  get typed(): unknown {
    return this.object;
  }

  toString(): string {
    return `${this.kind}/${this.name}`;
  }
}
