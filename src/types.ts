/** Shared contracts: severities, paths, positions, findings and the JSON report. */

export type Severity = 'error' | 'warning' | 'info';
export const SEVERITIES: readonly Severity[] = ['error', 'warning', 'info'];
export const severityRank: Record<Severity | 'none', number> = { error: 3, warning: 2, info: 1, none: 4 };

/** A path inside a parsed document, e.g. ['spec', 'template', 'spec', 'containers', 0, 'image']. */
export type Path = readonly (string | number)[];

/** 1-based line and column, end exclusive in the SARIF sense (endColumn points one past the last char). */
export interface Range {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

export interface Location extends Range {
  /** Path relative to the working directory, forward slashes. */
  file: string;
}

export interface ResourceRef {
  apiVersion: string;
  kind: string;
  name: string;
  namespace: string;
}

export interface RelatedLocation extends Location {
  message: string;
}

export interface Finding extends Location {
  ruleId: string;
  severity: Severity;
  message: string;
  resource: ResourceRef | null;
  hint: string;
  /** Where the finding came from when it is not obvious: a chart scenario, a guide's virtual file. */
  context?: string;
  related?: RelatedLocation[];
  /** Stable across runs and line moves: rule, file, object and path (used for SARIF partialFingerprints). */
  fingerprint?: string;
}

export interface SuppressedFinding extends Finding {
  reason: string;
  /** How it was suppressed: annotation, comment or config. */
  via: 'annotation' | 'comment' | 'config';
}

export interface Summary {
  files: number;
  resources: number;
  errors: number;
  warnings: number;
  infos: number;
  suppressed: number;
  /** YAML documents that are not Kubernetes objects (no apiVersion/kind), skipped quietly. */
  skipped: number;
}

export interface Report {
  tool: { name: 'k8s-audit'; version: string };
  findings: Finding[];
  suppressed: SuppressedFinding[];
  summary: Summary;
}
