/**
 * Kustomize end to end: what each overlay deploys is linted, at the base, patch or generator line that
 * produced each value; patch files are never linted as objects; a base is linted once on its own and again
 * inside each overlay, and one defect found by several builds is one finding naming them all.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { audit } from '../src/engine/run.js';
import { rules } from '../rules/index.js';
import { buildKustomization } from '../src/render/kustomize/index.js';
import { ROOT, expectationsOf } from './harness.js';
import { cli, tmpdir } from './cli-helpers.js';
import { KUBECTL_BIN } from './oracles.js';

const STACK = 'fixtures/kustomize/three-overlays';
const schemaRules = new Set(rules.filter((r) => r.meta.category === 'schema' || r.meta.category === 'syntax').map((r) => r.id));

function walk(p: string): string[] {
  if (fs.statSync(p).isFile()) return [p];
  return fs.readdirSync(p).sort().flatMap((n) => walk(path.join(p, n)));
}

describe('a base with three overlays', () => {
  it('yields exactly the findings its markers name, and nothing from a patch file read as an object', async () => {
    const report = await audit([STACK], { cwd: ROOT, config: {}, profile: 'all' });
    const expected: string[] = [];
    const ids = new Set<string>();
    for (const f of walk(path.join(ROOT, STACK))) {
      const { expected: e } = expectationsOf(fs.readFileSync(f, 'utf8'));
      for (const x of e) {
        expected.push(`${path.relative(ROOT, f)}:${x.line}:${x.ruleId}`);
        ids.add(x.ruleId);
      }
    }
    const actual = report.findings.filter((f) => ids.has(f.ruleId)).map((f) => `${f.file}:${f.line}:${f.ruleId}`);
    expect(actual.sort()).toEqual(expected.sort());
    // No schema or syntax finding anywhere: the partial objects in the patches are not objects.
    expect(report.findings.filter((f) => schemaRules.has(f.ruleId))).toEqual([]);
    // Every object finding comes from a build.
    for (const f of report.findings) expect(f.context ?? '', `${f.file}:${f.line} ${f.ruleId}`).toMatch(/^kustomize build /);
  });

  it('reports a base defect once, naming every build that has it; an overlay defect only for that overlay', async () => {
    const report = await audit([STACK], { cwd: ROOT, config: {}, profile: 'all' });
    const pull = report.findings.filter((f) => f.ruleId === 'image-pull-policy');
    expect(pull).toHaveLength(1);
    expect(pull[0].context!.split('; ').sort()).toEqual(['base', 'overlays/dev', 'overlays/prod', 'overlays/staging'].map((b) => `kustomize build ${STACK}/${b}`));
    const rwo = report.findings.filter((f) => f.ruleId === 'rwo-volume-shared');
    expect(rwo.map((f) => f.context)).toEqual([`kustomize build ${STACK}/overlays/prod`]);
    // The base on its own names no namespace: its overlays do, so that is not a finding.
    expect(report.findings.filter((f) => f.ruleId === 'default-namespace')).toEqual([]);
  });

  it('points at the line that produced the value: the patch line, the generator literal, the base line', async () => {
    const report = await audit([STACK], { cwd: ROOT, config: {}, profile: 'all' });
    const at = (id: string) => report.findings.filter((f) => f.ruleId === id).map((f) => `${f.file}:${f.line}:${f.column}`);
    expect(at('missing-anti-affinity')).toEqual([`${STACK}/overlays/prod/replicas.yaml:6:13`]);
    expect(at('plaintext-credential')).toEqual([`${STACK}/overlays/staging/kustomization.yaml:11:9`]);
    expect(at('missing-cpu-limit')).toEqual([`${STACK}/base/deployment.yaml:48:13`]);
  });

  it('lints an overlay scanned alone with its base, which lies outside the path given', async () => {
    const report = await audit([`${STACK}/overlays/prod`], { cwd: ROOT, config: {}, profile: 'all' });
    expect(report.findings.map((f) => f.ruleId)).toContain('rwo-volume-shared');
    expect(report.findings.filter((f) => f.ruleId === 'unsafe-input')).toEqual([]);
  });
});

describe('suppressions inside built files', () => {
  it('honours a comment in a base file in every build, and reports it stale once when no build needs it', async () => {
    const dir = tmpdir({
      'base/kustomization.yaml': 'resources:\n  - web.yaml\n',
      'base/web.yaml': [
        'apiVersion: v1',
        'kind: Pod',
        'metadata:',
        '  name: web',
        '  namespace: web',
        'spec:',
        '  containers:',
        '    - name: web',
        '      image: nginx:latest # k8s-audit-ignore image-tag-latest -- pinned by digest at deploy',
        '      securityContext: # k8s-audit-ignore privileged-container',
        '        runAsNonRoot: true',
      ].join('\n'),
      'a/kustomization.yaml': 'resources:\n  - ../base\nnamePrefix: a-\n',
      'b/kustomization.yaml': 'resources:\n  - ../base\nnamePrefix: b-\n',
    });
    const report = await audit(['.'], { cwd: dir, config: {} });
    expect(report.findings.filter((f) => f.ruleId === 'image-tag-latest')).toEqual([]);
    expect(report.suppressed.filter((f) => f.ruleId === 'image-tag-latest').map((f) => `${f.file}:${f.line}`)).toEqual(['base/web.yaml:9']);
    expect(report.findings.filter((f) => f.ruleId === 'unused-suppression').map((f) => `${f.file}:${f.line}`)).toEqual(['base/web.yaml:10']);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

describe('discovery', () => {
  it('notes (does not lint) files a kustomization does not list, and skips a component outside any build without an error', async () => {
    const dir = tmpdir({
      'k8s/kustomization.yaml': 'resources:\n  - cm.yaml\n',
      'k8s/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  namespace: x\n',
      'k8s/stray.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: stray\n  namespace: default\n',
      'components/unused/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\npatches:\n  - path: p.yaml\n',
      'components/unused/p.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: x\nspec:\n  replicas: 2\n',
    });
    const report = await audit(['.'], { cwd: dir, config: {}, profile: 'all' });
    expect(report.findings.filter((f) => f.severity === 'error').map((f) => `${f.file}:${f.line} ${f.ruleId} ${f.message}`)).toEqual([]);
    // the stray file is no object anyone deploys: it is named in a note at the kustomization, not linted
    expect(report.findings.filter((f) => f.file === 'k8s/stray.yaml')).toEqual([]);
    expect(report.findings.filter((f) => f.ruleId === 'kustomize-unused-file').map((f) => `${f.file}:${f.line} ${f.message}`)).toEqual([
      'k8s/kustomization.yaml:1 1 file in the kustomize directory k8s is used by no kustomize build in the scan, so it is not linted as an object: stray.yaml',
    ]);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('reads a generator env file without ever taking a value from the environment', () => {
    const dir = tmpdir({
      'kustomization.yaml': 'configMapGenerator:\n  - name: env\n    envs:\n      - app.env\n',
      'app.env': 'A=1\nHOME\n',
    });
    const r = buildKustomization(dir, { root: fs.realpathSync(dir), display: (a) => path.relative(dir, a) });
    expect(r.objects[0].obj.data).toEqual({ A: '1', HOME: '' });
    expect(r.problems.map((p) => [p.kind, p.file, p.line])).toEqual([['unsafe', 'app.env', 2]]);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

describe('helmCharts', () => {
  it('renders a local chart with inline and file values, then applies the kustomization to what it rendered', async () => {
    const dir = path.join(ROOT, 'fixtures/kustomize/cases/36-helm-charts');
    const r = buildKustomization(dir, { root: ROOT, display: (a) => path.relative(ROOT, a), renderHelm: undefined });
    // without a renderer nothing is inflated (the CLI always passes one)
    expect(r.objects).toEqual([]);
    const report = await audit([path.relative(ROOT, dir)], { cwd: ROOT, config: {}, profile: 'all' });
    const built = report.findings.filter((f) => f.context?.startsWith('kustomize build'));
    const names = built.map((f) => f.resource && `${f.resource.kind}/${f.resource.namespace}/${f.resource.name}`);
    expect(new Set(names)).toEqual(new Set(['Deployment/web/site-blog']));
    // valuesInline (replicas: 2) over the chart's default, and the chart's Service renamed with the Deployment
    expect(built.find((f) => f.ruleId === 'missing-anti-affinity')?.message).toContain('runs up to 2 replicas');
    expect(built.find((f) => f.ruleId === 'missing-readiness-probe')?.message).toContain('Service "site-blog"');
    // positions at the template lines of the chart
    const inBuild = report.findings.filter((f) => f.context?.startsWith('kustomize build'));
    expect(inBuild.every((f) => f.file.startsWith('fixtures/kustomize/cases/36-helm-charts/charts/web/templates/'))).toBe(true);
  });
});

describe('a 200-object overlay', () => {
  it('builds in well under a second (the benchmark measures it precisely)', () => {
    const files: Record<string, string> = { 'base/kustomization.yaml': 'resources:\n' + Array.from({ length: 100 }, (_, i) => `  - d${i}.yaml\n`).join('') };
    for (let i = 0; i < 100; i++) {
      files[`base/d${i}.yaml`] = `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app${i}\nspec:\n  selector:\n    matchLabels: {app: app${i}}\n  template:\n    metadata:\n      labels: {app: app${i}}\n    spec:\n      containers:\n        - name: c\n          image: app:${i}\n          envFrom:\n            - configMapRef:\n                name: cfg${i}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg${i}\ndata:\n  k: "${i}"\n`;
    }
    files['prod/kustomization.yaml'] = 'resources:\n  - ../base\nnamespace: prod\nnamePrefix: prod-\ncommonLabels:\n  env: prod\nimages:\n  - name: app\n    newTag: "2"\npatches:\n  - target:\n      kind: Deployment\n    patch: |-\n      - op: add\n        path: /spec/replicas\n        value: 3\n';
    const dir = tmpdir(files);
    const r = buildKustomization(path.join(dir, 'prod'), { root: fs.realpathSync(dir), display: (a) => path.relative(dir, a) });
    expect(r.objects).toHaveLength(200);
    expect(r.problems).toEqual([]);
    const d = r.objects.find((b) => b.obj.kind === 'Deployment')!.obj as { spec: { replicas: number; template: { spec: { containers: { envFrom: { configMapRef: { name: string } }[] }[] } } } };
    expect(d.spec.replicas).toBe(3);
    expect(d.spec.template.spec.containers[0].envFrom[0].configMapRef.name).toBe('prod-cfg0');
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

describe.skipIf(!KUBECTL_BIN)('--kustomize-binary', () => {
  it('lints what the installed kustomize builds, at the same source lines', () => {
    const builtIn = cli([STACK, '--profile', 'all', '--format', 'json']);
    const real = cli([STACK, '--profile', 'all', '--format', 'json', '--kustomize-binary', KUBECTL_BIN!]);
    const pick = (s: string) => (JSON.parse(s).findings as { ruleId: string; file: string; line: number }[]).map((f) => `${f.file}:${f.line}:${f.ruleId}`).sort();
    expect(pick(real.stdout)).toEqual(pick(builtIn.stdout));
  });

  it('is never taken from a configuration file found in the tree (there is no such key)', () => {
    const dir = tmpdir({ '.k8s-audit.yaml': 'kustomize:\n  binary: ./evil\n', 'kustomization.yaml': 'resources: []\n' });
    const r = cli(['.'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown key "kustomize"/);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

describe('buildMetadata in a linted build', () => {
  it('changes no finding: the origin and transformation annotations and the managed-by label are build metadata', async () => {
    const files = {
      'base/kustomization.yaml': 'resources:\n- deploy.yaml\nnamePrefix: p-\n',
      'base/deploy.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  selector:\n    matchLabels: {app: web}\n  template:\n    metadata:\n      labels: {app: web}\n    spec:\n      containers:\n      - name: web\n        image: nginx:1.27\n',
      'app/kustomization.yaml': 'resources:\n- ../base\ncommonLabels:\n  team: a\n',
    };
    const plain = tmpdir(files);
    const withMeta = tmpdir({ ...files, 'app/kustomization.yaml': `buildMetadata: [originAnnotations, transformerAnnotations, managedByLabel]\n${files['app/kustomization.yaml']}` });
    const shape = async (dir: string) => (await audit([dir], { cwd: dir, config: {}, profile: 'all' })).findings.map((f) => `${f.file}:${f.line}:${f.column}:${f.ruleId}`).sort();
    try {
      const a = await shape(plain);
      expect(a.length).toBeGreaterThan(0);
      expect(await shape(withMeta)).toEqual(a);
    } finally {
      fs.rmSync(plain, { recursive: true, force: true });
      fs.rmSync(withMeta, { recursive: true, force: true });
    }
  });
});
