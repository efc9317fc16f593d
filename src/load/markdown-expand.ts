/**
 * A guide as engine input: its SourceTexts (manifests and named YAML files, mapped to the guide), plus the
 * virtual charts it teaches, rebuilt in a temporary directory, rendered by the built-in Helm renderer with
 * their default values and with each values file the guide gives, and mapped back to the template lines in
 * the guide.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { MappedPosition, SourceText } from '../parse/source.js';
import type { ExpandOptions, Expanded } from './expand.js';
import { templatePosition } from './chart.js';
import { analyseGuide, guideSources, type GuideAnalysis, type VirtualChart, type VirtualFile } from './markdown.js';
import { writeInside } from './sandbox.js';
import { parseSource } from '../parse/documents.js';

export async function expandGuide(text: string, file: string, opts: ExpandOptions): Promise<Expanded> {
  const a = analyseGuide(text, file);
  const out: Expanded = { sources: guideSources(a), problems: [] };
  for (const chart of a.charts) {
    if (![...chart.files.keys()].some((p) => p.startsWith('templates/') && !/(^|\/)(_[^/]*|NOTES\.txt)$/.test(p))) continue;
    try {
      await renderVirtualChart(a, chart, opts, out);
    } catch (e) {
      process.stderr.write(`k8s-audit: could not render the chart ${chart.root} of ${file}: ${(e as Error)?.message ?? e}\n`);
    }
  }
  return out;
}

/**
 * Write a virtual chart (and its scenarios) under `dir`; returns chart dir and scenario file paths, and the
 * files whose captions would leave the chart (`../x`, `/etc/x`), which are not written.
 */
export function writeVirtualChart(chart: VirtualChart, dir: string): { chartDir: string; scenarios: string[]; refused: { file: VirtualFile; reason: string }[] } {
  const chartDir = path.join(dir, 'chart');
  const refused: { file: VirtualFile; reason: string }[] = [];
  for (const [rel, vf] of chart.files) {
    try {
      writeInside(chartDir, rel, vf.text);
    } catch (e) {
      refused.push({ file: vf, reason: (e as Error).message.split(chartDir).join('the chart') });
    }
  }
  if (!chart.files.has('Chart.yaml') && !chart.files.has('Chart.yml')) {
    writeInside(chartDir, 'Chart.yaml', `apiVersion: v2\nname: ${chart.name.replace(/[^\w.-]/g, '-') || 'chart'}\nversion: 0.1.0\n`);
  }
  const scenarios = chart.scenarios.map((s, i) => {
    const p = path.join(dir, 'scenarios', `${i}.yaml`);
    writeInside(path.dirname(p), path.basename(p), s.file.text);
    return p;
  });
  return { chartDir, scenarios, refused };
}

async function renderVirtualChart(a: GuideAnalysis, chart: VirtualChart, opts: ExpandOptions, out: Expanded): Promise<void> {
  let helm: typeof import('../render/helm/index.js');
  try {
    helm = await import('../render/helm/index.js');
  } catch {
    return;
  }
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'k8s-audit-guide-'));
  try {
    const { chartDir, scenarios, refused } = writeVirtualChart(chart, tmp);
    for (const r of refused) out.problems.push({ file: a.file, line: r.file.line, column: 1, problem: { kind: 'unsafe', message: `chart ${chart.root === '.' ? chart.name : chart.root}: ${r.reason}` } });
    const runs: { name: string; group: string; values?: string; scenarioFile?: VirtualFile }[] = [{ name: 'default values', group: `md:${a.file}` }];
    chart.scenarios.forEach((s, i) => runs.push({ name: s.name, group: `md:${a.file}#${s.name}`, values: scenarios[i], scenarioFile: s.file }));
    const realChartDir = fs.realpathSync(chartDir);
    const toVirtual = (diskFile: string): VirtualFile | undefined => {
      let abs = diskFile;
      try {
        abs = fs.realpathSync(diskFile);
      } catch {
        /* keep */
      }
      const rel = path.relative(realChartDir, abs).split(path.sep).join('/');
      if (!rel.startsWith('..')) return chart.files.get(rel);
      return undefined;
    };
    // Values a scenario sets that no template of the chart reads.
    const { valuesReaders, unreadKeys } = await import('../render/helm/unread.js');
    const chartYaml = parseSource({ file: a.file, text: chart.files.get('Chart.yaml')?.text ?? '', format: 'yaml', origin: 'file', group: '' })[0]?.value;
    const readers = valuesReaders(new Map([...chart.files].map(([p, f]) => [p, f.text])), chart.scenarios.map((s) => s.file.text), chartYaml);
    if (readers) {
      for (const s of chart.scenarios) {
        const doc = parseSource({ file: a.file, text: s.file.text, format: 'yaml', origin: 'file', group: '' })[0];
        if (!doc || !doc.value || typeof doc.value !== 'object') continue;
        for (const key of unreadKeys(doc.value, readers.refs, readers.skip)) {
          const r = doc.locate(key);
          const pos = s.file.mapPosition(r.line, r.column);
          out.problems.push({ file: a.file, line: pos.line, column: pos.column, problem: { kind: 'values-unread', message: `The value "${key.join('.')}" set by ${s.name} is read by no template of chart ${chart.name}: setting it changes nothing` } });
        }
      }
    }
    for (const run of runs) {
      const result = helm.renderChart(chartDir, {
        valuesFiles: run.values ? [run.values] : [],
        kubeVersion: opts.helm.kubeVersion,
        apiVersions: opts.helm.apiVersions,
        namespace: opts.helm.namespace,
        releaseName: opts.helm.releaseName,
        root: realChartDir,
      });
      const where = `chart ${chart.root === '.' ? chart.name : chart.root}, ${run.name}`;
      // Subcharts a guide pulls from a repository cannot be in it: not a defect of the guide, and errors of
      // templates that read those subcharts' values could be artefacts of their absence, so none is reported.
      const partialChart = result.errors.some((e) => /missing in charts\/ directory/.test(e.message));
      for (const err of partialChart ? [] : result.errors) {
        let pos: MappedPosition | undefined;
        const vf = toVirtual(err.file);
        if (vf) pos = vf.mapPosition(Math.max(err.line, 1), err.column ?? 1);
        else if (run.values && path.resolve(err.file) === path.resolve(run.values) && run.scenarioFile) pos = run.scenarioFile.mapPosition(Math.max(err.line, 1), 1);
        const msg = err.message.split(tmp).join(chart.root === '.' ? '' : chart.root).replace(/\/chart\//g, '/');
        out.problems.push({ file: a.file, line: pos?.line ?? chart.scenarios[0]?.file.line ?? 1, column: pos?.column ?? 1, problem: { kind: 'chart', message: `${where}: ${msg}` } });
      }
      for (const r of result.refused ?? []) {
        const vf = toVirtual(r.file);
        const pos = vf?.mapPosition(Math.max(r.line, 1), r.column ?? 1);
        out.problems.push({ file: a.file, line: pos?.line ?? 1, column: pos?.column ?? 1, problem: { kind: 'unsafe', message: `${where}: ${r.message.split(tmp).join('')}` } });
      }
      for (const t of result.templates) {
        if (!t.text.trim()) continue;
        const vf = toVirtual(t.file);
        if (!vf) continue;
        const tplLines = vf.text.split('\n');
        const outLines = t.text.split('\n');
        const directives = vf.units[0]?.block.directives;
        const src: SourceText = {
          file: a.file,
          text: t.text,
          format: 'yaml',
          origin: 'helm',
          group: run.group,
          context: `${where}, template ${vf.path}`,
          comments: false,
          directives: directives?.length ? directives : undefined,
          ...(result.generated?.size ? { generated: result.generated } : {}),
          mapPosition: (line, column) => {
            const at = templatePosition(t, tplLines, outLines, line, column);
            return vf.mapPosition(at.line, at.column);
          },
        };
        out.sources.push(src);
      }
    }
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}
