import { defineRule } from '../src/rule.js';
import { containersOf, effective, isObj } from '../src/util/pod.js';

export default defineRule({
  id: 'missing-seccomp-profile',
  meta: {
    description: 'Require a RuntimeDefault or Localhost seccomp profile for every container',
    category: 'security',
    severity: 'warning',
    recommended: false,
    completeness: true,
    kinds: ['Workload', 'CustomResourcePods'],
    messages: {
      missing:
        'Container "{{container}}" has no seccomp profile (in its own or the pod\'s securityContext), so on most clusters it runs Unconfined with the full syscall surface of the kernel exposed',
      unconfined:
        'Container "{{container}}" sets seccompProfile type {{type}}{{where}}, which disables syscall filtering and exposes the kernel\'s whole syscall surface to a compromised process',
    },
    docs: {
      rationale:
        'Unless the kubelet runs with `--seccomp-default`, containers run Unconfined: every syscall is available, including the rarely used ones behind most kernel privilege-escalation bugs. `RuntimeDefault` blocks them at no cost for ordinary applications. Pod Security Standards (restricted) require it. Opt-in because the annotation-era and kubelet-default setups make this a cluster decision for some teams.',
      remediation: 'Set `securityContext.seccompProfile: {type: RuntimeDefault}` in the pod securityContext (it covers every container).',
    },
    peers: [
      { tool: 'kube-score', id: 'container-seccomp-profile' },
      { tool: 'polaris', id: 'linuxHardening' },
      { tool: 'checkov', id: 'CKV_K8S_31' },
    ],
  },
  check(r, ctx) {
    for (const x of containersOf(r)) {
      if (x.pod.spec.os?.name === 'windows') continue;
      const ann = x.pod.template.annotations;
      const annPod = ann['seccomp.security.alpha.kubernetes.io/pod'];
      const s = effective(x, 'seccompProfile');
      if (s && isObj(s.value)) {
        const type = String(s.value.type ?? '');
        if (type === 'RuntimeDefault' || type === 'Localhost') continue;
        ctx.report({ messageId: 'unconfined', path: [...s.path, 'type'], data: { container: x.name, type: type || '(none)', where: s.level === 'pod' ? ' (from the pod securityContext)' : '' } });
        continue;
      }
      const a = ann[`container.seccomp.security.alpha.kubernetes.io/${x.name}`] ?? annPod;
      if (typeof a === 'string' && a !== 'unconfined') continue;
      ctx.report({ messageId: 'missing', path: [...x.path, 'name'], data: { container: x.name } });
    }
  },
});
