import { defineRule } from '../src/rule.js';
import { asLabels, formatLabels } from '../src/graph/selectors.js';
import { typed } from '../src/graph/kube-types.js';

export default defineRule({
  id: 'service-selector-no-match',
  meta: {
    description: 'Require a Service selector to match the pod template of a workload in the scanned files',
    category: 'networking',
    severity: 'warning',
    recommended: true,
    kinds: ['Service'],
    messages: {
      noMatch:
        'Service "{{name}}" selects {{selector}} but no pod template in namespace "{{namespace}}" {{searched}} has those labels, so the Service has no endpoints and every request to it fails',
      partialMatch:
        'Service "{{name}}" selects {{selector}}; the closest pod template ({{closest}}) lacks {{missing}}, so the Service has no endpoints',
    },
    docs: {
      rationale:
        'A Service routes to the pods whose labels carry every key/value of its selector. One typo or a label that was renamed in the Deployment but not in the Service leaves the Service without endpoints: DNS resolves, connections are refused, and nothing in `kubectl apply` warns. The rule only speaks when the scanned files hold workloads in that namespace, so a Service shipped alone (its pods deployed elsewhere) is not flagged.',
      remediation:
        'Make `spec.selector` a subset of the pod template labels (`spec.template.metadata.labels`) of the workload the Service fronts, or declare the workload in `external:` of .k8s-audit.yaml if it is deployed from elsewhere.',
    },
    peers: [
      { tool: 'kube-linter', id: 'dangling-service' },
      { tool: 'kube-score', id: 'service-targets-pod' },
    ],
  },
  check(svc, ctx) {
    const spec = typed(svc, 'Service').spec;
    if (!spec || typeof spec !== 'object' || spec.type === 'ExternalName') return;
    const selector = asLabels(spec.selector);
    if (Object.keys(selector).length === 0) return; // selector-less Services are managed by hand (EndpointSlices)
    const templates = ctx.graph.templatesIn(svc.namespace);
    if (!ctx.graph.deploysWorkloadsIn(svc.namespace)) return; // nothing to compare with: the workloads live elsewhere
    if (ctx.graph.templatesSelectedBy(selector, svc.namespace, 'map').length) return;
    if (ctx.settings.isExternal('Service', svc.name, svc.namespace)) return;
    // pods an operator runs for a custom resource (an Alertmanager's, a RayCluster's head)
    if (ctx.graph.operatorMayRun(selector, svc.namespace, 'map')) return;
    const uncertain = ctx.graph.selectorUncertainty(selector, svc.namespace, 'map');
    // Name the closest template: the one sharing most selector pairs.
    let best = templates[0];
    let bestScore = -1;
    for (const t of templates) {
      const score = Object.entries(selector).filter(([k, v]) => t.labels[k] === v).length;
      if (score > bestScore) {
        best = t;
        bestScore = score;
      }
    }
    const data = { name: svc.name, namespace: svc.namespace, selector: formatLabels(selector) };
    if (bestScore > 0) {
      const missing = Object.entries(selector)
        .filter(([k, v]) => best.labels[k] !== v)
        .map(([k, v]) => `${k}=${v}`)
        .join(', ');
      ctx.report({
        messageId: 'partialMatch',
        path: ['spec', 'selector'],
        data: { ...data, closest: `${best.owner.kind}/${best.owner.name}`, missing },
        uncertain,
        related: [{ resource: best.owner, path: [...best.path, 'metadata', 'labels'], message: `pod template labels of ${best.owner.kind}/${best.owner.name}` }],
      });
    } else {
      ctx.report({ messageId: 'noMatch', path: ['spec', 'selector'], data, uncertain });
    }
  },
});
