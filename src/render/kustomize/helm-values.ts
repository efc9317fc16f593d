/**
 * The values kustomize's HelmChartInflationGenerator hands to `helm template`: one values file (`valuesFile`,
 * by default the chart's own values.yaml, which must exist), combined with `valuesInline` as `valuesMerge`
 * says (kustomize v5.7): `override` (the default) merges the inline values over the file, `merge` merges the
 * file over the inline values, `replace` passes the inline values alone. Helm itself still starts from the
 * chart's values.yaml, and `additionalValuesFiles` follow.
 */
import { isObj, type Obj } from './nodes.js';

export const VALUES_MERGE = ['override', 'replace', 'merge'] as const;
export type ValuesMerge = (typeof VALUES_MERGE)[number];

/** kyaml's merge2 of plain values: `src` fields win, a null in `src` removes the field, maps merge deeply. */
export function mergeValues(src: unknown, dest: unknown): unknown {
  if (!isObj(src) || !isObj(dest)) return src === undefined ? dest : src;
  const out: Obj = { ...dest };
  for (const [k, v] of Object.entries(src)) {
    if (v === null) delete out[k];
    else out[k] = k in out ? mergeValues(v, out[k]) : v;
  }
  return out;
}

/**
 * What to render with: the values file's content and the inline values combined (undefined when there are no
 * inline values: the file is passed as it is).
 */
export function combinedValues(mode: ValuesMerge, fileValues: unknown, inline: Obj | undefined): Obj | undefined {
  if (!inline || !Object.keys(inline).length) return undefined;
  if (mode === 'replace') return inline;
  const file = isObj(fileValues) ? fileValues : {};
  const merged = mode === 'override' ? mergeValues(inline, file) : mergeValues(file, inline);
  return isObj(merged) ? merged : {};
}

/**
 * What `helm template` assumes when kustomize runs it without `kubeVersion`/`apiVersions`: kustomize v5.7
 * runs helm v3 (kubectl's recorded builds: v3.17), whose defaults are its client-go's, Kubernetes 1.32.
 * The built-in renderer follows helm v4 (1.35): the version and the group versions 1.32 serves that 1.35 no
 * longer does are handed to it. (The three 1.35 adds, resource.k8s.io/v1 and v1beta2 and
 * storagemigration.k8s.io/v1beta1, stay in its set: the renderer takes extra API versions only.)
 */
export const HELM_V3_KUBE_VERSION = 'v1.32.0';
export const HELM_V3_ONLY_API_VERSIONS = ['networking.k8s.io/v1alpha1', 'storagemigration.k8s.io/v1alpha1'];
