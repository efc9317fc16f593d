import { defineRule } from '../src/rule.js';
import type { Resource } from '../src/graph/resource.js';
import { podTemplateOf } from '../src/graph/workloads.js';
import { labelValue, qualifiedName } from '../src/schema/names.js';
import { isPlaceholder } from '../src/schema/text.js';

type Path = (string | number)[];

/** Label maps and selectors of a resource, with their paths. */
function labelSites(r: Resource): { path: Path; map: unknown; selector?: boolean }[] {
  const sites: { path: Path; map: unknown; selector?: boolean }[] = [{ path: ['metadata', 'labels'], map: r.object.metadata?.labels }];
  const t = podTemplateOf(r);
  if (t && t.path.length) sites.push({ path: [...t.path, 'metadata', 'labels'], map: r.get([...t.path, 'metadata', 'labels']) });
  const sel = r.get(['spec', 'selector']);
  if (sel && typeof sel === 'object' && !Array.isArray(sel)) {
    // Services and ReplicationControllers use a plain map; the others a LabelSelector.
    if (r.kind === 'Service' || r.kind === 'ReplicationController') sites.push({ path: ['spec', 'selector'], map: sel, selector: true });
    else if ('matchLabels' in sel) sites.push({ path: ['spec', 'selector', 'matchLabels'], map: (sel as Record<string, unknown>).matchLabels, selector: true });
  }
  return sites;
}

export default defineRule({
  id: 'invalid-label',
  meta: {
    description: 'Require label keys, label values and annotation keys in the syntax Kubernetes accepts',
    category: 'schema',
    severity: 'error',
    recommended: true,
    kinds: ['*'],
    messages: {
      key: '{{what}} key "{{key}}" {{problem}}; the API server rejects the object',
      value: 'Label value "{{value}}" of "{{key}}" {{problem}}; the API server rejects the object',
    },
    docs: {
      rationale:
        'Label keys and annotation keys are an optional DNS-subdomain prefix and a name of at most 63 characters; label values are at most 63 characters of letters, digits, "-", "_" and ".", starting and ending with a letter or digit. A version string like `v1.2+build`, a URL or a commit message as a label value makes the apply fail (annotations take any value).',
      remediation: 'Shorten or simplify the label value (move free text to an annotation), and keep keys to `prefix.example.com/name` form.',
      references: ['https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#syntax-and-character-set'],
    },
  },
  check(r, ctx) {
    for (const site of labelSites(r)) {
      if (!site.map || typeof site.map !== 'object' || Array.isArray(site.map)) continue;
      for (const [key, value] of Object.entries(site.map as Record<string, unknown>)) {
        if (isPlaceholder(key)) continue;
        const kp = qualifiedName(key);
        if (kp) ctx.report({ messageId: 'key', data: { what: site.selector ? 'Selector' : 'Label', key, problem: kp }, path: [...site.path, key] });
        if (typeof value !== 'string' || isPlaceholder(value)) continue;
        const vp = labelValue(value);
        if (vp) ctx.report({ messageId: 'value', data: { key, value: value.length > 70 ? `${value.slice(0, 67)}...` : value, problem: vp }, path: [...site.path, key] });
      }
    }
    // matchExpressions: keys are label keys, and the values of In and NotIn are label values.
    const exprs = r.get(['spec', 'selector', 'matchExpressions']);
    if (Array.isArray(exprs) && r.kind !== 'Service' && r.kind !== 'ReplicationController') {
      exprs.forEach((e, i) => {
        if (!e || typeof e !== 'object') return;
        const x = e as Record<string, unknown>;
        const base: Path = ['spec', 'selector', 'matchExpressions', i];
        if (typeof x.key === 'string' && !isPlaceholder(x.key)) {
          const kp = qualifiedName(x.key);
          if (kp) ctx.report({ messageId: 'key', data: { what: 'Selector', key: x.key, problem: kp }, path: [...base, 'key'] });
        }
        if ((x.operator === 'In' || x.operator === 'NotIn') && Array.isArray(x.values)) {
          x.values.forEach((v, j) => {
            if (typeof v !== 'string' || isPlaceholder(v)) return;
            const vp = labelValue(v);
            if (vp) ctx.report({ messageId: 'value', data: { key: String(x.key), value: v.length > 70 ? `${v.slice(0, 67)}...` : v, problem: vp }, path: [...base, 'values', j] });
          });
        }
      });
    }
    const annSites: Path[] = [['metadata', 'annotations']];
    const t = podTemplateOf(r);
    if (t && t.path.length) annSites.push([...t.path, 'metadata', 'annotations']);
    for (const p of annSites) {
      const a = r.get(p);
      if (!a || typeof a !== 'object' || Array.isArray(a)) continue;
      for (const key of Object.keys(a)) {
        if (isPlaceholder(key)) continue;
        const kp = qualifiedName(key);
        if (kp) ctx.report({ messageId: 'key', data: { what: 'Annotation', key, problem: kp }, path: [...p, key] });
      }
    }
  },
});
