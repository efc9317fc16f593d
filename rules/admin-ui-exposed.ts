import { defineRule } from '../src/rule.js';
import { containersOf } from '../src/graph/workloads.js';
import { imageName } from '../src/graph/images.js';
import { isInternalLoadBalancer } from '../src/graph/load-balancer.js';

/** Images whose main port is an administration or data-browsing UI (last path segment of the image name). */
const ADMIN_UIS: [RegExp, string][] = [
  [/^grafana$/, 'Grafana'],
  [/^kiali(-operator)?$/, 'Kiali'],
  [/^(prometheus|prometheus-server)$/, 'Prometheus'],
  [/^alertmanager$/, 'Alertmanager'],
  [/^argocd$/, 'Argo CD'],
  [/^kibana$/, 'Kibana'],
  [/^(all-in-one|jaeger-query|jaeger)$/, 'Jaeger'],
  [/^(dashboard|kubernetes-dashboard)$/, 'the Kubernetes Dashboard'],
  [/^pgadmin4?$/, 'pgAdmin'],
  [/^adminer$/, 'Adminer'],
  [/^phpmyadmin$/, 'phpMyAdmin'],
  [/^redis-commander$/, 'Redis Commander'],
  [/^neo4j(-enterprise)?$/, 'Neo4j (its Browser)'],
  [/^(rabbitmq)$/, 'RabbitMQ'],
  [/^(mongo-express)$/, 'mongo-express'],
  [/^(kafka-ui|akhq|kafdrop)$/, 'a Kafka UI'],
];

export default defineRule({
  id: 'admin-ui-exposed',
  meta: {
    description: 'Forbid exposing an administration UI on a public load balancer without source ranges',
    category: 'security',
    severity: 'warning',
    recommended: true,
    kinds: ['Service'],
    messages: {
      exposed:
        'Service "{{name}}" puts {{ui}} ({{owner}}, image {{image}}) on a load balancer open to every address (no loadBalancerSourceRanges, not an internal load balancer): anyone on the internet can reach its login page or, with default or anonymous access, the data and settings behind it',
    },
    docs: {
      rationale:
        'Dashboards and admin consoles (Grafana, Kiali, Prometheus, Alertmanager, Argo CD, Kibana, Jaeger, the Kubernetes Dashboard, pgAdmin, phpMyAdmin, the Neo4j Browser, RabbitMQ management) are the most scanned-for targets on the internet: they ship default passwords or anonymous modes and expose queries, secrets in configuration, or control over the cluster. A `type: LoadBalancer` Service without `loadBalancerSourceRanges` gets a public address on every major cloud unless an annotation makes it internal.',
      remediation:
        'Keep the UI on a ClusterIP Service behind an authenticating Ingress or `kubectl port-forward`, make the load balancer internal with the cloud\'s annotation, or restrict it with `spec.loadBalancerSourceRanges` to the office or VPN ranges.',
    },
  },
  check(svc, ctx) {
    const spec = svc.object.spec;
    if (!spec || spec.type !== 'LoadBalancer') return;
    if (Array.isArray(spec.loadBalancerSourceRanges) && spec.loadBalancerSourceRanges.length) return;
    const a = svc.annotations;
    if (a['service.beta.kubernetes.io/load-balancer-source-ranges']) return;
    if (isInternalLoadBalancer(a)) return;
    for (const t of ctx.graph.selectedTemplates(svc) ?? []) {
      for (const c of containersOf(t)) {
        if (c.init) continue;
        const image = typeof c.container.image === 'string' ? c.container.image : '';
        const base = imageName(image);
        const hit = ADMIN_UIS.find(([re]) => re.test(base));
        if (!hit) continue;
        // RabbitMQ's UI is the management image only
        if (hit[1] === 'RabbitMQ' && !/management/.test(image)) continue;
        ctx.report({ messageId: 'exposed', path: ['spec', 'type'], data: { name: svc.name, ui: hit[1], owner: `${t.owner.kind} "${t.owner.name}"`, image } });
        return;
      }
    }
  },
});
