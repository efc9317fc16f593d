import { defineRule } from '../src/rule.js';

/** Emitted by the engine after suppressions are applied; rules never see suppressions. */
export default defineRule({
  id: 'unused-suppression',
  meta: {
    description: 'Report suppressions that suppress nothing or name unknown rules',
    category: 'meta',
    severity: 'info',
    recommended: true,
    kinds: [],
    messages: {
      unused: 'The suppression of {{rules}} in {{where}} matched no finding; remove it so it cannot hide a future defect',
      unknownRule: 'The suppression in {{where}} names unknown rule {{rules}}; it suppresses nothing (see `k8s-audit rules`)',
    },
    docs: {
      rationale:
        'A suppression outlives the defect it was written for. Left in place it silently hides the next real defect of that rule on the same node. A misspelt rule id suppresses nothing at all.',
      remediation: 'Delete the stale comment, annotation or config `exclude` entry, or fix the rule id it names.',
    },
  },
});
