/**
 * Built-in Helm v4 chart renderer: no helm binary needed.
 *
 * - Go text/template (parse.ts, exec.ts) with Go fmt printing (gofmt.ts) and Go value semantics (values.ts:
 *   float64 values, typed ints, nil vs missing, truthiness, typed comparisons);
 * - the Sprig functions Helm exposes plus Helm's own (funcs.ts, engine.ts: include, tpl, required, fail, toYaml,
 *   fromYaml, toJson, lookup, ...), toYaml with go-yaml v2's quoting/ordering/folding (yaml.ts);
 * - charts (chart.ts): directories and .tgz archives, .helmignore, subcharts, dependencies (condition, tags, alias,
 *   import-values), library charts, globals, values.schema.json (schema.ts), --set parsing (strvals.ts);
 * - `helm template`-style output (format.ts): documents split and sorted by kind install order, hooks last.
 *
 * Usage (load lazily, only when a chart is found):
 *   const { renderChart, formatAsHelmTemplate } = await import('./render/helm/index.js');
 *   const res = renderChart(dir, { valuesFiles: ['prod.yaml'], set: ['replicas=3'] });
 *   res.templates   // one entry per rendered template file, with lineMap back to the template source
 *   res.errors      // parse/execution/values/schema errors with file and line; renderChart never throws
 *   formatAsHelmTemplate(res)  // the exact text `helm template` prints
 *   manifestErrors(res)        // documents `helm template` would refuse (invalid YAML / not a mapping)
 */
import { renderChartImpl } from './engine.js';
import { isChartDir as isChartDirImpl } from './chart.js';
import type { HelmRenderOptions, RenderResult } from './types.js';

export type { HelmRenderOptions, RenderedTemplate, HelmError, RenderResult } from './types.js';
export { formatAsHelmTemplate, splitManifests, splitManifestsWithOffsets, manifestDocs, manifestErrors, INSTALL_ORDER } from './format.js';

/** Render a chart directory (or .tgz) like `helm template` (release 'release-name', namespace 'default' by default). */
export function renderChart(chartDir: string, opts: HelmRenderOptions = {}): RenderResult {
  try {
    return renderChartImpl(chartDir, opts);
  } catch (e) {
    return { chartName: '', templates: [], errors: [{ file: chartDir, line: 1, message: `internal renderer error: ${(e as Error)?.stack ?? String(e)}` }], values: {} };
  }
}

/** True when `dir` is a directory containing a Chart.yaml. */
export function isChartDir(dir: string): boolean {
  return isChartDirImpl(dir);
}
