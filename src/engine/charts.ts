/**
 * Each chart's Helm settings. Three layers, later ones adding to (values, set) or replacing (release name,
 * namespace) earlier ones:
 * 1. the configuration's `helm:` section, for every chart;
 * 2. the configuration's `charts:` entry for the chart (keyed by its path relative to the configuration);
 * 3. the command line's -f/--set/--set-string/--set-file/--set-json, for the chart(s) the command line names:
 *    a chart directory (or .tgz) given as a path, or a file inside one; when the paths given are directories
 *    holding charts, the values go to the one chart found under them, and more than one is a usage error (a
 *    values file meant for one chart would break the others' rendering). --release-name names every chart's
 *    release; --api-versions and the target version describe the cluster, for every chart.
 */
import path from 'node:path';
import type { HelmSettings } from '../load/expand.js';
import type { Input } from '../load/files.js';
import { realpathOrUndefined } from '../load/sandbox.js';
import type { ChartSettings, LoadedConfig, Config } from './config.js';
import { UsageError } from './settings.js';

const real = (p: string) => realpathOrUndefined(p) ?? path.resolve(p);

function isWithin(dir: string, p: string): boolean {
  const rel = path.relative(dir, p);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/** Whether the command line gave values of its own for charts. */
function cliValues(h: HelmSettings | undefined): boolean {
  return !!(h?.values?.length || h?.set?.length || h?.setString?.length || h?.setFile?.length || h?.setJson?.length);
}

/**
 * A function from a chart input to its settings. `common` is what every input gets (the configuration's
 * helm section, the cluster's API versions and version, the default namespace); `cli` the command line's.
 */
export function chartSettings(opts: { cwd: string; cfg: Config; loaded: LoadedConfig; common: HelmSettings; cli: HelmSettings | undefined; paths: readonly string[]; charts: readonly Input[] }): (chart: Input) => HelmSettings {
  const { cwd, cfg, loaded, common, cli, paths, charts } = opts;
  const cfgDir = loaded.file ? path.dirname(loaded.file) : cwd;
  const entries = Object.entries(cfg.charts ?? {}).map(([key, s]) => ({ key, dir: real(path.resolve(cfgDir, key)), s }));
  const named = namedCharts(cwd, paths, charts);
  if (cliValues(cli) && named.size === 0 && charts.length > 1) {
    const list = charts.map((c) => c.rel).slice(0, 5).join(', ');
    throw new UsageError(`-f/--set were given and ${charts.length} charts were found (${list}${charts.length > 5 ? ', ...' : ''}); name the chart they are for (k8s-audit -f values.yaml ${charts[0].rel}), or give each chart its values under charts: in .k8s-audit.yaml`);
  }
  return (chart) => {
    const abs = real(chart.abs);
    const entry = entries.find((e) => e.dir === abs)?.s;
    const out: HelmSettings = { ...common, values: [...(common.values ?? [])], set: [...(common.set ?? [])], apiVersions: [...(common.apiVersions ?? [])] };
    if (entry) applyEntry(out, entry, cfgDir);
    if (named.has(chart) || (named.size === 0 && charts.length === 1)) {
      out.values!.push(...(cli?.values ?? []));
      out.set!.push(...(cli?.set ?? []));
      out.setString = cli?.setString;
      out.setFile = cli?.setFile;
      out.setJson = cli?.setJson;
    }
    if (cli?.releaseName) out.releaseName = cli.releaseName;
    return out;
  };
}

function applyEntry(out: HelmSettings, e: ChartSettings, cfgDir: string): void {
  // values files of a charts: entry are relative to the configuration, as everything it names
  out.values!.push(...(e.values ?? []).map((v) => path.resolve(cfgDir, v)));
  out.set!.push(...(e.set ?? []));
  out.apiVersions!.push(...(e.apiVersions ?? []));
  if (e.releaseName) out.releaseName = e.releaseName;
  if (e.namespace) out.namespace = e.namespace;
}

/** The charts a command-line path names: the chart itself, or a file inside it. */
function namedCharts(cwd: string, paths: readonly string[], charts: readonly Input[]): Set<Input> {
  const out = new Set<Input>();
  for (const p of paths) {
    const abs = real(path.resolve(cwd, p));
    for (const c of charts) {
      const dir = real(c.abs);
      if (isWithin(dir, abs)) out.add(c);
    }
  }
  return out;
}
