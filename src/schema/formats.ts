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

const SUFFIX: Record<string, number> = {
  Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60,
  n: 1e-9, u: 1e-6, m: 1e-3, '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18,
};

/** The value of a quantity as a number (1Gi -> 1073741824, 500m -> 0.5), or undefined when it is not one. */
export function quantityValue(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (typeof v !== 'string' || !QUANTITY.test(v)) return undefined;
  const m = /^([+-]?(?:\d+(?:\.\d*)?|\.\d+))(.*)$/.exec(v)!;
  const n = Number(m[1]);
  const s = m[2];
  if (/^[eE]/.test(s)) return n * 10 ** Number(s.slice(1));
  const f = SUFFIX[s];
  return f === undefined ? undefined : n * f;
}
