import { defineRule } from '../src/rule.js';
import { isObj, podsOf, podVolumes } from '../src/util/pod.js';

const SENSITIVE = /^\/(?:$|etc(?:\/|$)|proc(?:\/|$)|sys(?:\/|$)|boot(?:\/|$)|dev(?:\/|$)|root(?:\/|$)|var\/run(?:\/|$)|run(?:\/|$)|var\/lib\/(?:kubelet|docker|containerd)(?:\/|$)|usr(?:\/|$)|lib(?:\/|$)|bin(?:\/|$)|sbin(?:\/|$))|(?:docker|containerd|crio)\.sock$/;

/** Read-only facts about the node that are routinely mounted (time zone data). */
const BENIGN = /^\/(?:etc\/localtime|etc\/timezone|usr\/share\/zoneinfo)(?:\/|$)/;

export default defineRule({
  id: 'host-path-volume',
  meta: {
    description: 'Forbid hostPath volumes that mount the node file system into a pod',
    category: 'security',
    severity: 'warning',
    recommended: true,
    kinds: ['Workload', 'CustomResourcePods'],
    messages: {
      hostPath: 'Volume "{{volume}}" mounts the node path {{hostPath}}: the pod can read or change node files, data is lost when the pod moves to another node, and the path ties the pod to one node',
      sensitive:
        'Volume "{{volume}}" mounts the sensitive node path {{hostPath}}: a process in the pod can read node credentials or control the container runtime, which is a direct path to taking over the node',
    },
    docs: {
      rationale:
        'A hostPath volume punches through the container boundary into the node file system. Sensitive paths (/, /etc, /proc, /var/run, the container runtime socket, the kubelet directory) hand out node credentials or control of every container on the node. Even harmless paths make the pod depend on one node\'s disk. Pod Security Standards forbid hostPath from the baseline level up; node agents that need it should carry a suppression with the reason.',
      remediation: 'Use a PersistentVolumeClaim, an emptyDir, a ConfigMap/Secret or a CSI volume instead; suppress with a reason for node agents (log shippers, CSI drivers).',
    },
    peers: [
      { tool: 'kube-linter', id: 'sensitive-host-mounts' },
      { tool: 'kube-linter', id: 'docker-sock' },
      { tool: 'kube-linter', id: 'writable-host-mount' },
      { tool: 'polaris', id: 'hostPathSet' },
      { tool: 'checkov', id: 'CKV_K8S_27' },
    ],
  },
  check(r, ctx) {
    for (const pod of podsOf(r)) for (const { v, path } of podVolumes(pod)) {
      if (!isObj(v) || !isObj(v.hostPath)) continue;
      const hp = String(v.hostPath.path ?? '');
      const norm = hp.replace(/\/+$/, '') || '/';
      const benign = BENIGN.test(norm);
      ctx.report({
        messageId: !benign && SENSITIVE.test(norm) ? 'sensitive' : 'hostPath',
        path: [...path, 'hostPath', 'path'],
        data: { volume: String(v.name ?? path[path.length - 1]), hostPath: hp },
      });
    }
  },
});
