import { defineRule } from '../src/rule.js';

export default defineRule({
  id: 'ingress-without-tls',
  meta: {
    description: 'Report Ingresses that declare no TLS',
    category: 'networking',
    severity: 'info',
    recommended: false,
    kinds: ['Ingress'],
    messages: {
      none: 'Ingress "{{name}}" has no spec.tls: unless TLS is terminated in front of the controller, its hosts are served over plain HTTP, where credentials and session cookies can be read and changed on the way',
    },
    docs: {
      rationale:
        'An Ingress without `spec.tls` is served over HTTP by the controller. When nothing in front of it (a cloud load balancer, a CDN, a mesh gateway) terminates TLS, passwords, tokens and cookies cross the network in clear. Opt-in and informational: TLS is often terminated before the Ingress, which the manifest cannot show.',
      remediation: 'Add `spec.tls` with the hosts and a Secret holding the certificate (cert-manager can issue it from an annotation), or record that TLS is terminated upstream.',
      references: ['https://kubernetes.io/docs/concepts/services-networking/ingress/#tls'],
    },
    peers: [{ tool: 'polaris', id: 'tlsSettingsMissing' }],
  },
  check(ing, ctx) {
    const spec = ing.object.spec;
    if (!spec || typeof spec !== 'object') return;
    if (Array.isArray(spec.tls) && spec.tls.length) return;
    ctx.report({ messageId: 'none', path: ['spec'], data: { name: ing.name } });
  },
});
