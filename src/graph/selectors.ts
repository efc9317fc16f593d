/** Label-selector semantics, in one place. */

export type Labels = Readonly<Record<string, string>>;

export interface LabelSelectorRequirement {
  key: string;
  operator: string;
  values?: readonly string[];
}

export interface LabelSelector {
  matchLabels?: Labels | null;
  matchExpressions?: readonly LabelSelectorRequirement[] | null;
}

export function asLabels(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (v && typeof v === 'object' && !Array.isArray(v)) {
    for (const [k, x] of Object.entries(v)) if (x !== null && x !== undefined && typeof x !== 'object') out[k] = String(x);
  }
  return out;
}

/** A Service-style selector: a plain map; every pair must match. An empty map matches nothing here. */
export function matchesMap(selector: Labels, labels: Labels): boolean {
  const keys = Object.keys(selector);
  if (keys.length === 0) return false;
  for (const k of keys) if (labels[k] !== selector[k]) return false;
  return true;
}

/** A metav1.LabelSelector. An empty selector matches everything (NetworkPolicy, policy/v1 PDB). */
export function matchesSelector(sel: LabelSelector | null | undefined, labels: Labels): boolean {
  if (!sel) return true;
  const ml = asLabels(sel.matchLabels);
  for (const k of Object.keys(ml)) if (labels[k] !== ml[k]) return false;
  // A hand-written selector may hold anything: a malformed requirement matches nothing (the API server
  // refuses the object), and reading it must not throw.
  const reqs = sel.matchExpressions ?? [];
  if (!Array.isArray(reqs)) return false;
  for (const req of reqs as readonly LabelSelectorRequirement[]) {
    if (!req || typeof req !== 'object' || typeof req.key !== 'string') return false;
    const has = Object.prototype.hasOwnProperty.call(labels, req.key);
    const vals = Array.isArray(req.values) ? req.values.map(String) : [];
    switch (req.operator) {
      case 'In':
        if (!has || !vals.includes(labels[req.key])) return false;
        break;
      case 'NotIn':
        if (has && vals.includes(labels[req.key])) return false;
        break;
      case 'Exists':
        if (!has) return false;
        break;
      case 'DoesNotExist':
        if (has) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}

export function isEmptySelector(sel: LabelSelector | null | undefined): boolean {
  return !sel || (Object.keys(asLabels(sel.matchLabels)).length === 0 && !(sel.matchExpressions?.length));
}

export function formatLabels(labels: Labels): string {
  return Object.entries(labels)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
}

/** Candidate keys a selector requires with an exact value: the index lookup keys. */
export function requiredPairs(sel: LabelSelector | Labels): [string, string][] {
  const ml = 'matchLabels' in sel || 'matchExpressions' in sel ? asLabels((sel as LabelSelector).matchLabels) : asLabels(sel);
  const pairs = Object.entries(ml);
  if ('matchExpressions' in sel) {
    const reqs = (sel as LabelSelector).matchExpressions;
    for (const r of Array.isArray(reqs) ? reqs : []) {
      if (r?.operator === 'In' && typeof r.key === 'string' && Array.isArray(r.values) && r.values.length === 1) pairs.push([r.key, String(r.values[0])]);
    }
  }
  return pairs;
}
