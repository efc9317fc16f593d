import { defineRule } from '../src/rule.js';
import data from '../src/schema/data/ingress-nginx-annotations.json' with { type: 'json' };
import { closest } from '../src/schema/text.js';

const PREFIX = data.prefix;
const KNOWN = new Set(data.known);
const REMOVED = data.removed as Record<string, { in: string; use: string }>;
const MISTAKES = data.mistakes as Record<string, string>;

export default defineRule({
  id: 'ingress-nginx-unknown-annotation',
  meta: {
    description: 'Report nginx.ingress.kubernetes.io annotations that ingress-nginx does not read (typos and removed ones)',
    category: 'networking',
    severity: 'warning',
    recommended: true,
    kinds: ['Ingress'],
    messages: {
      unknown: 'ingress-nginx has no annotation "{{key}}"{{hint}}: the controller ignores it without a warning, so the setting it is meant to make (a timeout, a rate limit, an auth rule) does not apply',
      removed: 'ingress-nginx stopped reading "{{key}}" in release {{release}}: the setting it is meant to make does not apply on a current controller; use {{use}}',
    },
    docs: {
      rationale:
        'ingress-nginx reads the annotations it knows under `nginx.ingress.kubernetes.io/` and ignores every other key under that prefix, with no event and nothing in `kubectl describe`. A misspelt `proxy-read-timout`, a key copied from another controller\'s documentation (`proxy-timeout`) or one the controller removed (`secure-backends`, `enable-opentracing`) looks like configuration in review and does nothing in production: the backend stays on HTTP, the timeout stays at 60 s, the rate limit is not there. The list of annotations comes from the annotation parsers of ingress-nginx 1.15 and the removals from its release notes (src/schema/data/ingress-nginx-annotations.json).',
      remediation: 'Correct the key to the annotation named in the message (see the ingress-nginx annotations reference), or delete it; for a removed annotation use its replacement. Clusters that run a fork adding keys of its own under this prefix (Alibaba Cloud\'s or Higress\'s ingress) can suppress those keys or turn the rule off in .k8s-audit.yaml.',
      references: ['https://kubernetes.github.io/ingress-nginx/user-guide/nginx-configuration/annotations/'],
    },
  },
  check(r, ctx) {
    for (const key of Object.keys(r.annotations)) {
      if (!key.startsWith(PREFIX)) continue;
      const name = key.slice(PREFIX.length);
      if (KNOWN.has(name)) continue;
      const path = ['metadata', 'annotations', key];
      const gone = Object.hasOwn(REMOVED, name) ? REMOVED[name] : undefined;
      if (gone) {
        ctx.report({ messageId: 'removed', path, data: { key, release: gone.in, use: gone.use } });
        continue;
      }
      const near = (Object.hasOwn(MISTAKES, name) ? MISTAKES[name] : undefined) ?? closest(name, data.known);
      ctx.report({ messageId: 'unknown', path, data: { key, hint: near ? ` (did you mean "${PREFIX}${near}"?)` : '' } });
    }
  },
});
