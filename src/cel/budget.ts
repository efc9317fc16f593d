/**
 * The cost limit of one CEL evaluation. The API server estimates a cost and stops an expression that
 * exceeds its per-call limit at run time; here every evaluation step (each node evaluated, each element of
 * a list built, each 16 characters of a string built) costs one unit, and a wall-clock deadline backs that
 * up, so that an expression from a scanned tree (nested comprehensions over a long list, a list doubled by
 * `cel.bind` again and again) ends within a fraction of a second with an error, whatever it asks for.
 */

/** Units one expression may spend; about a quarter of a second of evaluation. */
export const STEP_LIMIT = 5_000_000;
/** Milliseconds one expression may run. */
export const TIME_LIMIT_MS = 250;
/** Milliseconds all CEL evaluation of one run may take; past it, the rest is skipped and said so. */
export const RUN_TIME_LIMIT_MS = 20_000;
/** No list or string an expression builds may be larger than this (elements, characters). */
export const MAX_VALUE_SIZE = 1_000_000;

export class BudgetExceeded extends Error {}

export class Budget {
  private steps = 0;
  private readonly deadline: number;
  exceeded?: string;

  constructor(
    private readonly limit = STEP_LIMIT,
    timeLimitMs = TIME_LIMIT_MS,
  ) {
    this.deadline = performance.now() + timeLimitMs;
  }

  /** Charge `n` units; throws once the expression has spent its budget (and on every later charge). */
  charge(n: number): void {
    this.steps += n;
    if (this.exceeded) throw new BudgetExceeded(this.exceeded);
    if (this.steps > this.limit) this.fail(`the expression exceeded its cost limit (${this.limit} evaluation steps)`);
    // the clock is read every 4096 units: reading it costs more than a step
    if ((this.steps & 4095) < n && performance.now() > this.deadline) this.fail(`the expression ran longer than its time limit (${TIME_LIMIT_MS} ms)`);
  }

  /** Charge for a value an evaluation step produced: building a long list or string costs its length. */
  chargeValue(v: unknown): void {
    let size = 0;
    if (Array.isArray(v)) size = v.length;
    else if (typeof v === 'string') size = v.length >> 4;
    else if (v instanceof Map) size = v.size;
    if (size > MAX_VALUE_SIZE) this.fail(`the expression built a value larger than ${MAX_VALUE_SIZE} elements`);
    this.charge(1 + size);
  }

  private fail(why: string): never {
    this.exceeded = why;
    throw new BudgetExceeded(why);
  }
}

/** The time all CEL evaluation of the current run has taken, against RUN_TIME_LIMIT_MS. */
export class RunClock {
  spentMs = 0;
  get exhausted(): boolean {
    return this.spentMs > RUN_TIME_LIMIT_MS;
  }
}
