import { defineRule } from '../src/rule.js';
import { expandKinds } from '../src/graph/kinds.js';
import { podTemplateOf } from '../src/graph/workloads.js';
import { lifecycle, reached } from '../src/schema/lifecycle.js';

export default defineRule({
  id: 'deprecated-annotation',
  meta: {
    description: 'Warn about annotations that Kubernetes replaced with API fields',
    category: 'lifecycle',
    severity: 'warning',
    recommended: true,
    kinds: ['*'],
    messages: {
      deprecated: 'The annotation "{{key}}" is deprecated since Kubernetes {{deprecatedIn}} ({{note}}); use {{replacement}}',
      removed: 'The annotation "{{key}}" has had no effect since Kubernetes {{removedIn}}, so the setting it is meant to make is not applied; use {{replacement}}',
    },
    docs: {
      rationale:
        'Several settings began as annotations and became API fields: the Ingress class, seccomp and AppArmor profiles, critical pods, the storage class of a claim. The annotations linger in copied manifests long after they stopped being read, so the security profile or the class they set silently does not apply. Data and citations: src/schema/data/api-lifecycle.json.',
      remediation: 'Set the field named in the message and delete the annotation.',
    },
  },
  check(r, ctx) {
    const target = ctx.settings.kubeVersion;
    for (const e of lifecycle().annotations) {
      if (!reached(target, e.deprecatedIn)) continue;
      const kinds = expandKinds(e.kinds);
      if (kinds && !kinds.has(r.kind)) continue;
      let annotations = r.annotations;
      let base: (string | number)[] = ['metadata', 'annotations'];
      if (e.where === 'pod') {
        const t = podTemplateOf(r);
        if (!t) continue;
        annotations = t.annotations;
        base = [...t.path, 'metadata', 'annotations'];
      }
      for (const key of Object.keys(annotations)) {
        if (e.match === 'exact' ? key !== e.key : !key.startsWith(e.key)) continue;
        if (e.removedIn && reached(target, e.removedIn)) ctx.report({ messageId: 'removed', data: { key, removedIn: e.removedIn, replacement: e.replacement }, path: [...base, key] });
        else ctx.report({ messageId: 'deprecated', data: { key, deprecatedIn: e.deprecatedIn, note: e.note ?? 'superseded by a field', replacement: e.replacement }, path: [...base, key] });
      }
    }
  },
});
