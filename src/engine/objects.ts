/** What counts as a Kubernetes object in a parsed document. */

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyRecord = Record<string, any>;

export function isObjectLike(v: unknown): v is AnyRecord {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Has two of apiVersion, kind and metadata: meant as a Kubernetes object. */
export function isKubeLike(v: AnyRecord): boolean {
  return ('apiVersion' in v && 'kind' in v) || ('kind' in v && 'metadata' in v) || ('apiVersion' in v && 'metadata' in v);
}

export function isValidObject(v: AnyRecord): boolean {
  return (
    typeof v.apiVersion === 'string' &&
    v.apiVersion !== '' &&
    typeof v.kind === 'string' &&
    v.kind !== '' &&
    (v.metadata === undefined || v.metadata === null || isObjectLike(v.metadata))
  );
}
