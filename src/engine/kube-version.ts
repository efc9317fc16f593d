/**
 * The target Kubernetes version, checked the same way wherever it comes from (`--kube-version`, the Action's
 * `kube-version` input, `kubeVersion` in the configuration, the library's `kubeVersion` option). A value that is
 * not a version would otherwise compare as "before every removal" and silently turn the API lifecycle rules off.
 */

/** The forms accepted: `1.34`, `v1.34`, `1.34.2`, `v1.34.2`. */
export const KUBE_VERSION_FORMS = '1.MINOR or 1.MINOR.PATCH, optionally with a leading v (such as 1.34, v1.34.2)';

/**
 * The lowest minor accepted. Kubernetes 1.0 to 1.9 predate every API version k8s-audit knows, and such a value
 * is most often a YAML number that lost its trailing zero (`1.30` unquoted is the number 1.3).
 */
const MIN_MINOR = 10;

/** The version without its `v`, or a message saying what is wrong and which forms are accepted. */
export function checkKubeVersion(value: unknown): { version: string } | { error: string } {
  if (typeof value !== 'string') {
    const hint = typeof value === 'number' ? ` (a YAML number: quote it, "${value}"${/^1\.\d$/.test(String(value)) ? ` or "${value}0"` : ''})` : '';
    return { error: `is not a version${hint}; expected ${KUBE_VERSION_FORMS}` };
  }
  const m = /^v?(1)\.(0|[1-9]\d{0,2})(?:\.(0|[1-9]\d{0,3}))?$/.exec(value.trim());
  if (!m) return { error: `"${value}" is not a Kubernetes version; expected ${KUBE_VERSION_FORMS}` };
  const minor = Number(m[2]);
  if (minor < MIN_MINOR) {
    const hint = m[3] === undefined ? ` (did you mean 1.${m[2]}0? An unquoted 1.${m[2]}0 in YAML is the number 1.${m[2]}: quote it)` : '';
    return { error: `"${value}" is older than any API version k8s-audit knows${hint}; expected ${KUBE_VERSION_FORMS}` };
  }
  return { version: value.trim().replace(/^v/, '') };
}
