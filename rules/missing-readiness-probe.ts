import { defineRule } from '../src/rule.js';
import { isObj, longRunningContainers, probesExpected, type ContainerRef, type PodRef } from '../src/util/pod.js';

/** Ports only monitoring and the kubelet talk to: a readiness probe would gate nothing a user sees. */
const OPS_PORT = /metric|prom|health|probe|pprof|debug|admin/i;

function servesUsers(port: unknown): boolean {
  if (!isObj(port)) return false;
  return !(typeof port.name === 'string' && OPS_PORT.test(port.name));
}

export default defineRule({
  id: 'missing-readiness-probe',
  meta: {
    description: 'Require a readiness probe on long-running pods that serve traffic',
    category: 'reliability',
    severity: 'warning',
    recommended: true,
    completeness: true,
    kinds: ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'ReplicationController', 'Pod', 'CustomResourcePods'],
    messages: {
      targeted:
        'No container of the pod has a readinessProbe, yet Service "{{service}}" sends traffic to it: requests arrive as soon as the process starts, before it can answer, and a rollout replaces healthy pods with ones that are not serving yet',
      missing:
        'Container "{{container}}" declares ports but no container of the pod has a readinessProbe: it receives traffic as soon as the process starts, before it can answer, and a rollout replaces healthy pods with ones that are not serving yet',
    },
    docs: {
      rationale:
        'Without a readiness probe a pod counts as ready the moment its containers start. Services send it requests while it is still warming up, and rolling updates move on to the next pod before the new one serves, so a broken release takes the whole Deployment down. A pod counts as serving when one of its containers declares ports or a Service in the scanned files selects it. Ports and Services named for monitoring or health checks (metrics, prometheus, healthz, pprof, admin) do not count: only scrapers and the kubelet use them. Pods that serve nothing else (controllers, queue workers), run-to-completion Jobs, and sidecars of a pod whose main container has a readiness probe (the pod is Ready only when every container is) are not flagged.',
      remediation: 'Add a `readinessProbe` that checks the container can serve (an HTTP endpoint that answers when dependencies are reachable, or a TCP check of the serving port).',
    },
    peers: [
      { tool: 'kube-linter', id: 'no-readiness-probe' },
      { tool: 'polaris', id: 'readinessProbeMissing' },
      { tool: 'kube-score', id: 'pod-probes' },
      { tool: 'checkov', id: 'CKV_K8S_9' },
    ],
  },
  check(r, ctx) {
    if (!probesExpected(r)) return;
    // A custom resource may run several pods (a LeaderWorkerSet's leader and workers): each is judged alone.
    const byPod = new Map<PodRef, ContainerRef[]>();
    for (const x of longRunningContainers(r)) byPod.set(x.pod, [...(byPod.get(x.pod) ?? []), x]);
    for (const list of byPod.values()) {
      // The pod is Ready only when every container is: one readiness probe already gates its traffic and rollouts.
      if (list.some((x) => x.c.readinessProbe)) continue;
      let reported = false;
      for (const x of list) {
        if (!Array.isArray(x.c.ports) || !x.c.ports.some(servesUsers)) continue;
        ctx.report({ messageId: 'missing', path: [...x.path, 'name'], data: { container: x.name } });
        reported = true;
      }
      if (reported || !list.length) continue;
      const svc = ctx.graph
        .selectorsOf(r, 'Service')
        .find((s) => !OPS_PORT.test(s.name) && (!Array.isArray(s.object.spec?.ports) || s.object.spec.ports.some((p: unknown) => servesUsers(p) && !(isObj(p) && typeof p.targetPort === 'string' && OPS_PORT.test(p.targetPort)))));
      if (svc) ctx.report({ messageId: 'targeted', path: [...list.filter((x) => !x.init)[0]?.path ?? list[0].path, 'name'], data: { service: svc.name }, related: [{ resource: svc, path: ['spec', 'selector'], message: `Service ${svc.name} selects these pods` }] });
    }
  },
});
