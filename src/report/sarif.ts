/** SARIF 2.1.0 for code scanning: every rule's metadata, results with regions and stable fingerprints. */
import type { Rule } from '../rule.js';
import type { Finding, Report, Severity, SuppressedFinding } from '../types.js';
import { HOMEPAGE, ruleDocsUrl } from '../version.js';

const level = (s: Severity) => (s === 'error' ? 'error' : s === 'warning' ? 'warning' : 'note');

function uri(file: string): string {
  return file
    .split('/')
    .map((seg) => encodeURIComponent(seg))
    .join('/');
}

export function formatSarif(report: Report, rules: readonly Rule[]): string {
  const ruleIndex = new Map(rules.map((r, i) => [r.id, i]));
  const result = (f: Finding | SuppressedFinding) => {
    const res: Record<string, unknown> = {
      ruleId: f.ruleId,
      ruleIndex: ruleIndex.get(f.ruleId) ?? -1,
      level: level(f.severity),
      message: { text: f.hint ? `${f.message}. Fix: ${f.hint}`.replace(/\.\. Fix/, '. Fix') : f.message },
      locations: [
        {
          physicalLocation: {
            artifactLocation: f.file === '<stdin>' ? { uri: 'stdin' } : { uri: uri(f.file), uriBaseId: '%SRCROOT%' },
            region: { startLine: f.line, startColumn: f.column, endLine: f.endLine, endColumn: f.endColumn },
          },
          ...(f.resource
            ? {
                logicalLocations: [
                  {
                    name: f.resource.name,
                    fullyQualifiedName: [f.resource.namespace, f.resource.kind, f.resource.name].filter(Boolean).join('/'),
                    kind: 'resource',
                  },
                ],
              }
            : {}),
        },
      ],
      partialFingerprints: { 'k8sAuditFinding/v1': f.fingerprint ?? `${f.ruleId}:${f.file}:${f.line}` },
    };
    if (res.ruleIndex === -1) delete res.ruleIndex;
    if (f.related?.length) {
      res.relatedLocations = f.related.map((r, i) => ({
        id: i + 1,
        message: { text: r.message },
        physicalLocation: {
          artifactLocation: { uri: uri(r.file), uriBaseId: '%SRCROOT%' },
          region: { startLine: r.line, startColumn: r.column, endLine: r.endLine, endColumn: r.endColumn },
        },
      }));
    }
    if ('reason' in f) {
      res.suppressions = [{ kind: f.via === 'config' ? 'external' : 'inSource', justification: f.reason || 'no reason given' }];
    }
    return res;
  };
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'k8s-audit',
            version: report.tool.version,
            semanticVersion: report.tool.version,
            informationUri: HOMEPAGE,
            rules: rules.map((r) => ({
              id: r.id,
              name: r.id
                .split('-')
                .map((w) => w[0].toUpperCase() + w.slice(1))
                .join(''),
              shortDescription: { text: r.meta.description },
              fullDescription: { text: r.meta.docs.rationale },
              help: { text: r.meta.docs.remediation, markdown: `**Fix:** ${r.meta.docs.remediation}\n\n${r.meta.docs.rationale}\n\n[Documentation](${ruleDocsUrl(r.id)})` },
              helpUri: ruleDocsUrl(r.id),
              defaultConfiguration: { level: level(r.meta.severity), enabled: r.meta.recommended },
              properties: { category: r.meta.category, tags: [r.meta.category, 'kubernetes'] },
            })),
          },
        },
        originalUriBaseIds: { '%SRCROOT%': { uri: pathToFileUri(process.cwd()) } },
        results: [...report.findings.map(result), ...report.suppressed.map(result)],
        columnKind: 'utf16CodeUnits',
      },
    ],
  };
  return JSON.stringify(sarif, null, 2) + '\n';
}

function pathToFileUri(p: string): string {
  const s = p.split('\\').join('/');
  return 'file://' + (s.startsWith('/') ? '' : '/') + s.split('/').map(encodeURIComponent).join('/') + '/';
}
