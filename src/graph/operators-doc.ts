/**
 * docs/operators.md, written from the operator catalogue (operators.json). test/operators.test.ts checks the
 * page matches the catalogue; after editing the catalogue, `npm run build && node dist/src/graph/operators-doc.js`
 * rewrites it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CATALOGUE, type PodLabelsSpec } from './operators.js';

const code = (s: string) => `\`${s.replace(/\|/g, '\\|')}\``;

function podsCell(pods: readonly PodLabelsSpec[]): string {
  return pods
    .map((p) => {
      const fixed = Object.entries(p.labels).map(([k, v]) => code(`${k}=${v}`));
      const rt = Object.entries(p.runtime ?? {}).map(([k, v]) => code(`${k}=${v === '*' ? '*' : v.join('|')}`) + ' (run time)');
      return [...fixed, ...rt].join(', ') || '(none fixed)';
    })
    .join('<br>');
}

export function renderOperatorsPage(): string {
  const out: string[] = [
    '# Operators the rules know',
    '',
    '<!-- Written from src/graph/operators.json by src/graph/operators-doc.ts: edit the catalogue, not this page. -->',
    '',
    'Operators turn custom resources into pods, Services and Secrets that no manifest declares. The cross-resource',
    'rules (service-selector-no-match, networkpolicy-selects-nothing, pdb-selects-nothing, monitor-selects-nothing,',
    'dangling-reference) look here before they say "selects nothing" or "not found":',
    '',
    '- a selector that matches the labels an operator gives the pods of a custom resource in the namespace is',
    '  satisfied. Labels set at run time (Patroni\'s `spilo-role`, CloudNativePG\'s `cnpg.io/instanceRole`) are',
    '  matched against the values they can take (`*`: any value);',
    '- a custom resource of an operator not listed here, whose manifest carries no pod template to read, may run',
    '  pods with any labels: a selector that matches nothing is then reported at info, naming that resource. Its',
    '  `spec.selector` is not taken as its pods\' labels. Kinds that never make pods (monitors, certificates,',
    '  policies: listed at the end) are never named;',
    '- a selector written in one operator\'s own label keys, in a namespace that declares no resource of that kind,',
    '  is reported at info (the resource may be declared elsewhere);',
    '- pods that an installed operator\'s manager makes by itself (Longhorn, Rook) satisfy selectors when the scan',
    '  installs that operator (a CRD or a resource of its group);',
    '- a workload whose ServiceAccount may create pods (or Deployments, StatefulSets, DaemonSets, Jobs) in its own',
    '  namespace, by the scan\'s Roles, ClusterRoles and bindings, is an operator the catalogue may not know: a',
    '  selector in that namespace that matches nothing is reported at info, naming it.',
    '',
    'Pod templates inside custom resources (the paths below) are where their pods\' labels come from, and what the',
    'workload rules check. Placeholders: `{name}`, `{namespace}` of the resource, `{spec.…}` a field of it,',
    '`{label:…}` one of its labels; `[*]` every item of a list, `*` every value of a map.',
    '',
  ];
  for (const op of CATALOGUE.operators) {
    out.push(`## ${op.operator}`, '', `Source: <${op.source}>`, '');
    out.push('| Kind | Creates | Pod labels | Pod templates, PodSpecs, containers |', '| --- | --- | --- | --- |');
    for (const r of op.resources) {
      const creates = (r.creates ?? []).map((c) => `${c.kind} ${code(c.name)}`).join('<br>') || '–';
      const where = [
        ...(r.templates ?? []).map((p) => `template ${code(p)}`),
        ...(r.podSpecs ?? []).map((p) => `PodSpec ${code(p)}`),
        ...(r.containers ?? []).map((p) => `container ${code(p)}`),
        ...(r.podLabelPaths ?? []).map((p) => `labels ${code(p)}`),
      ].join('<br>') || '–';
      out.push(`| ${r.kind} (${code(r.group)}) | ${creates} | ${r.pods?.length ? podsCell(r.pods) : r.templates?.length ? 'from its templates' : 'makes no pods'} | ${where} |`);
    }
    if (op.managerPods?.length) out.push('', `Pods its manager runs by itself: ${podsCell(op.managerPods).replace(/<br>/g, '; ')}.`);
    out.push('');
  }
  out.push('## Custom resources that make no pods', '', 'Never named as the likely creator of pods a selector picks.', '');
  out.push(`Groups: ${CATALOGUE.nonPodMaking.groups.map(code).join(', ')}.`, '');
  out.push(`Kinds: ${CATALOGUE.nonPodMaking.kinds.map(code).join(', ')}.`, '');
  return out.join('\n');
}

export const OPERATORS_PAGE = 'docs/operators.md';

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
  fs.writeFileSync(path.join(root, OPERATORS_PAGE), renderOperatorsPage());
  console.log(`${OPERATORS_PAGE} written`);
}
