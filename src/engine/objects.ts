/** What counts as a Kubernetes object in a parsed document. */

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyRecord = Record<string, any>;

export function isObjectLike(v: unknown): v is AnyRecord {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Has two of apiVersion, kind and metadata: meant as a Kubernetes object. */
export function isKubeLike(v: AnyRecord): boolean {
  return ('apiVersion' in v && 'kind' in v) || ('kind' in v && 'metadata' in v) || ('apiVersion' in v && 'metadata' in v);
}

export function isValidObject(v: AnyRecord): boolean {
  return (
    typeof v.apiVersion === 'string' &&
    v.apiVersion !== '' &&
    typeof v.kind === 'string' &&
    v.kind !== '' &&
    (v.metadata === undefined || v.metadata === null || isObjectLike(v.metadata))
  );
}

/**
 * Configuration files of tools that look like API objects but are never sent to the API server: read by
 * kustomize, istioctl, kind, k3d, Skaffold, kubeadm, the kubelet or kubectl itself. Recognised by apiVersion
 * group and shape, not by file name; skipped quietly and counted, like other non-Kubernetes YAML.
 */
const TOOL_CONFIG_GROUPS = new Set([
  'kustomize.config.k8s.io', // Kustomization, Component (a build's input)
  'install.istio.io', // IstioOperator given to istioctl install
  'kind.x-k8s.io', // kind cluster configs
  'k3d.io', // k3d cluster configs
  'ctlptl.dev',
  'kubeadm.k8s.io', // ClusterConfiguration, InitConfiguration, JoinConfiguration
  'kubelet.config.k8s.io',
  'kubeproxy.config.k8s.io',
  'kubescheduler.config.k8s.io',
  'apiserver.config.k8s.io', // EncryptionConfiguration, AdmissionConfiguration: API server flags' files
  'apiserver.k8s.io',
  'audit.k8s.io', // audit policy
  'client.authentication.k8s.io', // exec credential plugins
  'config.kubernetes.io', // kpt/kyaml function configs
  'kpt.dev',
  'skaffold',
]);

export function isToolConfig(v: AnyRecord): boolean {
  const av = typeof v.apiVersion === 'string' ? v.apiVersion : '';
  const slash = av.indexOf('/');
  const group = slash < 0 ? '' : av.slice(0, slash);
  if (TOOL_CONFIG_GROUPS.has(group)) return true;
  // a kubeconfig: apiVersion v1, kind Config, with clusters/contexts/users
  if (av === 'v1' && v.kind === 'Config' && ('clusters' in v || 'contexts' in v || 'users' in v)) return true;
  return false;
}
