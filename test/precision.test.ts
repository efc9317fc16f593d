/**
 * Precision on projects the rules were not written against (../shared/corpus/real/precision, 14 public
 * projects): every error, and every warning of a cross-resource rule, must be in the reviewed list
 * test/data/precision-reviewed.json with the reason it is a true defect. A new one fails this test until it is
 * reviewed; the cross-resource warnings must be true at least 9 times in 10.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { audit } from '../src/engine/run.js';
import { ROOT, SHARED } from './harness.js';

const CORPUS = path.join(SHARED, 'corpus', 'real', 'precision');
const reviewed = JSON.parse(fs.readFileSync(path.join(ROOT, 'test', 'data', 'precision-reviewed.json'), 'utf8')) as {
  errors: { key: string; count?: number; reason: string }[];
  crossResourceWarnings: { key: string; verdict: boolean; reason: string }[];
};

/** Rules whose findings are about how objects relate: the ones that must know what controllers create. */
const CROSS_RESOURCE = new Set([
  'dangling-reference', 'service-selector-no-match', 'service-target-port-mismatch', 'networkpolicy-selects-nothing', 'networkpolicy-blocks-dependency',
  'networkpolicy-blocks-metrics', 'networkpolicy-dns-blocked', 'networkpolicy-unlabelled-namespace', 'monitor-selects-nothing', 'monitor-port-not-found',
  'pdb-selects-nothing', 'pdb-blocks-eviction', 'ingress-backend-exposed', 'ingress-backend-port-mismatch', 'rwo-volume-shared', 'hpa-target-not-scalable',
  'hpa-missing-requests', 'hpa-scales-database', 'hpa-vpa-conflict', 'service-selects-batch-pods', 'metrics-port-not-exposed',
  'prometheus-annotation-port-mismatch', 'webhook-service-missing', 'admin-ui-exposed', 'statefulset-service-not-headless', 'database-deployment-scaled',
  'single-writer-db-scaled',
]);

const projects = fs.existsSync(CORPUS) ? fs.readdirSync(CORPUS).filter((n) => n !== 'licenses' && fs.statSync(path.join(CORPUS, n)).isDirectory()).sort() : [];

function counts(keys: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const k of keys) out[k] = (out[k] ?? 0) + 1;
  return out;
}

describe.skipIf(!projects.length)('precision on ../shared/corpus/real/precision', () => {
  const errors: string[] = [];
  const warnings: string[] = [];
  const perProject: Record<string, { errors: number; warnings: number }> = {};

  it.each(projects)('%s', async (project) => {
    const report = await audit([project], { cwd: CORPUS, config: {} });
    for (const f of report.findings) {
      const key = `${f.file}:${f.line}:${f.ruleId}`;
      if (f.severity === 'error') errors.push(key);
      else if (f.severity === 'warning' && CROSS_RESOURCE.has(f.ruleId)) warnings.push(key);
    }
    perProject[project] = { errors: report.summary.errors, warnings: report.summary.warnings };
  });

  it('reports only reviewed errors, each a true defect', () => {
    const expected: Record<string, number> = {};
    for (const e of reviewed.errors) {
      expect(e.reason.length, e.key).toBeGreaterThan(10);
      expected[e.key] = e.count ?? 1;
    }
    expect(counts(errors)).toEqual(expected);
  });

  it('reports only reviewed cross-resource warnings, at least 90% of them true', () => {
    const list = reviewed.crossResourceWarnings;
    expect(counts(warnings)).toEqual(counts(list.map((w) => w.key)));
    const truePart = list.filter((w) => w.verdict).length / Math.max(list.length, 1);
    expect(truePart).toBeGreaterThanOrEqual(0.9);
  });
});

describe('findings a rule cannot be sure of are reported at info, saying why', () => {
  it('a required field a mutating webhook of the install may default', async () => {
    const report = await audit(['fixtures/rules/missing-required-field/invalid-webhook-defaults'], { cwd: ROOT, config: {} });
    const f = report.findings.filter((x) => x.ruleId === 'missing-required-field');
    expect(f.map((x) => [x.severity, x.line])).toEqual([['info', 55]]);
    expect(f[0].message).toMatch(/mutating webhook webhook\.pipelines\.example\.dev .* not certain/);
  });

  it('a Service named the way an operator names what it creates, for a custom resource not in the scan', async () => {
    const dir = fs.mkdtempSync(path.join((await import('node:os')).tmpdir(), 'k8s-audit-uncertain-'));
    fs.writeFileSync(
      path.join(dir, 'ingress.yaml'),
      [
        'apiVersion: v1', 'kind: Service', 'metadata:', '  name: other', '  namespace: ml', 'spec:', '  selector: {app: other}', '  ports: [{port: 80}]', '---',
        'apiVersion: networking.k8s.io/v1', 'kind: Ingress', 'metadata:', '  name: dash', '  namespace: ml', 'spec:', '  rules:', '    - http:', '        paths:',
        '          - path: /', '            pathType: Prefix', '            backend:', '              service:', '                name: prod-cluster-head-svc', '                port: {number: 8265}',
        '          - path: /typo', '            pathType: Prefix', '            backend:', '              service:', '                name: othre', '                port: {number: 80}',
      ].join('\n'),
    );
    const report = await audit(['.'], { cwd: dir, config: {} });
    const f = report.findings.filter((x) => x.ruleId === 'dangling-reference').map((x) => [x.severity, x.message.includes('RayCluster named "prod-cluster"')]);
    expect(f.sort()).toEqual([['info', true], ['warning', false]]);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
