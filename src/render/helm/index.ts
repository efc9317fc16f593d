// Built-in Helm v4 chart renderer (no helm binary needed).
import { renderChartImpl } from './engine.js';
import { isChartDir as isChartDirImpl } from './chart.js';
import type { HelmRenderOptions, RenderResult } from './types.js';

export type { HelmRenderOptions, RenderedTemplate, HelmError, RenderResult } from './types.js';
export { formatAsHelmTemplate, splitManifests, splitManifestsWithOffsets, manifestDocs, manifestErrors, INSTALL_ORDER } from './format.js';

export function renderChart(chartDir: string, opts: HelmRenderOptions = {}): RenderResult {
  try {
    return renderChartImpl(chartDir, opts);
  } catch (e) {
    return { chartName: '', templates: [], errors: [{ file: chartDir, line: 1, message: `internal renderer error: ${(e as Error)?.stack ?? String(e)}` }], values: {} };
  }
}

export function isChartDir(dir: string): boolean {
  return isChartDirImpl(dir);
}
