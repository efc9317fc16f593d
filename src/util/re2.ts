/**
 * Go's regexp for patterns that come from the scanned input: Helm's regex functions, values.schema.json
 * patterns, kustomize's selectors and image names, CRD OpenAPI patterns.
 *
 * Why re2js: those tools evaluate these patterns with Go's regexp, which is RE2: matching takes time linear
 * in the input, and the syntax is RE2's (`(?P<name>..)`, `\z`, `\Q..\E`, `[[:alpha:]]`, `(?i)` anywhere; no
 * backreferences or lookaround). A JavaScript RegExp backtracks: `^(a+)+$` against forty a's and a '!' never
 * ends, and translating the syntax is never quite right. re2js is a port of RE2 in plain JavaScript.
 *
 * It costs ~90 ms to load, so it is loaded synchronously on the first pattern compiled, not at start-up.
 */
import { createRequire } from 'node:module';
import type * as Re2Module from 're2js';

export type GoRegexp = Re2Module.RE2JS;

let mod: typeof Re2Module | undefined;

function re2js(): typeof Re2Module {
  return (mod ??= createRequire(import.meta.url)('re2js') as typeof Re2Module);
}

/** A compiled pattern, or the error Go gives for it. */
const cache = new Map<string, GoRegexp | Error>();
/** Patterns can be built at render time (`regexMatch (printf ...)`): past this many, the cache starts over. */
const MAX_CACHED = 2000;

/**
 * Compile `pattern` as Go's regexp.Compile does. Throws an Error whose message is Go's
 * (`error parsing regexp: missing closing ): ...`).
 */
export function compileGo(pattern: string): GoRegexp {
  const hit = cache.get(pattern);
  if (hit !== undefined) {
    if (hit instanceof Error) throw hit;
    return hit;
  }
  let result: GoRegexp | Error;
  try {
    result = re2js().RE2JS.compile(pattern);
  } catch (e) {
    const msg = (e as Error).message;
    result = new Error(msg.startsWith('error parsing regexp:') ? msg : `error parsing regexp: ${msg}`);
  }
  if (cache.size >= MAX_CACHED) cache.clear();
  cache.set(pattern, result);
  if (result instanceof Error) throw result;
  return result;
}

/** compileGo, or undefined for a pattern Go rejects. */
export function tryCompileGo(pattern: string): GoRegexp | undefined {
  try {
    return compileGo(pattern);
  } catch {
    return undefined;
  }
}

/**
 * Go's FindAllStringSubmatchIndex: for each successive non-overlapping match, the start and end (UTF-16
 * offsets) of the match and of each group (-1 where a group did not take part); `n` < 0 for all matches.
 */
export function findAllSubmatchIndex(re: GoRegexp, s: string, n = -1): number[][] {
  return (re.re2().findAllSubmatchIndex(s, n) as number[][] | null) ?? [];
}

/** Go's QuoteMeta: `s` as a pattern that matches it literally. */
export function quoteMeta(s: string): string {
  return s.replace(/[\\.+*?()|[\]{}^$]/g, '\\$&');
}
