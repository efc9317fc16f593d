import { defineRule } from '../src/rule.js';

const KEY = 'nginx.ingress.kubernetes.io/rewrite-target';

export default defineRule({
  id: 'ingress-rewrite-drops-path',
  meta: {
    description: 'Forbid an ingress-nginx rewrite-target without capture groups on prefix paths',
    category: 'networking',
    severity: 'warning',
    recommended: true,
    kinds: ['Ingress'],
    messages: {
      fixed:
        'Ingress "{{name}}" rewrites every request under {{paths}} to the fixed path "{{target}}" (rewrite-target has no $1-style capture group); /{{example}}/anything reaches the backend as "{{target}}", so every route but the root breaks',
    },
    docs: {
      rationale:
        'Since ingress-nginx 0.22, `nginx.ingress.kubernetes.io/rewrite-target` replaces the whole matched URI with its value: the path keeps only what capture groups carry into `$1`, `$2`. A fixed target such as `/` on a Prefix path therefore turns `/api/v1/search?q=x` into `/`: health checks on `/` pass while every real endpoint answers the index page or 404. The rule flags a rewrite target without a capture reference when the Ingress has Prefix or ImplementationSpecific paths; Exact paths rewritten to a fixed target are fine.',
      remediation:
        'Use a regex path with a capture group and reference it: `path: /api(/|$)(.*)`, `pathType: ImplementationSpecific`, `rewrite-target: /$2`; or remove the annotation when the backend serves the same paths the Ingress exposes.',
      references: ['https://kubernetes.github.io/ingress-nginx/examples/rewrite/'],
    },
  },
  check(ing, ctx) {
    const target = ing.annotations[KEY];
    if (typeof target !== 'string' || target === '' || /\$\d|\$\{?\w/.test(target)) return;
    const paths: string[] = [];
    const rules = ing.object.spec?.rules;
    for (const r of Array.isArray(rules) ? rules : []) {
      for (const p of Array.isArray(r?.http?.paths) ? r.http.paths : []) {
        if (p?.pathType === 'Exact') continue;
        paths.push(typeof p?.path === 'string' ? p.path : '/');
      }
    }
    if (!paths.length) return;
    const longest = [...paths].sort((a, b) => b.length - a.length)[0];
    const example = longest.replace(/^\/+|\/+$/g, '') || 'some';
    ctx.report({ messageId: 'fixed', path: ['metadata', 'annotations', KEY], data: { name: ing.name, paths: [...new Set(paths)].join(', '), target, example } });
  },
});
