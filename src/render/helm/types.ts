export interface HelmRenderOptions {
  valuesFiles?: string[]; // -f, in order
  set?: string[];
  setString?: string[];
  setFile?: string[];
  setJson?: string[];
  releaseName?: string; // default 'release-name'
  namespace?: string; // default 'default'
  kubeVersion?: string; // e.g. '1.31' -> .Capabilities.KubeVersion
  extraValues?: unknown; // already-parsed values object merged after files (for scenarios)
  includeCrds?: boolean; // formatAsHelmTemplate: print crds/ files first, like `helm template --include-crds`
  apiVersions?: string[]; // extra .Capabilities.APIVersions, like `helm template --api-versions` (e.g. 'monitoring.coreos.com/v1')
  isUpgrade?: boolean; // .Release.IsUpgrade true / IsInstall false, like `helm template --is-upgrade`
  root?: string; // real path of the scanned tree: chart files (through links) and file:// dependencies outside it are not read
}

export interface RenderedTemplate {
  /** chart-relative source path as Helm prints in '# Source:' e.g. 'mychart/templates/deployment.yaml' */
  template: string;
  /** path of the template file on disk (archive members: '<archive.tgz>#<path>') */
  file: string;
  /** rendered output of that template */
  text: string;
  /** lineMap[i] = 1-based line in `file` of the template text that produced output line i+1 */
  lineMap: number[];
}

export interface HelmError {
  file: string;
  line: number;
  column?: number;
  message: string;
}

export interface RenderResult {
  chartName: string;
  templates: RenderedTemplate[];
  /** static files under crds/ of the chart and its enabled subcharts (not templated), e.g. 'mychart/crds/x.yaml' */
  crds?: RenderedTemplate[];
  /** set when rendered with includeCrds */
  includeCrds?: boolean;
  errors: HelmError[];
  values: unknown;
  /** What the chart asked for outside the scanned tree (links, `..` in .Files, remote $refs): refused, not read. */
  refused?: HelmError[];
  /** Strings the templates generated (randAlphaNum, genPrivateKey, ...): in the output, not in the repository. */
  generated?: ReadonlySet<string>;
}
