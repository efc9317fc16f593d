/**
 * The operator catalogue (src/graph/operators.json): its shape (every operator cites a source, only known
 * fields, valid paths and placeholders, the operators issue 28 lists), what the loader answers from it
 * (objects created, pod templates, run-time labels), and the selector rules on fixtures/operators/: files
 * named valid* must give no finding; in the others `# expect: <rule>` marks a warning and
 * `# hedged: <rule>` a finding downgraded to info because an operator may make the pods.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { parseSource } from '../src/parse/documents.js';
import { Resource } from '../src/graph/resource.js';
import {
  CATALOGUE, containersOf, createdBy, labelSetMatches, mayMakePods, operatorNameMatch, operatorOfSelector, podLabelSets, podTemplatesOf, valuesAt,
} from '../src/graph/operators.js';
import { podTemplatesOf as fromControllers } from '../src/graph/controllers.js';
import { OPERATORS_PAGE, renderOperatorsPage } from '../src/graph/operators-doc.js';
import { ROOT, runRules } from './harness.js';

function resources(yaml: string): Resource[] {
  const docs = parseSource({ file: 'test.yaml', text: yaml, format: 'yaml', origin: 'file', group: '' });
  return docs.filter((d) => d.value && typeof d.value === 'object').map((d) => new Resource(d.value as Record<string, unknown>, d, [], 'default'));
}
const one = (yaml: string) => resources(yaml)[0];

const OPERATOR_FIELDS = new Set(['operator', 'source', 'resources', 'managerPods', '$comment']);
const RESOURCE_FIELDS = new Set(['group', 'kind', 'creates', 'pods', 'podLabelPaths', 'templates', 'podSpecs', 'containers']);
const PATH = /^[A-Za-z0-9_$-]+(\[\*\])?(\.([A-Za-z0-9_$-]+|\*)(\[\*\])?)*$/;
const PLACEHOLDER = /\{([^}]*)\}/g;

function placeholdersOk(s: string): boolean {
  for (const m of s.matchAll(PLACEHOLDER)) if (!m[1].split('|').every((a) => a === 'name' || a === 'namespace' || /^label:[a-z0-9./-]+$/.test(a) || PATH.test(a))) return false;
  return !/[{}]/.test(s.replace(PLACEHOLDER, ''));
}

describe('operator catalogue shape', () => {
  it('every operator cites an https source and has only known fields', () => {
    for (const op of CATALOGUE.operators) {
      expect(op.source, op.operator).toMatch(/^https:\/\/\S+$/);
      for (const k of Object.keys(op)) expect(OPERATOR_FIELDS.has(k), `${op.operator}: unknown field ${k}`).toBe(true);
      expect(op.resources.length, op.operator).toBeGreaterThan(0);
    }
  });

  it('every resource entry is well formed: group, kind, paths, placeholders, label values', () => {
    const seen = new Set<string>();
    for (const op of CATALOGUE.operators) {
      for (const r of op.resources) {
        const id = `${r.group}/${r.kind}`;
        for (const k of Object.keys(r)) expect(RESOURCE_FIELDS.has(k), `${id}: unknown field ${k}`).toBe(true);
        expect(r.group, id).toMatch(/^[a-z0-9.-]+\.[a-z]+$/);
        expect(r.kind, id).toMatch(/^[A-Za-z][A-Za-z0-9]*$/);
        expect(seen.has(id), `${id} listed twice`).toBe(false);
        seen.add(id);
        for (const c of r.creates ?? []) expect(placeholdersOk(c.name) && /^[A-Z]/.test(c.kind), `${id} creates ${c.kind}/${c.name}`).toBe(true);
        for (const p of [...(r.podLabelPaths ?? []), ...(r.templates ?? []), ...(r.podSpecs ?? []), ...(r.containers ?? [])]) expect(p, id).toMatch(PATH);
        for (const s of [...(r.pods ?? []), ...(op.managerPods ?? [])]) {
          for (const v of Object.values(s.labels)) expect(typeof v === 'string' && placeholdersOk(v), `${id} label ${v}`).toBe(true);
          for (const v of Object.values(s.runtime ?? {})) expect(v === '*' || (Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === 'string')), `${id} runtime ${JSON.stringify(v)}`).toBe(true);
        }
      }
    }
  });

  it('covers the operators issue 28 lists', () => {
    const groups = new Set(CATALOGUE.operators.flatMap((o) => o.resources.map((r) => r.group)));
    for (const g of [
      'acid.zalan.do', 'postgresql.cnpg.io', 'postgres-operator.crunchydata.com', 'pxc.percona.com', 'psmdb.percona.com', 'pgv2.percona.com', 'mysql.oracle.com',
      'mongodbcommunity.mongodb.com', 'redis.redis.opstreelabs.in', 'databases.spotahome.com', 'kafka.strimzi.io', 'rabbitmq.com', 'elasticsearch.k8s.elastic.co',
      'ray.io', 'jobset.x-k8s.io', 'leaderworkerset.x-k8s.io', 'kueue.x-k8s.io', 'argoproj.io', 'serving.knative.dev', 'tekton.dev', 'serving.kserve.io', 'kubeflow.org',
      'sparkoperator.k8s.io', 'flink.apache.org', 'longhorn.io', 'ceph.rook.io', 'monitoring.coreos.com', 'install.istio.io',
    ]) expect(groups.has(g), g).toBe(true);
  });

  it('docs/operators.md is written from it (npm run build && node dist/src/graph/operators-doc.js)', () => {
    expect(fs.readFileSync(path.join(ROOT, OPERATORS_PAGE), 'utf8')).toBe(renderOperatorsPage());
  });

  it('has a fixture pair for the operator families it is tested on', () => {
    const names = fs.readdirSync(path.join(ROOT, 'fixtures', 'operators'));
    const families = names.filter((n) => n.startsWith('valid-')).map((n) => n.slice(6));
    expect(families.length).toBeGreaterThanOrEqual(25);
    for (const f of families.filter((f) => f !== 'storage-managers.yaml')) expect(names, f).toContain(`invalid-${f}`);
  });
});

describe('operator catalogue loader', () => {
  it('fills names from the resource and its spec, with fallbacks, and leaves out what it cannot name', () => {
    expect(createdBy(one('apiVersion: cert-manager.io/v1\nkind: Certificate\nmetadata: {name: c, namespace: n}\nspec: {secretName: web-tls}'))).toEqual([{ kind: 'Secret', name: 'web-tls' }]);
    expect(createdBy(one('apiVersion: cert-manager.io/v1\nkind: Certificate\nmetadata: {name: c, namespace: n}\nspec: {}'))).toEqual([]);
    expect(createdBy(one('apiVersion: external-secrets.io/v1beta1\nkind: ExternalSecret\nmetadata: {name: db, namespace: n}\nspec: {}'))).toEqual([{ kind: 'Secret', name: 'db' }]);
    expect(createdBy(one('apiVersion: acid.zalan.do/v1\nkind: postgresql\nmetadata: {name: acid-x, namespace: n}\nspec: {}')).map((o) => o.name)).toContain('acid-x-repl');
  });

  it('finds pod templates at array, map and nested paths, and bare PodSpecs', () => {
    const ray = one(`apiVersion: ray.io/v1
kind: RayCluster
metadata: {name: r}
spec:
  headGroupSpec: {template: {spec: {containers: [{name: h}]}}}
  workerGroupSpecs:
    - {groupName: a, template: {metadata: {labels: {g: a}}, spec: {containers: [{name: w}]}}}
    - {groupName: b, template: {spec: {containers: [{name: w}]}}}`);
    expect(podTemplatesOf(ray).map((t) => t.path.join('.'))).toEqual(['spec.headGroupSpec.template', 'spec.workerGroupSpecs.0.template', 'spec.workerGroupSpecs.1.template']);
    expect(fromControllers(ray)).toEqual(podTemplatesOf(ray));
    const tf = one('apiVersion: kubeflow.org/v1\nkind: TFJob\nmetadata: {name: t}\nspec:\n  tfReplicaSpecs:\n    Chief: {template: {spec: {containers: [{name: c}]}}}\n    Worker: {template: {spec: {containers: [{name: c}]}}}');
    expect(podTemplatesOf(tf).map((t) => t.path.join('.'))).toEqual(['spec.tfReplicaSpecs.Chief.template', 'spec.tfReplicaSpecs.Worker.template']);
    const js = one('apiVersion: jobset.x-k8s.io/v1alpha2\nkind: JobSet\nmetadata: {name: j}\nspec:\n  replicatedJobs:\n    - name: w\n      template: {spec: {template: {spec: {containers: [{name: c}]}}}}');
    expect(podTemplatesOf(js)[0]).toMatchObject({ path: ['spec', 'replicatedJobs', 0, 'template', 'spec', 'template'], kind: 'template' });
    const idb = one('apiVersion: mysql.oracle.com/v2\nkind: InnoDBCluster\nmetadata: {name: m}\nspec:\n  podSpec: {nodeSelector: {disk: ssd}}');
    expect(podTemplatesOf(idb)).toEqual([{ path: ['spec', 'podSpec'], spec: { nodeSelector: { disk: 'ssd' } }, kind: 'podSpec' }]);
    // An unknown kind's spec.template counts only when it is a PodTemplateSpec; Strimzi's spec.template is not one.
    expect(podTemplatesOf(one('apiVersion: x.example.io/v1\nkind: Thing\nmetadata: {name: t}\nspec: {template: {spec: {containers: []}}}'))).toHaveLength(1);
    expect(podTemplatesOf(one('apiVersion: kafka.strimzi.io/v1beta2\nkind: KafkaConnect\nmetadata: {name: k}\nspec: {template: {pod: {metadata: {labels: {a: b}}}}}'))).toEqual([]);
    expect(valuesAt({ a: [{ b: 1 }, { b: 2 }] }, 'a[*].b').map((v) => v.value)).toEqual([1, 2]);
  });

  it('finds single containers (Tekton steps, Argo templates)', () => {
    const task = one('apiVersion: tekton.dev/v1\nkind: Task\nmetadata: {name: t}\nspec:\n  steps: [{name: a, image: x}, {name: b, image: y}]');
    expect(containersOf(task).map((c) => c.path.join('.'))).toEqual(['spec.steps.0', 'spec.steps.1']);
  });

  it('matches run-time labels by their possible values', () => {
    const pg = one('apiVersion: acid.zalan.do/v1\nkind: postgresql\nmetadata: {name: acid-a}\nspec: {}');
    const sets = podLabelSets(pg);
    const match = (sel: Record<string, string>) => sets.some((s) => labelSetMatches(s, sel, 'map'));
    expect(match({ 'cluster-name': 'acid-a', 'spilo-role': 'master' })).toBe(true);
    expect(match({ 'cluster-name': 'acid-a', 'spilo-role': 'replica' })).toBe(true);
    expect(match({ 'cluster-name': 'acid-a', 'spilo-role': 'primary' })).toBe(false);
    expect(match({ 'cluster-name': 'acid-b' })).toBe(false);
    // any value, and NotIn/DoesNotExist expressions
    const lws = podLabelSets(one('apiVersion: leaderworkerset.x-k8s.io/v1\nkind: LeaderWorkerSet\nmetadata: {name: v}\nspec: {}'));
    expect(lws.some((s) => labelSetMatches(s, { matchLabels: { 'leaderworkerset.sigs.k8s.io/worker-index': '3' } }, 'selector'))).toBe(true);
    expect(lws.some((s) => labelSetMatches(s, { matchExpressions: [{ key: 'leaderworkerset.sigs.k8s.io/group-index', operator: 'NotIn', values: ['0'] }], matchLabels: { 'leaderworkerset.sigs.k8s.io/name': 'v' } }, 'selector'))).toBe(true);
    expect(lws.some((s) => labelSetMatches(s, { matchExpressions: [{ key: 'leaderworkerset.sigs.k8s.io/name', operator: 'DoesNotExist' }] }, 'selector'))).toBe(false);
    // template labels are merged with the operator's own
    const ray = podLabelSets(one('apiVersion: ray.io/v1\nkind: RayCluster\nmetadata: {name: r}\nspec:\n  headGroupSpec: {template: {metadata: {labels: {team: ml}}, spec: {containers: []}}}'));
    expect(ray.some((s) => labelSetMatches(s, { team: 'ml', 'ray.io/node-type': 'head' }, 'map'))).toBe(true);
  });

  it('does not take an unknown resource\'s selector as its pods\' labels', () => {
    expect(podLabelSets(one('apiVersion: x.example.io/v1\nkind: Db\nmetadata: {name: d}\nspec: {selector: {matchLabels: {app: d}}}'))).toEqual([]);
  });

  it('knows which kinds never make pods', () => {
    expect(mayMakePods({ apiVersion: 'monitoring.googleapis.com/v1', kind: 'PodMonitoring' })).toBe(false);
    expect(mayMakePods({ apiVersion: 'cert-manager.io/v1', kind: 'Certificate' })).toBe(false);
    expect(mayMakePods({ apiVersion: 'kafka.strimzi.io/v1beta2', kind: 'KafkaTopic' })).toBe(false);
    expect(mayMakePods({ apiVersion: 'vectordb.example.io/v1', kind: 'VectorCluster' })).toBe(true);
    expect(mayMakePods({ apiVersion: 'monitoring.coreos.com/v1', kind: 'Prometheus' })).toBe(true);
  });

  it('names the operator of a selector written in its own label keys, not of generic ones', () => {
    expect(operatorOfSelector({ 'spilo-role': 'master', 'cluster-name': 'x' }, 'map')).toMatchObject({ kind: 'postgresql' });
    expect(operatorOfSelector({ matchLabels: { 'cnpg.io/cluster': 'x' } }, 'selector')).toMatchObject({ kind: 'Cluster', group: 'postgresql.cnpg.io' });
    expect(operatorOfSelector({ app: 'x' }, 'map')).toBeUndefined();
    expect(operatorOfSelector({ 'app.kubernetes.io/name': 'x', 'app.kubernetes.io/component': 'rabbitmq' }, 'map')).toBeUndefined();
  });

  it('recognises names in an operator\'s naming', () => {
    expect(operatorNameMatch('Service', 'train-head-svc')).toEqual({ kind: 'RayCluster', group: 'ray.io', crName: 'train' });
    expect(operatorNameMatch('Service', 'rfs-cache')).toMatchObject({ kind: 'RedisFailover', crName: 'cache' });
    expect(operatorNameMatch('Service', 'plain')).toBeUndefined();
  });
});

const SELECTOR_RULES = ['service-selector-no-match', 'networkpolicy-selects-nothing', 'pdb-selects-nothing', 'monitor-selects-nothing'];

describe('selector rules on operator fixtures', () => {
  const dir = path.join(ROOT, 'fixtures', 'operators');
  it('malformed selectors beside custom resources make no rule throw', async () => {
    const spy = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      const all = (await import('../rules/index.js')).rules.map((r) => r.id);
      await runRules([path.join('fixtures', 'operators', 'hostile', 'malformed-selectors.yaml')], all);
      const failures = spy.mock.calls.map((c) => String(c[0])).filter((t) => /rule \S+ failed/.test(t));
      expect(failures).toEqual([]);
    } finally {
      spy.mockRestore();
    }
  });

  for (const name of fs.readdirSync(dir).filter((n) => n.endsWith('.yaml')).sort()) {
    it(name, async () => {
      const rel = path.join('fixtures', 'operators', name);
      const text = fs.readFileSync(path.join(ROOT, rel), 'utf8');
      const expected: string[] = [];
      text.split('\n').forEach((l, i) => {
        const m = /#\s*(expect|hedged):\s*(\S+)\s*$/.exec(l);
        if (m && m[2] !== 'none') expected.push(`${i + 1}:${m[2]}:${m[1] === 'expect' ? 'warning' : 'info'}`);
      });
      if (name.startsWith('valid')) expect(expected).toEqual([]);
      else expect(expected.length).toBeGreaterThan(0);
      const report = await runRules([rel], SELECTOR_RULES);
      const actual = report.findings.map((f) => `${f.line}:${f.ruleId}:${f.severity}`);
      expect(actual.sort()).toEqual(expected.sort());
      // A hedge names a creator that may make pods, never a monitor or a certificate.
      for (const f of report.findings) expect(f.message).not.toMatch(/PodMonitoring|Certificate\//);
    });
  }
});
