/** The library API. */
export { audit, type AuditOptions, UsageError } from './engine/run.js';
export { ConfigError, loadConfig, type Config } from './engine/config.js';
export { defineRule, type Rule, type RuleMeta, type RuleContext, type Category } from './rule.js';
export type { Finding, SuppressedFinding, Report, Summary, Severity, Path, ResourceRef, Location } from './types.js';
export { Resource } from './graph/resource.js';
export { ResourceGraph } from './graph/graph.js';
export { isKind, typed, type KindMap } from './graph/kube-types.js';
export { formatJson } from './report/json.js';
export { formatSarif } from './report/sarif.js';
export { formatGithub } from './report/github.js';
export { formatStylish } from './report/stylish.js';
export { rules } from '../rules/index.js';
export { VERSION } from './version.js';
