/** `k8s-audit explain <id>` for a custom rule: the configuration found from the working directory defines it. */
import type { Rule } from '../rule.js';
import { loadConfig } from '../engine/config.js';
import { customRules } from './custom-rules.js';

export function customRule(id: string, cwd: string, builtin: readonly Rule[]): Rule | undefined {
  let entries;
  try {
    entries = loadConfig(cwd).config.customRules;
  } catch {
    return undefined;
  }
  const entry = entries?.find((e) => e.id === id);
  if (!entry) return undefined;
  const made = customRules([entry], new Set(builtin.map((r) => r.id)));
  return 'rules' in made ? made.rules[0] : undefined;
}
