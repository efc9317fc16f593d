/**
 * The CEL environment of Kubernetes' admission policies, offline: @marcbachmann/cel-js for the language
 * (parser, type checker, macros, optional types) and src/cel/k8s-lib.ts for the libraries the API server adds.
 *
 * Why @marcbachmann/cel-js: no dependencies and ~300 kB, where @bufbuild/cel needs @bufbuild/protobuf and the
 * 6 MB conformance package at run time; it has the macros (all, exists, exists_one, map, filter, has,
 * cel.bind), optional types and custom functions and types policies need, and structural limits on what it
 * parses. It has no cost limit and its `matches` uses a backtracking JavaScript RegExp; both are supplied
 * here (src/cel/budget.ts, RE2 through src/util/re2.ts).
 *
 * It costs ~100 ms to load, so it is loaded synchronously on the first expression compiled, not at start-up
 * (the CLI bundle leaves it outside, as it does re2js).
 */
import { createRequire } from 'node:module';
import type * as CelModule from '@marcbachmann/cel-js';
import { Budget, BudgetExceeded } from './budget.js';
import { registerKubernetesLibraries } from './k8s-lib.js';

type Cel = typeof CelModule;
type Environment = CelModule.Environment;

let mod: Cel | undefined;

export function celModule(): Cel {
  return (mod ??= createRequire(import.meta.url)('@marcbachmann/cel-js') as Cel);
}

/** The variables an admission policy's expressions see (`variables` holds the policy's named variables). */
export const POLICY_VARIABLES = ['object', 'oldObject', 'request', 'params', 'namespaceObject', 'authorizer', 'variables'] as const;

/** Structural limits on what is parsed: a scanned tree writes these expressions. */
const LIMITS = { maxAstNodes: 10_000, maxDepth: 100, maxListElements: 1000, maxMapEntries: 1000, maxCallArguments: 32 };

/** Longest expression compiled (the API server's validation limit on an expression is 5000 characters… per field, roughly). */
export const MAX_EXPRESSION_LENGTH = 100_000;

const environments = new Map<string, Environment>();

function environment(variables: readonly string[]): Environment {
  const key = variables.join(',');
  let env = environments.get(key);
  if (!env) {
    const cel = celModule();
    env = new cel.Environment({ unlistedVariablesAreDyn: false, enableOptionalTypes: true, homogeneousAggregateLiterals: false, limits: LIMITS });
    for (const v of variables) env.registerVariable(v, 'dyn');
    registerKubernetesLibraries(env, cel);
    environments.set(key, env);
  }
  return env;
}

export interface Program {
  /** Evaluate against `vars`; throws the evaluation's error (a BudgetExceeded when it ran out). */
  run(vars: Record<string, unknown>, budget: Budget): unknown;
}

/** The evaluation budget of the expression running now (evaluations do not nest or interleave). */
let current: Budget | undefined;
const metered = new WeakSet<object>();

/**
 * Every node the evaluator runs goes through its `run` method: the first evaluation wraps that method of
 * the environment's evaluator so that each step is charged to the current budget.
 */
function meter(ev: { run(ast: unknown, ctx: unknown): unknown }): void {
  if (metered.has(ev)) return;
  metered.add(ev);
  const run = ev.run;
  ev.run = function (this: unknown, ast: unknown, ctx: unknown) {
    current?.charge(1);
    const v = run.call(this, ast, ctx);
    current?.chargeValue(v);
    return v;
  };
}

/** Compile `expression` for `variables`: a Program, or the syntax or type error the API server would report. */
export function compile(expression: string, variables: readonly string[] = POLICY_VARIABLES): Program | { error: string } {
  if (expression.length > MAX_EXPRESSION_LENGTH) return { error: `the expression is ${expression.length} characters long; the limit here is ${MAX_EXPRESSION_LENGTH}` };
  const env = environment(variables);
  let parsed: ReturnType<Environment['parse']>;
  try {
    parsed = env.parse(expression);
  } catch (e) {
    return { error: firstLine(e) };
  }
  useRe2(parsed.ast);
  const checked = parsed.check();
  if (!checked.valid) return { error: firstLine(checked.error) };
  const ast = parsed.ast as unknown as { evaluate(ev: { run(a: unknown, c: unknown): unknown }, ast: unknown, ctx: unknown): unknown };
  const evaluate = ast.evaluate;
  ast.evaluate = function (ev, a, ctx) {
    meter(ev);
    return evaluate.call(this, ev, a, ctx);
  };
  return {
    run(vars, budget) {
      const before = current;
      current = budget;
      try {
        const v = parsed(vars);
        if (v instanceof Promise) throw new Error('asynchronous evaluation is not supported');
        if (budget.exceeded) throw new BudgetExceeded(budget.exceeded);
        return v;
      } catch (e) {
        if (budget.exceeded) throw new BudgetExceeded(budget.exceeded);
        throw e;
      } finally {
        current = before;
      }
    },
  };
}

/**
 * cel-js's `matches` compiles its pattern as a JavaScript RegExp, which backtracks (`^(a+)+$` never ends on a
 * long run of a's) and is not RE2's syntax. The parsed expression's calls to it are renamed to the RE2
 * version registered in k8s-lib.ts before the expression is checked, which binds the overload.
 */
function useRe2(root: unknown): void {
  const seen = new Set<unknown>();
  const walk = (n: unknown): void => {
    if (!n || typeof n !== 'object' || seen.has(n)) return;
    seen.add(n);
    if (Array.isArray(n)) return n.forEach(walk);
    const node = n as { op?: unknown; args?: unknown };
    if (node.op === 'rcall' && Array.isArray(node.args) && node.args[0] === 'matches') node.args[0] = 're2Matches';
    if (node.op === 'call' && Array.isArray(node.args) && node.args[0] === 'matches') node.args[0] = 're2Matches';
    if ('args' in node) walk(node.args);
    for (const [k, v] of Object.entries(node)) if (k !== 'args' && v && typeof v === 'object' && ('op' in (v as object) || Array.isArray(v))) walk(v);
  };
  walk(root);
}

function firstLine(e: unknown): string {
  const m = e instanceof Error ? e.message : String(e);
  return m.split('\n')[0].trim();
}

/** An evaluation error's message, one line. */
export function errorMessage(e: unknown): string {
  return firstLine(e).replace(/re2Matches/g, 'matches');
}

/**
 * YAML values as CEL values: integers become CEL ints (BigInt), other numbers doubles; objects and lists are
 * copied. Done once per object (the caller caches).
 */
export function toCel(v: unknown): unknown {
  if (typeof v === 'number') return Number.isInteger(v) && Number.isSafeInteger(v) ? BigInt(v) : v;
  if (Array.isArray(v)) return v.map(toCel);
  if (v instanceof Date) return v.toISOString();
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) if (x !== undefined) out[k] = toCel(x);
    return out;
  }
  return v;
}

/** A CEL value as text for a message (a messageExpression must give a string; others are shown as written). */
export function celText(v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'bigint' || typeof v === 'number' || typeof v === 'boolean') return String(v);
  try {
    return JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? Number(x) : x)) ?? String(v);
  } catch {
    return String(v);
  }
}
