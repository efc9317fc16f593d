import { defineRule } from '../src/rule.js';
import type { Path } from '../src/types.js';
import { containersOf } from '../src/graph/workloads.js';

const truthy = (v: unknown) => /^(true|1|yes|on)$/i.test(String(v ?? '').trim());

/** `[auth.anonymous]` of a grafana.ini: enabled = true and org_role = Admin. */
function grafanaIniAnonymousAdmin(text: string): boolean {
  const section = /^\s*\[auth\.anonymous\]\s*$([\s\S]*?)(?=^\s*\[|(?![\s\S]))/m.exec(text)?.[1];
  if (!section) return false;
  const get = (k: string) => new RegExp(`^\\s*${k}\\s*=\\s*"?([^"\\n#;]*)`, 'mi').exec(section)?.[1]?.trim();
  return truthy(get('enabled')) && /^admin$/i.test(get('org_role') ?? '');
}

/** A Kiali configuration whose auth strategy is anonymous. */
function kialiAnonymous(text: string): boolean {
  // Line by line: the one-regex form (`auth:\n(?:\s+.*\n)*?\s+strategy:`) backtracks exponentially over blank lines.
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (!/^\s*auth:\s*$/.test(lines[i])) continue;
    // the indented (or blank) lines below it
    for (let j = i + 1; j < lines.length && /^(\s|$)/.test(lines[j]); j++) {
      if (/^\s+strategy:\s*["']?anonymous["']?\s*$/.test(lines[j])) return true;
    }
  }
  return false;
}

export default defineRule({
  id: 'anonymous-admin-access',
  meta: {
    description: 'Forbid Grafana and Kiali configured to give anonymous visitors administrative access',
    category: 'security',
    severity: 'warning',
    recommended: true,
    kinds: ['Workload', 'ConfigMap'],
    messages: {
      grafanaEnv:
        'Container "{{container}}" runs Grafana with anonymous access as Admin (GF_AUTH_ANONYMOUS_ENABLED=true, GF_AUTH_ANONYMOUS_ORG_ROLE=Admin): anyone who reaches it can read every data source, edit dashboards and alerts, and add data sources that query internal systems',
      grafanaIni:
        'ConfigMap "{{name}}" key "{{key}}" enables Grafana\'s anonymous access with org_role = Admin: anyone who reaches Grafana can read every data source, edit dashboards and alerts, and add data sources that query internal systems',
      kiali:
        'ConfigMap "{{name}}" key "{{key}}" sets Kiali\'s auth strategy to anonymous: anyone who reaches Kiali acts with its ServiceAccount\'s permissions and can view and change the mesh configuration',
    },
    docs: {
      rationale:
        'Grafana with anonymous access in the Admin role, and Kiali with the `anonymous` auth strategy, need no login at all: whoever reaches the Service (through an Ingress, a load balancer, or any pod in the cluster) gets full control of the dashboards, data sources and, for Kiali, the Istio configuration it may edit. These settings are the defaults of quick-start demos (Istio\'s addons ship both) and end up in production by copy.',
      remediation:
        'Grafana: set GF_AUTH_ANONYMOUS_ENABLED=false, or keep anonymous access with GF_AUTH_ANONYMOUS_ORG_ROLE=Viewer. Kiali: use the `token` or `openid` auth strategy. Keep both behind an authenticating proxy.',
    },
  },
  check(r, ctx) {
    if (r.kind === 'ConfigMap') {
      const data = r.object.data;
      if (!data || typeof data !== 'object') return;
      for (const [key, v] of Object.entries(data)) {
        if (typeof v !== 'string') continue;
        if (/\[auth\.anonymous\]/.test(v) && grafanaIniAnonymousAdmin(v)) ctx.report({ messageId: 'grafanaIni', path: ['data', key], data: { name: r.name, key } });
        else if (/strategy/.test(v) && /kiali|istio_namespace|server:\s*\n/i.test(v + r.name) && kialiAnonymous(v)) ctx.report({ messageId: 'kiali', path: ['data', key], data: { name: r.name, key } });
      }
      return;
    }
    const t = ctx.graph.podTemplate(r);
    if (!t) return;
    for (const c of containersOf(t)) {
      const env = Array.isArray(c.container.env) ? (c.container.env as Record<string, unknown>[]) : [];
      const at = (n: string) => env.findIndex((e) => e?.name === n);
      const en = at('GF_AUTH_ANONYMOUS_ENABLED');
      const role = at('GF_AUTH_ANONYMOUS_ORG_ROLE');
      if (en < 0 || role < 0 || !truthy(env[en].value) || !/^admin$/i.test(String(env[role].value ?? '').trim())) continue;
      const path: Path = [...c.path, 'env', role, 'value'];
      ctx.report({ messageId: 'grafanaEnv', path, data: { container: String(c.container.name ?? '') } });
    }
  },
});
