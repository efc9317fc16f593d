/**
 * `k8s-audit render DIR` on a kustomization: what `kubectl kustomize DIR` prints (the objects, in kustomize's
 * output order), `--format json`, and a failing build on stderr with exit 1, naming the build.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { cli } from './cli-helpers.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'k8s-audit-krender-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function tree(name: string, files: Record<string, string>): string {
  const dir = path.join(tmp, name);
  for (const [f, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
    fs.writeFileSync(path.join(dir, f), text);
  }
  return dir;
}

const RESOURCES = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
spec:
  template:
    spec:
      containers:
      - name: api
        image: registry.example/api:1.0
---
apiVersion: v1
kind: Service
metadata:
  name: api
---
apiVersion: v1
kind: Namespace
metadata:
  name: shop
---
apiVersion: v1
kind: Service
metadata:
  name: cache
`;

const kinds = (text: string) => parseAllDocuments(text).map((d) => `${d.get('kind')}/${(d.toJS() as { metadata: { name: string } }).metadata.name}`);

describe('render a kustomization', () => {
  it('prints the build in the legacy kind order (Namespace, Services by name, Deployment), names prefixed', () => {
    const dir = tree('legacy', { 'kustomization.yaml': 'namePrefix: p-\nresources:\n- all.yaml\n', 'all.yaml': RESOURCES });
    const r = cli(['render', dir]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(kinds(r.stdout)).toEqual(['Namespace/shop', 'Service/p-api', 'Service/p-cache', 'Deployment/p-api']);
  });

  it('keeps the input order with sortOptions: fifo, and prints JSON with --format json', () => {
    const dir = tree('fifo', { 'kustomization.yaml': 'sortOptions:\n  order: fifo\nresources:\n- all.yaml\n', 'all.yaml': RESOURCES });
    expect(kinds(cli(['render', dir]).stdout)).toEqual(['Deployment/api', 'Service/api', 'Namespace/shop', 'Service/cache']);
    const j = cli(['render', dir, '--format', 'json']);
    expect(j.code).toBe(0);
    const objs = JSON.parse(j.stdout) as { kind: string; spec?: { template?: { spec: { containers: { image: string }[] } } } }[];
    expect(objs.map((o) => o.kind)).toEqual(['Deployment', 'Service', 'Namespace', 'Service']);
    expect(objs[0].spec?.template?.spec.containers[0].image).toBe('registry.example/api:1.0');
  });

  it('a sortOptions kustomize refuses fails the build', () => {
    const dir = tree('badsort', { 'kustomization.yaml': 'sortOptions:\n  order: random\nresources:\n- all.yaml\n', 'all.yaml': RESOURCES });
    const r = cli(['render', dir]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/sortOptions\.order' must be one of \[fifo, legacy\]/);
  });

  it('a failing build: nothing on stdout, the error on stderr naming the build, exit 1', () => {
    const dir = tree('overlays/prod', { 'kustomization.yaml': 'resources:\n- missing.yaml\n' });
    const r = cli(['render', path.relative(tmp, dir)], { cwd: tmp });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/kustomization\.yaml:2:3: kustomize build overlays\/prod: the resource "missing\.yaml" does not exist/);
  });

  it('a directory that is neither a chart nor a kustomization is a usage error', () => {
    const dir = tree('nothing', { 'a.yaml': 'kind: ConfigMap\n' });
    const r = cli(['render', dir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/nor a kustomization directory/);
  });
});

const DEPLOY = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    metadata:
      annotations:
        cost: $(TEAM)-$$(LITERAL)
    spec:
      containers:
      - name: web
        image: registry.example/web:2
        args: ["--db=$(DB_HOST)", "--port", "$(DB_PORT)"]
        env:
        - name: DB_PORT
          value: $(DB_PORT)
        - name: UNKNOWN
          value: $(NOT_A_VAR)
`;
const SVC = `apiVersion: v1
kind: Service
metadata:
  name: db
  labels:
    team: storage
spec:
  ports:
  - port: 5432
`;

/** Render from the temporary tree's top: the scanned tree a build may read (its bases included). */
function renderJson(dir: string): { code: number; objs: Record<string, any>[]; stderr: string } {
  const r = cli(['render', path.relative(tmp, dir), '--format', 'json'], { cwd: tmp });
  return { code: r.code, objs: r.code === 0 ? JSON.parse(r.stdout) : [], stderr: r.stderr };
}

describe('vars', () => {
  it('substitute $(VAR) in varReference fields after name references are fixed; an exact $(VAR) keeps the value type; $$ is one $', () => {
    const dir = tree('vars', {
      'base/kustomization.yaml': 'resources:\n- svc.yaml\nvars:\n- name: DB_HOST\n  objref: {apiVersion: v1, kind: Service, name: db}\n- name: DB_PORT\n  objref: {apiVersion: v1, kind: Service, name: db}\n  fieldref: {fieldpath: "spec.ports[0].port"}\n',
      'base/svc.yaml': SVC,
      'overlay/kustomization.yaml': 'namePrefix: prod-\nresources:\n- ../base\n- deploy.yaml\nvars:\n- name: TEAM\n  objref: {apiVersion: v1, kind: Service, name: db}\n  fieldref: {fieldpath: metadata.labels.team}\n',
      'overlay/deploy.yaml': DEPLOY,
    });
    const { code, objs, stderr } = renderJson(path.join(dir, 'overlay'));
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const d = objs.find((o) => o.kind === 'Deployment')!;
    const c = d.spec.template.spec.containers[0];
    // as kubectl: an item that is exactly $(VAR) takes the value's type, even in a list of strings
    expect(c.args).toEqual(['--db=prod-db', '--port', 5432]);
    expect(c.env[0].value).toBe(5432);
    expect(c.env[1].value).toBe('$(NOT_A_VAR)');
    expect(d.spec.template.metadata.annotations.cost).toBe('storage-$(LITERAL)');
  });

  it('a var naming no object fails the build, as kubectl does (exact group/version/kind: no apiVersion names nothing)', () => {
    const dir = tree('vars-missing', { 'kustomization.yaml': 'resources:\n- svc.yaml\nvars:\n- name: SVC\n  objref: {kind: Service, name: db}\n', 'svc.yaml': SVC });
    const r = cli(['render', dir]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/var '\{SVC Service\.\[noVer\]\.\[noGrp\] \{metadata\.name\}\}' cannot be mapped to a field in the set of known resources/);
  });

  it('a var declared twice fails the build', () => {
    const dir = tree('vars-twice', { 'kustomization.yaml': 'resources:\n- svc.yaml\nvars:\n- name: SVC\n  objref: {apiVersion: v1, kind: Service, name: db}\n- name: SVC\n  objref: {apiVersion: v1, kind: Service, name: db}\n', 'svc.yaml': SVC });
    const r = cli(['render', dir]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/var 'SVC' already encountered/);
  });
});

describe('configurations', () => {
  const CERT = 'apiVersion: cert-manager.io/v1\nkind: Certificate\nmetadata:\n  name: serving\nspec:\n  issuerRef:\n    name: selfsigned\n';
  const ISSUER = 'apiVersion: cert-manager.io/v1\nkind: Issuer\nmetadata:\n  name: selfsigned\n';
  const CONFIG = 'nameReference:\n- kind: Issuer\n  group: cert-manager.io\n  fieldSpecs:\n  - kind: Certificate\n    group: cert-manager.io\n    path: spec/issuerRef/name\nnamespace:\n- kind: Certificate\n  path: spec/secretTemplate/namespace\n  create: true\n';

  it("a base's configurations reach the overlay's prefix and namespace (name references follow, namespace fields are created)", () => {
    const dir = tree('configs', {
      'base/kustomization.yaml': 'resources:\n- cert.yaml\n- issuer.yaml\nconfigurations:\n- kustomizeconfig.yaml\n',
      'base/cert.yaml': CERT,
      'base/issuer.yaml': ISSUER,
      'base/kustomizeconfig.yaml': CONFIG,
      'overlay/kustomization.yaml': 'namePrefix: app-\nnamespace: certs\nresources:\n- ../base\n',
    });
    const { code, objs, stderr } = renderJson(path.join(dir, 'overlay'));
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const cert = objs.find((o) => o.kind === 'Certificate')!;
    expect(cert.spec.issuerRef.name).toBe('app-selfsigned');
    expect(cert.spec.secretTemplate.namespace).toBe('certs');
  });

  it('without the configuration the reference is left as written', () => {
    const dir = tree('noconfigs', { 'kustomization.yaml': 'namePrefix: app-\nresources:\n- cert.yaml\n- issuer.yaml\n', 'cert.yaml': CERT, 'issuer.yaml': ISSUER });
    expect(renderJson(dir).objs.find((o) => o.kind === 'Certificate')!.spec.issuerRef.name).toBe('selfsigned');
  });

  it('a missing configuration or openapi file fails the build', () => {
    for (const [name, field] of [['noconf', 'configurations:\n- missing.yaml\n'], ['noapi', 'openapi:\n  path: schema.json\n']]) {
      const dir = tree(name, { 'kustomization.yaml': `resources:\n- issuer.yaml\n${field}`, 'issuer.yaml': ISSUER });
      const r = cli(['render', dir]);
      expect(r.code, name).toBe(1);
      expect(r.stderr).toMatch(/does not exist/);
    }
  });
});

describe('patches that find nothing', () => {
  const PATCH = 'apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: web\nspec:\n  replicas: 3\n';
  it('a patch whose target selects nothing does nothing, silently', () => {
    const dir = tree('target-nothing', { 'kustomization.yaml': 'resources:\n- svc.yaml\npatches:\n- path: patch.yaml\n  target:\n    kind: StatefulSet\n', 'svc.yaml': SVC, 'patch.yaml': PATCH });
    const r = cli(['render', dir]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });

  it('a patch naming an object no resource has fails; with a remote base in the build it is unknowable (a warning)', () => {
    const local = tree('patch-nothing', { 'kustomization.yaml': 'resources:\n- svc.yaml\npatches:\n- path: patch.yaml\n', 'svc.yaml': SVC, 'patch.yaml': PATCH });
    const r = cli(['render', local]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/matches no resource of this build/);
    const remote = tree('patch-remote', { 'kustomization.yaml': 'resources:\n- https://github.com/example/platform//base?ref=v1\n- svc.yaml\npatches:\n- path: patch.yaml\n', 'svc.yaml': SVC, 'patch.yaml': PATCH });
    const w = cli(['render', remote]);
    expect(w.code).toBe(0);
    expect(w.stderr).toMatch(/warning: .*remote resource/);
    expect(w.stderr).toMatch(/warning: .*matches no resource of this build; it may be aimed at what the parts of this build k8s-audit did not build/);
  });

  it("a remote base in a sibling kustomization does not excuse a base's own patch", () => {
    const dir = tree('sibling', {
      'base/kustomization.yaml': 'resources:\n- svc.yaml\npatches:\n- path: patch.yaml\n',
      'base/svc.yaml': SVC,
      'base/patch.yaml': PATCH,
      'overlay/kustomization.yaml': 'resources:\n- https://github.com/example/platform//base?ref=v1\n- ../base\n',
    });
    const r = cli(['render', path.relative(tmp, path.join(dir, 'overlay'))], { cwd: tmp });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/kustomize build .*overlay: the patch for StatefulSet "web" matches no resource/);
  });
});

describe('the kustomization as kustomize decodes it, and the smaller transformers', () => {
  const CM = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  mode: a\n';

  it('field names match in any case (patchesJSON6902 is patchesJson6902)', () => {
    const dir = tree('case', {
      'kustomization.yaml': 'resources:\n- cm.yaml\npatchesJSON6902:\n- target: {version: v1, kind: ConfigMap, name: settings}\n  patch: |-\n    - op: replace\n      path: /data/mode\n      value: b\n',
      'cm.yaml': CM,
    });
    const { code, objs } = renderJson(dir);
    expect(code).toBe(0);
    expect(objs[0].data.mode).toBe('b');
  });

  it('values of the wrong type and an empty kustomization are refused, with kubectl meaning', () => {
    const strings = tree('patch-strings', { 'kustomization.yaml': 'resources:\n- cm.yaml\npatches:\n- cm.yaml\n', 'cm.yaml': CM });
    expect(cli(['render', strings]).stderr).toMatch(/cannot unmarshal string into Go struct field Kustomization\.patches of type types\.Patch/);
    const num = tree('label-number', { 'kustomization.yaml': 'resources:\n- cm.yaml\ncommonLabels:\n  tier: 1\n', 'cm.yaml': CM });
    expect(cli(['render', num]).stderr).toMatch(/cannot unmarshal number into Go struct field Kustomization\.commonLabels of type string/);
    // read as kustomize reads the file (go-yaml v2): yes is a boolean, 1_000 a number, 1:30 and a quoted "yes" are text
    const yes = tree('label-yes', { 'kustomization.yaml': 'resources:\n- cm.yaml\ncommonLabels:\n  canary: yes\n', 'cm.yaml': CM });
    expect(cli(['render', yes]).stderr).toMatch(/cannot unmarshal bool into Go struct field Kustomization\.commonLabels of type string/);
    const texts = tree('label-texts', { 'kustomization.yaml': 'resources:\n- cm.yaml\ncommonLabels:\n  a: "yes"\n  b: 1:30\n', 'cm.yaml': CM });
    expect(cli(['render', texts]).code).toBe(0);
    const empty = tree('empty', { 'kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n# nothing yet\n' });
    const r = cli(['render', empty]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/kustomization\.yaml is empty/);
  });

  it('PrefixSuffixTransformer with fieldSpecs prefixes only those fields; ValueAddTransformer sets its value', () => {
    const dir = tree('prefix-fields', {
      'kustomization.yaml': 'resources:\n- rb.yaml\ntransformers:\n- prefix.yaml\n- |-\n  apiVersion: builtin\n  kind: ValueAddTransformer\n  metadata:\n    name: ns\n  targets:\n  - fieldPath: metadata/namespace\n',
      'rb.yaml': 'apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata:\n  name: reader\nroleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: reader}\nsubjects:\n- kind: ServiceAccount\n  name: controller\n',
      'prefix.yaml': 'apiVersion: builtin\nkind: PrefixSuffixTransformer\nmetadata:\n  name: p\nprefix: team-\nfieldSpecs:\n- kind: RoleBinding\n  path: subjects/name\n',
    });
    const { code, objs } = renderJson(dir);
    expect(code).toBe(0);
    expect(objs[0].metadata).toEqual({ name: 'reader', namespace: 'prefix-fields' });
    expect(objs[0].subjects[0].name).toBe('team-controller');
  });

  it('images tagSuffix lands twice on pod-template containers (kustomize runs two filters there), once elsewhere', () => {
    const dir = tree('tagsuffix', {
      'kustomization.yaml': 'resources:\n- w.yaml\nimages:\n- name: registry.example/app\n  tagSuffix: -fips\n',
      'w.yaml': DEPLOY.replace('registry.example/web:2', 'registry.example/app:1.0') + '---\napiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: job\nspec:\n  schedule: "0 * * * *"\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          containers:\n          - name: j\n            image: registry.example/app:1.0\n',
    });
    const { objs } = renderJson(dir);
    expect(objs.find((o) => o.kind === 'Deployment')!.spec.template.spec.containers[0].image).toBe('registry.example/app:1.0-fips-fips');
    expect(objs.find((o) => o.kind === 'CronJob')!.spec.jobTemplate.spec.template.spec.containers[0].image).toBe('registry.example/app:1.0-fips');
  });

  it("generators: an unknown behavior creates; replace and merge keep the hash only when both generators ask for it", () => {
    const dir = tree('gens', {
      'base/kustomization.yaml': 'configMapGenerator:\n- name: app\n  literals: [MODE=base]\n',
      'overlay/kustomization.yaml': 'resources:\n- ../base\ngeneratorOptions:\n  disableNameSuffixHash: true\nconfigMapGenerator:\n- name: app\n  behavior: replace\n  literals: [MODE=prod]\n- name: extra\n  behavior: add\n  literals: [A=1]\n',
    });
    const { code, objs } = renderJson(path.join(dir, 'overlay'));
    expect(code).toBe(0);
    expect(objs.map((o) => o.metadata.name).sort()).toEqual(['app', 'extra']);
    expect(objs.find((o) => o.metadata.name === 'app')!.data).toEqual({ MODE: 'prod' });
  });

  it("namespace: follows kustomize's scope data: FlowSchema v1 and custom cluster kinds get it, v1beta1 FlowSchema and PriorityClass do not", () => {
    const dir = tree('scope', {
      'kustomization.yaml': 'namespace: ops\nresources:\n- all.yaml\n',
      'all.yaml': ['flowcontrol.apiserver.k8s.io/v1 FlowSchema a', 'flowcontrol.apiserver.k8s.io/v1beta1 FlowSchema b', 'scheduling.k8s.io/v1 PriorityClass c', 'cert-manager.io/v1 ClusterIssuer d']
        .map((l) => l.split(' '))
        .map(([av, kind, name]) => `apiVersion: ${av}\nkind: ${kind}\nmetadata:\n  name: ${name}\n`)
        .join('---\n'),
    });
    const ns = Object.fromEntries(renderJson(dir).objs.map((o) => [o.metadata.name, o.metadata.namespace ?? null]));
    expect(ns).toEqual({ a: 'ops', b: null, c: null, d: 'ops' });
  });
});

describe('kustomize-build-error names the build', () => {
  it("a base's error found through two overlays is reported once, naming both builds", () => {
    const dir = tree('named', {
      'base/kustomization.yaml': 'resources:\n- missing.yaml\n',
      'overlays/dev/kustomization.yaml': 'resources:\n- ../../base\n',
      'overlays/prod/kustomization.yaml': 'resources:\n- ../../base\n',
    });
    const r = cli(['named', '-F', 'json'], { cwd: tmp });
    const errors = (JSON.parse(r.stdout) as { findings: { ruleId: string; message: string; file: string }[] }).findings.filter((f) => f.ruleId === 'kustomize-build-error');
    expect(errors).toHaveLength(1);
    expect(errors[0].file).toBe('named/base/kustomization.yaml');
    expect(errors[0].message).toMatch(/^kustomize build named\/base \(also named\/overlays\/dev, named\/overlays\/prod\): the resource "missing\.yaml" does not exist/);
    void dir;
  });
});

describe('render follows bases as kubectl kustomize does', () => {
  it('an overlay outside any repository, named from another directory, renders with its ../ base', () => {
    const top = fs.mkdtempSync(path.join(os.tmpdir(), 'k8s-audit-krender-norepo-'));
    fs.mkdirSync(path.join(top, 'base'));
    fs.mkdirSync(path.join(top, 'overlay'));
    fs.writeFileSync(path.join(top, 'base', 'kustomization.yaml'), 'resources:\n  - cm.yaml\n');
    fs.writeFileSync(path.join(top, 'base', 'cm.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  a: "1"\n');
    fs.writeFileSync(path.join(top, 'overlay', 'kustomization.yaml'), 'namePrefix: dev-\nresources:\n  - ../base\n');
    // run from elsewhere (no repository above the temporary directory, the working directory unrelated)
    const elsewhere = fs.mkdtempSync(path.join(os.tmpdir(), 'k8s-audit-krender-cwd-'));
    const r = cli(['render', path.join(top, 'overlay'), '--format', 'json'], { cwd: elsewhere });
    fs.rmSync(elsewhere, { recursive: true, force: true });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).map((o: { metadata: { name: string } }) => o.metadata.name)).toEqual(['dev-settings']);
    fs.rmSync(top, { recursive: true, force: true });
  });
});

describe('helmCharts render with what kustomize hands helm', () => {
  const chart = {
    'charts/caps/Chart.yaml': 'apiVersion: v2\nname: caps\nversion: 0.1.0\n',
    'charts/caps/values.yaml': '{}\n',
    'charts/caps/templates/cm.yaml':
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: caps-{{ .Release.Name }}\ndata:\n  kube: {{ .Capabilities.KubeVersion.Version | quote }}\n  netAlpha: {{ .Capabilities.APIVersions.Has "networking.k8s.io/v1alpha1" | quote }}\n  custom: {{ .Capabilities.APIVersions.Has "example.com/v1" | quote }}\n',
  };

  it("without kubeVersion: helm v3's defaults (Kubernetes 1.32, its group versions), as kubectl's kustomize renders", () => {
    const dir = tree('helm-caps', { ...chart, 'kustomization.yaml': 'helmCharts:\n- name: caps\n  releaseName: r\n' });
    const { code, objs } = renderJson(dir);
    expect(code).toBe(0);
    expect(objs[0].data).toEqual({ kube: 'v1.32.0', netAlpha: 'true', custom: 'false' });
  });

  it('kubeVersion and apiVersions of the helmCharts entry are passed on', () => {
    const dir = tree('helm-caps-given', { ...chart, 'kustomization.yaml': 'helmCharts:\n- name: caps\n  releaseName: r\n  kubeVersion: v1.30.2\n  apiVersions: [example.com/v1]\n' });
    const { code, objs } = renderJson(dir);
    expect(code).toBe(0);
    expect(objs[0].data).toEqual({ kube: 'v1.30.2', netAlpha: 'true', custom: 'true' });
  });
});
