import { defineRule } from '../src/rule.js';

export default defineRule({
  id: 'service-node-port',
  meta: {
    description: 'Report NodePort and LoadBalancer Services, which open a port on every node',
    category: 'networking',
    severity: 'info',
    recommended: false,
    kinds: ['Service'],
    messages: {
      exposed:
        'Service "{{name}}" is of type {{type}}: it opens a port on every node of the cluster{{lb}}, reachable by anything that can reach a node, around the Ingress controller and its TLS and authentication',
    },
    docs: {
      rationale:
        'A NodePort Service (and a LoadBalancer Service, which is a NodePort Service plus a cloud load balancer) listens on a port of every node, so the backend is reachable from wherever the nodes are: other tenants, the VPC, sometimes the internet, bypassing the Ingress controller where TLS, authentication and rate limits usually live. Opt-in and informational: it is the right choice for an Ingress controller itself and for clusters without an Ingress, so the type is a decision to review, not a defect.',
      remediation: 'Use a ClusterIP Service behind an Ingress or Gateway, or, for a LoadBalancer, restrict `loadBalancerSourceRanges` and consider `allocateLoadBalancerNodePorts: false`.',
    },
    peers: [{ tool: 'kube-score', id: 'service-type' }],
  },
  check(svc, ctx) {
    const type = svc.object.spec?.type;
    if (type !== 'NodePort' && type !== 'LoadBalancer') return;
    const lb = type === 'LoadBalancer' ? ' and a cloud load balancer in front of it' : '';
    ctx.report({ messageId: 'exposed', path: ['spec', 'type'], data: { name: svc.name, type, lb } });
  },
});
