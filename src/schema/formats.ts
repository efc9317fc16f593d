/** The string formats the compiled kubernetes-models validators call, with Kubernetes' own semantics. */

/** Go's base64.StdEncoding as the API server decodes []byte fields: padding required, CR and LF ignored. */
export function isBase64(value: string): boolean {
  const s = value.replace(/[\r\n]/g, '');
  return s.length % 4 === 0 && /^[A-Za-z0-9+/]*={0,2}$/.test(s);
}

/**
 * A resource.Quantity as apimachinery parses it: a signed decimal number and one suffix: binary SI
 * (Ki..Ei), decimal SI (n, u, m, k, M, G, T, P, E) or a decimal exponent (e3, E-2).
 */
export const QUANTITY = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[KMGTPE]i|[numkMGTPE]|[eE][+-]?\d+)?$/;

export function isQuantity(value: unknown): boolean {
  if (typeof value === 'number') return Number.isFinite(value);
  return typeof value === 'string' && QUANTITY.test(value);
}

const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:[Zz]|[+-]\d{2}:\d{2})$/;

export const formats = {
  int32: { type: 'number', validate: (v: number) => Number.isInteger(v) && v >= -2147483648 && v <= 2147483647 },
  int64: { type: 'number', validate: (v: number) => Number.isInteger(v) },
  double: { type: 'number', validate: (v: number) => Number.isFinite(v) },
  byte: { type: 'string', validate: (v: string) => isBase64(v) },
  quantity: { type: 'string', validate: QUANTITY },
  'date-time': { type: 'string', validate: (v: string) => RFC3339.test(v) },
};
