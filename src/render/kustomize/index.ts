/**
 * Built-in kustomize: `buildKustomization(dir, host)` builds like `kubectl kustomize` (kustomize v5) and
 * keeps, for every value, the file line that produced it; `emitDocuments` turns the result into YAML text
 * with one origin per line.
 */
export { buildKustomization, componentFiles, findKustomizationFile, KUSTOMIZATION_FILES } from './build.js';
export type { Built, BuildHost, BuildResult, HelmChartOptions, KustomizeProblem } from './context.js';
export { nameHash } from './generators.js';
export { emitDocuments, type Emitted, type LineOrigin } from './emit.js';
export type { Origin } from './nodes.js';
