/** SARIF 2.1.0 for code scanning: every rule's metadata, results with regions and stable fingerprints. */
import path from 'node:path';
import type { Rule } from '../rule.js';
import type { Finding, Report, Severity, SuppressedFinding } from '../types.js';
import { HOMEPAGE, ruleDocsUrl } from '../version.js';
import { rootRelative, type RootOptions } from './paths.js';

export interface SarifOptions extends RootOptions {
  /** The commit that was analysed (SARIF versionControlProvenance), for example from the GitHub Actions environment. */
  provenance?: { repositoryUri: string; revisionId?: string; branch?: string };
}

/** GitHub code scanning ranks security alerts by this score (0-10): high, medium, low. */
const SECURITY_SEVERITY: Record<Severity, string> = { error: '8.0', warning: '5.0', info: '2.0' };

const level = (s: Severity) => (s === 'error' ? 'error' : s === 'warning' ? 'warning' : 'note');

function uri(file: string): string {
  return file
    .split('/')
    .map((seg) => encodeURIComponent(seg))
    .join('/');
}

export function formatSarif(report: Report, rules: readonly Rule[], opts: SarifOptions = {}): string {
  const ruleIndex = new Map(rules.map((r, i) => [r.id, i]));
  const root = path.resolve(opts.root ?? opts.cwd ?? process.cwd());
  const rel = (file: string) => rootRelative(file, opts);
  const artifact = (file: string) => (file === '<stdin>' ? { uri: 'stdin' } : /^(\/|[A-Za-z]:)/.test(rel(file)) ? { uri: pathToFileUri(rel(file), false) } : { uri: uri(rel(file)), uriBaseId: '%SRCROOT%' });
  // Code scanning matches alerts across runs by fingerprint: two results must never share one.
  const seen = new Map<string, number>();
  const print = (f: Finding) => {
    const base = f.fingerprint ?? `${f.ruleId}:${rel(f.file)}:${f.line}:${f.column}`;
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    return n === 1 ? base : `${base}:${n}`;
  };
  const result = (f: Finding | SuppressedFinding) => {
    const res: Record<string, unknown> = {
      ruleId: f.ruleId,
      ruleIndex: ruleIndex.get(f.ruleId) ?? -1,
      level: level(f.severity),
      message: { text: messageText(f) },
      locations: [
        {
          physicalLocation: {
            artifactLocation: artifact(f.file),
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
      partialFingerprints: { 'k8sAuditFinding/v1': print(f) },
    };
    if (res.ruleIndex === -1) delete res.ruleIndex;
    if (f.related?.length) {
      res.relatedLocations = f.related.map((r, i) => ({
        id: i + 1,
        message: { text: r.message },
        physicalLocation: {
          artifactLocation: artifact(r.file),
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
              properties: {
                category: r.meta.category,
                tags: r.meta.category === 'security' ? ['security', 'kubernetes'] : [r.meta.category, 'kubernetes'],
                precision: 'high',
                'problem.severity': r.meta.severity === 'info' ? 'recommendation' : r.meta.severity,
                ...(r.meta.category === 'security' ? { 'security-severity': SECURITY_SEVERITY[r.meta.severity] } : {}),
              },
            })),
          },
        },
        originalUriBaseIds: { '%SRCROOT%': { uri: pathToFileUri(root, true) } },
        ...(opts.provenance
          ? {
              versionControlProvenance: [
                {
                  repositoryUri: opts.provenance.repositoryUri,
                  ...(opts.provenance.revisionId ? { revisionId: opts.provenance.revisionId } : {}),
                  ...(opts.provenance.branch ? { branch: opts.provenance.branch } : {}),
                  mappedTo: { uriBaseId: '%SRCROOT%' },
                },
              ],
            }
          : {}),
        results: [...report.findings.map(result), ...report.suppressed.map(result)],
        columnKind: 'utf16CodeUnits',
      },
    ],
  };
  return JSON.stringify(sarif, null, 2) + '\n';
}

function pathToFileUri(p: string, dir: boolean): string {
  const s = p.split('\\').join('/').replace(/\/$/, '');
  const enc = s.split('/').map((seg) => (/^[A-Za-z]:$/.test(seg) ? seg : encodeURIComponent(seg))).join('/');
  return 'file://' + (s.startsWith('/') ? '' : '/') + enc + (dir ? '/' : '');
}

/** The finding, where it came from when that is not the file itself (a chart rendering, a guide's block), and the fix. */
function messageText(f: Finding): string {
  let text = f.message + (f.context ? ` [${f.context}]` : '');
  if (f.hint) text += `${/[.!?]$/.test(text) ? '' : '.'} Fix: ${f.hint}`;
  return text;
}
