import { defineRule } from '../src/rule.js';
import type { Path } from '../src/types.js';
import { containersOf, isObj, type ContainerRef } from '../src/util/pod.js';

interface Danger {
  /** The flag name, without dashes and value. */
  flag: string;
  /** Environment variables that set the same thing. */
  env?: readonly string[];
  /** True when the value given makes it dangerous (a flag given bare is "true"). */
  when?: (value: string) => boolean;
  why: string;
}

interface App {
  name: string;
  image: RegExp;
  dangers: readonly Danger[];
}

const truthy = (v: string) => !/^(false|0|no)$/i.test(v);
const notLoopback = (v: string) => !/^(127\.0\.0\.1|localhost|::1|\[::1\])$/.test(v);

/** Applications whose own flags switch off their protection; recognised by image so a look-alike name is not enough. */
const APPS: readonly App[] = [
  {
    name: 'the Kubernetes Dashboard',
    image: /(^|\/)(kubernetesui\/dashboard[^/:@]*|kubernetes-dashboard-[a-z0-9]+|dashboard-(api|auth|web))(:|@|$)/,
    dangers: [
      { flag: 'enable-skip-login', when: truthy, why: 'the login page gets a Skip button, and whoever skips acts with the Dashboard\'s own ServiceAccount' },
      { flag: 'disable-settings-authorizer', when: truthy, why: 'any user, even one who skipped login, can change the Dashboard\'s global settings' },
      { flag: 'enable-insecure-login', when: truthy, why: 'bearer tokens and kubeconfig logins are accepted over plain HTTP, where they can be read off the wire' },
      { flag: 'insecure-bind-address', when: notLoopback, why: 'the plain-HTTP port, which needs no authentication, listens beyond localhost' },
    ],
  },
  {
    name: 'git-sync',
    image: /(^|\/)git-sync(:|@|$)/,
    dangers: [
      { flag: 'git', env: ['GITSYNC_GIT', 'GIT_SYNC_GIT'], why: 'git-sync runs this program instead of git, so whoever controls that path (a shared volume, an image layer) runs code in the pod: the code-injection path Checkov CKV_K8S_159 describes' },
    ],
  },
];

/** `--flag=value`, `--flag value` or a bare `--flag` in a command or args list. */
function flagsOf(list: unknown): { name: string; value: string; index: number }[] {
  if (!Array.isArray(list)) return [];
  const out: { name: string; value: string; index: number }[] = [];
  list.forEach((a, i) => {
    if (typeof a !== 'string') return;
    const m = /^--?([a-z][a-z0-9-]*)(?:=(.*))?$/.exec(a.trim());
    if (!m) return;
    const next = list[i + 1];
    const value = m[2] ?? (typeof next === 'string' && !next.startsWith('-') ? next : 'true');
    out.push({ name: m[1], value, index: i });
  });
  return out;
}

function findings(x: ContainerRef, app: App): { path: Path; setting: string; why: string }[] {
  const out: { path: Path; setting: string; why: string }[] = [];
  for (const field of ['command', 'args'] as const) {
    for (const f of flagsOf(x.c[field])) {
      const d = app.dangers.find((dd) => dd.flag === f.name);
      if (d && (!d.when || d.when(f.value))) out.push({ path: [...x.path, field, f.index], setting: `--${f.name}${f.value === 'true' ? '' : `=${f.value}`}`, why: d.why });
    }
  }
  if (Array.isArray(x.c.env)) {
    x.c.env.forEach((e: unknown, i: number) => {
      if (!isObj(e) || typeof e.name !== 'string') return;
      const d = app.dangers.find((dd) => dd.env?.includes(e.name as string));
      const value = typeof e.value === 'string' ? e.value : '';
      if (d && (isObj(e.valueFrom) || value) && (!d.when || d.when(value))) out.push({ path: [...x.path, 'env', i, 'name'], setting: `${e.name}`, why: d.why });
    });
  }
  return out;
}

export default defineRule({
  id: 'dangerous-app-flags',
  meta: {
    description: 'Forbid flags that switch off the protection of the Kubernetes Dashboard and git-sync',
    category: 'security',
    severity: 'warning',
    recommended: true,
    kinds: ['Workload'],
    messages: {
      flag: 'Container "{{container}}" runs {{app}} with {{setting}}: {{why}}',
    },
    docs: {
      rationale:
        'Some applications ship with a switch that turns their own security off. The Kubernetes Dashboard with `--enable-skip-login` lets anyone who reaches it act as its ServiceAccount (often bound to wide permissions); `--disable-settings-authorizer` lets anyone change its settings; `--enable-insecure-login` accepts credentials over HTTP and `--insecure-bind-address` other than localhost exposes the unauthenticated HTTP port. git-sync\'s `--git` (or `GITSYNC_GIT`) replaces the git binary with any program, a code-injection path. The containers are recognised by their image, not their name.',
      remediation: 'Remove the flag (or environment variable). For the Dashboard, log in with a token and keep it behind an authenticating proxy; for git-sync, use the git binary of the image.',
      references: ['https://github.com/kubernetes/dashboard/blob/master/docs/common/arguments.md', 'https://github.com/kubernetes/git-sync'],
    },
    peers: [{ tool: 'checkov', id: 'CKV_K8S_159' }],
  },
  check(r, ctx) {
    for (const x of containersOf(r)) {
      const image = typeof x.c.image === 'string' ? x.c.image : '';
      const app = APPS.find((a) => a.image.test(image));
      if (!app) continue;
      for (const f of findings(x, app)) ctx.report({ messageId: 'flag', path: f.path, data: { container: x.name, app: app.name, setting: f.setting, why: f.why } });
    }
  },
});
