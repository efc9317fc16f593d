/**
 * Issue 27, what a repository deploys: files of a kustomize tree that no build uses are noted, not linted as
 * objects; CustomResourceDefinitions reached through one unit (a kustomize build) validate custom resources in
 * another (plain sample files), as in the kubebuilder layout modelled in fixtures/units/operator.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { audit } from '../src/engine/run.js';
import { ROOT } from './harness.js';

const at = (f: { ruleId: string; file: string; line: number }) => `${f.ruleId} ${f.file}:${f.line}`;

describe('kubebuilder layout: config/crd built, config/samples as files, scaffolded patches unused', () => {
  const dir = 'fixtures/units/operator';
  const run = () => audit([dir], { cwd: ROOT, config: {} });

  it('no finding comes from a file no build uses', async () => {
    const r = await run();
    const fromPatches = r.findings.filter((f) => /_patch\.yaml$|\/patches\//.test(f.file));
    expect(fromPatches.map(at)).toEqual([]);
  });

  it('one note per directory names the files no build uses, at the kustomization that owns them', async () => {
    const r = await run();
    const notes = r.findings.filter((f) => f.ruleId === 'kustomize-unused-file');
    expect(notes.map((f) => [f.severity, f.file, f.line])).toEqual([
      ['info', `${dir}/config/crd/kustomization.yaml`, 1],
      ['info', `${dir}/config/default/kustomization.yaml`, 1],
    ]);
    expect(notes[0].message).toMatch(/config\/crd\/patches is used by no kustomize build in the scan.*: webhook_in_widgets\.yaml$/);
    expect(notes[1].message).toMatch(/2 files .*config\/default .*: manager_metrics_patch\.yaml, manager_webhook_patch\.yaml$/);
  });

  it('the CRD built by config/crd validates the sample Widget kept as a plain file', async () => {
    const r = await run();
    expect(r.findings.filter((f) => f.file.endsWith('cache_v1_widget.yaml') && f.ruleId !== 'default-namespace').map(at)).toEqual([
      `schema-invalid ${dir}/config/samples/cache_v1_widget.yaml:6`,
    ]);
    expect(r.findings.some((f) => f.ruleId === 'no-schema')).toBe(false);
  });

  it('a file named on the command line inside a kustomize tree that is not scanned as such is linted as given', async () => {
    const file = path.join(dir, 'config/default/manager_webhook_patch.yaml');
    const r = await audit([file], { cwd: ROOT, config: {} });
    // read as given (its name says it is a patch, so it is an excerpt: nothing it leaves out is reported)
    expect(r.summary.resources).toBe(1);
    expect(r.findings.filter((f) => f.ruleId === 'kustomize-unused-file')).toEqual([]);
  });
});

describe('guide and README blocks presented as a patch or an excerpt', () => {
  const file = 'fixtures/units/readme-patches/README.md';

  it('are linted for what they contain, not for what they leave out', async () => {
    const r = await audit([file], { cwd: ROOT, config: {} });
    expect(r.findings.map((f) => `${f.ruleId}:${f.line}`)).toEqual([
      // the whole Deployment is a whole object: what it lacks is reported
      'run-as-root:22',
      // the patch is an excerpt, but what it sets is a real defect
      'privileged-container:53',
    ]);
  });

  it('are recognised by the prose before them or by an elision comment', async () => {
    const { excerptReason } = await import('../src/load/markdown.js');
    expect(excerptReason('For staging, add a Kustomize patch with the staging values:', ['kind: Deployment'])).toMatch(/patch/);
    expect(excerptReason('Here is an excerpt of the StatefulSet:', [])).toMatch(/an excerpt/);
    expect(excerptReason('The relevant part of the Service:', [])).toMatch(/relevant part/);
    expect(excerptReason(undefined, ['spec:', '  # ... omitted for brevity'])).toMatch(/leaves parts out/);
    expect(excerptReason(undefined, ['spec:', '  # …'])).toMatch(/leaves parts out/);
    // prose that is not about a partial object, and ordinary comments, leave a block whole
    expect(excerptReason('Create the Deployment:', ['# the web tier', 'kind: Deployment'])).toBeUndefined();
    expect(excerptReason('Dispatch the job with:', ['kind: Job'])).toBeUndefined();
  });
});

describe('a repository of alternatives and independent samples (fixtures/units/repo)', () => {
  const dir = 'fixtures/units/repo';
  const run = () => audit([dir], { cwd: ROOT, config: {} });
  const cross = (rs: { ruleId: string }[]) => rs.filter((f) => !/^(missing-|run-as-root)/.test(f.ruleId));

  it('never joins alternatives: no HPA of a test fixture scaling another sample\'s Redis, no Ingress checked against another folder\'s Service', async () => {
    const r = await run();
    expect(r.findings.filter((f) => ['hpa-scales-database', 'database-deployment-scaled', 'ingress-backend-port-mismatch'].includes(f.ruleId))).toEqual([]);
    // the HPA still owns its own Deployment's replicas, in its own unit
    expect(r.findings.filter((f) => f.ruleId === 'hpa-fixed-replicas').map((f) => f.file)).toEqual([`${dir}/hack/testdata/hpa.yaml`]);
  });

  it('reports each object defined twice once per file, pointing at both definitions', async () => {
    const r = await run();
    const dups = r.findings.filter((f) => f.ruleId === 'duplicate-object');
    expect(dups.map((f) => `${f.file}:${f.line}`)).toEqual([
      `${dir}/kubernetes-manifests/redis.yaml:25`,
      `${dir}/samples/guestbook/redis.yaml:4`,
      `${dir}/samples/orders-b/orders.yaml:4`,
      `${dir}/samples/shop-b/web.yaml:4`,
    ]);
    expect(dups.every((f) => f.severity === 'info' && f.related?.length === 1)).toBe(true);
    expect(dups[0].message).toMatch(/Service "redis-cart" in namespace "default" is also defined in .*extras\/redis-ha\/redis\.yaml/);
    expect(dups[0].related?.[0]).toMatchObject({ file: `${dir}/extras/redis-ha/redis.yaml`, line: 4 });
    expect(dups[3].message).toMatch(/as are 1 more object of this file/);
  });

  it('messages say what was searched; a reference only another unit satisfies is an info naming it', async () => {
    const r = await run();
    const c = cross(r.findings).filter((f) => f.ruleId !== 'duplicate-object' && f.ruleId !== 'hpa-fixed-replicas');
    expect(c.map((f) => [f.ruleId, f.severity, f.file])).toEqual([
      ['service-selector-no-match', 'warning', `${dir}/extras/redis-ha/redis.yaml`],
      // the test fixture's own HPA and Deployment: a true defect inside its unit
      ['hpa-missing-requests', 'warning', `${dir}/hack/testdata/hpa.yaml`],
      ['service-selector-no-match', 'warning', `${dir}/samples/api/service.yaml`],
      ['dangling-reference', 'info', `${dir}/samples/orders-b/orders.yaml`],
    ]);
    expect(c[2].message).toMatch(/no pod template in namespace "default" in fixtures\/units\/repo\/samples\/api\/service\.yaml has those labels.*; nor does any other part of the scan$/);
    expect(c[3].message).toMatch(/is not found in fixtures\/units\/repo\/samples\/orders-b\/orders\.yaml .*; what it looks for is found in fixtures\/units\/repo\/samples\/orders-a\/orders\.yaml, a separate deployment unit/);
  });

  it('one directory of one stack stays one unit: messages keep saying "among the scanned files"', async () => {
    const r = await audit([`${dir}/samples/api`], { cwd: ROOT, config: {} });
    expect(r.findings.find((f) => f.ruleId === 'service-selector-no-match')).toBeUndefined();
    const whole = await audit(['fixtures/examples/diskann-broken'], { cwd: ROOT, config: {} });
    expect(whole.findings.filter((f) => /in .*\.yaml has those labels|is not found in .*\.yaml/.test(f.message))).toEqual([]);
  });
});

describe('a kustomize base is not reported for what every overlay supplies', () => {
  it('an image tag every overlay pins is no finding; a defect every overlay keeps is reported once', async () => {
    const r = await audit(['fixtures/units/base-overlays'], { cwd: ROOT, config: {} });
    expect(r.findings.map((f) => `${f.ruleId} ${f.file}:${f.line}`)).toEqual(['missing-memory-limit fixtures/units/base-overlays/base/deployment.yaml:27']);
    expect(r.findings[0].context).toMatch(/overlays\/dev.*overlays\/prod/);
  });

  it('the base alone (no overlay in the scan) is still linted for it', async () => {
    const r = await audit(['fixtures/units/base-overlays/base'], { cwd: ROOT, config: {} });
    expect(r.findings.map((f) => f.ruleId).sort()).toEqual(['image-tag-latest', 'missing-memory-limit']);
  });
});

describe('a stray file named as a patch', () => {
  it('is linted for what it sets, not for what a patch leaves out', async () => {
    const { tmpdir } = await import('./cli-helpers.js');
    const dir = tmpdir({
      'overlay/patch.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      containers:\n        - name: web\n          securityContext:\n            privileged: true\n',
    });
    const r = await audit(['.'], { cwd: dir, config: {} });
    expect(r.findings.map((f) => `${f.ruleId}:${f.line}`)).toEqual(['privileged-container:11']);
  });

  it('a template placeholder read as a mapping is no unknown field', async () => {
    const { tmpdir } = await import('./cli-helpers.js');
    const dir = tmpdir({
      'job.template.yaml': 'apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: worker\nspec:\n  template:\n    spec:\n      restartPolicy: Never\n      containers:\n        - name: worker\n          image: registry.example.com/worker:1.0\n          resources: {{ .Resources }}\n',
    });
    const r = await audit(['.'], { cwd: dir, config: {} });
    expect(r.findings.filter((f) => f.ruleId === 'unknown-field' || f.ruleId === 'schema-invalid')).toEqual([]);
  });
});
