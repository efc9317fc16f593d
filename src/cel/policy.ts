/**
 * ValidatingAdmissionPolicy offline: the policies and bindings of the scan (and those the configuration names)
 * applied to each scanned object as the API server would admit a CREATE of it
 * (k8s.io/apiserver/pkg/admission/plugin/policy/validating).
 *
 * What cannot be known offline is not guessed: a namespaceSelector on an object whose Namespace is not in the
 * scan, a param that is not in the scan, and a field the expression reads that the API server would have
 * defaulted (a missing key) are not violations.
 */
import { redactSecrets } from './redact.js';
import type { Path } from '../types.js';
import type { Resource } from '../graph/resource.js';
import type { ResourceGraph } from '../graph/graph.js';
import { matchesSelector, isEmptySelector, type LabelSelector } from '../graph/selectors.js';
import { CLUSTER_SCOPED_KINDS } from '../graph/kinds.js';
import { scanWideOfKind } from '../graph/scan.js';
import { Budget, BudgetExceeded, RunClock } from './budget.js';
import { compile, errorMessage, toCel, celText, type Program } from './env.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

export const POLICY_KIND = 'ValidatingAdmissionPolicy';
export const BINDING_KIND = 'ValidatingAdmissionPolicyBinding';
const API_GROUP = 'admissionregistration.k8s.io/';

/** A policy or binding: its object, and the scanned Resource it came from (none when the configuration named it). */
export interface Source {
  object: Json;
  resource?: Resource;
  /** Where a configured one was read from, for messages. */
  file?: string;
}

export interface PolicyProblem {
  path: Path;
  message: string;
  /** The problem is that something is not in the scan (a policy, a param), which a fragment may just not hold. */
  absent?: boolean;
}

interface Expr {
  expression: string;
  program?: Program;
  path: Path;
}

interface Validation extends Expr {
  message?: string;
  messageProgram?: Program;
  reason?: string;
}

export interface CompiledPolicy {
  name: string;
  source: Source;
  spec: Json;
  failurePolicy: 'Fail' | 'Ignore';
  paramKind?: { apiVersion: string; kind: string };
  matchConditions: (Expr & { name: string })[];
  variables: (Expr & { name: string })[];
  validations: Validation[];
  /** Syntax and type errors: the API server refuses such a policy (or, with Ignore, it admits everything). */
  problems: PolicyProblem[];
}

const compiledCache = new WeakMap<object, CompiledPolicy>();

/** The policy's expressions compiled once; problems name the field of each that does not compile. */
export function compilePolicy(source: Source): CompiledPolicy {
  const hit = compiledCache.get(source.object);
  if (hit) return hit;
  const o = source.object;
  const spec = o?.spec && typeof o.spec === 'object' ? o.spec : {};
  const problems: PolicyProblem[] = [];
  const expr = (e: Json, path: Path): Expr => {
    const expression = typeof e === 'string' ? e : '';
    if (typeof e !== 'string' || !e.trim()) {
      problems.push({ path, message: 'the expression is empty' });
      return { expression, path };
    }
    const p = compile(expression);
    if ('error' in p) {
      problems.push({ path, message: `the expression does not compile: ${p.error}` });
      return { expression, path };
    }
    return { expression, program: p, path };
  };
  const list = (v: Json): Json[] => (Array.isArray(v) ? v : []);
  const matchConditions = list(spec.matchConditions).map((c, i) => ({ name: String(c?.name ?? ''), ...expr(c?.expression, ['spec', 'matchConditions', i, 'expression']) }));
  const variables = list(spec.variables).map((c, i) => ({ name: String(c?.name ?? ''), ...expr(c?.expression, ['spec', 'variables', i, 'expression']) }));
  const validations = list(spec.validations).map((v, i): Validation => {
    const base = expr(v?.expression, ['spec', 'validations', i, 'expression']);
    let messageProgram: Program | undefined;
    if (typeof v?.messageExpression === 'string' && v.messageExpression.trim()) {
      const p = compile(v.messageExpression);
      if ('error' in p) problems.push({ path: ['spec', 'validations', i, 'messageExpression'], message: `the messageExpression does not compile: ${p.error}` });
      else messageProgram = p;
    }
    return { ...base, message: typeof v?.message === 'string' ? v.message : undefined, messageProgram, reason: typeof v?.reason === 'string' ? v.reason : undefined };
  });
  if (!validations.length) problems.push({ path: ['spec'], message: 'the policy has no validations' });
  const pk = spec.paramKind;
  const compiled: CompiledPolicy = {
    name: String(o?.metadata?.name ?? ''),
    source,
    spec,
    failurePolicy: spec.failurePolicy === 'Ignore' ? 'Ignore' : 'Fail',
    paramKind: pk && typeof pk.kind === 'string' ? { apiVersion: String(pk.apiVersion ?? ''), kind: pk.kind } : undefined,
    matchConditions,
    variables,
    validations,
    problems,
  };
  compiledCache.set(source.object, compiled);
  return compiled;
}

/** The policies and bindings an object is checked against, and the scan's objects they resolve against. */
export interface PolicySet {
  policies: Map<string, CompiledPolicy>;
  bindings: Source[];
  /** Objects params, Namespaces and CRDs are looked up in. */
  objects: readonly Resource[];
  /** CRD plurals: group/Kind -> plural. */
  plurals: Map<string, string>;
}

let configured: Source[] = [];

/** Policies and bindings read from the files the configuration names (`policies:`). */
export function setConfiguredPolicies(sources: Source[]): void {
  configured = sources;
  sets = new WeakMap();
  runClock.spentMs = 0;
}

export function configuredPolicies(): readonly Source[] {
  return configured;
}

let sets = new WeakMap<ResourceGraph, PolicySet>();

/**
 * The policies that apply to a unit's objects: its own, every other unit's (policies and bindings are
 * cluster-wide: a repository's policies/ folder applies to its charts and overlays too), and the configured
 * ones. Params are looked up in the unit and, for a whole-directory scan, the rest of the scan.
 * A scanned policy of the same name as a configured one wins: it is the version this repository installs.
 */
export function policySet(graph: ResourceGraph): PolicySet {
  let s = sets.get(graph);
  if (s) return s;
  // (most scans have no binding at all: nothing is gathered for each unit then)
  if (!scanWideOfKind(BINDING_KIND).length && !graph.all.some((r) => r.kind === BINDING_KIND) && !configured.some((c) => c.object?.kind === BINDING_KIND)) {
    s = { policies: new Map(), bindings: [], objects: graph.all, plurals: new Map() };
    sets.set(graph, s);
    return s;
  }
  // the unit's objects first (its own policies and params win), then the cluster-wide kinds of the whole scan
  const wide = [POLICY_KIND, BINDING_KIND, 'Namespace', 'CustomResourceDefinition'].flatMap((k) => scanWideOfKind(k));
  const objects = [...new Set([...graph.all, ...(graph.scan && graph.scan !== graph ? graph.scan.all : []), ...wide])];
  const policies = new Map<string, CompiledPolicy>();
  const bindings = new Map<string, Source>();
  const isPolicyApi = (r: Resource) => r.apiVersion.startsWith(API_GROUP);
  for (const r of objects) {
    if (r.kind === POLICY_KIND && isPolicyApi(r) && !policies.has(r.name)) policies.set(r.name, compilePolicy({ object: r.object, resource: r }));
    if (r.kind === BINDING_KIND && isPolicyApi(r) && !bindings.has(r.name)) bindings.set(r.name, { object: r.object, resource: r });
  }
  for (const c of configured) {
    const name = String(c.object?.metadata?.name ?? '');
    if (c.object?.kind === POLICY_KIND && !policies.has(name)) policies.set(name, compilePolicy(c));
    else if (c.object?.kind === BINDING_KIND && !bindings.has(name)) bindings.set(name, c);
  }
  const plurals = new Map<string, string>();
  for (const r of objects) {
    if (r.kind !== 'CustomResourceDefinition') continue;
    const spec = r.object.spec as Json;
    if (typeof spec?.group === 'string' && typeof spec?.names?.kind === 'string' && typeof spec?.names?.plural === 'string') plurals.set(`${spec.group}/${spec.names.kind}`, spec.names.plural);
  }
  s = { policies, bindings: [...bindings.values()], objects, plurals };
  sets.set(graph, s);
  return s;
}

/** The resource name (plural) of a kind, as the API server serves it. */
export function resourceOf(group: string, kind: string, plurals: Map<string, string>): string {
  const crd = plurals.get(`${group}/${kind}`);
  if (crd) return crd;
  const lower = kind.toLowerCase();
  if (IRREGULAR[lower]) return IRREGULAR[lower];
  if (/(s|x|z|ch|sh)$/.test(lower)) return `${lower}es`;
  if (/[^aeiou]y$/.test(lower)) return `${lower.slice(0, -1)}ies`;
  return `${lower}s`;
}

/** Built-in kinds whose resource is not the regular plural. */
const IRREGULAR: Record<string, string> = { endpoints: 'endpoints', podsecuritypolicy: 'podsecuritypolicies' };

function groupVersion(apiVersion: string): [string, string] {
  const i = apiVersion.indexOf('/');
  return i < 0 ? ['', apiVersion] : [apiVersion.slice(0, i), apiVersion.slice(i + 1)];
}

const arr = (v: Json): Json[] => (Array.isArray(v) ? v : []);
const has = (list: Json[], v: string) => list.includes('*') || list.includes(v);

/** A rule of resourceRules: groups, versions, resources (with `*` and `x/*`), CREATE, names and scope. */
function ruleMatches(rule: Json, r: Resource, resource: string, equivalent: boolean): boolean {
  const [group, version] = groupVersion(r.apiVersion);
  if (!has(arr(rule?.operations), 'CREATE')) return false;
  if (!has(arr(rule?.apiGroups), group)) return false;
  // matchPolicy Equivalent: a request for another version of the same resource is converted and matched.
  if (!equivalent && !has(arr(rule?.apiVersions), version)) return false;
  if (equivalent && !arr(rule?.apiVersions).length) return false;
  const resources = arr(rule?.resources);
  if (!resources.some((x) => x === '*' || x === '*/*' || x === resource)) return false;
  const names = arr(rule?.resourceNames);
  if (names.length && !names.includes(r.name)) return false;
  const scope = rule?.scope ?? '*';
  const clusterScoped = r.namespace === '' && CLUSTER_SCOPED_KINDS.has(r.kind);
  if (scope === 'Cluster' && !clusterScoped) return false;
  if (scope === 'Namespaced' && clusterScoped) return false;
  return true;
}

/** undefined: cannot be told offline (the object's Namespace is not in the scan). */
function namespaceSelected(sel: LabelSelector | undefined, r: Resource, set: PolicySet): boolean | undefined {
  if (!sel || isEmptySelector(sel)) return true;
  let labels: Record<string, string> | undefined;
  if (r.kind === 'Namespace') labels = { ...r.labels, 'kubernetes.io/metadata.name': r.name };
  else if (r.namespace === '') return true; // cluster-scoped objects are not filtered by namespace
  else {
    const ns = set.objects.find((o) => o.kind === 'Namespace' && o.name === r.namespace);
    if (!ns) return undefined;
    labels = { ...ns.labels, 'kubernetes.io/metadata.name': ns.name };
  }
  return matchesSelector(sel, labels);
}

/** Whether `mr` (a policy's matchConstraints or a binding's matchResources) selects the object. */
function matchResources(mr: Json, r: Resource, set: PolicySet, requireRules: boolean): boolean | undefined {
  if (!mr || typeof mr !== 'object') return !requireRules;
  const [group] = groupVersion(r.apiVersion);
  const resource = resourceOf(group, r.kind, set.plurals);
  const equivalent = mr.matchPolicy !== 'Exact';
  const rules = arr(mr.resourceRules);
  if (rules.length ? !rules.some((x) => ruleMatches(x, r, resource, equivalent)) : requireRules) return false;
  if (arr(mr.excludeResourceRules).some((x) => ruleMatches(x, r, resource, equivalent))) return false;
  if (mr.objectSelector && !matchesSelector(mr.objectSelector, r.labels)) return false;
  return namespaceSelected(mr.namespaceSelector, r, set);
}

export interface Verdict {
  policy: CompiledPolicy;
  binding: Source;
  bindingName: string;
  /** The binding's actions: Deny, Warn, Audit. */
  actions: string[];
  message: string;
  /** The field the failing expression names, where it is a simple path present in the object. */
  path?: Path;
  /** Set when the verdict rests on what the API server would have filled in (a defaulted field). */
  uncertain?: string;
}

/** The cost clock of the whole run; reset by the rule when a scan starts. */
export const runClock = new RunClock();

const celObjects = new WeakMap<object, Json>();

/** The object as the API server would evaluate it: CEL values, the namespace it is created in filled in. */
function celObject(r: Resource): Json {
  let v = celObjects.get(r.object);
  if (!v) {
    v = toCel(r.object) as Json;
    if (r.namespace && v && typeof v === 'object') v.metadata = { ...(v.metadata ?? {}), namespace: r.namespace };
    celObjects.set(r.object, v);
  }
  return v;
}

class Failure extends Error {
  constructor(
    message: string,
    readonly overBudget = false,
  ) {
    super(message);
  }
}

/** Evaluate `p`; errors come back as a Failure with a one-line message, a missing key marked. */
function evaluate(p: Program, vars: Record<string, unknown>): unknown {
  const budget = new Budget();
  const t0 = performance.now();
  try {
    return p.run(vars, budget);
  } catch (e) {
    if (e instanceof BudgetExceeded) throw new Failure(e.message, true);
    throw new Failure(errorMessage(e));
  } finally {
    runClock.spentMs += performance.now() - t0;
  }
}

const isMissingKey = (msg: string) => /^No such key/i.test(msg);

/** The params of a binding for this object: a list (selector), one object, or undefined when not in the scan. */
function paramsFor(policy: CompiledPolicy, binding: Json, r: Resource, set: PolicySet): { params: Json[] } | { missing: string } | undefined {
  if (!policy.paramKind) return undefined;
  const ref = binding?.spec?.paramRef;
  if (!ref || typeof ref !== 'object') return { missing: 'the binding has no paramRef for the policy\'s paramKind' };
  const { apiVersion, kind } = policy.paramKind;
  const candidates = set.objects.filter((o) => o.kind === kind && (!apiVersion || o.apiVersion === apiVersion));
  const namespaced = !CLUSTER_SCOPED_KINDS.has(kind) && candidates.some((o) => o.namespace !== '');
  const ns = typeof ref.namespace === 'string' && ref.namespace ? ref.namespace : namespaced ? r.namespace : undefined;
  const inNs = candidates.filter((o) => ns === undefined || o.namespace === ns);
  let found: Resource[];
  if (typeof ref.name === 'string' && ref.name) found = inNs.filter((o) => o.name === ref.name);
  else if (ref.selector && typeof ref.selector === 'object') found = inNs.filter((o) => matchesSelector(ref.selector, o.labels));
  else return { missing: 'the paramRef has neither name nor selector' };
  if (!found.length) return { missing: `no ${kind}${typeof ref.name === 'string' ? ` "${ref.name}"` : ' matching the selector'}${ns ? ` in namespace "${ns}"` : ''} is in the scan` };
  return { params: found.map(celObject) };
}

/**
 * The paths an expression names under `object` (object.spec.replicas, object.spec.template.spec): the
 * longest one present in the object is where a violation is reported.
 */
export function namedPath(expression: string, object: Json): Path | undefined {
  let best: Path | undefined;
  for (const m of expression.matchAll(/\bobject((?:\.\??[A-Za-z_][A-Za-z0-9_]*)+)/g)) {
    const parts = m[1].split('.').filter(Boolean).map((p) => p.replace(/^\?/, ''));
    // (kind and apiVersion are read to tell objects apart, not as the defect)
    if (parts[0] === 'kind' || parts[0] === 'apiVersion') continue;
    let cur = object;
    const path: string[] = [];
    for (const p of parts) {
      if (!cur || typeof cur !== 'object' || Array.isArray(cur) || !(p in cur)) break;
      cur = cur[p];
      path.push(p);
    }
    if (path.length && (!best || path.length > best.length)) best = path;
  }
  return best;
}

/**
 * The expression with the expressions of the variables it reads appended, and theirs in turn: where
 * `variables.images` comes from.
 */
function withVariables(expression: string, policy: CompiledPolicy): string {
  const reads = (text: string) => policy.variables.filter((x) => new RegExp(`\\bvariables\\.${x.name.replace(/[^A-Za-z0-9_]/g, '')}\\b`).test(text));
  const used = new Set(reads(expression));
  for (const v of used) for (const w of reads(v.expression)) used.add(w);
  return [expression, ...[...used].map((x) => x.expression)].join('\n');
}

/** Every binding's verdict on the object: one per failing validation (or per evaluation error under Fail). */
export function verdictsFor(r: Resource, set: PolicySet): Verdict[] {
  const out: Verdict[] = [];
  if (!set.bindings.length) return out;
  for (const binding of set.bindings) {
    if (runClock.exhausted) break;
    const b = binding.object;
    const policy = set.policies.get(String(b?.spec?.policyName ?? ''));
    if (!policy || policy.problems.length) continue; // reported by admission-policy-error
    const actions = arr(b?.spec?.validationActions).filter((a) => a === 'Deny' || a === 'Warn' || a === 'Audit');
    if (!actions.length) continue;
    if (matchResources(policy.spec.matchConstraints, r, set, true) !== true) continue;
    if (matchResources(b?.spec?.matchResources, r, set, false) !== true) continue;
    const params = paramsFor(policy, b, r, set);
    if (params && 'missing' in params) continue; // reported once, at the binding
    const verdict = (message: string, path?: Path, uncertain?: string): Verdict => ({ policy, binding, bindingName: String(b?.metadata?.name ?? ''), actions, message, path, uncertain });
    // a selector's params: the object is checked against each; one failure denies it
    const ns = r.namespace ? set.objects.find((o) => o.kind === 'Namespace' && o.name === r.namespace) : undefined;
    for (const param of params ? params.params : [null]) {
      const v = evaluateAgainst(policy, r, param, ns ? celObject(ns) : null, verdict);
      out.push(...v);
      if (v.length) break;
    }
  }
  return out;
}

function evaluateAgainst(policy: CompiledPolicy, r: Resource, param: Json, namespaceObject: Json, verdict: (m: string, p?: Path, u?: string) => Verdict): Verdict[] {
  const object = celObject(r);
  const vars: Record<string, unknown> = { object, oldObject: null, params: param, namespaceObject, authorizer: null, request: requestOf(r), variables: {} };
  vars.variables = lazyVariables(policy, vars);
  const DEFAULTED = 'the field it reads is absent, and the API server may default it before admission (defaults are not applied offline)';
  // matchConditions: any false skips the object; an error (with none false) falls to the failure policy
  let conditionError: string | undefined;
  for (const c of policy.matchConditions) {
    if (!c.program) continue;
    try {
      if (evaluate(c.program, vars) === false) return [];
    } catch (e) {
      conditionError ??= `matchCondition "${c.name}" failed: ${(e as Error).message}`;
    }
  }
  if (conditionError) return policy.failurePolicy === 'Fail' && !isMissingKey(conditionError.replace(/^[^:]*: /, '')) ? [verdict(conditionError)] : [];
  const out: Verdict[] = [];
  for (const v of policy.validations) {
    if (!v.program) continue;
    let ok: unknown;
    try {
      ok = evaluate(v.program, vars);
    } catch (e) {
      const msg = (e as Error).message;
      // a cost limit: the API server's compile-time estimate would have refused the policy, whatever its failurePolicy
      if (e instanceof Failure && e.overBudget) {
        out.push(verdict(`expression '${v.expression}' was stopped: ${msg}`));
        continue;
      }
      if (policy.failurePolicy === 'Ignore') continue;
      const missing = isMissingKey(msg);
      out.push(verdict(`expression '${v.expression}' resulted in error: ${msg}`, namedPath(v.expression, object), missing ? DEFAULTED : undefined));
      continue;
    }
    if (ok === true) continue;
    if (ok !== false) {
      if (policy.failurePolicy === 'Fail') out.push(verdict(`expression '${v.expression}' did not evaluate to a bool (got ${redactSecrets(celText(ok), object)})`));
      continue;
    }
    out.push(verdict(redactSecrets(messageOf(v, vars), object), namedPath(withVariables(v.expression, policy), object)));
  }
  return out;
}

/** A validation's message: messageExpression's string when it gives a non-empty one, then message, then the expression. */
function messageOf(v: Validation, vars: Record<string, unknown>): string {
  if (v.messageProgram) {
    try {
      const m = evaluate(v.messageProgram, vars);
      if (typeof m === 'string' && m.trim() && !m.includes('\n')) return m;
    } catch {
      // the API server falls back to message when messageExpression fails
    }
  }
  return v.message?.trim() || `failed expression: ${v.expression}`;
}

/** `variables.name` is evaluated when first read, as the API server does, and kept for the rest of the object. */
function lazyVariables(policy: CompiledPolicy, vars: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const v of policy.variables) {
    let done = false;
    let value: unknown;
    let error: Error | undefined;
    Object.defineProperty(out, v.name, {
      enumerable: true,
      get() {
        if (!done) {
          done = true;
          if (!v.program) error = new Error(`variable "${v.name}" does not compile`);
          else
            try {
              value = evaluate(v.program, vars);
            } catch (e) {
              error = e as Error;
            }
        }
        if (error) throw error;
        return value;
      },
    });
  }
  return out;
}

/** The admission request of a CREATE of `r` by an unknown user. */
function requestOf(r: Resource): Json {
  const [group, version] = groupVersion(r.apiVersion);
  const kind = { group, version, kind: r.kind };
  return {
    kind,
    resource: { group, version, resource: resourceOf(group, r.kind, new Map()) },
    requestKind: kind,
    name: r.name,
    namespace: r.namespace,
    operation: 'CREATE',
    userInfo: { username: '', groups: [] },
    dryRun: false,
  };
}

/** Binding problems: a policy that does not exist, a param that is not in the scan. */
export function bindingProblems(b: Resource, set: PolicySet): PolicyProblem[] {
  const spec = (b.object as Json).spec;
  const name = spec?.policyName;
  if (typeof name !== 'string' || !name) return [{ path: ['spec'], message: 'the binding names no policyName' }];
  const policy = set.policies.get(name);
  if (!policy) return [{ absent: true, path: ['spec', 'policyName'], message: `the binding names the policy "${name}", which is neither in the scan nor in the configured policies; the API server ignores the binding until it exists` }];
  const problems: PolicyProblem[] = [];
  if (!arr(spec?.validationActions).length) problems.push({ path: ['spec'], message: 'the binding has no validationActions; the API server refuses it' });
  if (policy.paramKind) {
    const ref = spec?.paramRef;
    const action = ref?.parameterNotFoundAction === 'Deny' ? 'Deny' : 'Allow';
    if (!ref || typeof ref !== 'object') problems.push({ path: ['spec'], message: `the policy "${name}" has a paramKind (${policy.paramKind.kind}) but the binding has no paramRef` });
    else if (typeof ref.name === 'string' && ref.name && typeof ref.namespace === 'string') {
      const found = set.objects.some((o) => o.kind === policy.paramKind!.kind && o.name === ref.name && (o.namespace === ref.namespace || !ref.namespace));
      if (!found) problems.push({ absent: true, path: ['spec', 'paramRef', 'name'], message: `the param ${policy.paramKind.kind} "${ref.name}"${ref.namespace ? ` (namespace "${ref.namespace}")` : ''} is not in the scan; with parameterNotFoundAction ${action} the API server ${action === 'Deny' ? 'denies every object the binding matches' : 'admits them unchecked'}` });
    } else if (typeof ref.name === 'string' && ref.name && !set.objects.some((o) => o.kind === policy.paramKind!.kind && o.name === ref.name)) {
      problems.push({ absent: true, path: ['spec', 'paramRef', 'name'], message: `the param ${policy.paramKind.kind} "${ref.name}" is not in the scan; with parameterNotFoundAction ${action} the API server ${action === 'Deny' ? 'denies every object the binding matches' : 'admits them unchecked'}` });
    }
  }
  return problems;
}
