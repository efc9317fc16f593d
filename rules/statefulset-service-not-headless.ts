import { defineRule } from '../src/rule.js';

export default defineRule({
  id: 'statefulset-service-not-headless',
  meta: {
    description: 'Require the serviceName of a StatefulSet to be a headless Service that selects its pods',
    category: 'networking',
    severity: 'warning',
    recommended: true,
    kinds: ['StatefulSet'],
    messages: {
      notHeadless:
        'StatefulSet "{{sts}}" uses Service "{{service}}" as its governing service, but that Service has a cluster IP; only a headless Service (clusterIP: None) gives the pods their stable DNS names ({{sts}}-0.{{service}}), which peers and replicas use to find each other',
      noSelect:
        'StatefulSet "{{sts}}" uses Service "{{service}}" as its governing service, but its selector does not select the StatefulSet\'s pods; the per-pod DNS names ({{sts}}-0.{{service}}) never resolve',
    },
    docs: {
      rationale:
        'A StatefulSet\'s `serviceName` names the governing Service that gives every pod a stable DNS name, `<pod>.<service>.<namespace>.svc`. Those records exist only for a headless Service (`clusterIP: None`) whose selector matches the pods. Pointing serviceName at the ordinary ClusterIP Service the clients use is a common mistake: the StatefulSet starts, but replication, clustering and peer discovery that rely on `db-0.db` fail to resolve.',
      remediation:
        'Add a separate headless Service (`clusterIP: None`, same selector, often with `publishNotReadyAddresses: true` for peer discovery) and name it in `spec.serviceName`; keep the ClusterIP Service for clients.',
      references: ['https://kubernetes.io/docs/concepts/workloads/controllers/statefulset/#stable-network-id'],
    },
  },
  check(sts, ctx) {
    const name = sts.object.spec?.serviceName;
    if (typeof name !== 'string' || !name) return;
    const svc = ctx.graph.get('Service', name, sts.namespace);
    if (!svc) return;
    const related = [{ resource: svc, path: ['spec'], message: `Service "${svc.name}"` }];
    if (svc.object.spec?.clusterIP !== 'None') {
      ctx.report({ messageId: 'notHeadless', path: ['spec', 'serviceName'], data: { sts: sts.name, service: name }, related });
      return;
    }
    const sel = svc.object.spec?.selector;
    if (sel && typeof sel === 'object' && Object.keys(sel).length && !ctx.graph.selectorsOf(sts, 'Service').includes(svc)) {
      ctx.report({ messageId: 'noSelect', path: ['spec', 'serviceName'], data: { sts: sts.name, service: name }, related });
    }
  },
});
