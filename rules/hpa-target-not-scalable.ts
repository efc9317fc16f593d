import { defineRule } from '../src/rule.js';
import { SCALABLE_KINDS } from '../src/graph/scaling.js';

/** Built-in kinds that have no scale subresource. */
const NOT_SCALABLE = new Set(['DaemonSet', 'Pod', 'Job', 'CronJob', 'Service', 'ConfigMap', 'Secret', 'Ingress', 'PersistentVolumeClaim', 'HorizontalPodAutoscaler', 'PodDisruptionBudget', 'NetworkPolicy']);
const APPS_KINDS = new Set(['Deployment', 'StatefulSet', 'ReplicaSet', 'DaemonSet']);

export default defineRule({
  id: 'hpa-target-not-scalable',
  meta: {
    description: 'Require an autoscaler to target a kind that has a scale subresource, with the right API group',
    category: 'autoscaling',
    severity: 'error',
    recommended: true,
    kinds: ['HorizontalPodAutoscaler'],
    messages: {
      notScalable:
        'HorizontalPodAutoscaler "{{hpa}}" targets {{kind}} "{{name}}", which has no scale subresource{{why}}; the HPA reports FailedGetScale and never scales anything',
      wrongGroup:
        'HorizontalPodAutoscaler "{{hpa}}" targets {{kind}} with apiVersion "{{apiVersion}}", but {{kind}} lives in apps/v1; the HPA cannot resolve the target and reports FailedGetScale',
    },
    docs: {
      rationale:
        'An HPA drives the `/scale` subresource of its target. Deployments, StatefulSets, ReplicaSets and ReplicationControllers have one (as do custom resources that declare it); DaemonSets (one pod per node), Jobs, CronJobs and bare Pods do not. An HPA aimed at them, or at a Deployment with a wrong apiVersion such as `extensions/v1beta1` or `v1`, is accepted by the API server and then fails at runtime with FailedGetScale, so the workload silently never scales.',
      remediation:
        'Point `scaleTargetRef` at the Deployment or StatefulSet that runs the pods, with `apiVersion: apps/v1`. To scale a DaemonSet, scale the nodes (cluster autoscaler); for Jobs use parallelism or KEDA ScaledJobs.',
    },
  },
  check(hpa, ctx) {
    const ref = hpa.object.spec?.scaleTargetRef;
    if (!ref || typeof ref.kind !== 'string') return;
    const name = String(ref.name ?? '');
    if (NOT_SCALABLE.has(ref.kind) && !SCALABLE_KINDS.has(ref.kind)) {
      const why = ref.kind === 'DaemonSet' ? ' (a DaemonSet runs one pod per eligible node)' : ref.kind === 'CronJob' || ref.kind === 'Job' ? ' (Jobs are sized by parallelism)' : '';
      ctx.report({ messageId: 'notScalable', path: ['spec', 'scaleTargetRef', 'kind'], data: { hpa: hpa.name, kind: ref.kind, name, why } });
      return;
    }
    if (APPS_KINDS.has(ref.kind) && typeof ref.apiVersion === 'string' && !/^apps\//.test(ref.apiVersion)) {
      ctx.report({ messageId: 'wrongGroup', path: ['spec', 'scaleTargetRef', 'apiVersion'], data: { hpa: hpa.name, kind: ref.kind, apiVersion: ref.apiVersion } });
    }
  },
});
