import { defineRule } from '../src/rule.js';
import { isInternalLoadBalancer } from '../src/graph/load-balancer.js';

export default defineRule({
  id: 'ingress-backend-exposed',
  meta: {
    description: 'Forbid exposing an Ingress backend Service publicly as well (LoadBalancer or NodePort), bypassing the Ingress',
    category: 'security',
    severity: 'warning',
    recommended: true,
    kinds: ['Service'],
    messages: {
      exposed:
        'Service "{{name}}" is the backend of Ingress "{{ingress}}" and is also exposed as type {{type}}; clients can reach the pods directly and bypass what the Ingress enforces (TLS, rate limits, auth, WAF rules, path routing)',
    },
    docs: {
      rationale:
        'An Ingress is where TLS termination, rate limiting, authentication annotations and path rules live. When the Service behind it is itself a public LoadBalancer (or a NodePort reachable on every node), the same pods are served a second time without any of that: the guide\'s rate limit protects one door while the other stands open, and two public endpoints end up in DNS and monitoring. Internal load balancers (cloud "internal" annotations) and Services restricted with loadBalancerSourceRanges are not reported.',
      remediation: 'Make the backend Service `type: ClusterIP` and expose the application only through the Ingress; if a second entry point is needed, make it an internal load balancer or restrict it with `loadBalancerSourceRanges`.',
    },
  },
  check(svc, ctx) {
    const type = svc.object.spec?.type;
    if (type !== 'LoadBalancer' && type !== 'NodePort') return;
    if (type === 'LoadBalancer') {
      const a = svc.annotations;
      if (isInternalLoadBalancer(a)) return;
      const ranges = svc.object.spec?.loadBalancerSourceRanges;
      if (Array.isArray(ranges) && ranges.length && !ranges.includes('0.0.0.0/0')) return;
    }
    const ingress = ctx.graph.ingressesFor(svc)[0];
    if (!ingress) return;
    // An ingress controller's own Service is legitimately a LoadBalancer.
    if (ctx.graph.selectedTemplates(svc)?.some((t) => /ingress|gateway|proxy|traefik|envoy|haproxy/i.test(JSON.stringify(t.spec.containers?.map((c: { image?: unknown }) => c?.image) ?? [])))) return;
    ctx.report({ messageId: 'exposed', path: ['spec', 'type'], data: { name: svc.name, ingress: ingress.name, type }, related: [{ resource: ingress, path: ['spec'], message: `Ingress "${ingress.name}"` }] });
  },
});
