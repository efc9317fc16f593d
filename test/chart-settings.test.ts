/**
 * Each chart's own Helm settings: --release-name; `charts:` entries of the configuration (values files, set
 * pairs, release name, namespace); -f/--set only for the chart the command line names, the one chart under
 * the directories named, and a usage error when they would go to several charts.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, tmpdir } from './cli-helpers.js';

/** A chart whose Service selects app=<.Values.selector>, so a wrong value is a finding naming the release. */
const chart = (name: string) => ({
  [`charts/${name}/Chart.yaml`]: `apiVersion: v2\nname: ${name}\nversion: 0.1.0\n`,
  [`charts/${name}/values.yaml`]: `selector: ${name}\n`,
  [`charts/${name}/templates/all.yaml`]: `apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ .Release.Name }}-${name}
spec:
  selector:
    matchLabels: {app: ${name}}
  template:
    metadata:
      labels: {app: ${name}}
    spec:
      securityContext: {runAsNonRoot: true, runAsUser: 101}
      containers:
      - {name: c, image: "nginxinc/nginx-unprivileged:1.27", resources: {requests: {cpu: 50m, memory: 64Mi}, limits: {memory: 128Mi}}}
---
apiVersion: v1
kind: Service
metadata:
  name: {{ .Release.Name }}-${name}
spec:
  selector:
    app: {{ required "selector is required" .Values.selector }}
  ports:
  - port: 80
`,
});

interface F {
  ruleId: string;
  message: string;
  file: string;
  resource: { name: string; namespace: string } | null;
}

function lint(dir: string, args: string[]): { code: number; findings: F[]; stderr: string } {
  const r = cli([...args, '--format', 'json'], { cwd: dir });
  return { code: r.code, findings: r.stdout ? (JSON.parse(r.stdout).findings as F[]) : [], stderr: r.stderr };
}

const selects = (fs: F[]) => fs.filter((f) => f.ruleId === 'service-selector-no-match').map((f) => `${f.resource?.namespace}/${f.resource?.name}`).sort();

describe('per-chart Helm settings', () => {
  it('names the release with --release-name', () => {
    const dir = tmpdir({ ...chart('web'), 'wrong.yaml': 'selector: nope\n' });
    expect(selects(lint(dir, ['-f', 'wrong.yaml', '--release-name', 'prod']).findings)).toEqual(['default/prod-web']);
    expect(lint(dir, ['--release-name', 'Not_Valid']).code).toBe(2);
  });

  it('gives -f/--set to the chart named on the command line only', () => {
    const dir = tmpdir({ ...chart('web'), ...chart('api'), 'wrong.yaml': 'selector: nope\n' });
    // named chart: its values apply, and the other chart is not in the scan
    expect(selects(lint(dir, ['-f', 'wrong.yaml', 'charts/web']).findings)).toEqual(['default/release-name-web']);
    // both named: each gets them
    expect(selects(lint(dir, ['--set', 'selector=nope', 'charts/web', 'charts/api']).findings)).toEqual(['default/release-name-api', 'default/release-name-web']);
    expect(selects(lint(dir, ['--set', 'selector=nope', 'charts/web', 'charts/api/../api']).findings)).toHaveLength(2);
  });

  it('is a usage error when -f/--set would go to several charts found under a directory, not a broken render of the others', () => {
    const dir = tmpdir({ ...chart('web'), ...chart('api'), 'wrong.yaml': 'selector: nope\n' });
    const r = lint(dir, ['-f', 'wrong.yaml', '.']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/-f\/--set were given and 2 charts were found \(charts\/api, charts\/web\); name the chart/);
    // one chart under the directory: it gets them
    const one = tmpdir({ ...chart('web'), 'wrong.yaml': 'selector: nope\n' });
    expect(selects(lint(one, ['-f', 'wrong.yaml']).findings)).toEqual(['default/release-name-web']);
  });

  it("applies the configuration's charts: entries to their chart only", () => {
    const dir = tmpdir({
      ...chart('web'),
      ...chart('api'),
      'deploy/web-prod.yaml': 'selector: nope\n',
      '.k8s-audit.yaml': 'charts:\n  charts/web:\n    values: [deploy/web-prod.yaml]\n    releaseName: prod\n    namespace: shop\n  charts/api:\n    set: [selector=api]\n',
    });
    const r = lint(dir, ['.']);
    expect(r.code, r.stderr).toBe(0);
    expect(selects(r.findings)).toEqual(['shop/prod-web']);
    // relative to the configuration, whatever the working directory
    expect(selects(lint(path.join(dir, 'charts'), ['.']).findings)).toEqual(['shop/prod-web']);
  });

  it("render CHART uses the chart's charts: entry as lint does (values, set, release name, namespace, API versions), the command line's on top", () => {
    const dir = tmpdir({
      ...chart('web'),
      'charts/web/templates/cap.yaml': '{{- if .Capabilities.APIVersions.Has "example.com/v1" }}\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: has-example-api\n  namespace: {{ .Release.Namespace }}\n{{- end }}\n',
      'deploy/web-prod.yaml': 'selector: from-values-file\n',
      '.k8s-audit.yaml': 'charts:\n  charts/web:\n    values: [deploy/web-prod.yaml]\n    releaseName: prod\n    namespace: shop\n    apiVersions: [example.com/v1]\n',
    });
    const render = (cwd: string, args: string[]) => cli(['render', ...args], { cwd });
    const r = render(dir, ['charts/web']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('name: prod-web');
    expect(r.stdout).toContain('app: from-values-file');
    expect(r.stdout).toMatch(/name: has-example-api\n\s+namespace: shop/);
    // from inside the chart: the entry is found by the chart's path, relative to the configuration
    expect(render(path.join(dir, 'charts', 'web'), ['.']).stdout).toContain('name: prod-web');
    // the command line's values and release name come after the entry's
    const c = render(dir, ['charts/web', '--set', 'selector=from-cli', '--release-name', 'canary']);
    expect(c.stdout).toContain('name: canary-web');
    expect(c.stdout).toContain('app: from-cli');
    // a chart without an entry renders with helm's defaults
    const plain = tmpdir({ ...chart('web'), '.k8s-audit.yaml': 'charts:\n  charts/other:\n    releaseName: prod\n' });
    expect(render(plain, ['charts/web']).stdout).toContain('name: release-name-web');
  });

  it('rejects a charts: entry with an unknown key, and keeps a discovered one inside its directory', () => {
    const dir = tmpdir({ ...chart('web'), '.k8s-audit.yaml': 'charts:\n  charts/web:\n    valus: [x.yaml]\n' });
    const r = lint(dir, ['.']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown key "charts\.charts\/web\.valus"/);
    const outside = tmpdir({ 'secret.yaml': 'selector: nope\n' });
    fs.writeFileSync(path.join(dir, '.k8s-audit.yaml'), `charts:\n  charts/web:\n    values: [${path.relative(dir, path.join(outside, 'secret.yaml'))}]\n`);
    const o = lint(dir, ['.']);
    expect(selects(o.findings)).toEqual([]);
    expect(o.findings.some((f) => f.message.includes('leads outside the project'))).toBe(true);
  });
});
