/** Charts as input: rendered, never parsed raw; findings at template lines in every format; values and scenarios. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { cli } from './cli-helpers.js';
import { ROOT } from './harness.js';

const CHART = 'fixtures/charts/web';
const ONLY = ['--rule', 'service-selector-no-match=error', '--profile', 'recommended'];

function json(args: string[]) {
  const r = cli([...args, '--format', 'json']);
  return { code: r.code, report: JSON.parse(r.stdout), stderr: r.stderr };
}

describe('chart input', () => {
  it('default values render clean for the selector; ci/ scenarios are linted too and named', () => {
    const { report } = json([CHART, ...ONLY]);
    const sel = report.findings.filter((f: { ruleId: string }) => f.ruleId === 'service-selector-no-match');
    expect(sel).toHaveLength(1);
    expect(sel[0]).toMatchObject({ file: `${CHART}/templates/service.yaml`, line: 6, column: 3, context: `chart ${CHART}, scenario ci/typo-values.yaml` });
  });

  it('findings that every rendering shares are reported once, naming each rendering', () => {
    const { report } = json([CHART]);
    const seen = new Set<string>();
    for (const f of report.findings) {
      const key = `${f.ruleId}:${f.file}:${f.line}:${f.column}:${f.message}`;
      expect(seen.has(key), key).toBe(false);
      seen.add(key);
    }
    const shared = report.findings.find((f: { context?: string }) => f.context?.includes('default values; scenario ci/typo-values.yaml'));
    expect(shared).toBeTruthy();
  });

  it('--set and -f values change what is linted', () => {
    const set = json([CHART, ...ONLY, '--set', 'selectorApp=nothing-has-this']).report.findings.filter((f: { ruleId: string }) => f.ruleId === 'service-selector-no-match');
    expect(set.map((f: { context: string }) => f.context)).toEqual([`chart ${CHART}, default values; scenario ci/typo-values.yaml`]);
    const withFile = json([CHART, ...ONLY, '-f', `${CHART}/ci/typo-values.yaml`]).report.findings.filter((f: { ruleId: string }) => f.ruleId === 'service-selector-no-match');
    expect(withFile[0].context).toMatch(/values fixtures\/charts\/web\/ci\/typo-values\.yaml/);
  });

  it('names the values a template line reads, and where they are set', () => {
    const { report } = json([CHART, '--set', 'image.tag=latest']);
    const f = report.findings.find((x: { ruleId: string }) => x.ruleId === 'image-tag-latest');
    expect(f).toMatchObject({ file: `${CHART}/templates/deployment.yaml`, line: 17 });
    expect(f.context).toMatch(/from values image\.repository \(values\.yaml:3\), image\.tag \(--set\)/);
  });

  it('a values file that is a YAML stream: its documents are merged, and a value is located in the last that sets it', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'k8s-audit-stream-'));
    const file = path.join(dir, 'stream-values.yaml');
    fs.writeFileSync(file, 'image:\n  tag: "2.0.2"\n---\nreplicaCount: 3\n---\nimage:\n  tag: latest\n');
    try {
      const { report } = json([CHART, '-f', file]);
      const f = report.findings.find((x: { ruleId: string }) => x.ruleId === 'image-tag-latest');
      expect(f).toMatchObject({ file: `${CHART}/templates/deployment.yaml`, line: 17 });
      expect(f.context).toMatch(/image\.tag \(stream-values\.yaml:7\)/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('points at template lines in stylish, GitHub and SARIF output', () => {
    const gh = cli([CHART, ...ONLY, '--format', 'github']).stdout;
    expect(gh).toMatch(/::error file=fixtures\/charts\/web\/templates\/service\.yaml,line=6,col=3,/);
    const st = cli([CHART, ...ONLY, '--no-color']).stdout;
    expect(st).toMatch(/^fixtures\/charts\/web\/templates\/service\.yaml\n(?: .*\n)* {2}6:3 +error +Service "release-name-web" selects app=release-name-wbe/m);
    const sarif = JSON.parse(cli([CHART, ...ONLY, '--format', 'sarif']).stdout);
    const res = sarif.runs[0].results.find((r: { ruleId: string }) => r.ruleId === 'service-selector-no-match');
    expect(res.locations[0].physicalLocation.artifactLocation.uri).toBe('fixtures/charts/web/templates/service.yaml');
    expect(res.locations[0].physicalLocation.region.startLine).toBe(6);
  });

  it('render prints what was linted, as helm template does', () => {
    const r = cli(['render', CHART, '--set', 'replicaCount=5']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^---\n# Source: web\/templates\/service\.yaml\n/);
    const docs = YAML.parseAllDocuments(r.stdout).map((d) => d.toJS());
    expect(docs.find((d) => d.kind === 'Deployment').spec.replicas).toBe(5);
    const helm = process.env.HELM_BIN ?? path.join(process.env.HOME ?? '', '.cache/k8s-audit-oracles/bin/helm');
    if (!fs.existsSync(helm)) {
      console.warn('real helm not found (run ../shared/tools/oracles.sh): render is not compared with helm template');
      return;
    }
    const real = spawnSync(helm, ['template', 'release-name', path.join(ROOT, CHART), '--set', 'replicaCount=5'], { encoding: 'utf8' });
    expect(real.status, real.stderr).toBe(0);
    expect(r.stdout).toBe(real.stdout);
  });

  it('--api-versions (-a) adds to .Capabilities.APIVersions, for render and for the lint, as helm template --api-versions', () => {
    const base = cli(['render', 'fixtures/helm/caps']);
    const more = cli(['render', 'fixtures/helm/caps', '-a', 'monitoring.coreos.com/v1', '--api-versions', 'monitoring.coreos.com/v1/ServiceMonitor']);
    expect(base.code).toBe(0);
    expect(more.code).toBe(0);
    const x = (out: string) => /x: (.*)/.exec(out)![1].split(' ');
    expect(x(base.stdout).slice(0, 2)).toEqual(['false', 'false']);
    expect(x(more.stdout).slice(0, 2)).toEqual(['true', 'true']);
    expect(Number(x(more.stdout)[5])).toBe(Number(x(base.stdout)[5]) + 2);
    const helm = process.env.HELM_BIN ?? path.join(process.env.HOME ?? '', '.cache/k8s-audit-oracles/bin/helm');
    if (fs.existsSync(helm)) {
      const real = spawnSync(helm, ['template', 'release-name', path.join(ROOT, 'fixtures/helm/caps'), '-a', 'monitoring.coreos.com/v1', '--api-versions', 'monitoring.coreos.com/v1/ServiceMonitor'], { encoding: 'utf8' });
      expect(more.stdout).toBe(real.stdout);
    }
  });

  it('render errors are findings at the template line (helm-render-error)', () => {
    const { report, code } = json(['fixtures/rules/helm-render-error/invalid-required']);
    expect(code).toBe(1);
    const f = report.findings.find((x: { ruleId: string }) => x.ruleId === 'helm-render-error');
    expect(f).toMatchObject({ file: 'fixtures/rules/helm-render-error/invalid-required/templates/configmap.yaml', line: 6, severity: 'error' });
    expect(f.message).toMatch(/database\.host is required/);
  });

  it('a chart rendered with a real helm binary (--helm-binary) goes through the same pipeline', () => {
    const helm = process.env.HELM_BIN ?? path.join(process.env.HOME ?? '', '.cache/k8s-audit-oracles/bin/helm');
    if (!fs.existsSync(helm)) {
      console.warn('real helm not found (run ../shared/tools/oracles.sh): --helm-binary is not tested');
      return;
    }
    const { report } = json([CHART, ...ONLY, '--helm-binary', helm]);
    const sel = report.findings.filter((f: { ruleId: string }) => f.ruleId === 'service-selector-no-match');
    expect(sel).toHaveLength(1);
    expect(sel[0]).toMatchObject({ file: `${CHART}/templates/service.yaml`, line: 6 });
  });
});

describe('chart output split as Helm splits it', () => {
  it('a `---` glued to a comment by whitespace trimming still separates two objects', async () => {
    const { parseSource } = await import('../src/parse/documents.js');
    const text = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n---# Permission to: read\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\n';
    const docs = parseSource({ file: 't.yaml', text, format: 'yaml', origin: 'helm', group: '' });
    expect(docs.map((d) => (d.value as { metadata: { name: string } }).metadata.name)).toEqual(['a', 'b']);
    expect(docs[1].locate(['metadata', 'name']).line).toBe(9);
  });
});
