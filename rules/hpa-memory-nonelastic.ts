import { defineRule } from '../src/rule.js';
import { hpaResourceMetrics } from '../src/graph/autoscaling.js';
import { containersOf } from '../src/graph/workloads.js';
import { imageName, NON_ELASTIC_MEMORY } from '../src/graph/images.js';

const JVM_FLAGS = /(^|\s)-Xm[xs]\d|MaxRAMPercentage|InitialRAMPercentage/;

export default defineRule({
  id: 'hpa-memory-nonelastic',
  meta: {
    description: 'Forbid HPA memory targets on workloads whose memory does not shrink with load (JVMs, caches, databases)',
    category: 'autoscaling',
    severity: 'warning',
    recommended: true,
    kinds: ['HorizontalPodAutoscaler'],
    messages: {
      memory:
        'HorizontalPodAutoscaler "{{hpa}}" scales {{kind}} "{{workload}}" on memory, but container "{{container}}" runs {{what}}, whose memory use stays high after load drops (heaps and caches are not returned); the HPA scales up and never back down',
    },
    docs: {
      rationale:
        'Scaling on memory assumes memory use follows load. A JVM grows its heap up to -Xmx (or MaxRAMPercentage) and rarely returns it to the OS; Redis, memcached, Elasticsearch and databases fill memory with caches by design. Once such pods pass the memory target, adding replicas does not lower per-pod usage, so the HPA climbs to maxReplicas and stays there, costing nodes without helping latency. The rule recognises these by image name (openjdk, eclipse-temurin, amazoncorretto, tomcat, redis, memcached, postgres, mysql, mongo, elasticsearch, ...) and by JVM heap flags in env or args.',
      remediation: 'Scale on cpu or, better, on a load metric (requests per second, queue depth, consumer lag via a custom or external metric); size memory with requests/limits (or a VPA in recommendation mode) instead.',
    },
  },
  check(hpa, ctx) {
    const metric = hpaResourceMetrics(hpa).find((m) => m.resource === 'memory');
    if (!metric) return;
    // the target's pod template: a workload's, or a custom resource's the operator catalogue knows (a Rollout's)
    const scaled = ctx.graph.scaleTargetTemplate(hpa);
    if (!scaled) return;
    const { target, template: t } = scaled;
    for (const c of containersOf(t)) {
      if (c.init) continue;
      if (metric.container && c.container.name !== metric.container) continue;
      let what = NON_ELASTIC_MEMORY[imageName(c.container.image)];
      if (!what) {
        const env = Array.isArray(c.container.env) ? c.container.env.filter((e: { name?: string }) => /^(JAVA_OPTS|JAVA_TOOL_OPTIONS|JDK_JAVA_OPTIONS|_JAVA_OPTIONS)$/.test(String(e?.name))) : [];
        const text = [...env.map((e: { value?: unknown }) => String(e?.value ?? '')), ...(Array.isArray(c.container.args) ? c.container.args : []), ...(Array.isArray(c.container.command) ? c.container.command : [])].join(' ');
        if (env.length || JVM_FLAGS.test(text)) what = 'a JVM';
      }
      if (!what) continue;
      ctx.report({ messageId: 'memory', path: metric.path, data: { hpa: hpa.name, kind: target.kind, workload: target.name, container: String(c.container.name ?? ''), what }, related: [{ resource: target, path: [...c.path, 'image'], message: `image of container "${c.container.name}"` }] });
      return;
    }
  },
});
