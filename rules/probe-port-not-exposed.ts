import { defineRule } from '../src/rule.js';
import { containersOf, isObj } from '../src/util/pod.js';

export default defineRule({
  id: 'probe-port-not-exposed',
  meta: {
    description: 'Require probes that use a named port to name a TCP port of the same container',
    category: 'reliability',
    severity: 'error',
    recommended: true,
    kinds: ['Workload', 'CustomResourcePods'],
    messages: {
      unknown:
        'The {{probe}} of container "{{container}}" uses the port name "{{port}}", but the container declares {{declared}}: the kubelet cannot resolve it, so the probe always fails and the container {{effect}}',
      udp: 'The {{probe}} of container "{{container}}" uses port "{{port}}", which the container declares as {{protocol}}: the probe speaks TCP, so it always fails and the container {{effect}}',
    },
    docs: {
      rationale:
        'A probe can name a port instead of giving its number; the kubelet looks the name up in the same container\'s `ports`. A misspelt or missing name (often after a port was renamed) cannot be resolved and the probe fails every time: a readiness probe keeps the pod out of every Service, a liveness or startup probe restarts the container in a loop. Numeric ports are not checked, since a container may listen on ports it does not declare.',
      remediation: 'Use a port name declared under the container\'s `ports` (with protocol TCP), or the port number.',
    },
    peers: [
      { tool: 'kube-linter', id: 'liveness-port' },
      { tool: 'kube-linter', id: 'readiness-port' },
      { tool: 'kube-linter', id: 'startup-port' },
    ],
  },
  check(r, ctx) {
    const effect: Record<string, string> = {
      readinessProbe: 'never becomes ready, so no Service sends it traffic',
      livenessProbe: 'is restarted over and over',
      startupProbe: 'is restarted over and over before it ever starts',
    };
    for (const x of containersOf(r)) {
      const ports = Array.isArray(x.c.ports) ? x.c.ports.filter(isObj) : [];
      for (const probe of ['readinessProbe', 'livenessProbe', 'startupProbe']) {
        const p = x.c[probe];
        if (!isObj(p)) continue;
        for (const h of ['httpGet', 'tcpSocket', 'grpc']) {
          if (!isObj(p[h])) continue;
          const port = p[h].port;
          if (typeof port !== 'string' || /^\d+$/.test(port) || port.includes('{{')) continue;
          const decl = ports.find((d) => d.name === port);
          const data = { probe, container: x.name, port, effect: effect[probe] };
          const path = [...x.path, probe, h, 'port'];
          if (!decl) {
            const names = ports.map((d) => d.name).filter((n) => typeof n === 'string');
            ctx.report({ messageId: 'unknown', path, data: { ...data, declared: names.length ? `only ${names.map((n) => `"${n}"`).join(', ')}` : 'no named ports' } });
          } else if (decl.protocol && decl.protocol !== 'TCP') {
            ctx.report({ messageId: 'udp', path, data: { ...data, protocol: String(decl.protocol) } });
          }
        }
      }
    }
  },
});
