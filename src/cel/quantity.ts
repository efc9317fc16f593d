/**
 * resource.Quantity for CEL's quantity library: exact values, so that `quantity("1Gi").isGreaterThan(
 * quantity("1000Mi"))` and `compareTo` agree with apimachinery. A value is held as a BigInt count of nano
 * units (10^-9), the smallest scale a Quantity keeps; anything finer is rounded up, as apimachinery does.
 */
import { QUANTITY } from '../schema/formats.js';

const NANO = 10n ** 9n;

const BINARY: Record<string, bigint> = { Ki: 1n << 10n, Mi: 1n << 20n, Gi: 1n << 30n, Ti: 1n << 40n, Pi: 1n << 50n, Ei: 1n << 60n };
const DECIMAL: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };

export class Quantity {
  constructor(
    /** The value in units of 10^-9. */
    readonly nanos: bigint,
    /** The text it was written as (what `string()` gives back). */
    readonly text: string,
  ) {}

  compareTo(o: Quantity): bigint {
    return this.nanos < o.nanos ? -1n : this.nanos > o.nanos ? 1n : 0n;
  }

  isInteger(): boolean {
    return this.nanos % NANO === 0n && fitsInt64(this.nanos / NANO);
  }

  asInteger(): bigint {
    if (!this.isInteger()) throw new Error(`cannot convert value to integer: ${this.text}`);
    return this.nanos / NANO;
  }

  asApproximateFloat(): number {
    return Number(this.nanos) / 1e9;
  }

  sign(): bigint {
    return this.nanos < 0n ? -1n : this.nanos > 0n ? 1n : 0n;
  }

  plus(nanos: bigint): Quantity {
    const n = this.nanos + nanos;
    return new Quantity(n, formatNanos(n));
  }
}

function fitsInt64(n: bigint): boolean {
  return n >= -(1n << 63n) && n < 1n << 63n;
}

/** The Quantity `s` denotes, or undefined when apimachinery's parser would refuse it. */
export function parseQuantity(s: string): Quantity | undefined {
  if (!QUANTITY.test(s)) return undefined;
  const m = /^([+-]?)(\d*)(?:\.(\d*))?(.*)$/.exec(s)!;
  const negative = m[1] === '-';
  const whole = m[2] || '0';
  const frac = m[3] ?? '';
  const suffix = m[4];
  // digits / 10^frac.length, times the suffix, in nano units
  let num = BigInt(whole + frac);
  let exp10 = 9 - frac.length;
  if (suffix in BINARY) num *= BINARY[suffix];
  else if (/^[eE]/.test(suffix)) exp10 += Number(suffix.slice(1));
  else exp10 += DECIMAL[suffix];
  if (exp10 > 400) return undefined;
  let nanos: bigint;
  if (exp10 >= 0) nanos = num * 10n ** BigInt(exp10);
  else {
    const d = 10n ** BigInt(-exp10);
    nanos = num / d + (num % d === 0n ? 0n : 1n); // rounded up, as apimachinery rounds sub-nano values
  }
  if (negative) nanos = -nanos;
  return new Quantity(nanos, s);
}

/** A canonical-enough text for a computed value (apimachinery prints sums in the larger of the two formats). */
function formatNanos(n: bigint): string {
  if (n % NANO === 0n) return String(n / NANO);
  if (n % 1_000_000n === 0n) return `${n / 1_000_000n}m`;
  if (n % 1000n === 0n) return `${n / 1000n}u`;
  return `${n}n`;
}

export function quantityOfInt(i: bigint): Quantity {
  return new Quantity(i * NANO, String(i));
}
