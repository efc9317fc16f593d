/**
 * kustomize's HelmChartInflationGenerator for local charts: the values it hands `helm template` and what
 * helm v3 assumes, rendered by the built-in Helm renderer the host provides. Nothing is pulled.
 */
import fs from 'node:fs';
import path from 'node:path';
import { isObj, loadDocuments, originOfItem, originOfKey, type Obj, type Origin } from './nodes.js';
import { combinedValues, HELM_V3_KUBE_VERSION, HELM_V3_ONLY_API_VERSIONS, VALUES_MERGE, type ValuesMerge } from './helm-values.js';
import { type Kust, Ctx, str, list } from './context.js';

export function inflateHelm(kust: Kust, h: Obj, at: Origin | undefined, ctx: Ctx): Obj[] {
  const name = str(h.name);
  const globals = isObj(kust.k.helmGlobals) ? kust.k.helmGlobals : {};
  const home = str(globals.chartHome) || 'charts';
  const candidates = [path.join(home, name), ...(h.version ? [path.join(home, `${name}-${str(h.version)}`, name)] : [])];
  let chartDir: string | undefined;
  for (const c of candidates) {
    const abs = path.resolve(kust.dir, c);
    if (fs.existsSync(path.join(abs, 'Chart.yaml'))) {
      chartDir = ctx.resolve(kust, c, at, 'chart');
      break;
    }
  }
  if (!chartDir) {
    ctx.problem('unsupported', at, kust.display, `the chart "${name}" is not under ${home}/ ${h.repo ? `(it would be pulled from ${str(h.repo)}; nothing is fetched)` : ''}; what it renders is not linted`);
    return [];
  }
  if (!ctx.host.renderHelm) return [];
  const mode = (str(h.valuesMerge) || 'override') as ValuesMerge;
  if (!VALUES_MERGE.includes(mode)) {
    ctx.problem('error', originOfKey(h, 'valuesMerge') ?? at, kust.display, `helmCharts "${name}": valuesMerge must be one of [${VALUES_MERGE.join(' ')}]; kustomize build fails here`);
    return [];
  }
  // the values file kustomize passes: the one named, or the chart's values.yaml; either must exist
  const valuesFile = h.valuesFile ? ctx.resolveLocal(kust, str(h.valuesFile), originOfKey(h, 'valuesFile') ?? at, 'values file') : ctx.resolve(kust, path.relative(kust.dir, path.join(chartDir, 'values.yaml')), at, "chart's values file");
  if (!valuesFile) return [];
  const additional: string[] = [];
  list(h.additionalValuesFiles).forEach((v, i) => {
    const abs = ctx.resolveLocal(kust, str(v), originOfItem(h.additionalValuesFiles as unknown[], i) ?? at, 'additional values file');
    if (abs) additional.push(abs);
  });
  let fileValues: unknown;
  const inline = isObj(h.valuesInline) ? h.valuesInline : undefined;
  if (inline && Object.keys(inline).length && mode !== 'replace') {
    const text = ctx.readText(valuesFile, kust, at, 'values file');
    try {
      fileValues = text === undefined ? {} : loadDocuments(text, ctx.host.display(valuesFile))[0]?.value;
    } catch (e) {
      ctx.problem('error', originOfKey(h, 'valuesFile') ?? at, kust.display, `helmCharts "${name}": could not parse values file into rnode: ${(e as Error).message}; kustomize build fails here`);
      return [];
    }
  }
  const combined = combinedValues(mode, fileValues, inline);
  const r = ctx.host.renderHelm(chartDir, {
    releaseName: str(h.releaseName) || 'release-name',
    namespace: h.namespace ? str(h.namespace) : undefined,
    // combined values replace the file; the additional files come after it (here, before the inline values
    // the renderer applies last: the same unless both set one key)
    valuesFiles: combined ? additional : [valuesFile, ...additional],
    valuesInline: combined,
    includeCrds: h.includeCRDs === true,
    kubeVersion: h.kubeVersion ? str(h.kubeVersion) : undefined,
    defaultKubeVersion: HELM_V3_KUBE_VERSION,
    apiVersions: [...HELM_V3_ONLY_API_VERSIONS, ...list(h.apiVersions).map(str)],
  });
  for (const e of r.errors) ctx.problem('error', { file: e.file, line: e.line, column: 1 }, kust.display, `helmCharts "${name}": ${e.message}`);
  return r.docs;
}
