/**
 * Well-known custom resources validated with the @kubernetes-models CRD packages (issue #17): typos, enums and
 * required fields at their lines, fields the catalog does not know reported as uncertain, a scanned CRD taking
 * precedence, and nothing loaded for kinds the input does not contain.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { audit } from '../src/engine/run.js';
import { rules } from '../rules/index.js';
import { CATALOG_SCHEMAS } from '../src/schema/catalog-index.js';
import { buildCatalog, CATALOG_PACKAGES, dataDependentKeywords } from '../src/schema/gen-builtin-index.js';
import { catalogValidator, loadedSchemaModules } from '../src/schema/builtin.js';
import { CATALOG_DATA_DEPENDENT } from '../src/schema/catalog-index.js';
import { expectLearntAnswersAsTracked, type Variant } from './schema-helpers.js';

const SCHEMA_RULES = new Set(['unknown-field', 'missing-required-field', 'schema-invalid', 'no-schema']);

async function lint(text: string, files: Record<string, string> = {}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'k8s-audit-catalog-'));
  try {
    fs.writeFileSync(path.join(dir, 'cr.yaml'), text);
    for (const [n, t] of Object.entries(files)) fs.writeFileSync(path.join(dir, n), t);
    const report = await audit(['.'], { cwd: dir, config: {}, rules: rules.filter((r) => SCHEMA_RULES.has(r.id)) });
    return report.findings.filter((f) => f.file === 'cr.yaml').map((f) => `${f.line} ${f.severity} ${f.ruleId}`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const MONITOR = `apiVersion: monitoring.coreos.com/v1
kind: ServiceMonitor
metadata:
  name: api
spec:
  selector:
    matchLabels: {app: api}
  endpoints:
    - port: metrics
      intervall: 30s
      scheme: htp
`;

describe('CRD catalog', () => {
  it('the committed catalog index matches the installed packages', () => {
    expect(CATALOG_SCHEMAS).toEqual(buildCatalog());
    expect(CATALOG_PACKAGES.length).toBe(12);
    expect(CATALOG_DATA_DEPENDENT).toEqual(CATALOG_PACKAGES.filter((p) => dataDependentKeywords(p).length));
  });

  it('finds the data-dependent keywords of a package (Istio uses anyOf, not and oneOf; Prometheus Operator none)', () => {
    expect(dataDependentKeywords('@kubernetes-models/istio')).toEqual(['anyOf', 'not', 'oneOf']);
    expect(dataDependentKeywords('@kubernetes-models/prometheus-operator')).toEqual([]);
    // a property named like a keyword is a name, not a keyword
    expect(dataDependentKeywords('kubernetes-models')).toEqual([]);
  });

  it('answers for a catalog kind without data-dependent keywords from what clean runs learnt, as a tracked run does', () => {
    const v = catalogValidator('monitoring.coreos.com/v1', 'PodMonitor')!.validator;
    const clean = (): Record<string, any> => ({
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'PodMonitor',
      metadata: { name: 'a', labels: { app: 'a' } },
      spec: { selector: { matchLabels: { app: 'a' } }, podMetricsEndpoints: [{ port: 'metrics', interval: '30s', relabelings: [{ action: 'replace', targetLabel: 'x' }] }] },
    });
    const variants: Variant[] = [
      ['clean', () => {}],
      ['unknown key at a learnt path', (o) => (o.spec.selectr = {})],
      ['unknown key in a later list item', (o) => o.spec.podMetricsEndpoints.push({ port: 'b', intervall: '1m' })],
      ['unknown key at a path not learnt yet', (o) => (o.spec.namespaceSelector = { anyy: true })],
      ['free-form keys of a map', (o) => (o.spec.selector.matchLabels['example.com/x'] = 'y')],
      ['an enum error', (o) => (o.spec.podMetricsEndpoints[0].scheme = 'htp')],
    ];
    expectLearntAnswersAsTracked(v, clean, variants);
  });

  it('covers the custom resources of the deployment guides', () => {
    for (const k of ['monitoring.coreos.com/v1/ServiceMonitor', 'monitoring.coreos.com/v1/PrometheusRule', 'networking.istio.io/v1alpha3/ServiceEntry', 'networking.istio.io/v1alpha3/DestinationRule', 'external-secrets.io/v1beta1/ExternalSecret', 'cert-manager.io/v1/ClusterIssuer']) {
      expect(CATALOG_SCHEMAS[k], k).toBeDefined();
    }
  });

  it('reports a misspelt field and a wrong enum value of a ServiceMonitor at their lines', async () => {
    expect(await lint(MONITOR)).toEqual(['10 error unknown-field', '11 error schema-invalid']);
  });

  it('reports a field the catalog does not know, with no near name, at info (the installed operator may be newer)', async () => {
    const text = `apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: api
spec:
  host: api
  trafficPolicy:
    someFutureSetting: true
`;
    expect(await lint(text)).toEqual(['8 info unknown-field']);
  });

  it('reports missing required fields (cert-manager Certificate without issuerRef and secretName)', async () => {
    const text = 'apiVersion: cert-manager.io/v1\nkind: Certificate\nmetadata:\n  name: api\nspec:\n  dnsNames: [api.example.com]\n';
    expect(await lint(text)).toEqual(['5 error missing-required-field', '5 error missing-required-field']);
  });

  it('prefers a CustomResourceDefinition among the scanned files over the catalog', async () => {
    const crd = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: servicemonitors.monitoring.coreos.com
spec:
  group: monitoring.coreos.com
  scope: Namespaced
  names: {plural: servicemonitors, singular: servicemonitor, kind: ServiceMonitor}
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          x-kubernetes-preserve-unknown-fields: true
`;
    expect(await lint(MONITOR, { 'crd.yaml': crd })).toEqual([]);
  });

  it('loads the schema modules of a package only for kinds the input contains', () => {
    const inPkg = (pkg: string) => loadedSchemaModules().filter((f) => f.includes(`${path.sep}${pkg.replace('/', path.sep)}${path.sep}`)).length;
    const before = inPkg('@kubernetes-models/gateway-api');
    expect(before).toBe(0);
    expect(catalogValidator('gateway.networking.k8s.io/v1', 'HTTPRoute')).not.toBeNull();
    expect(inPkg('@kubernetes-models/gateway-api')).toBeGreaterThan(0);
    expect(inPkg('@kubernetes-models/traefik')).toBe(0);
    expect(catalogValidator('example.com/v1', 'Widget')).toBeNull();
  });
});

describe('crds: CustomResourceDefinitions named in the configuration', () => {
  const VPA = `apiVersion: autoscaling.k8s.io/v1
kind: VerticalPodAutoscaler
metadata:
  name: api
spec:
  targetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: api
  updatePolicy:
    updateMode: Automatic
  resourcePolicy:
    containerPolicies:
      - containerName: api
        controlledResource: [cpu]
`;
  const ROOT_DIR = path.resolve(import.meta.dirname, '..');

  it('validates a VerticalPodAutoscaler against the CRD the configuration names, instead of "no schema"', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'k8s-audit-crds-'));
    try {
      fs.writeFileSync(path.join(dir, 'vpa.yaml'), VPA);
      const crds = path.join(ROOT_DIR, 'fixtures', 'crds');
      const without = await audit(['vpa.yaml'], { cwd: dir, config: {}, rules: rules.filter((r) => SCHEMA_RULES.has(r.id)) });
      expect(without.findings.map((f) => f.ruleId)).toEqual(['no-schema']);
      const withCrds = await audit(['vpa.yaml'], { cwd: dir, config: { crds: [crds] }, rules: rules.filter((r) => SCHEMA_RULES.has(r.id)) });
      expect(withCrds.findings.map((f) => `${f.line} ${f.ruleId}`)).toEqual(['11 schema-invalid', '15 unknown-field']);
      expect(withCrds.findings[1].message).toContain('did you mean "controlledResources"');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a CRD path that does not exist is a configuration error', async () => {
    await expect(audit(['.'], { cwd: os.tmpdir(), config: { crds: ['no/such/crds'] }, rules: [] })).rejects.toThrow(/CRD path "no\/such\/crds".*does not exist/);
  });

  it('a discovered configuration may not name CRDs outside its directory', async () => {
    const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'k8s-audit-crds-'));
    const dir = path.join(parent, 'repo');
    fs.mkdirSync(dir);
    try {
      fs.writeFileSync(path.join(parent, 'outside.yaml'), 'apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata: {name: x.example.com}\n');
      fs.writeFileSync(path.join(dir, '.k8s-audit.yaml'), 'crds:\n  - ../outside.yaml\n');
      fs.writeFileSync(path.join(dir, 'vpa.yaml'), VPA);
      const report = await audit(['.'], { cwd: dir });
      const unsafe = report.findings.filter((f) => f.ruleId === 'unsafe-input');
      expect(unsafe.map((f) => `${f.file}:${f.line}`)).toEqual(['.k8s-audit.yaml:2']);
      expect(unsafe[0].message).toMatch(/CRD path "..\/outside.yaml".*leads outside the project/);
    } finally {
      fs.rmSync(parent, { recursive: true, force: true });
    }
  });
});
