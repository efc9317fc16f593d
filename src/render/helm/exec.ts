// Go text/template executor.
import { parseTemplate, ParseError, lineCol, nodeText, type Node, type PipeNode, type CommandNode, type ArgNode } from './parse.js';
import { GoInt, GoStruct, isMap, isNil, truth, sortedKeys, typeName, printAction, int } from './values.js';
import { ARG_UNITS_PER_STEP, BudgetExceeded, LIST_ELEMENT_BYTES, spend, tick } from './budget.js';
import { valuesMethod } from './objects.js';

export interface TplDef {
  name: string;
  nodes: Node[];
  src: string;
  srcName: string; // file name for error positions
}

export class ExecError extends Error {
  constructor(
    message: string,
    readonly srcName: string,
    readonly line: number,
    readonly col: number,
    readonly innermost: ExecError | null = null,
    readonly bare = false,
  ) {
    super(message);
  }
  /** the innermost error (where it really happened) */
  get root(): ExecError {
    return this.innermost ? this.innermost.root : this;
  }
}

/** An error thrown by a function; message only. */
export class FuncError extends Error {
  constructor(message: string, readonly isFail = false) {
    super(message);
  }
}

export class ControlBreak { }
export class ControlContinue { }

export type FuncImpl = (this: FuncCtx, ...args: unknown[]) => unknown;

export interface FuncDef {
  fn: FuncImpl;
  /** parameter kinds for conversion checks: 's' string, 'i' int, 'f' float, 'b' bool, 'a' any, 'l' list, 'm' map; '...x' variadic */
  params?: string[];
  /** short-circuit evaluation (and/or) */
  lazy?: boolean;
}

export interface FuncCtx {
  ex: Executor;
  state: State;
}

interface VarEntry { name: string; value: unknown; ifaceNil?: boolean }

export interface State {
  def: TplDef;
  vars: VarEntry[];
  depth: number;
  /** line starts of def.src when this state is the tracked top-level file */
  track?: number[];
  /** dot is a nil interface value (range element): field access on it is an error */
  dotNil?: boolean;
}

/** Output sink that remembers which source line produced each chunk. */
export class Out {
  chunks: string[] = [];
  lines: number[] = [];
  lit: boolean[] = [];
  override: number | null = null;
  push(s: string, line = -1, lit = false): void {
    if (!s) return;
    spend(s.length);
    this.chunks.push(s);
    if (line < 0) { line = this.override ?? 1; lit = false; }
    this.lines.push(line);
    this.lit.push(lit);
  }
  toString(): string {
    return this.chunks.join('');
  }
}

export function lineStarts(src: string): number[] {
  const ls = [0];
  for (let i = 0; i < src.length; i++) if (src.charCodeAt(i) === 10) ls.push(i + 1);
  return ls;
}

function lineOfPos(ls: number[], pos: number): number {
  let lo = 0, hi = ls.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (ls[mid] <= pos) lo = mid; else hi = mid - 1;
  }
  return lo + 1;
}

const NO_FINAL = Symbol('nofinal');
/** parsed templates by source name + text (ASTs are immutable) */
const parseCache = new Map<string, Array<{ src: string; res: ReturnType<typeof parseTemplate>; lines?: number[] }>>();
const lineStartsCache = new WeakMap<Node[], number[]>();

export class Executor {
  readonly defs = new Map<string, TplDef>();
  includeCounts = new Map<string, number>();
  /** Where the method being called was called from (shared with clones): lets a method report its call site. */
  callSite: { src: string; srcName: string; pos: number } = { src: '', srcName: '', pos: 0 };
  constructor(readonly funcs: Map<string, FuncDef>) {}

  hasFunc = (n: string): boolean => this.funcs.has(n);

  /** Parse a file and register its defines; returns the top-level def. Later definitions override earlier ones unless empty. */
  addTemplate(name: string, src: string, srcName = name): TplDef {
    let bucket = parseCache.get(srcName);
    let res = bucket?.find((e) => e.src === src)?.res;
    if (!res) {
      res = parseTemplate(src, srcName, this.hasFunc);
      if (parseCache.size > 5000) parseCache.clear();
      if (!bucket) parseCache.set(srcName, (bucket = []));
      if (bucket.length >= 4) bucket.shift();
      bucket.push({ src, res });
    }
    const top: TplDef = { name, nodes: res.root, src, srcName };
    this.associate(top);
    for (const [dn, nodes] of res.defines) this.associate({ name: dn, nodes, src, srcName });
    return top;
  }

  /** template lookup: own definitions first, then the executor this one was cloned from (tpl) */
  getDef(name: string): TplDef | undefined {
    return this.defs.get(name) ?? this.parent?.getDef(name);
  }

  private associate(d: TplDef): void {
    const old = this.getDef(d.name);
    if (old && isEmptyTree(d.nodes)) return;
    this.defs.set(d.name, d);
  }

  parent?: Executor;

  clone(): Executor {
    const e = new Executor(this.funcs);
    e.parent = this;
    e.includeCounts = this.includeCounts;
    e.callSite = this.callSite;
    return e;
  }

  execute(name: string, data: unknown): string {
    const def = this.getDef(name);
    if (!def) throw new FuncError(`no template ${JSON.stringify(name)} associated with template "gotpl"`);
    return this.executeDef(def, data);
  }

  executeDef(def: TplDef, data: unknown, out: Out = new Out(), track = false): string {
    const st: State = { def, vars: [{ name: '$', value: data }], depth: 0 };
    if (track) {
      let ls = lineStartsCache.get(def.nodes);
      if (!ls) lineStartsCache.set(def.nodes, (ls = lineStarts(def.src)));
      st.track = ls;
    }
    this.walkList(st, data, def.nodes, out);
    return out.toString();
  }

  // ------------------------------------------------------------------ errors
  errAt(st: State, pos: number, node: string, msg: string, inner: ExecError | null = null): ExecError {
    const { line, col } = lineCol(st.def.src, pos);
    const full = `template: ${st.def.srcName}:${line}:${col}: executing ${JSON.stringify(st.def.name)} at <${node}>: ${msg}`;
    return new ExecError(full, st.def.srcName, line, col, inner);
  }

  // ------------------------------------------------------------------ walking
  walkList(st: State, dot: unknown, nodes: Node[], out: Out): void {
    for (const n of nodes) {
      try {
        tick();
        this.walk(st, dot, n, out);
      } catch (e) {
        throw this.budgetStop(st, n.pos, e);
      }
    }
  }

  /** A budget stop as an error at the node where it happened (one inside a nested node or call already is one). */
  budgetStop(st: State, pos: number, e: unknown): unknown {
    if (!(e instanceof BudgetExceeded)) return e;
    const { line, col } = lineCol(st.def.src, pos);
    return new ExecError(`template: ${st.def.srcName}:${line}:${col}: ${e.message}`, st.def.srcName, line, col);
  }

  walk(st: State, dot: unknown, n: Node, out: Out): void {
    switch (n.type) {
      case 'text':
        if (st.track) out.push(n.text, lineOfPos(st.track, n.pos), true);
        else out.push(n.text);
        return;
      case 'action': {
        const v = this.evalPipeline(st, dot, n.pipe);
        if (n.pipe.decl.length === 0) out.push(this.printValue(st, n.pipe, v), st.track ? lineOfPos(st.track, n.pos) : -1, false);
        return;
      }
      case 'if':
      case 'with': {
        const mark = st.vars.length;
        const v = this.evalPipeline(st, dot, n.pipe);
        const t = this.isTrue(st, n.pipe, v);
        if (t) {
          if (n.type === 'with') {
            const pd = st.dotNil;
            st.dotNil = false;
            try { this.walkList(st, v, n.list, out); } finally { st.dotNil = pd; }
          } else this.walkList(st, dot, n.list, out);
        } else if (n.elseList) {
          this.walkList(st, dot, n.elseList, out);
        }
        st.vars.length = mark;
        return;
      }
      case 'range':
        this.walkRange(st, dot, n, out);
        return;
      case 'template': {
        const def = this.getDef(n.name);
        if (!def) throw this.errAt(st, n.pos, `template ${JSON.stringify(n.name)}${n.pipe ? ' ' + nodeText('', n.pipe) : ''}`, `template ${JSON.stringify(n.name)} not defined`);
        const nd = n.pipe ? this.evalPipeline(st, dot, n.pipe) : null;
        if (st.depth > 1000) throw this.errAt(st, n.pos, `template ${JSON.stringify(n.name)}`, 'exceeded maximum template depth (100000)');
        const st2: State = { def, vars: [{ name: '$', value: nd }], depth: st.depth + 1 };
        const prev = out.override;
        if (st.track) out.override = lineOfPos(st.track, n.pos);
        try {
          this.walkList(st2, nd, def.nodes, out);
        } finally {
          out.override = prev;
        }
        return;
      }
      case 'break':
        throw new ControlBreak();
      case 'continue':
        throw new ControlContinue();
    }
  }

  private isTrue(st: State, pipe: PipeNode, v: unknown): boolean {
    void st; void pipe;
    return truth(v);
  }

  private walkRange(st: State, dot: unknown, n: Extract<Node, { type: 'range' }>, out: Out): void {
    const mark = st.vars.length;
    const v = this.evalPipeline(st, dot, { ...n.pipe, decl: [] });
    st.vars.length = mark;
    const decl = n.pipe.decl;
    const each = (k: unknown, e: unknown): boolean => {
      tick();
      const m2 = st.vars.length;
      if (decl.length === 1) this.setVar(st, decl[0], e, n.pipe.isAssign, isNil(e));
      else if (decl.length === 2) {
        this.setVar(st, decl[0], k, n.pipe.isAssign);
        this.setVar(st, decl[1], e, n.pipe.isAssign, isNil(e));
      }
      const prevDotNil = st.dotNil;
      st.dotNil = isNil(e);
      try {
        this.walkList(st, e, n.list, out);
      } catch (x) {
        if (x instanceof ControlBreak) { st.vars.length = m2; return false; }
        if (!(x instanceof ControlContinue)) throw x;
      } finally {
        st.dotNil = prevDotNil;
      }
      st.vars.length = m2;
      return true;
    };
    let iterated = false;
    if (Array.isArray(v) || v instanceof Uint8Array) {
      const arr = Array.from(v as ArrayLike<unknown>);
      for (let i = 0; i < arr.length; i++) {
        iterated = true;
        if (!each(int(i), v instanceof Uint8Array ? int(arr[i] as number, 'uint8') : arr[i])) break;
      }
    } else if (isMap(v) || (v instanceof GoStruct && (v as unknown as { mapEntries?: () => Record<string, unknown> }).mapEntries)) {
      const m = isMap(v) ? v : (v as unknown as { mapEntries: () => Record<string, unknown> }).mapEntries();
      for (const k of sortedKeys(m)) {
        iterated = true;
        if (!each(k, m[k])) break;
      }
    } else if (v instanceof GoInt) {
      if (v.v > 10_000_000) throw this.errAt(st, n.pipe.pos, nodeText('', n.pipe), `range over ${v.v} exceeds the built-in renderer's limit of 10000000 iterations`);
      for (let i = 0; i < v.v; i++) {
        iterated = true;
        if (!each(int(i, v.t), int(i, v.t))) break;
      }
    } else if (isNil(v)) {
      // nothing
    } else {
      throw this.errAt(st, n.pipe.pos, nodeText('', n.pipe), `range can't iterate over ${printAction(v)}`);
    }
    if (!iterated && n.elseList) this.walkList(st, dot, n.elseList, out);
    st.vars.length = mark;
  }

  private setVar(st: State, name: string, value: unknown, assign: boolean, ifaceNil = false): void {
    if (assign) {
      for (let i = st.vars.length - 1; i >= 0; i--) {
        if (st.vars[i].name === name) { st.vars[i].value = value; st.vars[i].ifaceNil = ifaceNil; return; }
      }
    }
    st.vars.push({ name, value, ifaceNil });
  }

  private varIsIfaceNil(st: State, name: string): boolean {
    for (let i = st.vars.length - 1; i >= 0; i--) if (st.vars[i].name === name) return !!st.vars[i].ifaceNil;
    return false;
  }

  private nilReceiver(st: State, node: ArgNode, idents: string[]): never {
    throw this.errAt(st, node.pos, nodeText('', node), `nil pointer evaluating interface {}.${idents[0]}`);
  }

  printValue(st: State, pipe: PipeNode, v: unknown): string {
    void st; void pipe;
    if (typeof v === 'function') return '<func>';
    return printAction(v);
  }

  // ------------------------------------------------------------------ evaluation
  evalPipeline(st: State, dot: unknown, pipe: PipeNode): unknown {
    let value: unknown = NO_FINAL;
    for (const cmd of pipe.cmds) {
      value = this.evalCommand(st, dot, cmd, value);
    }
    if (pipe.decl.length) {
      for (const d of pipe.decl) this.setVar(st, d, value, pipe.isAssign);
    }
    return value;
  }

  private evalCommand(st: State, dot: unknown, cmd: CommandNode, final: unknown): unknown {
    const first = cmd.args[0];
    switch (first.type) {
      case 'field':
        if (isNil(dot) && st.dotNil) this.nilReceiver(st, first, first.idents);
        return this.evalFieldChain(st, dot, dot, first, first.idents, cmd, final);
      case 'chain': {
        const recv = this.evalArg(st, dot, first.node);
        return this.evalFieldChain(st, dot, recv, first, first.idents, cmd, final);
      }
      case 'identifier':
        return this.evalFunction(st, dot, first.name, cmd, final);
      case 'pipe':
        this.notAFunction(st, cmd, final);
        return this.evalPipeline(st, dot, first);
      case 'variable': {
        const v = this.lookupVar(st, first.name, first.pos);
        if (first.idents.length === 0) {
          this.notAFunction(st, cmd, final);
          return v;
        }
        if (isNil(v) && this.varIsIfaceNil(st, first.name)) this.nilReceiver(st, first, first.idents);
        return this.evalFieldChain(st, dot, v, first, first.idents, cmd, final);
      }
      case 'nil':
        throw this.errAt(st, first.pos, 'nil', 'nil is not a command');
      default:
        this.notAFunction(st, cmd, final);
        return this.evalArg(st, dot, first);
    }
  }

  private notAFunction(st: State, cmd: CommandNode, final: unknown): void {
    if (cmd.args.length > 1 || final !== NO_FINAL) {
      throw this.errAt(st, cmd.args[0].pos, nodeText('', cmd.args[0]), `can't give argument to non-function ${nodeText('', cmd.args[0])}`);
    }
  }

  lookupVar(st: State, name: string, pos: number): unknown {
    for (let i = st.vars.length - 1; i >= 0; i--) if (st.vars[i].name === name) return st.vars[i].value;
    throw this.errAt(st, pos, name, `undefined variable: ${name}`);
  }

  evalArg(st: State, dot: unknown, a: ArgNode): unknown {
    switch (a.type) {
      case 'dot': return dot;
      case 'nil': return null;
      case 'bool': return a.value;
      case 'string': return a.value;
      case 'number':
        if (a.isChar) return int(a.intVal, 'int32');
        if (a.isInt && !/[.eEpP]/.test(a.text.replace(/^0[xX][0-9a-fA-F_]*$/, ''))) return int(a.intVal);
        return a.floatVal;
      case 'field':
        if (isNil(dot) && st.dotNil) this.nilReceiver(st, a, a.idents);
        return this.evalFieldChain(st, dot, dot, a, a.idents, null, NO_FINAL);
      case 'variable': {
        const v = this.lookupVar(st, a.name, a.pos);
        if (a.idents.length && isNil(v) && this.varIsIfaceNil(st, a.name)) this.nilReceiver(st, a, a.idents);
        return a.idents.length ? this.evalFieldChain(st, dot, v, a, a.idents, null, NO_FINAL) : v;
      }
      case 'chain': {
        const recv = this.evalArg(st, dot, a.node);
        return this.evalFieldChain(st, dot, recv, a, a.idents, null, NO_FINAL);
      }
      case 'pipe': return this.evalPipeline(st, dot, a);
      case 'identifier': {
        // function with no args used as argument
        return this.evalFunction(st, dot, a.name, { type: 'command', args: [a], pos: a.pos }, NO_FINAL);
      }
    }
  }

  private evalFieldChain(st: State, dot: unknown, recv: unknown, node: ArgNode, idents: string[], cmd: CommandNode | null, final: unknown): unknown {
    // A nil receiver that did not come from a map lookup in this chain is Go's "invalid value":
    // field access on it yields no value instead of an error.
    if (isNil(recv)) return null;
    let v: unknown = recv;
    const n = idents.length;
    for (let i = 0; i < n; i++) {
      const last = i === n - 1;
      v = this.evalField(st, dot, v, idents[i], node, last ? cmd : null, last ? final : NO_FINAL, i);
    }
    return v;
  }

  private evalField(st: State, dot: unknown, recv: unknown, name: string, node: ArgNode, cmd: CommandNode | null, final: unknown, idx: number): unknown {
    const hasArgs = (cmd && cmd.args.length > 1) || final !== NO_FINAL;
    let descCache: string | null = null;
    const descOf = () => (descCache ??= nodeText('', node));
    if (isNil(recv)) {
      throw this.errAt(st, node.pos, descOf(), `nil pointer evaluating interface {}.${name}`);
    }
    // helm's Values type is a map with methods (AsMap, Table, ...): like a struct's, they come before its keys
    const vm = isMap(recv) ? valuesMethod(recv, name) : undefined;
    if (recv instanceof GoStruct || vm) {
      const f = vm ?? (recv as GoStruct).goField(name);
      if (f) {
        if (f.method) {
          const args: unknown[] = [];
          if (cmd) for (const a of cmd.args.slice(1)) args.push(this.evalArg(st, dot, a));
          if (final !== NO_FINAL) args.push(final);
          if (f.params) this.checkMethodArgs(st, node, descOf(), name, f.params, args, cmd ? cmd.args.slice(1) : []);
          this.callSite.src = st.def.src;
          this.callSite.srcName = st.def.srcName;
          this.callSite.pos = node.pos;
          try {
            return f.method(...args);
          } catch (e) {
            if (e instanceof ExecError) throw e;
            throw this.errAt(st, node.pos, descOf(), `error calling ${name}: ${(e as Error).message}`);
          }
        }
        if (hasArgs) throw this.errAt(st, node.pos, descOf(), `${name} has arguments but cannot be invoked as function`);
        return f.value;
      }
      const me = (recv as unknown as { mapEntries?: () => Record<string, unknown> }).mapEntries;
      if (me) {
        const m = me.call(recv);
        if (hasArgs) throw this.errAt(st, node.pos, descOf(), `${name} is not a method but has arguments`);
        return Object.prototype.hasOwnProperty.call(m, name) ? m[name] : null;
      }
      throw this.errAt(st, node.pos, descOf(), `can't evaluate field ${name} in type ${(recv as GoStruct).goType}`);
    }
    if (isMap(recv)) {
      if (hasArgs) throw this.errAt(st, node.pos, descOf(), `${name} is not a method but has arguments`);
      return Object.prototype.hasOwnProperty.call(recv, name) ? recv[name] : null;
    }
    void idx;
    // a variable holds a concrete value (its dynamic type shows); map elements are interface {}
    const tn = idx === 0 && node.type === 'variable' ? typeName(recv) : 'interface {}';
    throw this.errAt(st, node.pos, descOf(), `can't evaluate field ${name} in type ${tn}`);
  }

  /** reflect's checks of a method call: the argument count, then each argument's type where it is a string or a struct */
  private checkMethodArgs(st: State, node: ArgNode, desc: string, name: string, params: string[], args: unknown[], argNodes: ArgNode[]): void {
    if (args.length !== params.length) throw this.errAt(st, node.pos, desc, `wrong number of args for ${name}: want ${params.length} got ${args.length}`);
    params.forEach((p, i) => {
      const v = args[i];
      const ok = p === 'string' ? typeof v === 'string' : v instanceof GoStruct && v.goType === p;
      if (ok) return;
      // a constant is converted by the parser's rules, which have no struct form
      const lit = argNodes[i];
      if (lit && (lit.type === 'string' || lit.type === 'number' || lit.type === 'bool') && p !== 'string') {
        throw this.errAt(st, lit.pos, desc, `can't handle ${nodeText('', lit)} for arg of type ${p}`);
      }
      throw this.errAt(st, node.pos, desc, `wrong type for value; expected ${p}; got ${isNil(v) ? 'interface {}' : typeName(v)}`);
    });
  }

  private evalFunction(st: State, dot: unknown, name: string, cmd: CommandNode, final: unknown): unknown {
    const def = this.funcs.get(name);
    let descCache: string | null = null;
    const descOf = () => (descCache ??= nodeText('', cmd));
    if (!def) throw this.errAt(st, cmd.pos, name, `${JSON.stringify(name)} is not a defined function`);
    const argNodes = cmd.args.slice(1);
    const ctx: FuncCtx = { ex: this, state: st };
    if (def.lazy) {
      // and / or: short circuit
      const thunks = argNodes.map((a) => () => this.evalArg(st, dot, a));
      if (final !== NO_FINAL) thunks.push(() => final);
      if (thunks.length === 0) throw this.errAt(st, cmd.pos, name, `wrong number of args for ${name}: want at least 1 got 0`);
      try {
        return def.fn.call(ctx, ...thunks);
      } catch (e) {
        if (e instanceof ExecError) throw e;
        throw this.errAt(st, cmd.pos, descOf(), `error calling ${name}: ${(e as Error).message}`);
      }
    }
    const args: unknown[] = [];
    const params = def.params;
    for (let i = 0; i < argNodes.length; i++) {
      const a = argNodes[i];
      const v = this.evalArg(st, dot, a);
      if (params) this.checkParam(st, params, i, argNodes.length + (final !== NO_FINAL ? 1 : 0), v, a, name);
      args.push(v);
    }
    if (final !== NO_FINAL) {
      if (params) this.checkParam(st, params, args.length, args.length + 1, final, null, name, cmd);
      args.push(final);
    }
    if (params) {
      const meta = this.paramMeta(params);
      const fixed = meta.fixed.length;
      const variadic = meta.variadic !== null;
      if (variadic ? args.length < fixed : args.length !== fixed) {
        throw this.errAt(st, cmd.pos, name, `wrong number of args for ${name}: want ${variadic ? 'at least ' : ''}${fixed} got ${args.length}`);
      }
    }
    tick(1 + argWork(args));
    try {
      const r = def.fn.call(ctx, ...args);
      chargeResult(name, r);
      return r;
    } catch (e) {
      if (e instanceof ExecError) {
        if (e instanceof ExecError && (e as ExecError & { passthrough?: boolean }).passthrough) throw e;
        const outer = this.errAt(st, cmd.pos, descOf(), `error calling ${name}: ${e.message}`, e);
        throw outer;
      }
      if (e instanceof ControlBreak || e instanceof ControlContinue) throw e;
      if (isStackOverflow(e)) throw e;
      const msg = e instanceof Error ? e.message : String(e);
      const err = this.errAt(st, cmd.pos, descOf(), `error calling ${name}: ${msg}`);
      if (e instanceof FuncError && e.isFail) (err as ExecError & { failMsg?: string }).failMsg = msg;
      throw err;
    }
  }

  private paramMeta(params: string[]): { fixed: string[]; variadic: string | null } {
    let m = paramMetaCache.get(params);
    if (!m) {
      const va = params.find((x) => x.startsWith('...'));
      m = { fixed: params.filter((x) => !x.startsWith('...')), variadic: va ? va.slice(3) : null };
      paramMetaCache.set(params, m);
    }
    return m;
  }

  private checkParam(st: State, params: string[], i: number, total: number, v: unknown, a: ArgNode | null, fname: string, cmd?: CommandNode): void {
    const meta = this.paramMeta(params);
    let p: string;
    if (i < meta.fixed.length) p = meta.fixed[i];
    else if (meta.variadic === null) {
      throw this.errAt(st, (a ?? cmd!).pos, fname, `wrong number of args for ${fname}: want ${meta.fixed.length} got ${total}`);
    } else p = meta.variadic;
    if (p === 'a') return;
    // a string or bool where one is expected (most calls): nothing to report, so none of the error closures below
    if ((p === 's' && typeof v === 'string') || (p === 'b' && typeof v === 'boolean')) return;
    const where = () => (a ? nodeText('', a) : nodeText('', cmd!));
    const pos = a ? a.pos : cmd!.pos;
    // Go distinguishes an invalid value (nil that came out of a variable/parenthesized pipeline/dot) from a nil
    // interface value (a missing map key evaluated in place): the former converts to nil maps/slices
    const invalidNil = isNil(v) && !!a && (
      (a.type === 'variable' && a.idents.length === 0 && !this.varIsIfaceNil(st, a.name)) || a.type === 'pipe' || (a.type === 'dot' && !st.dotNil));
    const bad = (expected: string) => {
      if (invalidNil) return this.errAt(st, pos, where(), `invalid value; expected ${expected}`);
      const got = isNil(v) ? 'interface {}' : typeName(v);
      if (isNil(v) && a && a.type === 'nil') return this.errAt(st, pos, where(), `cannot assign nil to ${expected}`);
      return this.errAt(st, pos, where(), `wrong type for value; expected ${expected}; got ${got}`);
    };
    // constants are converted by the parser's rules: "expected X; found <literal>"
    const lit = a && (a.type === 'number' || a.type === 'string' || a.type === 'bool') ? a : null;
    const found = (what: string) => this.errAt(st, pos, where(), `expected ${what}; found ${lit!.type === 'string' ? (lit as { quoted: string }).quoted : lit!.type === 'number' ? (lit as { text: string }).text : String((lit as { value: boolean }).value)}`);
    switch (p) {
      case 's':
        if (typeof v !== 'string') throw lit ? found('string') : bad('string');
        break;
      case 'i':
        if (lit) {
          if (lit.type !== 'number' || !lit.isInt) throw found('integer');
          return;
        }
        if (!(v instanceof GoInt) || (v.t !== 'int' && v.t !== 'int32')) throw bad('int');
        break;
      case 'b':
        if (typeof v !== 'boolean') throw lit ? found('bool') : bad('bool');
        break;
      case 'm':
        if (!isMap(v)) {
          if ((a && a.type === 'nil') || invalidNil) return; // a nil map
          throw bad('map[string]interface {}');
        }
        break;
      default:
        break;
    }
  }
}

/** Steps for the size of a call's arguments (functions scan or copy their strings and lists). */
function argWork(args: unknown[]): number {
  let units = 0;
  for (const a of args) {
    if (typeof a === 'string' || Array.isArray(a)) units += a.length;
  }
  return Math.floor(units / ARG_UNITS_PER_STEP);
}

/**
 * What a function built counts against the budget: strings by their length, lists by their elements. The text of
 * include and tpl was counted as it was written.
 */
function chargeResult(name: string, r: unknown): void {
  if (typeof r === 'string') {
    if (name !== 'include' && name !== 'tpl') spend(r.length);
  } else if (Array.isArray(r)) spend(r.length * LIST_ELEMENT_BYTES);
}

const paramMetaCache = new WeakMap<string[], { fixed: string[]; variadic: string | null }>();

/** JS stack exhaustion (deep template recursion), as opposed to other RangeErrors such as "Invalid string length" */
export function isStackOverflow(e: unknown): boolean {
  if (!(e instanceof RangeError)) return false;
  try {
    return e.message.includes('call stack');
  } catch {
    return true;
  }
}

function isEmptyTree(nodes: Node[]): boolean {
  for (const n of nodes) {
    if (n.type === 'text' && n.text.trim() === '') continue;
    return false;
  }
  return true;
}

export { ParseError };
