/**
 * The CEL conformance tests (cel-spec's simple tests, as @bufbuild/cel-spec ships them as data) run against the
 * environment admission policies are evaluated in (src/cel/env.ts: cel-js with the Kubernetes libraries). Only
 * the suites of what Kubernetes' CEL uses are run: not protocol buffer messages, wrappers, enums or the
 * extension libraries the API server does not install. The pass rate is asserted not to fall below what it was
 * measured at; CEL_CONFORMANCE_REPORT=1 prints each failure.
 */
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { compile } from '../src/cel/env.js';
import { Budget } from '../src/cel/budget.js';

const require = createRequire(import.meta.url);

interface SimpleTest {
  name: string;
  expr: string;
  disableCheck?: boolean;
  container?: string;
  typeEnv?: { name: string; ident?: unknown; function?: unknown }[];
  bindings?: Record<string, { value?: ProtoValue }>;
  value?: ProtoValue;
  evalError?: unknown;
  typedResult?: unknown;
}
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type ProtoValue = Record<string, any>;
interface Suite {
  name: string;
  suites?: Suite[];
  tests?: { original: SimpleTest }[];
}

/** The suites of the CEL Kubernetes installs (standard library, macros, optionals, strings extension, cel.bind). */
const SUITES = ['basic', 'bindings_ext', 'comparisons', 'conversions', 'fields', 'fp_math', 'integer_math', 'lists', 'logic', 'macros', 'optionals', 'parse', 'plumbing', 'string', 'string_ext', 'timestamps'];

/** Measured when this test was written (cel-js 8.0.0: 1158 of 1360, 85.1%); a change that lowers it fails. */
const MIN_PASS_RATE = 0.85;

class Unsupported extends Error {}

function loadSuites(): Suite[] | undefined {
  try {
    return (require('@bufbuild/cel-spec/testdata/conformance.js') as { tests: Suite }).tests.suites ?? [];
  } catch {
    return undefined;
  }
}

const { UnsignedInt } = require('@marcbachmann/cel-js/evaluator') as { UnsignedInt: new (v: bigint) => unknown };

/** A conformance value (protobuf JSON of cel.expr.Value) as a JavaScript value in cel-js's representation. */
function fromProto(v: ProtoValue): unknown {
  if ('int64Value' in v) return BigInt(v.int64Value);
  if ('uint64Value' in v) return new UnsignedInt(BigInt(v.uint64Value));
  if ('doubleValue' in v) return Number(v.doubleValue);
  if ('stringValue' in v) return v.stringValue;
  if ('boolValue' in v) return v.boolValue;
  if ('nullValue' in v) return null;
  if ('bytesValue' in v) return new Uint8Array(Buffer.from(v.bytesValue, 'base64'));
  if ('listValue' in v) return (v.listValue.values ?? []).map(fromProto);
  if ('mapValue' in v) return new Map((v.mapValue.entries ?? []).map((e: { key: ProtoValue; value: ProtoValue }) => [fromProto(e.key), fromProto(e.value)]));
  throw new Unsupported(`value ${Object.keys(v)[0]}`);
}

/** A value in one comparable shape: ints and uints as tagged strings, maps as sorted entries. */
function norm(v: unknown): unknown {
  if (typeof v === 'bigint') return `int:${v}`;
  if (typeof v === 'number') return Number.isNaN(v) ? 'NaN' : Object.is(v, -0) ? 0 : v;
  if (v instanceof Uint8Array) return `bytes:${Buffer.from(v).toString('hex')}`;
  if (Array.isArray(v)) return v.map(norm);
  if (v && typeof v === 'object' && v.constructor?.name === 'UnsignedInt') return `uint:${(v as { valueOf(): unknown }).valueOf()}`;
  if (v instanceof Map) return [...v.entries()].map(([k, x]) => [JSON.stringify(norm(k)), norm(x)]).sort((a, b) => String(a[0]).localeCompare(String(b[0])));
  if (v && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) return norm(new Map(Object.entries(v)));
  if (v && typeof v === 'object') throw new Unsupported(`result ${v.constructor?.name}`);
  return v;
}

type Outcome = 'pass' | 'fail' | 'unsupported';

function runOne(t: SimpleTest): { outcome: Outcome; why?: string } {
  try {
    if (t.container) throw new Unsupported('container');
    if (t.value && ('objectValue' in t.value || 'typeValue' in t.value || 'enumValue' in t.value)) throw new Unsupported('message or type value');
    if (t.typedResult) throw new Unsupported('typed result');
    const vars: Record<string, unknown> = {};
    for (const [k, b] of Object.entries(t.bindings ?? {})) vars[k] = fromProto(b.value ?? {});
    const names = [...new Set([...(t.typeEnv ?? []).filter((d) => d.ident).map((d) => d.name), ...Object.keys(vars)])];
    const p = compile(t.expr, names);
    const expectError = t.evalError !== undefined;
    if ('error' in p) return expectError ? { outcome: 'pass' } : { outcome: 'fail', why: `compile: ${p.error}` };
    let result: unknown;
    try {
      result = p.run(vars, new Budget());
    } catch (e) {
      return expectError ? { outcome: 'pass' } : { outcome: 'fail', why: `eval: ${(e as Error).message.split('\n')[0]}` };
    }
    if (expectError) return { outcome: 'fail', why: `expected an error, got ${String(result)}` };
    const want = norm(fromProto(t.value ?? { boolValue: true }));
    const got = norm(result);
    return JSON.stringify(got) === JSON.stringify(want) ? { outcome: 'pass' } : { outcome: 'fail', why: `got ${JSON.stringify(got)}, want ${JSON.stringify(want)}` };
  } catch (e) {
    if (e instanceof Unsupported) return { outcome: 'unsupported', why: e.message };
    return { outcome: 'fail', why: (e as Error).message };
  }
}

function testsOf(s: Suite, prefix: string): { name: string; test: SimpleTest }[] {
  return [...(s.tests ?? []).map((t) => ({ name: `${prefix}/${t.original.name}`, test: t.original })), ...(s.suites ?? []).flatMap((x) => testsOf(x, `${prefix}/${x.name}`))];
}

const suites = loadSuites();

describe.skipIf(!suites)('CEL conformance (cel-spec via @bufbuild/cel-spec, the suites Kubernetes uses)', () => {
  it(`passes at least ${MIN_PASS_RATE * 100}% of the runnable tests`, () => {
    const rows: string[] = [];
    const failures: string[] = [];
    let pass = 0;
    let runnable = 0;
    for (const s of suites!.filter((x) => SUITES.includes(x.name))) {
      let p = 0;
      let n = 0;
      for (const { name, test } of testsOf(s, s.name)) {
        const r = runOne(test);
        if (r.outcome === 'unsupported') continue;
        n++;
        if (r.outcome === 'pass') p++;
        else failures.push(`${name}: ${test.expr} -> ${r.why}`);
      }
      pass += p;
      runnable += n;
      rows.push(`${s.name}: ${p}/${n}`);
    }
    const rate = pass / runnable;
    process.stdout.write(`CEL conformance: ${pass}/${runnable} (${(rate * 100).toFixed(1)}%) — ${rows.join(', ')}\n`);
    if (process.env.CEL_CONFORMANCE_REPORT) process.stdout.write(`${failures.join('\n')}\n`);
    expect(runnable).toBeGreaterThan(1000);
    expect(rate).toBeGreaterThanOrEqual(MIN_PASS_RATE);
  });
});
