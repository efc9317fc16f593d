import { defineRule } from '../src/rule.js';
import { asLabels, formatLabels, isEmptySelector, matchesSelector, type LabelSelector } from '../src/graph/selectors.js';
import { isObj, podOf } from '../src/util/pod.js';

const APPS_V1 = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet']);

export default defineRule({
  id: 'selector-template-mismatch',
  meta: {
    description: 'Require a workload selector to match the labels of its own pod template',
    category: 'correctness',
    severity: 'error',
    recommended: true,
    kinds: ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'ReplicationController', 'Job'],
    messages: {
      mismatch:
        '{{kind}} "{{name}}" selects {{selector}} but its pod template is labelled {{labels}}: the API server rejects the object ("selector does not match template labels"), so it is never created',
      empty: '{{kind}} "{{name}}" has an empty spec.selector: {{apiVersion}} rejects it, and if it were accepted it would adopt every pod in the namespace',
    },
    docs: {
      rationale:
        'A controller owns the pods its selector matches, and it creates them from its template, so the template labels must satisfy the selector. The API server validates this for apps/v1 kinds (and for Jobs with manualSelector, and ReplicationControllers) and refuses the object, so `kubectl apply` fails for the whole manifest. The usual cause is a label renamed in one place and not the other.',
      remediation: 'Make `spec.template.metadata.labels` carry every key/value of `spec.selector` (apps/v1 selectors are immutable, so change the template rather than the selector of a live object).',
    },
    peers: [
      { tool: 'kube-linter', id: 'mismatching-selector' },
      { tool: 'kube-score', id: 'deployment-pod-selector-labels-match-template-metadata-labels' },
      { tool: 'kube-score', id: 'statefulset-pod-selector-labels-match-template-metadata-labels' },
    ],
  },
  check(r, ctx) {
    const pod = podOf(r);
    if (!pod) return;
    const spec = r.object.spec;
    if (!isObj(spec)) return;
    const labels = pod.template.labels;
    // An excerpt that does not show the template's labels says nothing about them.
    if (ctx.settings.excerpt && !Object.keys(labels).length) return;
    const data = { kind: r.kind, name: r.name, apiVersion: r.apiVersion, labels: Object.keys(labels).length ? formatLabels(labels) : '(no labels)' };
    if (r.kind === 'ReplicationController') {
      const sel = asLabels(spec.selector);
      if (!Object.keys(sel).length) return; // defaults to the template labels
      const bad = Object.entries(sel).some(([k, v]) => labels[k] !== v);
      if (bad) ctx.report({ messageId: 'mismatch', path: ['spec', 'selector'], data: { ...data, selector: formatLabels(sel) } });
      return;
    }
    if (r.kind === 'Job' && spec.manualSelector !== true) return;
    const strict = r.kind === 'Job' || (APPS_V1.has(r.kind) && r.apiVersion === 'apps/v1');
    const sel = spec.selector;
    // A missing selector is a missing required field (reported by the schema rules), not a mismatch.
    if (!isObj(sel)) return;
    if (isEmptySelector(sel as LabelSelector)) {
      if (strict) ctx.report({ messageId: 'empty', path: ['spec', 'selector'], data });
      return;
    }
    if (JSON.stringify(sel).includes('{{')) return;
    if (!matchesSelector(sel as LabelSelector, labels)) {
      const parts = [formatLabels(asLabels(sel.matchLabels))];
      for (const e of Array.isArray(sel.matchExpressions) ? sel.matchExpressions : []) if (isObj(e)) parts.push(`${e.key} ${e.operator} (${(Array.isArray(e.values) ? e.values : []).join(',')})`);
      ctx.report({ messageId: 'mismatch', path: ['spec', 'selector'], data: { ...data, selector: parts.filter(Boolean).join(', ') } });
    }
  },
});
