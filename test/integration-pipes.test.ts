/**
 * The README's pipelines: `kubectl kustomize DIR | k8s-audit -` (or `kustomize build`) and
 * `helm template REL CHART | k8s-audit -`, with the real kubectl and helm from ../shared/tools/oracles.sh.
 * Skipped with a message when they are not installed.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BAD_SERVICE, DEPLOYMENT, cli, tmpdir } from './cli-helpers.js';
import { HELM_BIN, KUBECTL_BIN, ORACLES_HINT } from './oracles.js';

function render(bin: string, args: string[]): string {
  const r = spawnSync(bin, args, { encoding: 'utf8', timeout: 60_000 });
  if (r.status !== 0) throw new Error(`${path.basename(bin)} ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

/** The line of `needle` in `text` (1-based). */
const lineOf = (text: string, needle: string) => text.split('\n').findIndex((l) => l.includes(needle)) + 1;

describe.skipIf(!KUBECTL_BIN)('kustomize build | k8s-audit -', () => {
  it('reports on the rendered stream at the line of the defect, in the kustomization namespace', () => {
    const dir = tmpdir({ 'svc.yaml': BAD_SERVICE, 'deploy.yaml': DEPLOYMENT, 'kustomization.yaml': 'namespace: shop\nresources:\n- svc.yaml\n- deploy.yaml\n' });
    const stream = render(KUBECTL_BIN!, ['kustomize', dir]);
    const r = cli(['-', '--format', 'json'], { input: stream });
    const hit = JSON.parse(r.stdout).findings.find((f: { ruleId: string }) => f.ruleId === 'service-selector-no-match');
    expect(hit).toMatchObject({ file: '<stdin>', line: lineOf(stream, 'selector:'), resource: { kind: 'Service', name: 'web', namespace: 'shop' } });
    const stylish = cli(['-', '--fail-on', 'warning'], { input: stream });
    expect(stylish.code).toBe(1);
    expect(stylish.stdout).toContain(`<stdin>\n  ${hit.line}:${hit.column} `);
  });
});

describe.skipIf(!HELM_BIN)('helm template | k8s-audit -', () => {
  it('reports on the rendered chart', () => {
    const chart = tmpdir({
      'Chart.yaml': 'apiVersion: v2\nname: web\nversion: 0.1.0\n',
      'values.yaml': 'app: wbe\n',
      'templates/svc.yaml': BAD_SERVICE.replace('app: wbe', 'app: {{ .Values.app }}'),
      'templates/deploy.yaml': DEPLOYMENT,
    });
    const stream = render(HELM_BIN!, ['template', 'rel', chart]);
    const r = cli(['-', '--format', 'json'], { input: stream });
    const hit = JSON.parse(r.stdout).findings.find((f: { ruleId: string }) => f.ruleId === 'service-selector-no-match');
    expect(hit).toMatchObject({ file: '<stdin>', line: lineOf(stream, 'selector:') });
    // With the right value the finding is gone.
    const fixed = render(HELM_BIN!, ['template', 'rel', chart, '--set', 'app=web']);
    expect(JSON.parse(cli(['-', '--format', 'json'], { input: fixed }).stdout).findings.map((f: { ruleId: string }) => f.ruleId)).not.toContain('service-selector-no-match');
  });
});

describe('pipeline oracles', () => {
  it.skipIf(KUBECTL_BIN && HELM_BIN)(`skipped some pipeline tests: kubectl or helm missing; ${ORACLES_HINT}`, () => {
    console.warn(`integration-pipes: kubectl/helm not found; ${ORACLES_HINT}`);
  });
});
