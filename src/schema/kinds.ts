/** What the built-in API groups contain, for telling a misspelt or misplaced kind from a custom one. */
import { BUILTIN_SCHEMAS } from './builtin-index.js';
import { apiEntry, lifecycle } from './lifecycle.js';
import { closest } from './text.js';

let groups: Map<string, Set<string>> | undefined;
let kindHome: Map<string, Set<string>> | undefined;

function groupOf(apiVersion: string): string {
  const i = apiVersion.lastIndexOf('/');
  return i < 0 ? '' : apiVersion.slice(0, i);
}

function build(): void {
  groups = new Map();
  kindHome = new Map();
  const keys = [...Object.keys(BUILTIN_SCHEMAS), ...lifecycle().apis.map((e) => `${e.apiVersion}/${e.kind}`)];
  for (const key of keys) {
    const i = key.lastIndexOf('/');
    const apiVersion = key.slice(0, i);
    const kind = key.slice(i + 1);
    const g = groupOf(apiVersion);
    if (!groups.has(g)) groups.set(g, new Set());
    groups.get(g)!.add(kind);
    if (!kindHome.has(kind)) kindHome.set(kind, new Set());
    kindHome.get(kind)!.add(apiVersion);
  }
}

/**
 * When `kind` cannot exist in `apiVersion` of a built-in group: a near-miss of a kind of that group
 * (`Deploymnet`), or a kind that lives in another built-in group (`v1 Deployment`). Undefined otherwise:
 * built-in groups gain kinds every release, so an unfamiliar kind is not judged.
 */
export function misplacedKind(apiVersion: string, kind: string): { suggestion: string } | undefined {
  if (!groups) build();
  const g = groupOf(apiVersion);
  const known = groups!.get(g);
  if (!known) return undefined;
  const home = kindHome!.get(kind);
  if (known.has(kind)) {
    // A kind of this group under a version that never served it, when every version that did is removed
    // (PodSecurityPolicy as policy/v1): no later version will serve it. A kind still served may have gained
    // a version newer than these schemas, so it is not judged.
    if (!home || home.has(apiVersion)) return undefined;
    const removed = [...home].map((v) => apiEntry(v, kind));
    if (!removed.every((e) => e?.removedIn)) return undefined;
    const best = preferred([...home], kind);
    const gone = apiEntry(best, kind)!;
    return { suggestion: `${kind} never existed as ${apiVersion}: it was last served as ${best}, removed in Kubernetes ${gone.removedIn}; use ${gone.replacement}` };
  }
  if (home) {
    const best = preferred([...home], kind);
    const gone = apiEntry(best, kind);
    if (gone?.removedIn) return { suggestion: `${kind} was last served as ${best}, removed in Kubernetes ${gone.removedIn}; use ${gone.replacement}` };
    return { suggestion: `${kind} is served as ${best}` };
  }
  const near = closest(kind, [...known]);
  if (near && near !== kind) return { suggestion: `did you mean ${near}?` };
  return undefined;
}

/** The apiVersion to recommend among those that serve a kind: not deprecated, most stable, newest. */
function preferred(versions: string[], kind: string): string {
  const rank = (av: string): number[] => {
    const v = av.slice(av.lastIndexOf('/') + 1);
    const m = /^v(\d+)(?:(alpha|beta)(\d+))?$/.exec(v);
    const lifecycleEntry = apiEntry(av, kind);
    const stability = !m ? 0 : !m[2] ? 3 : m[2] === 'beta' ? 2 : 1;
    const removed = lifecycleEntry?.removedIn ? Number(lifecycleEntry.removedIn.split('.')[1]) : 0;
    return [lifecycleEntry ? 0 : 1, removed, stability, m ? Number(m[1]) : 0, m?.[3] ? Number(m[3]) : 0];
  };
  return versions.sort((a, b) => {
    const ra = rank(a);
    const rb = rank(b);
    for (let i = 0; i < ra.length; i++) if (ra[i] !== rb[i]) return rb[i] - ra[i];
    return 0;
  })[0];
}

export function isBuiltinGroup(apiVersion: string): boolean {
  if (!groups) build();
  return groups!.has(groupOf(apiVersion));
}
