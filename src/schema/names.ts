/** Kubernetes' name, label and annotation-key rules (k8s.io/apimachinery/pkg/util/validation). */

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/** Why `v` is not a DNS-1123 subdomain, or undefined when it is one. */
export function dns1123Subdomain(v: string): string | undefined {
  if (v.length > 253) return `is ${v.length} characters long; the limit is 253`;
  if (v !== v.toLowerCase()) return 'contains upper-case letters; only lower-case letters, digits, "-" and "." are allowed';
  for (const part of v.split('.')) {
    if (!DNS1123_LABEL.test(part)) return 'must consist of lower-case letters, digits, "-" and ".", and start and end with a letter or digit';
  }
  return undefined;
}

export function dns1123Label(v: string): string | undefined {
  if (v.length > 63) return `is ${v.length} characters long; the limit is 63`;
  if (v !== v.toLowerCase()) return 'contains upper-case letters; only lower-case letters, digits and "-" are allowed';
  if (!DNS1123_LABEL.test(v)) return 'must consist of lower-case letters, digits and "-", and start and end with a letter or digit';
  return undefined;
}

export function dns1035Label(v: string): string | undefined {
  if (v.length > 63) return `is ${v.length} characters long; the limit is 63`;
  if (v !== v.toLowerCase()) return 'contains upper-case letters; only lower-case letters, digits and "-" are allowed';
  if (!DNS1035_LABEL.test(v)) return /^[0-9]/.test(v) ? 'starts with a digit; it must start with a lower-case letter' : 'must consist of lower-case letters, digits and "-", start with a letter and end with a letter or digit';
  return undefined;
}

/** Names that only have to be usable as one URL path segment (RBAC objects, most custom resources). */
export function pathSegment(v: string): string | undefined {
  if (v === '.' || v === '..') return `may not be "${v}"`;
  if (v.includes('/') || v.includes('%')) return 'may not contain "/" or "%"';
  return undefined;
}

/**
 * Verdicts on label and annotation keys, by key: the same few (app.kubernetes.io/name, helm.sh/chart, ...) are
 * on most objects of a repository, several times each. Bounded: past this many, it starts over.
 */
const qualifiedNames = new Map<string, string | undefined>();
const MAX_REMEMBERED = 4096;

/** A label key or annotation key: [prefix/]name. */
export function qualifiedName(v: string): string | undefined {
  if (qualifiedNames.has(v)) return qualifiedNames.get(v);
  const problem = qualifiedNameProblem(v);
  if (qualifiedNames.size >= MAX_REMEMBERED) qualifiedNames.clear();
  qualifiedNames.set(v, problem);
  return problem;
}

function qualifiedNameProblem(v: string): string | undefined {
  const parts = v.split('/');
  if (parts.length > 2) return 'may contain at most one "/"';
  const name = parts[parts.length - 1];
  if (parts.length === 2) {
    if (!parts[0]) return 'has an empty prefix before "/"';
    const bad = dns1123Subdomain(parts[0]);
    if (bad) return `has the prefix "${parts[0]}", which ${bad}`;
  }
  if (!name) return 'has an empty name part';
  if (name.length > 63) return `has a name part of ${name.length} characters; the limit is 63`;
  if (!QUALIFIED_NAME.test(name)) return 'must consist of letters, digits, "-", "_" and "." and start and end with a letter or digit (with an optional DNS prefix and "/")';
  return undefined;
}

export function labelValue(v: string): string | undefined {
  if (v.length > 63) return `is ${v.length} characters long; the limit is 63`;
  if (!LABEL_VALUE.test(v)) return 'must be empty or consist of letters, digits, "-", "_" and ".", starting and ending with a letter or digit';
  return undefined;
}

type NameCheck = (v: string) => string | undefined;

/** How the API server validates metadata.name, per kind (pkg/apis/<group>/validation). */
const NAME_RULES: Record<string, { check: NameCheck; what: string; max?: number; maxWhy?: string }> = {};
const subdomain = { check: dns1123Subdomain, what: 'a DNS-1123 subdomain' };
for (const k of ['ConfigMap', 'Secret', 'Pod', 'Deployment', 'ReplicaSet', 'DaemonSet', 'StatefulSet', 'ReplicationController', 'ServiceAccount', 'PersistentVolume', 'PersistentVolumeClaim', 'Ingress', 'IngressClass', 'NetworkPolicy', 'StorageClass', 'PodDisruptionBudget', 'PriorityClass', 'Node', 'ResourceQuota', 'LimitRange', 'PodTemplate', 'Endpoints', 'EndpointSlice', 'RuntimeClass', 'CSIDriver', 'VolumeAttachment', 'MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration']) NAME_RULES[k] = subdomain;
NAME_RULES.Job = { ...subdomain, max: 63, maxWhy: 'the Job controller puts the name in the job-name label of its pods, and label values are limited to 63 characters' };
NAME_RULES.CronJob = { ...subdomain, max: 52, maxWhy: 'the CronJob controller appends an 11-character suffix to name its Jobs' };
NAME_RULES.Namespace = { check: dns1123Label, what: 'a DNS-1123 label' };
NAME_RULES.Service = { check: dns1035Label, what: 'a DNS-1035 label' };
for (const k of ['Role', 'ClusterRole', 'RoleBinding', 'ClusterRoleBinding']) NAME_RULES[k] = { check: pathSegment, what: 'a valid path segment' };

/** Why `name` is not a valid metadata.name for `kind`, or undefined; unknown kinds are not judged. */
export function nameProblem(kind: string, name: string): { problem: string; what: string } | undefined {
  const rule = NAME_RULES[kind];
  if (!rule) return undefined;
  const bad = rule.check(name);
  if (bad) return { problem: bad, what: rule.what };
  if (rule.max && name.length > rule.max) return { problem: `is ${name.length} characters long; the limit for a ${kind} is ${rule.max} because ${rule.maxWhy}`, what: rule.what };
  return undefined;
}

/** IANA_SVC_NAME, for container port names: at most 15 characters, lower-case letters, digits and single "-". */
export function ianaSvcName(v: string): string | undefined {
  if (v.length > 15) return `is ${v.length} characters long; the limit is 15`;
  if (!/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/.test(v)) return 'must consist of lower-case letters, digits and "-", and start and end with a letter or digit';
  if (v.includes('--')) return 'may not contain "--"';
  if (!/[a-z]/.test(v)) return 'must contain at least one letter';
  return undefined;
}

/** ConfigMap and Secret keys. */
export function configKey(v: string): string | undefined {
  if (v.length > 253) return `is ${v.length} characters long; the limit is 253`;
  if (!/^[-._a-zA-Z0-9]+$/.test(v)) return 'may only contain letters, digits, "-", "_" and "."';
  if (v === '.' || v === '..') return `may not be "${v}"`;
  return undefined;
}
