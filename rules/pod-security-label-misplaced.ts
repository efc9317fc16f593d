import { defineRule } from '../src/rule.js';

const PSA = /^pod-security\.kubernetes\.io\/(enforce|audit|warn)(-version)?$/;

export default defineRule({
  id: 'pod-security-label-misplaced',
  meta: {
    description: 'Report Pod Security Admission labels put on objects other than a Namespace, where nothing reads them',
    category: 'security',
    severity: 'warning',
    recommended: true,
    kinds: ['*'],
    messages: {
      misplaced:
        '{{kind}} "{{name}}" carries the Pod Security Admission label {{label}}, which the admission controller reads only on Namespaces: nothing is enforced for these pods, and whoever reads the manifest believes the {{level}} standard applies',
    },
    docs: {
      rationale:
        'Pod Security Admission takes its levels (`pod-security.kubernetes.io/enforce`, `audit`, `warn` and their `-version` labels) from the labels of the Namespace a pod runs in, and from nowhere else. The same labels on a Pod, a Deployment\'s metadata or its pod template are ignored: the pods are admitted under whatever the Namespace says (often nothing), while the manifest reads as if the restricted standard were enforced.',
      remediation: 'Move the labels to the Namespace (`metadata.labels` of `kind: Namespace`), or set them with `kubectl label namespace <ns> pod-security.kubernetes.io/enforce=restricted`.',
      references: ['https://kubernetes.io/docs/concepts/security/pod-security-admission/'],
    },
  },
  check(r, ctx) {
    if (r.kind === 'Namespace') return;
    const places: [(string | number)[], Record<string, unknown> | undefined][] = [[['metadata', 'labels'], r.object.metadata?.labels]];
    const t = ctx.graph.podTemplate(r);
    if (t && t.path.length) places.push([[...t.path, 'metadata', 'labels'], t.labels]);
    for (const [path, labels] of places) {
      if (!labels || typeof labels !== 'object') continue;
      for (const [k, v] of Object.entries(labels)) {
        if (!PSA.test(k)) continue;
        ctx.report({ messageId: 'misplaced', path: [...path, k], data: { kind: r.kind, name: r.name, label: `${k}: ${String(v)}`, level: String(v) } });
        return;
      }
    }
  },
});
