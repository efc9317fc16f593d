import { defineRule } from '../src/rule.js';

/** The ingress-nginx annotations whose value is pasted into nginx.conf as it is. */
const SNIPPET = /^nginx\.ingress\.kubernetes\.io\/([a-z-]*snippet)$/;

/** The ingress-nginx controller's ConfigMap: named for the controller, or carrying its component labels. */
function isControllerConfig(name: string, labels: Record<string, string>): boolean {
  return /ingress-nginx|nginx-ingress|nginx-configuration/.test(name) || labels['app.kubernetes.io/name'] === 'ingress-nginx';
}

export default defineRule({
  id: 'ingress-nginx-snippet',
  meta: {
    description: 'Forbid ingress-nginx snippet annotations and the controller setting that allows them (CVE-2021-25742)',
    category: 'security',
    severity: 'warning',
    recommended: true,
    kinds: ['Ingress', 'ConfigMap'],
    messages: {
      annotation:
        'Ingress "{{name}}" sets {{annotation}}: its text is pasted into the nginx configuration of the shared controller, so whoever can edit Ingresses can read the controller\'s ServiceAccount token and every Secret it can see (CVE-2021-25742), and recent controllers drop the annotation unless snippets are enabled',
      configMap:
        'ConfigMap "{{name}}" sets allow-snippet-annotations: "{{value}}": the ingress-nginx controller then pastes *-snippet annotations of any Ingress into its nginx configuration, so whoever can create an Ingress can read every Secret the controller can (CVE-2021-25742)',
    },
    docs: {
      rationale:
        'ingress-nginx copies `*-snippet` annotations (configuration-snippet, server-snippet, auth-snippet, stream-snippet, modsecurity-snippet) into nginx.conf without checking them. Through them, anyone allowed to create or edit an Ingress in any namespace can run Lua or read files as the controller, whose ServiceAccount can read Secrets cluster-wide (CVE-2021-25742, and the 2025 IngressNightmare CVEs). Since controller 1.9 `allow-snippet-annotations` is false by default and such annotations are ignored; turning it back on in the controller ConfigMap reopens the hole for every tenant.',
      remediation: 'Replace the snippet by the dedicated annotation or ConfigMap option (headers, rewrites, auth-url), or move the configuration into the controller\'s ConfigMap, which only administrators edit; keep `allow-snippet-annotations: "false"`.',
      references: ['https://github.com/kubernetes/ingress-nginx/issues/7837', 'https://kubernetes.github.io/ingress-nginx/user-guide/nginx-configuration/configmap/#allow-snippet-annotations'],
    },
    peers: [{ tool: 'checkov', id: 'CKV_K8S_153' }],
  },
  check(r, ctx) {
    if (r.kind === 'ConfigMap') {
      const v = r.object.data?.['allow-snippet-annotations'];
      if (v === undefined || v === null || String(v).toLowerCase() !== 'true') return;
      if (!isControllerConfig(r.name, r.labels)) return;
      ctx.report({ messageId: 'configMap', path: ['data', 'allow-snippet-annotations'], data: { name: r.name, value: String(v) } });
      return;
    }
    for (const key of Object.keys(r.annotations)) {
      if (!SNIPPET.test(key)) continue;
      ctx.report({ messageId: 'annotation', path: ['metadata', 'annotations', key], data: { name: r.name, annotation: key } });
    }
  },
});
