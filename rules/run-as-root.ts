import { defineRule } from '../src/rule.js';
import { containersOf, effective } from '../src/util/pod.js';

export default defineRule({
  id: 'run-as-root',
  meta: {
    description: 'Require containers to run as a non-root user and group',
    category: 'security',
    severity: 'warning',
    recommended: true,
    kinds: ['Workload', 'CustomResourcePods'],
    messages: {
      rootUser: 'Container "{{container}}" runs as UID 0 (root){{where}}: a process that escapes the container is root on the node, and root inside can rewrite the image\'s binaries',
      nonRootFalse: 'Container "{{container}}" sets runAsNonRoot: false{{where}} and names no non-root UID, so it runs as whatever user the image defaults to, usually root',
      notEnforced:
        'Container "{{container}}" does not set runAsNonRoot: true or a non-zero runAsUser (in its own or the pod\'s securityContext), so nothing stops it from running as root: it runs as whatever user its image names, which is root in most public images',
      rootGroup: 'Container "{{container}}" runs with primary group 0 (root){{where}}, so it can write every file the root group may write',
    },
    docs: {
      rationale:
        'Most images default to root. A root process that breaks out of the container (a kernel or runtime bug, a writable hostPath) is root on the node; inside the container it can rewrite binaries and configuration. `runAsNonRoot: true` makes the kubelet refuse to start a container whose user is root, and a non-zero `runAsUser` pins the UID. Both may sit in the pod securityContext, where they cover every container. Group 0 is flagged too: files owned by the root group are writable to it. Pods with `hostUsers: false` (a user namespace) are not flagged: their root is an unprivileged user on the node.',
      remediation:
        'Set `securityContext.runAsNonRoot: true` and a non-zero `runAsUser`/`runAsGroup` (for example 10001) in the pod securityContext, and make sure the image works as that user.',
    },
    peers: [
      { tool: 'kube-linter', id: 'run-as-non-root' },
      { tool: 'polaris', id: 'runAsRootAllowed' },
      { tool: 'kube-score', id: 'container-security-context-user-group-id' },
      { tool: 'checkov', id: 'CKV_K8S_23' },
      { tool: 'checkov', id: 'CKV_K8S_40' },
    ],
  },
  check(r, ctx) {
    // A pod-level setting is reported once, not once per container that inherits it.
    const seen = new Set<string>();
    const report = (d: Parameters<typeof ctx.report>[0]) => {
      const k = JSON.stringify(d.path);
      if (seen.has(k)) return;
      seen.add(k);
      ctx.report(d);
    };
    for (const x of containersOf(r)) {
      // Windows has no UIDs; with a user namespace (hostUsers: false) root in the container is an unprivileged user on the node.
      if (x.pod.spec.os?.name === 'windows' || x.pod.spec.hostUsers === false) continue;
      const user = effective(x, 'runAsUser');
      const nonRoot = effective(x, 'runAsNonRoot');
      const where = (s: { level: string }) => (s.level === 'pod' ? ' (from the pod securityContext)' : '');
      const uid = user === undefined ? undefined : Number(user.value);
      if (user && uid === 0) {
        report({ messageId: 'rootUser', path: user.path, data: { container: x.name, where: where(user) } });
      } else if (!(uid !== undefined && uid > 0)) {
        if (nonRoot?.value === false) report({ messageId: 'nonRootFalse', path: nonRoot.path, data: { container: x.name, where: where(nonRoot) } });
        // (an excerpt that leaves the securityContext out says nothing about it, nor does an Argo or Tekton
        // pod whose operator's cluster-wide defaults may set it)
        else if (nonRoot?.value !== true && !ctx.settings.excerpt && !x.pod.completedElsewhere) ctx.report({ messageId: 'notEnforced', path: [...x.path, 'name'], data: { container: x.name } });
      }
      const group = effective(x, 'runAsGroup');
      if (group && Number(group.value) === 0 && group.value !== null && group.value !== '') {
        report({ messageId: 'rootGroup', path: group.path, data: { container: x.name, where: where(group) } });
      }
    }
  },
});
