/**
 * Custom rules from the configuration (`customRules:`): a CEL expression a valid object satisfies, made into a
 * Rule like the built-in ones, so that severities (`rules:`), suppressions, reports and `explain` treat them
 * alike. CEL cannot run programs or read files, so a configuration found in a scanned tree may define them.
 */
import { redactSecrets } from './redact.js';
import { defineRule, type Rule } from '../rule.js';
import type { Severity } from '../types.js';
import { Budget, BudgetExceeded } from './budget.js';
import { compile, errorMessage, toCel, type Program } from './env.js';
import { namedPath } from './policy.js';

export interface CustomRuleConfig {
  id: string;
  description?: string;
  severity?: Severity;
  kinds: string[];
  expression: string;
  message?: string;
  messageExpression?: string;
  remediation?: string;
}

/** The variable a custom rule's expressions see. */
const VARIABLES = ['object'] as const;

const celObjects = new WeakMap<object, unknown>();

function celObject(o: object): unknown {
  let v = celObjects.get(o);
  if (v === undefined) celObjects.set(o, (v = toCel(o)));
  return v;
}

/** Rules from the entries, or the first entry's error (a duplicate id, an expression that does not compile). */
export function customRules(entries: readonly CustomRuleConfig[], builtinIds: ReadonlySet<string>): { rules: Rule[] } | { error: string } {
  const rules: Rule[] = [];
  const seen = new Set<string>();
  for (const [i, e] of entries.entries()) {
    const at = `customRules[${i}] (${e.id})`;
    if (builtinIds.has(e.id)) return { error: `${at}: "${e.id}" is the id of a built-in rule; choose another` };
    if (seen.has(e.id)) return { error: `${at}: the id "${e.id}" is defined twice` };
    seen.add(e.id);
    const program = compile(e.expression, VARIABLES);
    if ('error' in program) return { error: `${at}: the expression does not compile: ${program.error}` };
    let messageProgram: Program | undefined;
    if (e.messageExpression) {
      const m = compile(e.messageExpression, VARIABLES);
      if ('error' in m) return { error: `${at}: the messageExpression does not compile: ${m.error}` };
      messageProgram = m;
    }
    rules.push(makeRule(e, program, messageProgram));
  }
  return { rules };
}

function makeRule(e: CustomRuleConfig, program: Program, messageProgram: Program | undefined): Rule {
  const fallback = e.message?.trim() || `the object does not satisfy ${e.expression}`;
  return defineRule({
    id: e.id,
    meta: {
      description: e.description ?? `Custom rule: ${e.expression}`,
      category: 'configuration',
      severity: e.severity ?? 'warning',
      recommended: true,
      kinds: e.kinds,
      messages: { violation: '{{message}}', failed: 'custom rule {{id}} could not be evaluated on this object: {{error}}' },
      docs: {
        rationale: `A custom rule of the configuration. It reports each ${e.kinds.join(', ')} object for which the CEL expression \`${e.expression}\` is not true.`,
        remediation: e.remediation ?? fallback,
      },
    },
    check(r, ctx) {
      const vars = { object: celObject(r.object) };
      let ok: unknown;
      try {
        ok = program.run(vars, new Budget());
      } catch (err) {
        // a field the expression reads is absent: the rule does not apply (write `has(...)` to require it)
        if (!(err instanceof BudgetExceeded) && /^No such key/i.test(errorMessage(err))) return;
        ctx.report({ messageId: 'failed', data: { id: e.id, error: errorMessage(err) } });
        return;
      }
      if (ok === true) return;
      let message = fallback;
      if (messageProgram) {
        try {
          const m = messageProgram.run(vars, new Budget());
          if (typeof m === 'string' && m.trim()) message = redactSecrets(m, r.object);
        } catch {
          // message is the fallback, as for an admission policy's messageExpression
        }
      }
      ctx.report({ messageId: 'violation', path: namedPath(e.expression, vars.object), data: { message } });
    },
  });
}
