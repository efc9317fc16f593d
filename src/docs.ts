/** Docs generated from rule metadata: the README rules table and `k8s-audit explain`. */
import type { Rule } from './rule.js';
import { ruleDocsUrl } from './version.js';

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

/** The block between the README markers: a summary table, then one section (anchor) per rule. */
export function renderRulesMarkdown(rules: readonly Rule[]): string {
  const sorted = [...rules].sort((a, b) => (a.id < b.id ? -1 : 1));
  const lines: string[] = [];
  lines.push('| rule | severity | category | on by default | what it checks |');
  lines.push('|---|---|---|---|---|');
  for (const r of sorted) {
    lines.push(`| [${r.id}](#${r.id}) | ${r.meta.severity} | ${r.meta.category} | ${r.meta.recommended ? 'yes' : 'no'} | ${cell(r.meta.description)} |`);
  }
  lines.push('');
  for (const r of sorted) {
    lines.push(`### ${r.id}`);
    lines.push('');
    lines.push(`${r.meta.description}. Severity **${r.meta.severity}**, category ${r.meta.category}, ${r.meta.recommended ? 'on by default' : 'opt-in'}${r.meta.kinds.length ? `; checks ${r.meta.kinds.join(', ')}` : ''}.`);
    lines.push('');
    lines.push(`**Why:** ${r.meta.docs.rationale}`);
    lines.push('');
    lines.push(`**Fix:** ${r.meta.docs.remediation}`);
    if (r.meta.peers?.length) {
      lines.push('');
      lines.push(`**Peers:** ${r.meta.peers.map((p) => `${PEER_NAMES[p.tool] ?? p.tool} \`${p.id}\``).join(', ')}`);
    }
    if (r.meta.docs.examples) {
      lines.push('');
      lines.push('<details><summary>Examples</summary>');
      lines.push('');
      lines.push('Flagged:');
      lines.push('');
      lines.push('```yaml');
      lines.push(r.meta.docs.examples.invalid.trimEnd());
      lines.push('```');
      lines.push('');
      lines.push('Passes:');
      lines.push('');
      lines.push('```yaml');
      lines.push(r.meta.docs.examples.valid.trimEnd());
      lines.push('```');
      lines.push('');
      lines.push('</details>');
    }
    lines.push('');
  }
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
  if (r.meta.docs.examples) {
    out.push('', 'Flagged:', indent(r.meta.docs.examples.invalid), '', 'Passes:', indent(r.meta.docs.examples.valid));
  }
  if (r.meta.peers?.length) out.push('', `Peer checks: ${r.meta.peers.map((p) => `${PEER_NAMES[p.tool] ?? p.tool} ${p.id}`).join(', ')}`);
  if (r.meta.docs.references?.length) out.push('', 'References:', ...r.meta.docs.references.map((x) => `  ${x}`));
  out.push('', `Docs: ${ruleDocsUrl(r.id)}`);
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
