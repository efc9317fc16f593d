/**
 * The run's settings: the configuration (found or given), which rules run at which severity, the CRDs it names,
 * the target Kubernetes version and the settings every rule sees.
 */
import path from 'node:path';
import type { Severity } from '../types.js';
import type { Rule, RuleSettings } from '../rule.js';
import { loadConfig, trustedView, globMatch, DEFAULT_KUBE_VERSION, type Config, type LoadedConfig } from './config.js';
import { checkKubeVersion } from './kube-version.js';
import { readCrdFiles, setConfiguredCrds } from '../schema/crd.js';
import type { AuditOptions } from './run.js';
import { setConfiguredPolicies } from '../cel/policy.js';

export class UsageError extends Error {}

/** The library's kubeVersion option gets the check the CLI, the Action and the configuration give theirs. */
function checkedKubeVersion(v: string): string {
  const checked = checkKubeVersion(v);
  if ('error' in checked) throw new UsageError(`kubeVersion ${checked.error}`);
  return checked.version;
}

export interface RunSettings {
  loaded: LoadedConfig;
  trusted: ReturnType<typeof trustedView>;
  cfg: Config;
  ruleById: Map<string, Rule>;
  /** The rules that run, and each one's severity. */
  severityOf: Map<string, Severity>;
  enabled: Rule[];
  kubeVersion: string;
  defaultNamespace: string;
  /** What every rule sees, before the unit says whether it is partial. */
  baseSettings: Omit<RuleSettings, 'partial'>;
}

/** The configuration's CEL rules (customRules:), compiled; an entry that does not compile is a usage error. */
async function configuredRules(cfg: Config, builtin: readonly Rule[], loaded: LoadedConfig): Promise<Rule[]> {
  const { customRules } = await import('../cel/custom-rules.js');
  const made = customRules(cfg.customRules ?? [], new Set(builtin.map((r) => r.id)));
  if ('error' in made) throw new UsageError(`${loaded.file ? path.basename(loaded.file) : 'the configuration'}: ${made.error}`);
  return made.rules;
}

export async function resolveSettings(cwd: string, options: AuditOptions): Promise<RunSettings> {
  const loaded: LoadedConfig = options.config ? { config: options.config } : loadConfig(cwd, options.configFile);
  // A configuration found in the scanned tree may not run programs or read outside the project.
  const trusted = trustedView(loaded, Boolean(options.config || options.configFile));
  const cfg = trusted.config;
  const builtin = options.rules ?? (await import('../../rules/index.js')).rules;
  const allRules = cfg.customRules?.length ? [...builtin, ...(await configuredRules(cfg, builtin, loaded))] : builtin;
  const ruleById = new Map(allRules.map((r) => [r.id, r]));

  // Effective rule set and severities.
  const profile = options.profile ?? cfg.profile ?? 'recommended';
  const overrides = { ...(cfg.rules ?? {}), ...(options.ruleOverrides ?? {}) };
  for (const id of Object.keys(overrides)) {
    if (!ruleById.has(id)) throw new UsageError(`unknown rule "${id}" in ${options.ruleOverrides && id in options.ruleOverrides ? 'the command line' : 'the configuration (rules)'}; see \`k8s-audit rules\``);
  }
  const severityOf = new Map<string, Severity>();
  for (const r of allRules) {
    const o = overrides[r.id];
    if (o === 'off') continue;
    if (o) severityOf.set(r.id, o);
    else if (profile === 'all' || r.meta.recommended) severityOf.set(r.id, r.meta.severity);
  }
  const enabled = allRules.filter((r) => severityOf.has(r.id));

  if (cfg.crds?.length) {
    const where = loaded.file ? path.basename(loaded.file) : 'the configuration';
    const read = readCrdFiles(cfg.crds, loaded.file ? path.dirname(loaded.file) : cwd, `named in ${where} (crds)`);
    if ('missing' in read) throw new UsageError(`the CRD path "${read.missing}" named in ${where} (crds) does not exist`);
    setConfiguredCrds(read.crds);
  } else setConfiguredCrds([]);

  setConfiguredPolicies([]);
  if (cfg.policies?.length) {
    const where = loaded.file ? path.basename(loaded.file) : 'the configuration';
    const { readPolicyFiles } = await import('../cel/configured.js');
    const read = readPolicyFiles(cfg.policies, loaded.file ? path.dirname(loaded.file) : cwd);
    if ('missing' in read) throw new UsageError(`the policy path "${read.missing}" named in ${where} (policies) does not exist`);
    if ('invalid' in read) throw new UsageError(`a policy named in ${where} (policies) is invalid: ${read.invalid}`);
    setConfiguredPolicies(read.sources);
  }

  const kubeVersion = checkedKubeVersion(options.kubeVersion ?? cfg.kubeVersion ?? DEFAULT_KUBE_VERSION);
  const defaultNamespace = options.namespace ?? cfg.namespace ?? 'default';
  const external = cfg.external ?? [];
  const baseSettings = {
    kubeVersion,
    defaultNamespace,
    isExternal: (kind: string, name: string, namespace: string) =>
      external.some((e) => e.kind === kind && globMatch(e.name, name) && (e.namespace === undefined || globMatch(e.namespace, namespace))),
  };

  return { loaded, trusted, cfg, ruleById, severityOf, enabled, kubeVersion, defaultNamespace, baseSettings };
}
