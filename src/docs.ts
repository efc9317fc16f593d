/**
 * Docs generated from rule metadata: one page per rule (docs/rules/<id>.md), the README rules table that
 * links them, and `k8s-audit explain`. A rule's flagged and passing examples are files next to its fixtures
 * (fixtures/rules/<id>/example-flagged.yaml, example-passing.yaml), which a test runs through the rule.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Rule } from './rule.js';
import { ruleDocsUrl } from './version.js';

/** The package root (where package.json names k8s-audit), from src/, dist/src/ or dist/bundle/. */
function packageRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 4; i++) {
    try {
      if (JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')).name === 'k8s-audit') return dir;
    } catch {
      /* up */
    }
    dir = path.dirname(dir);
  }
  return process.cwd();
}

export interface RuleExamples {
  invalid: string;
  valid: string;
}

/** A rule's examples: fixtures/rules/<id>/example-flagged.yaml and example-passing.yaml, when both exist. */
export function ruleExamples(id: string, root = packageRoot()): RuleExamples | undefined {
  const dir = path.join(root, 'fixtures', 'rules', id);
  try {
    return { invalid: fs.readFileSync(path.join(dir, 'example-flagged.yaml'), 'utf8'), valid: fs.readFileSync(path.join(dir, 'example-passing.yaml'), 'utf8') };
  } catch {
    return undefined;
  }
}

export const RULES_START = '<!-- rules:start -->';
export const RULES_END = '<!-- rules:end -->';

const PEER_NAMES: Record<string, string> = {
  'kube-linter': 'kube-linter',
  polaris: 'Polaris',
  'kube-score': 'kube-score',
  checkov: 'Checkov',
  trivy: 'Trivy',
  pluto: 'Pluto',
  kubeconform: 'kubeconform',
};

function cell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

/** The block between the README markers: the rules table, each id linking its page. */
export function renderRulesMarkdown(rules: readonly Rule[]): string {
  const sorted = [...rules].sort((a, b) => (a.id < b.id ? -1 : 1));
  const lines: string[] = [];
  lines.push('| rule | severity | category | on by default | what it checks |');
  lines.push('|---|---|---|---|---|');
  for (const r of sorted) {
    lines.push(`| [${r.id}](docs/rules/${r.id}.md) | ${r.meta.severity} | ${r.meta.category} | ${r.meta.recommended ? 'yes' : 'no'} | ${cell(r.meta.description)} |`);
  }
  lines.push('');
  return lines.join('\n');
}

/** docs/rules/<id>.md: what the rule checks, why, how to fix, examples, peers, settings. */
export function renderRulePage(r: Rule, examples: RuleExamples | undefined): string {
  const m = r.meta;
  const lines: string[] = [`# ${r.id}`, '', `${m.description}.`, ''];
  lines.push('| severity | category | on by default | checks |');
  lines.push('|---|---|---|---|');
  lines.push(`| ${m.severity} | ${m.category} | ${m.recommended ? 'yes' : 'no (opt-in)'} | ${m.kinds.length ? m.kinds.join(', ') : 'files and documents'} |`);
  lines.push('', '## Why it matters', '', m.docs.rationale, '', '## How to fix', '', m.docs.remediation);
  if (examples) {
    lines.push('', '## Examples', '', 'Flagged:', '', '```yaml', examples.invalid.trimEnd(), '```', '', 'Passes:', '', '```yaml', examples.valid.trimEnd(), '```');
    lines.push('', `Both are files (\`fixtures/rules/${r.id}/example-flagged.yaml\`, \`example-passing.yaml\`) that the tests run through the rule.`);
  }
  if (m.peers?.length) {
    lines.push('', '## Equivalent checks in other linters', '');
    for (const p of m.peers) lines.push(`- ${PEER_NAMES[p.tool] ?? p.tool}: \`${p.id}\``);
  }
  lines.push('', '## Settings', '', 'Change the severity or turn the rule off in `.k8s-audit.yaml`:', '', '```yaml', 'rules:', `  ${r.id}: ${m.severity === 'error' ? 'warning' : 'error'}   # or off`, '```');
  lines.push('', 'Suppress one finding with a comment on the line before the node (or at the end of its line):', '', '```yaml', `# k8s-audit-ignore ${r.id} -- the reason`, '```');
  lines.push('', `or on the object: \`ignore.k8s-audit.io/${r.id}: "the reason"\` in \`metadata.annotations\`.`);
  if (m.docs.references?.length) lines.push('', '## References', '', ...m.docs.references.map((x) => `- ${x}`));
  lines.push('', `<!-- Generated from rules/${r.id}.ts by \`npm run docs\`; do not edit. -->`, '');
  return lines.join('\n');
}

/** Replace the generated block of a README text. */
export function updateReadme(readme: string, rules: readonly Rule[]): string {
  const a = readme.indexOf(RULES_START);
  const b = readme.indexOf(RULES_END);
  if (a === -1 || b === -1 || b < a) throw new Error(`README.md lacks the ${RULES_START} … ${RULES_END} markers`);
  return readme.slice(0, a + RULES_START.length) + '\n' + renderRulesMarkdown(rules) + readme.slice(b);
}

export function explainText(r: Rule): string {
  const out = [
    `${r.id}: ${r.meta.description}`,
    '',
    `severity: ${r.meta.severity}    category: ${r.meta.category}    ${r.meta.recommended ? 'on by default' : 'opt-in (enable in .k8s-audit.yaml or with profile: all)'}`,
  ];
  if (r.meta.kinds.length) out.push(`checks: ${r.meta.kinds.join(', ')}`);
  out.push('', 'Why it matters:', wrap(r.meta.docs.rationale), '', 'How to fix:', wrap(r.meta.docs.remediation));
  const examples = ruleExamples(r.id);
  if (examples) out.push('', 'Flagged:', indent(examples.invalid), '', 'Passes:', indent(examples.valid));
  if (r.meta.peers?.length) out.push('', `Peer checks: ${r.meta.peers.map((p) => `${PEER_NAMES[p.tool] ?? p.tool} ${p.id}`).join(', ')}`);
  if (r.meta.docs.references?.length) out.push('', 'References:', ...r.meta.docs.references.map((x) => `  ${x}`));
  out.push('', r.meta.docs.definedIn ? `Defined in: ${r.meta.docs.definedIn}` : `Docs: ${ruleDocsUrl(r.id)}`);
  return out.join('\n') + '\n';
}

export function rulesText(rules: readonly Rule[]): string {
  const w = Math.max(...rules.map((r) => r.id.length));
  return (
    rules
      .map((r) => `${r.id.padEnd(w)}  ${r.meta.severity.padEnd(7)}  ${r.meta.category.padEnd(13)}  ${r.meta.recommended ? '   ' : 'opt'}  ${r.meta.description}`)
      .join('\n') + '\n'
  );
}

export function rulesJson(rules: readonly Rule[]): string {
  return (
    JSON.stringify(
      rules.map((r) => ({ id: r.id, ...r.meta, docsUrl: ruleDocsUrl(r.id) })),
      null,
      2,
    ) + '\n'
  );
}

function wrap(s: string, width = 100): string {
  const words = s.split(/\s+/);
  const lines: string[] = [];
  let cur = '';
  for (const w of words) {
    if (cur && cur.length + 1 + w.length > width) {
      lines.push('  ' + cur);
      cur = w;
    } else cur = cur ? `${cur} ${w}` : w;
  }
  if (cur) lines.push('  ' + cur);
  return lines.join('\n');
}

function indent(s: string): string {
  return s
    .trimEnd()
    .split('\n')
    .map((l) => `    ${l}`)
    .join('\n');
}
