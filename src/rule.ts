/** The rule contract: data (meta) plus pure checks. Rules report paths; the engine turns them into positions. */
import type { Path, Severity } from './types.js';
import type { Resource } from './graph/resource.js';
import type { ResourceGraph } from './graph/graph.js';
import type { ParsedDocument } from './parse/documents.js';

export type Category =
  | 'syntax'
  | 'schema'
  | 'security'
  | 'reliability'
  | 'resources'
  | 'networking'
  | 'storage'
  | 'configuration'
  | 'autoscaling'
  | 'observability'
  | 'correctness'
  | 'lifecycle'
  | 'meta';

export interface PeerCheck {
  tool: 'kube-linter' | 'polaris' | 'kube-score' | 'checkov' | 'trivy' | 'pluto' | 'kubeconform';
  id: string;
}

export interface RuleMeta<M extends string = string> {
  /** One line, verb first, no trailing period. */
  description: string;
  category: Category;
  severity: Severity;
  /** On by default. Rules with false are opt-in (config `rules: {id: warning}` or `profile: all`). */
  recommended: boolean;
  /** Kinds (or groups such as 'Workload', or '*') the engine calls `check` for. */
  kinds: readonly string[];
  /** Message templates with {{placeholders}}; the message names the defect and why it matters. */
  messages: Record<M, string>;
  docs: {
    rationale: string;
    /** How to fix; also the finding's hint. */
    remediation: string;
    references?: readonly string[];
    /** Where a rule that is not built in is defined (a configuration's customRules), shown instead of a docs page. */
    definedIn?: string;
  };
  /** Equivalent checks in peer tools. */
  peers?: readonly PeerCheck[];
  /** `checkDocument` also sees Helm values files and guide excerpts that are read for values only. */
  readsValues?: boolean;
  /**
   * The rule reports what an object lacks (a probe, a limit, a required field). It does not run on excerpts
   * (a guide block presented as a patch or with parts elided), where what is absent was only left out.
   */
  completeness?: boolean;
}

export interface Related {
  resource: Resource;
  path?: Path;
  message: string;
}

export interface ReportDescriptor<M extends string> {
  messageId: M;
  data?: Record<string, string | number>;
  /** Path inside `resource` (default: the resource being checked); default path: metadata.name. */
  path?: Path;
  resource?: Resource;
  related?: readonly Related[];
  /** Overrides the remediation as the finding's hint. */
  hint?: string;
  /**
   * The rule cannot know (custom resources whose operator may create the object are in the scan): the
   * finding is reported at info, whatever the rule's severity, with this sentence appended.
   */
  uncertain?: string;
  /**
   * The severity of this finding, where the input decides it rather than the rule (an admission policy's
   * binding says Deny, Warn or Audit). `uncertain` still makes it info.
   */
  severity?: Severity;
}

export interface RuleSettings {
  kubeVersion: string;
  defaultNamespace: string;
  /** Objects that exist outside the scanned files (config `external`). */
  isExternal(kind: string, name: string, namespace: string): boolean;
  /** True when the resource set is a fragment (one chart, one guide) rather than a whole repository. */
  partial: boolean;
  /**
   * The object is an excerpt: a guide block its prose presents as a patch, excerpt or snippet, or that elides
   * parts (`# ...`). What it contains is checked; what it lacks says nothing.
   */
  excerpt?: boolean;
}

export interface RuleContext<M extends string = string> {
  readonly graph: ResourceGraph;
  readonly settings: RuleSettings;
  report(d: ReportDescriptor<M>): void;
}

export interface DocumentReport<M extends string> {
  messageId: M;
  data?: Record<string, string | number>;
  line: number;
  column: number;
  endLine?: number;
  endColumn?: number;
}

export interface DocumentContext<M extends string = string> {
  readonly settings: RuleSettings;
  report(d: DocumentReport<M>): void;
}

export interface Rule<M extends string = string> {
  id: string;
  meta: RuleMeta<M>;
  /** Called once per resource whose kind matches meta.kinds. */
  check?(resource: Resource, ctx: RuleContext<M>): void;
  /** Called once per parsed document, with or without a resource in it (parse problems, non-objects). */
  checkDocument?(doc: ParsedDocument, ctx: DocumentContext<M>): void;
}

export function defineRule<const M extends string>(rule: Rule<M>): Rule<M> {
  return rule;
}

export function formatMessage(template: string, data: Record<string, string | number> = {}): string {
  return template.replace(/\{\{\s*(\w+)\s*\}\}/g, (_, k: string) => (k in data ? String(data[k]) : `{{${k}}}`));
}
