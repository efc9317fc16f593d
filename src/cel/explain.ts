/** `k8s-audit explain <id>` for a custom rule: the configuration found from the working directory defines it. */
import type { Rule } from '../rule.js';
import { loadConfig } from '../engine/config.js';
import { customRules } from './custom-rules.js';

export function customRule(id: string, cwd: string, builtin: readonly Rule[]): Rule | undefined {
  let entries;
  let file: string | undefined;
  try {
    const loaded = loadConfig(cwd);
    entries = loaded.config.customRules;
    file = loaded.file;
  } catch {
    return undefined;
  }
  const entry = entries?.find((e) => e.id === id);
  if (!entry) return undefined;
  const made = customRules([entry], new Set(builtin.map((r) => r.id)));
  if (!('rules' in made)) return undefined;
  const rule = made.rules[0];
  // (a custom rule has no page on the project's site: say where it comes from instead)
  return file ? { ...rule, meta: { ...rule.meta, docs: { ...rule.meta.docs, definedIn: `${file} (customRules)` } } } : rule;
}
