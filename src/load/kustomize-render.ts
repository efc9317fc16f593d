/**
 * `k8s-audit render DIR` on a kustomization: the built-in build's objects as `kubectl kustomize DIR` prints
 * them (same objects, same order), or the errors kustomize would stop at. The lint reads the same build;
 * this is the view of it a user (or a test against kubectl's output) can compare.
 */
import path from 'node:path';
import { inflatesHelm, renderHelmChart } from './kustomize.js';
import { displayPath } from './files.js';
import { repositoryOf } from './sandbox.js';
import type { KustomizeProblem } from '../render/kustomize/index.js';

export interface KustomizeRender {
  /** The built objects, plain data, in kustomize's output order. */
  objects: Record<string, unknown>[];
  /** What makes kustomize fail: nothing is printed when there is one. */
  errors: KustomizeProblem[];
  /** What the build could not know (remote bases, plugins) or refused to read: the output misses it. */
  partial: KustomizeProblem[];
  /** `kustomize build <dir>`, the build the problems concern. */
  build: string;
}

export async function renderKustomizationDir(dir: string, opts: { cwd: string; root?: string }): Promise<KustomizeRender> {
  const k = await import('../render/kustomize/index.js');
  const abs = path.resolve(opts.cwd, dir);
  // As `kubectl kustomize DIR`, which follows bases wherever they are (only a kustomization's own files must sit
  // below it): the repository bounds what a render reads; a directory outside any repository is not bounded.
  // (The lint, which runs on untrusted trees in CI, keeps treeRootOf's boundary.)
  const root = opts.root ?? repositoryOf(abs) ?? path.parse(path.resolve(abs)).root;
  const display = (f: string) => displayPath(opts.cwd, f);
  let result = k.buildKustomization(abs, { root, display });
  // helmCharts may sit in any base: the Helm renderer loads (and the build runs again) only when a
  // kustomization the build read inflates a chart
  const inflates = [...result.files].some((f) => k.KUSTOMIZATION_FILES.includes(path.basename(f)) && inflatesHelm(f));
  if (inflates) {
    const helm = await import('../render/helm/index.js');
    const nodes = await import('../render/kustomize/nodes.js');
    result = k.buildKustomization(abs, { root, display, renderHelm: (chartDir, h) => renderHelmChart(helm, nodes, chartDir, h, { cwd: opts.cwd, helm: {} }, root) });
  }
  const build = `kustomize build ${path.resolve(opts.cwd) === abs ? '.' : displayPath(opts.cwd, abs)}`;
  return {
    // plain data: the origins the lint keeps are not part of what kustomize prints
    objects: result.objects.map((b) => JSON.parse(JSON.stringify(b.obj)) as Record<string, unknown>),
    errors: result.problems.filter((p) => p.kind === 'error'),
    partial: result.problems.filter((p) => p.kind !== 'error'),
    build,
  };
}

/** YAML as kustomize writes it: documents separated by `---`, block style, lists not indented under their key. */
export async function formatKustomizeYaml(objects: Record<string, unknown>[]): Promise<string> {
  const { yamlLib } = await import('../parse/yaml-lib.js');
  const Y = yamlLib();
  return objects.map((o) => Y.stringify(o, { indentSeq: false, lineWidth: 0, version: '1.1' })).join('---\n');
}
