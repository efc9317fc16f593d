/**
 * The built-in kustomize build where it used to differ from `kubectl kustomize` (kustomize v5.7.1): how
 * resources are read, merged, identified and cross-referenced. Each case is a small kustomization written
 * here, with the data kubectl builds from it (checked with the real kubectl from ../shared/tools/oracles.sh),
 * so the test runs without kubectl.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { buildKustomization, emitDocuments } from '../src/render/kustomize/index.js';
import { kyamlPlain } from '../src/render/kustomize/kyaml.js';
import { tmpdir } from './cli-helpers.js';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

type Obj = Record<string, unknown>;

/** Build a kustomization written as files; its objects as the emitted YAML reads back, and its problems. */
function build(files: Record<string, string>, sub = '.') {
  const dir = tmpdir(files);
  dirs.push(dir);
  const r = buildKustomization(path.join(dir, sub), { root: fs.realpathSync(dir), display: (a) => path.relative(dir, a) });
  const text = emitDocuments(r.objects.map((b) => b.obj)).text;
  const objects = parseAllDocuments(text).map((d) => d.toJS() as Obj);
  return { objects, problems: r.problems, text };
}

const byName = (objects: Obj[], name: string) => objects.find((o) => (o.metadata as Obj)?.name === name);

describe('reading resources as kyaml (go-yaml v3) does', () => {
  it('resolves plain scalars as go-yaml v3: 1.1 octals, underscores, timestamps as RFC 3339 strings', () => {
    const cases: [string, unknown][] = [
      ['0755', 493], ['010', 8], ['08', 8], ['1_000', 1000], ['0o17', 15], ['-0x1F', -31], ['0x_1F', 31], ['+0755', 493],
      ['0755.5', 755.5], ['1e3', 1000], ['-0', 0], ['.5', 0.5], ['1:20', '1:20'], ['yes', 'yes'], ['on', 'on'], ['~', null], ['Null', null],
      ['2019-03-20T17:54:53Z', '2019-03-20T17:54:53Z'], ['2019-03-20', '2019-03-20T00:00:00Z'], ['2019-3-2', '2019-03-02T00:00:00Z'],
      ['2019-03-20 10:11:12', '2019-03-20T10:11:12Z'], ['2019-03-20T10:11:12.500+02:00', '2019-03-20T10:11:12.5+02:00'],
      ['2019-02-30', '2019-02-30'], ['0xFFFFFFFFFFFFFFFFF', '0xFFFFFFFFFFFFFFFFF'], ['1.2.3', '1.2.3'], ['0800', 800],
    ];
    expect(cases.map(([s]) => [s, kyamlPlain(s)])).toEqual(cases);
  });

  it('builds a 1.1 octal file mode as its decimal value and keeps timestamps strings, in resources and patches', () => {
    const { objects, problems } = build({
      'kustomization.yaml': 'resources:\n- pod.yaml\npatches:\n- path: patch.yaml\n',
      'pod.yaml': 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  annotations:\n    at: 2019-03-20T17:54:53Z\nspec:\n  volumes:\n  - name: s\n    configMap:\n      name: s\n      defaultMode: 0755 # rwxr-xr-x\n',
      'patch.yaml': 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  annotations:\n    rotated: 2020-01-02\n',
    });
    expect(problems).toEqual([]);
    const pod = objects[0] as { metadata: Obj; spec: { volumes: { configMap: Obj }[] } };
    expect(pod.spec.volumes[0].configMap.defaultMode).toBe(493);
    expect(pod.metadata.annotations).toEqual({ at: '2019-03-20T17:54:53Z', rotated: '2020-01-02T00:00:00Z' });
  });

  it('merges YAML merge keys (one alias or a list of them) and refuses a key defined twice, as go-yaml v3 does', () => {
    const { objects, problems } = build({
      'kustomization.yaml': 'resources:\n- cm.yaml\n',
      'cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\nbase: &b\n  k: v\n  n: 1\nother: &o\n  k: w\n  z: 3\nmerged:\n  <<: [*b, *o]\n  n: 2\none:\n  <<: *o\n',
    });
    expect(problems).toEqual([]);
    expect(objects[0].merged).toEqual({ k: 'v', n: 2, z: 3 });
    expect(objects[0].one).toEqual({ k: 'w', z: 3 });
    const dup = build({ 'kustomization.yaml': 'resources:\n- cm.yaml\n', 'cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  a: "1"\n  a: "2"\n' });
    expect(dup.problems.map((p) => [p.kind, p.line])).toEqual([['error', 7]]);
  });

  it('gives a block scalar that ends the file without a final newline no trailing newline', () => {
    const { objects } = build({
      'kustomization.yaml': 'resources:\n- cm.yaml\n- cm2.yaml\n',
      'cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  one: |\n    x\n  two: |\n    a=1\n    b=2',
      'cm2.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\ndata:\n  two: |\n    a=1\n    b=2\n',
    });
    expect(byName(objects, 'a')!.data).toEqual({ one: 'x\n', two: 'a=1\nb=2' });
    expect(byName(objects, 'b')!.data).toEqual({ two: 'a=1\nb=2\n' });
  });
});

describe('annotations and JSON 6902 patches', () => {
  it('reads a JSON 6902 patch as YAML 1.1 (go-yaml v2): yes/on/n are booleans, a timestamp stays as written; a strategic-merge patch keeps them strings', () => {
    const { objects, problems } = build({
      'kustomization.yaml':
        'resources:\n- cm.yaml\npatches:\n- target:\n    kind: ConfigMap\n  patch: |-\n    - op: add\n      path: /spec\n      value: {a: yes, b: on, c: 0755, d: n, e: 2019-03-20, f: 1_000}\n- patch: |-\n    apiVersion: v1\n    kind: ConfigMap\n    metadata:\n      name: x\n    other: {a: yes, b: on, c: 0755, d: n}\n',
      'cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n',
    });
    expect(problems).toEqual([]);
    expect(objects[0].spec).toEqual({ a: true, b: true, c: 493, d: false, e: '2019-03-20', f: 1000 });
    expect(objects[0].other).toEqual({ a: 'yes', b: 'on', c: 493, d: 'n' });
  });

  it('drops an empty or null metadata.annotations from the output, also one a patch emptied; keeps labels: {}', () => {
    const { objects, problems } = build({
      'kustomization.yaml': 'resources:\n- r.yaml\npatches:\n- target:\n    name: c\n  patch: |-\n    - op: remove\n      path: /metadata/annotations/a\n',
      'r.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: a\n  annotations:\n---\napiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: b\n  annotations: {}\n  labels: {}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  annotations:\n    a: b\n',
    });
    expect(problems).toEqual([]);
    expect(['a', 'b', 'c'].map((n) => byName(objects, n)!.metadata)).toEqual([{ name: 'a' }, { name: 'b', labels: {} }, { name: 'c' }]);
  });

  it('adds under absent annotations (kustomize always has some inside), but not under absent labels', () => {
    const files = (p: string) => ({
      'kustomization.yaml': `resources:\n- sa.yaml\npatches:\n- target:\n    kind: ServiceAccount\n  patch: |-\n    - op: add\n      path: /metadata/${p}/example.com~1owner\n      value: team-a\n`,
      'sa.yaml': 'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: app\n',
    });
    const ok = build(files('annotations'));
    expect(ok.problems).toEqual([]);
    expect(ok.objects[0].metadata).toEqual({ name: 'app', annotations: { 'example.com/owner': 'team-a' } });
    const bad = build(files('labels'));
    expect(bad.problems.map((p) => p.kind)).toEqual(['error']);
  });

  it('replaces an absent key of an existing map (sets it); an absent parent or index is still an error', () => {
    const patch = (op: string) => ({
      'kustomization.yaml': `resources:\n- cm.yaml\npatches:\n- target:\n    kind: ConfigMap\n  patch: |-\n${op.replace(/^/gm, '    ')}\n`,
      'cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  a: "1"\n',
    });
    const ok = build(patch('- op: replace\n  path: /data/b\n  value: "2"'));
    expect(ok.problems).toEqual([]);
    expect(ok.objects[0].data).toEqual({ a: '1', b: '2' });
    expect(build(patch('- op: replace\n  path: /spec/b\n  value: "2"')).problems.map((p) => p.kind)).toEqual(['error']);
    expect(build(patch('- op: remove\n  path: /data/b')).problems.map((p) => p.kind)).toEqual(['error']);
  });
});

describe('identity, generators and label field specs', () => {
  it('takes the same kind and name in two API versions as two resources; a patch matches its own version only', () => {
    const { objects, problems } = build({
      'kustomization.yaml': 'resources:\n- w.yaml\npatches:\n- path: p.yaml\n',
      'w.yaml': 'apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: s\nspec:\n  a: 1\n---\napiVersion: example.com/v2\nkind: Widget\nmetadata:\n  name: s\nspec:\n  a: 2\n',
      'p.yaml': 'apiVersion: example.com/v2\nkind: Widget\nmetadata:\n  name: s\nspec:\n  b: 1\n',
    });
    expect(problems).toEqual([]);
    expect(objects.map((o) => [o.apiVersion, o.spec])).toEqual([
      ['example.com/v1', { a: 1 }],
      ['example.com/v2', { a: 2, b: 1 }],
    ]);
    const wrong = build({
      'kustomization.yaml': 'resources:\n- w.yaml\npatches:\n- path: p.yaml\n',
      'w.yaml': 'apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: s\n',
      'p.yaml': 'apiVersion: example.com/v3\nkind: Widget\nmetadata:\n  name: s\nspec:\n  b: 1\n',
    });
    expect(wrong.problems.map((p) => p.kind)).toEqual(['error']);
  });

  it('gives a Secret generated from nothing data: {} (and the hash of that), a ConfigMap no data', () => {
    const { objects } = build({ 'kustomization.yaml': 'secretGenerator:\n- name: s\nconfigMapGenerator:\n- name: empty\n' });
    expect(objects).toEqual([
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'empty-6ct58987ht' } },
      { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's-46f8b28mk5' }, type: 'Opaque', data: {} },
    ]);
  });

  it('labels a StatefulSet without volumeClaimTemplates without creating them (a list is never created)', () => {
    const sts = 'apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: web\nspec:\n  serviceName: web\n  selector:\n    matchLabels:\n      app: web\n  template:\n    metadata:\n      labels:\n        app: web\n    spec:\n      containers:\n      - name: web\n        image: nginx:1.27\n';
    const { objects } = build({
      'kustomization.yaml': 'resources:\n- sts.yaml\n- sts2.yaml\ncommonLabels:\n  team: a\n',
      'sts.yaml': sts,
      'sts2.yaml': sts.replace('name: web\nspec:', 'name: db\nspec:') + '  volumeClaimTemplates:\n  - metadata:\n      name: data\n',
    });
    const spec = (n: string) => byName(objects, n)!.spec as Obj;
    expect(spec('web').volumeClaimTemplates).toBeUndefined();
    expect(spec('db').volumeClaimTemplates).toEqual([{ metadata: { name: 'data', labels: { team: 'a' } } }]);
  });
});

describe('strategic merge with the merge keys of kustomize\'s OpenAPI document', () => {
  it('merges webhooks by name (rules, clientConfig kept), replaces lists a kind has no key for', () => {
    const { objects, problems } = build({
      'kustomization.yaml': 'resources:\n- wh.yaml\npatches:\n- path: p.yaml\n',
      'wh.yaml':
        'apiVersion: admissionregistration.k8s.io/v1\nkind: ValidatingWebhookConfiguration\nmetadata:\n  name: v\nwebhooks:\n- name: a.example.com\n  sideEffects: None\n  clientConfig:\n    service:\n      name: svc\n      namespace: system\n  rules:\n  - operations: [CREATE]\n    apiGroups: [""]\n    apiVersions: [v1]\n    resources: [pods]\n- name: b.example.com\n  sideEffects: None\n',
      'p.yaml': 'apiVersion: admissionregistration.k8s.io/v1\nkind: ValidatingWebhookConfiguration\nmetadata:\n  name: v\nwebhooks:\n- name: a.example.com\n  namespaceSelector:\n    matchLabels:\n      x: y\n',
    });
    expect(problems).toEqual([]);
    const hooks = objects[0].webhooks as Obj[];
    expect(hooks.map((h) => h.name)).toEqual(['a.example.com', 'b.example.com']);
    expect(hooks[0]).toMatchObject({ sideEffects: 'None', clientConfig: { service: { name: 'svc', namespace: 'system' } }, namespaceSelector: { matchLabels: { x: 'y' } } });
    expect((hooks[0].rules as unknown[]).length).toBe(1);
  });

  it('replaces a custom kind\'s lists, and merges them by the key an openapi: document gives', () => {
    const files = (openapi: boolean) => ({
      'kustomization.yaml': `resources:\n- cr.yaml\n${openapi ? 'openapi:\n  path: schema.json\n' : ''}patches:\n- path: p.yaml\n`,
      'cr.yaml': 'apiVersion: example.com/v1\nkind: Box\nmetadata:\n  name: cr\nspec:\n  parts:\n  - name: a\n    size: 1\n  - name: b\n    size: 1\n',
      'p.yaml': 'apiVersion: example.com/v1\nkind: Box\nmetadata:\n  name: cr\nspec:\n  parts:\n  - name: b\n    size: 2\n',
      'schema.json': JSON.stringify({
        definitions: {
          'v1.Box': {
            properties: { spec: { properties: { parts: { type: 'array', items: { type: 'object' }, 'x-kubernetes-patch-merge-key': 'name', 'x-kubernetes-patch-strategy': 'merge' } }, type: 'object' } },
            'x-kubernetes-group-version-kind': [{ group: 'example.com', kind: 'Box', version: 'v1' }],
          },
        },
      }),
    });
    expect(build(files(false)).objects[0].spec).toEqual({ parts: [{ name: 'b', size: 2 }] });
    expect(build(files(true)).objects[0].spec).toEqual({ parts: [{ name: 'b', size: 2 }, { name: 'a', size: 1 }] });
  });

  it('merges finalizers as a set, the patch\'s first', () => {
    const { objects } = build({
      'kustomization.yaml': 'resources:\n- cm.yaml\npatches:\n- patch: |-\n    apiVersion: v1\n    kind: ConfigMap\n    metadata:\n      name: x\n      finalizers: [b, a]\n',
      'cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  finalizers: [a, c]\n',
    });
    expect((objects[0].metadata as Obj).finalizers).toEqual(['b', 'a', 'c']);
  });

  it('keeps $setElementOrder and $deleteFromPrimitiveList as fields (kyaml knows only $patch)', () => {
    const { objects } = build({
      'kustomization.yaml': 'resources:\n- cm.yaml\npatches:\n- patch: |-\n    apiVersion: v1\n    kind: ConfigMap\n    metadata:\n      name: x\n      $deleteFromPrimitiveList/finalizers: [a]\n      $setElementOrder/ownerReferences:\n      - uid: "2"\n',
      'cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  finalizers: [a, c]\n',
    });
    expect(objects[0].metadata).toEqual({ name: 'x', finalizers: ['a', 'c'], '$deleteFromPrimitiveList/finalizers': ['a'], '$setElementOrder/ownerReferences': [{ uid: '2' }] });
  });

  it('keeps $retainKeys as a field (kyaml does not apply it)', () => {
    const { objects } = build({
      'kustomization.yaml': 'resources:\n- d.yaml\npatches:\n- patch: |-\n    apiVersion: apps/v1\n    kind: Deployment\n    metadata:\n      name: web\n    spec:\n      template:\n        spec:\n          volumes:\n          - $retainKeys: [name, emptyDir]\n            name: v\n            emptyDir: {}\n',
      'd.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      volumes:\n      - name: v\n        configMap:\n          name: c\n',
    });
    expect((objects[0] as { spec: { template: { spec: Obj } } }).spec.template.spec.volumes).toEqual([{ name: 'v', configMap: { name: 'c' }, $retainKeys: ['name', 'emptyDir'], emptyDir: {} }]);
  });

  it('drops the fields of a patched object written with no value (not those written null), in maps and keyed lists', () => {
    const { objects } = build({
      'kustomization.yaml': 'resources:\n- d.yaml\npatches:\n- patch: |-\n    apiVersion: apps/v1\n    kind: Deployment\n    metadata:\n      name: web\n    spec:\n      replicas: 2\n',
      'd.yaml':
        'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  labels:\n    x:\nspec:\n  template:\n    spec:\n      nodeSelector:\n      affinity:\n        nodeAffinity:\n          preferredDuringSchedulingIgnoredDuringExecution:\n      tolerations:\n      - key: a\n        value:\n      containers:\n      - name: web\n        image: nginx\n        args:\n        command: null\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  a:\n',
    });
    const d = byName(objects, 'web') as { metadata: Obj; spec: { replicas: number; template: { spec: Obj } } };
    expect(d.metadata.labels).toEqual({});
    expect(d.spec.template.spec).toEqual({
      affinity: { nodeAffinity: {} },
      tolerations: [{ key: 'a', value: null }],
      containers: [{ name: 'web', image: 'nginx', command: null }],
    });
    expect(byName(objects, 'c')!.data).toEqual({ a: null });
  });
});

describe('references and identity across namespaces', () => {
  it('writes the namespace of the object referred to into a subject and a webhook clientConfig.service that name none', () => {
    const { objects, problems } = build({
      'kustomization.yaml': 'namespace: apps\nresources:\n- r.yaml\n',
      'r.yaml':
        'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: worker\n---\napiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata:\n  name: worker\nroleRef:\n  apiGroup: rbac.authorization.k8s.io\n  kind: ClusterRole\n  name: view\nsubjects:\n- kind: ServiceAccount\n  name: worker\n- kind: User\n  name: worker\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: hook\nspec:\n  ports:\n  - port: 443\n---\napiVersion: admissionregistration.k8s.io/v1\nkind: MutatingWebhookConfiguration\nmetadata:\n  name: m\nwebhooks:\n- name: a.example.com\n  sideEffects: None\n  admissionReviewVersions: [v1]\n  clientConfig:\n    service:\n      name: hook\n      path: /mutate\n',
    });
    expect(problems).toEqual([]);
    expect(byName(objects, 'worker') && objects.find((o) => o.kind === 'ClusterRoleBinding')!.subjects).toEqual([
      { kind: 'ServiceAccount', name: 'worker', namespace: 'apps' },
      { kind: 'User', name: 'worker' },
    ]);
    expect((byName(objects, 'm')!.webhooks as Obj[])[0].clientConfig).toEqual({ service: { name: 'hook', namespace: 'apps', path: '/mutate' } });
  });

  it('resolves a subject that names a namespace by the original namespace of the object, else its current one', () => {
    const { objects } = build({
      'kustomization.yaml': 'namePrefix: a-\nnamespace: n1\nresources:\n- rb.yaml\n- sub\n',
      'rb.yaml': 'apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata:\n  name: rb\nroleRef:\n  apiGroup: rbac.authorization.k8s.io\n  kind: ClusterRole\n  name: view\nsubjects:\n- kind: ServiceAccount\n  name: sa2\n  namespace: n2\n- kind: ServiceAccount\n  name: sa2\n',
      'sub/kustomization.yaml': 'namespace: n2\nnameSuffix: -s\nresources:\n- sa.yaml\n',
      'sub/sa.yaml': 'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: sa2\n',
    });
    // (the ServiceAccount was in n2 only between the two builds: neither its first nor its last namespace)
    expect(objects.find((o) => o.kind === 'RoleBinding')!.subjects).toEqual([
      { kind: 'ServiceAccount', name: 'sa2', namespace: 'n2' },
      { kind: 'ServiceAccount', name: 'a-sa2-s', namespace: 'n1' },
    ]);
  });

  it('keeps the namespace the base gave an object when a patch names its pre-transform namespace', () => {
    const { objects, problems } = build(
      {
        'base/kustomization.yaml': 'namespace: operator-system\nnamePrefix: operator-\nresources:\n- service.yaml\n',
        'base/service.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: webhook-service\n  namespace: system\nspec:\n  selector:\n    app: operator\n',
        'overlay/kustomization.yaml': 'resources:\n- ../base\npatches:\n- path: patch.yaml\n',
        'overlay/patch.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: webhook-service\n  namespace: system\nspec:\n  selector:\n    component: webhook\n',
      },
      'overlay',
    );
    expect(problems).toEqual([]);
    expect(objects).toEqual([
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 'operator-webhook-service', namespace: 'operator-system' }, spec: { selector: { app: 'operator', component: 'webhook' } } },
    ]);
  });
});

describe('the kustomization file', () => {
  it('keeps an unquoted timestamp as the text written (YAMLToJSON), not a date', () => {
    const ok = build({ 'kustomization.yaml': 'commonAnnotations:\n  when: 2019-03-20\nresources:\n- cm.yaml\n', 'cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n' });
    expect(ok.problems).toEqual([]);
    expect(ok.objects[0].metadata).toEqual({ name: 'x', annotations: { when: '2019-03-20' } });
  });
});

describe('buildMetadata', () => {
  const files = {
    'base/kustomization.yaml': 'resources:\n- cm.yaml\nnamePrefix: p-\n',
    'base/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n',
    'app/kustomization.yaml': 'buildMetadata: [originAnnotations, transformerAnnotations, managedByLabel]\nresources:\n- ../base\nconfigMapGenerator:\n- name: g\n  literals: [a=1]\ncommonLabels:\n  x: z\n',
  };
  const entry = (file: string, kind: string) => `- configuredIn: ${file}\n  configuredBy:\n    apiVersion: builtin\n    kind: ${kind}\n`;

  it('writes the origin through the bases, one transformation per transformer that ran, and the managed-by label (as kubectl v1.35 prints them)', () => {
    const { objects, problems } = build(files, 'app');
    expect(problems).toEqual([]);
    expect(objects.map((o) => o.metadata)).toEqual([
      {
        name: 'g-h29d89cmmt',
        annotations: {
          'config.kubernetes.io/origin': 'configuredIn: kustomization.yaml\nconfiguredBy:\n  apiVersion: builtin\n  kind: ConfigMapGenerator\n',
          'alpha.config.kubernetes.io/transformations': entry('kustomization.yaml', 'LabelTransformer'),
        },
        labels: { x: 'z', 'app.kubernetes.io/managed-by': 'kustomize-v5.7.1' },
      },
      {
        name: 'p-c',
        annotations: {
          'config.kubernetes.io/origin': 'path: ../base/cm.yaml\n',
          'alpha.config.kubernetes.io/transformations': entry('../base/kustomization.yaml', 'PrefixTransformer') + entry('kustomization.yaml', 'LabelTransformer'),
        },
        labels: { x: 'z', 'app.kubernetes.io/managed-by': 'kustomize-v5.7.1' },
      },
    ]);
  });

  it("keeps only what the starting kustomization asks for; a base's own buildMetadata counts for nothing", () => {
    const only = build({ ...files, 'app/kustomization.yaml': files['app/kustomization.yaml'].replace(/^buildMetadata: .*$/m, 'buildMetadata: [managedByLabel]') }, 'app');
    expect(only.objects.map((o) => (o.metadata as Obj).annotations)).toEqual([undefined, undefined]);
    expect(only.objects.every((o) => ((o.metadata as Obj).labels as Obj)['app.kubernetes.io/managed-by'] === 'kustomize-v5.7.1')).toBe(true);
    const fromBase = build({ ...files, 'base/kustomization.yaml': `buildMetadata: [originAnnotations]\n${files['base/kustomization.yaml']}`, 'app/kustomization.yaml': files['app/kustomization.yaml'].replace(/^buildMetadata: .*\n/m, '') }, 'app');
    expect(fromBase.objects.map((o) => o.metadata)).toEqual([{ name: 'g-h29d89cmmt', labels: { x: 'z' } }, { name: 'p-c', labels: { x: 'z' } }]);
  });
});

describe('lists with several merge keys (x-kubernetes-list-map-keys), as kyaml merges them', () => {
  it('merges container ports on containerPort and protocol, Service ports on port and protocol, spread constraints on topologyKey and whenUnsatisfiable', () => {
    const { objects, problems } = build({
      'kustomization.yaml': 'resources:\n- d.yaml\npatches:\n- path: p.yaml\n',
      'd.yaml':
        'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: dns\nspec:\n  template:\n    spec:\n      topologySpreadConstraints:\n      - {topologyKey: zone, whenUnsatisfiable: DoNotSchedule, maxSkew: 1}\n      - {topologyKey: zone, whenUnsatisfiable: ScheduleAnyway, maxSkew: 2}\n      containers:\n      - name: dns\n        image: coredns\n        ports:\n        - {containerPort: 53, protocol: TCP, name: dns-tcp}\n        - {containerPort: 53, protocol: UDP, name: dns}\n        - {containerPort: 9153, name: metrics}\n' +
        '---\napiVersion: v1\nkind: Service\nmetadata:\n  name: dns\nspec:\n  ports:\n  - {port: 53, protocol: TCP, name: dns-tcp}\n  - {port: 53, protocol: UDP, name: dns}\n',
      'p.yaml':
        'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: dns\nspec:\n  template:\n    spec:\n      topologySpreadConstraints:\n      - {topologyKey: zone, whenUnsatisfiable: ScheduleAnyway, maxSkew: 5}\n      containers:\n      - name: dns\n        ports:\n        - {containerPort: 53, protocol: UDP, hostPort: 53}\n        - {containerPort: 8080, name: new}\n' +
        '---\napiVersion: v1\nkind: Service\nmetadata:\n  name: dns\nspec:\n  ports:\n  - {port: 53, protocol: UDP, targetPort: 5353}\n',
    });
    expect(problems).toEqual([]);
    const svc = objects.find((o) => o.kind === 'Service') as { spec: { ports: Obj[] } };
    expect(svc.spec.ports).toEqual([{ port: 53, protocol: 'TCP', name: 'dns-tcp' }, { port: 53, protocol: 'UDP', name: 'dns', targetPort: 5353 }]);
    const pod = (objects.find((o) => o.kind === 'Deployment') as { spec: { template: { spec: { containers: { ports: Obj[] }[]; topologySpreadConstraints: Obj[] } } } }).spec.template.spec;
    expect(pod.containers[0].ports).toEqual([
      { containerPort: 8080, name: 'new' },
      { containerPort: 53, protocol: 'TCP', name: 'dns-tcp' },
      { containerPort: 53, protocol: 'UDP', name: 'dns', hostPort: 53 },
      { containerPort: 9153, name: 'metrics' },
    ]);
    expect(pod.topologySpreadConstraints).toEqual([
      { topologyKey: 'zone', whenUnsatisfiable: 'DoNotSchedule', maxSkew: 1 },
      { topologyKey: 'zone', whenUnsatisfiable: 'ScheduleAnyway', maxSkew: 5 },
    ]);
  });

  it("keeps kyaml's quirks: a port naming no protocol is the patch's port that names one, yet keeps the resource's fields only", () => {
    const { objects } = build({
      'kustomization.yaml': 'resources:\n- d.yaml\npatches:\n- path: p.yaml\n',
      'd.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: w\nspec:\n  template:\n    spec:\n      containers:\n      - name: w\n        ports:\n        - {containerPort: 9153, name: metrics}\n',
      'p.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: w\nspec:\n  template:\n    spec:\n      containers:\n      - name: w\n        ports:\n        - {containerPort: 9153, protocol: TCP, hostPort: 9153}\n',
    });
    const c = (objects[0] as { spec: { template: { spec: { containers: { ports: Obj[] }[] } } } }).spec.template.spec.containers[0];
    expect(c.ports).toEqual([{ containerPort: 9153, name: 'metrics' }]);
  });
});

describe('labels and annotations as Go string maps', () => {
  it('ends the build with every annotation a string, as written (5 -> "5", 0755 -> "0755", null -> "null", empty -> ""); labels keep their type', () => {
    const { objects, problems } = build({
      'kustomization.yaml': 'resources:\n- cm.yaml\n',
      'cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  annotations:\n    port: 8080\n    mode: 0755\n    on: yes\n    day: 2020-01-02\n    n: null\n    t: ~\n    e:\n  labels:\n    i: 5\n    e:\n',
    });
    expect(problems).toEqual([]);
    expect((objects[0].metadata as Obj).annotations).toEqual({ port: '8080', mode: '0755', on: 'yes', day: '2020-01-02', n: 'null', t: '~', e: '' });
    expect((objects[0].metadata as Obj).labels).toEqual({ i: 5, e: null });
  });

  it('patchesStrategicMerge sets a null label or annotation as the string "null" (patches: removes it); a strategic merge drops the empty ones', () => {
    const patch = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  labels:\n    a: null\n  annotations:\n    b: null\n    x: 7\n';
    const files = { 'cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  labels:\n    a: "1"\n  annotations:\n    b: "2"\n    e:\n', 'p.yaml': patch };
    const legacy = build({ ...files, 'kustomization.yaml': 'resources:\n- cm.yaml\npatchesStrategicMerge:\n- p.yaml\n' });
    expect(legacy.objects[0].metadata).toEqual({ name: 'c', labels: { a: 'null' }, annotations: { b: 'null', x: '7' } });
    const modern = build({ ...files, 'kustomization.yaml': 'resources:\n- cm.yaml\npatches:\n- path: p.yaml\n' });
    expect(modern.objects[0].metadata).toEqual({ name: 'c', labels: {}, annotations: { x: '7' } });
  });
});

describe('generators with behavior merge', () => {
  it("the merged object is the overlay generator's: its type (Opaque over kubernetes.io/tls) and no immutable, the data of both (names hashed from that)", () => {
    const { objects, problems } = build(
      {
        'base/kustomization.yaml': 'secretGenerator:\n- name: s\n  type: kubernetes.io/tls\n  literals: [tls.crt=x, tls.key=y]\nconfigMapGenerator:\n- name: c\n  options: {immutable: true}\n  literals: [a=1]\n',
        'ov/kustomization.yaml': 'resources: [../base]\nsecretGenerator:\n- name: s\n  behavior: merge\n  literals: [ca.crt=z]\nconfigMapGenerator:\n- name: c\n  behavior: merge\n  literals: [b=2]\n',
      },
      'ov',
    );
    expect(problems).toEqual([]);
    expect(objects).toEqual([
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c-7gdc49gk6d' }, data: { a: '1', b: '2' } },
      { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's-57g9h44tmk' }, type: 'Opaque', data: { 'tls.crt': 'eA==', 'tls.key': 'eQ==', 'ca.crt': 'eg==' } },
    ]);
  });
});

describe('a PatchStrategicMergeTransformer config', () => {
  it('applies its inline `patches` documents and its `paths` files, as patchesStrategicMerge reads them', () => {
    const { objects, problems } = build({
      'kustomization.yaml':
        'resources: [cm.yaml]\ntransformers:\n- |-\n  apiVersion: builtin\n  kind: PatchStrategicMergeTransformer\n  metadata:\n    name: smp\n  patches: |-\n    apiVersion: v1\n    kind: ConfigMap\n    metadata:\n      name: c\n      labels:\n        x: null\n    data:\n      b: "2"\n    ---\n    apiVersion: v1\n    kind: ConfigMap\n    metadata:\n      name: d\n    data:\n      c: "3"\n- smp2.yaml\n',
      'smp2.yaml': 'apiVersion: builtin\nkind: PatchStrategicMergeTransformer\nmetadata:\n  name: smp2\npaths:\n- p.yaml\n',
      'p.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  z: "9"\n',
      'cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  labels: {x: "1"}\ndata:\n  a: "1"\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: d\n',
    });
    expect(problems).toEqual([]);
    expect(objects).toEqual([
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', labels: { x: 'null' } }, data: { a: '1', b: '2', z: '9' } },
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'd' }, data: { c: '3' } },
    ]);
  });
});
