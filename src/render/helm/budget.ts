/**
 * A budget for template execution. Helm runs whatever a chart asks (`until 100000000`, an include that calls
 * itself twice, `toYaml` of a map that holds itself through shared references); a scanner of untrusted pull
 * requests must end in seconds and within memory whatever the chart asks. Execution is metered in steps
 * (actions, loop iterations, function and template calls, nodes walked by value walkers such as toYaml, toJson,
 * printing, deepCopy, merge) and in the size of what it builds (strings and lists made by functions, template
 * output). Past either limit, rendering of that template stops with an error at the template line that was
 * running. The limits are far above what real charts use (measured on the corpus charts: see docs/performance.md).
 *
 * Execution is synchronous, so one meter is active at a time (set by the engine around each template render):
 * the helpers in funcs.ts, values.ts and yaml.ts charge it without a context argument, and do nothing when
 * no meter is active (the same helpers serve values handling outside rendering).
 */

/**
 * Steps one template render may take. The corpus charts (kube-prometheus-stack included) take at most a few
 * thousand per template; a million-iteration loop takes several million.
 */
export const MAX_STEPS = 2_000_000;
/** Bytes (characters, 8 per list element) one template render may build (the corpus charts: at most 1 MB). */
export const MAX_BYTES = 256 * 1024 * 1024;
/** Steps all the templates of one chart render may take together (templates after that are not rendered). */
export const MAX_CHART_STEPS = 5 * MAX_STEPS;

/**
 * A function call is a step, plus one per this many characters of its string arguments and elements of its list
 * arguments: a loop that scans a 100 MB string on each turn ends after a few turns, not after two million.
 */
export const ARG_UNITS_PER_STEP = 1024;

/** Bytes a list element is counted as (a pointer, and a small value behind it). */
export const LIST_ELEMENT_BYTES = 8;

export class BudgetExceeded extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BudgetExceeded';
  }
}

export class Meter {
  steps = 0;
  bytes = 0;
  /** Set once a limit is passed: every later charge fails too, so nothing can swallow the stop and go on. */
  exceeded: string | null = null;
  /** chartLeft: the steps the chart's earlier templates left, when fewer than a template's own limit. */
  constructor(readonly maxSteps = MAX_STEPS, readonly maxBytes = MAX_BYTES, readonly chartLeft = false) {}

  fail(message: string): never {
    this.exceeded ??= message;
    throw new BudgetExceeded(this.exceeded);
  }

  step(n: number): void {
    if ((this.steps += n) > this.maxSteps || this.exceeded) {
      this.fail(
        this.chartLeft
          ? `the chart's templates together take more than ${MAX_CHART_STEPS} steps (actions, loop iterations, function calls), the built-in renderer's limit for one chart; rendering stopped here`
          : `the template takes more than ${this.maxSteps} steps (actions, loop iterations, function calls), the built-in renderer's limit; rendering stopped here`,
      );
    }
  }

  build(n: number): void {
    if ((this.bytes += n) > this.maxBytes || this.exceeded) {
      this.fail(`the template builds more than ${this.maxBytes / 1024 / 1024} MB of strings, lists and output, the built-in renderer's limit; rendering stopped here`);
    }
  }
}

let active: Meter | null = null;

/** Run fn with m as the active meter (the previous one is restored after). */
export function metered<T>(m: Meter, fn: () => T): T {
  const prev = active;
  active = m;
  try {
    return fn();
  } finally {
    active = prev;
  }
}

/** Charge n steps to the active meter. */
export function tick(n = 1): void {
  active?.step(n);
}

/** Charge n bytes built (before building them when the size is known up front). */
export function spend(n: number): void {
  if (n > 0) active?.build(n);
}

/** A budget stop, which `catch` blocks that turn errors into values (toYaml → "") must let through. */
export function isBudgetStop(e: unknown): e is BudgetExceeded {
  return e instanceof BudgetExceeded;
}
