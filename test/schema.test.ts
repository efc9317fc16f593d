/**
 * Schema validation (issue #6): the compiled validators, the unknown-field tracking, formats, names, the
 * generated index, and the real-corpus check: every manifest in ../shared/corpus/real/installs and
 * ../shared/corpus/kube-score runs through the schema rules, and every error must be in the explicit list
 * of true defects below (an object that applies cleanly must produce none).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, SHARED, runRules } from './harness.js';
import { rules } from '../rules/index.js';
import { ruleExamples } from '../src/docs.js';
import { BUILTIN_SCHEMAS } from '../src/schema/builtin-index.js';
import { buildIndex, dataDependentKeywords } from '../src/schema/gen-builtin-index.js';
import { expectLearntAnswersAsTracked, type Variant } from './schema-helpers.js';
import { builtinValidator, packageDir, validateLearnt, validateTracked } from '../src/schema/builtin.js';
import { cleanCrd, convertErrors, learntSchemaShape, unknownFields } from '../src/schema/validate.js';
import { validateCustom } from '../src/schema/crd.js';
import { loadAll as yamlAll } from 'js-yaml';
import { isBase64, isQuantity } from '../src/schema/formats.js';
import { dns1035Label, dns1123Label, dns1123Subdomain, labelValue, nameProblem, qualifiedName } from '../src/schema/names.js';
import { closest, editDistance, fieldPath } from '../src/schema/text.js';
import { misplacedKind } from '../src/schema/kinds.js';

const SCHEMA_RULES = ['unknown-field', 'missing-required-field', 'schema-invalid', 'invalid-quantity', 'invalid-base64-secret', 'invalid-name', 'invalid-label'];

/** Every schema error the peer fixtures and real installs produce, each a true defect, grouped by cause. */
export const KNOWN_SCHEMA_DEFECTS: Record<string, { why: string; findings: string[] }> = {
  restartPolicyCase: {
    why: '"RestartPolicy" with a capital R: field names are case-sensitive (the fixture exists to test an invalid restart policy)',
    findings: [
      'score/testdata/cronjob-batchv1-restartpolicy-invalid.yaml:26:unknown-field',
      'score/testdata/cronjob-batchv1beta1-restartpolicy-invalid.yaml:26:unknown-field',
    ],
  },
  cronjobIndent: {
    why: 'a CronJob whose schedule and startingDeadlineSeconds are indented at the top level instead of under spec',
    findings: [
      'score/testdata/cronjob-batchv1beta1-restartpolicy-invalid.yaml:6:missing-required-field',
      'score/testdata/cronjob-batchv1beta1-restartpolicy-invalid.yaml:27:unknown-field',
      'score/testdata/cronjob-batchv1beta1-restartpolicy-invalid.yaml:28:unknown-field',
      'score/testdata/networkpolicy-cronjob-matching.yaml:19:missing-required-field',
      'score/testdata/networkpolicy-cronjob-not-matching-selector.yaml:19:missing-required-field',
    ],
  },
  selector: {
    why: 'apps/v1 (and v1beta2) workloads without spec.selector: the API server answers "spec.selector: Required value" (kube-score fixtures omit it because kube-score does not need it)',
    findings: [
      'score/testdata/daemonset-appsv1.yaml:5:missing-required-field',
      'score/testdata/daemonset-appsv1beta2.yaml:5:missing-required-field',
      'score/testdata/deployment-appsv1beta2.yaml:5:missing-required-field',
      'score/testdata/deployment-host-antiaffinity-1-replica.yaml:5:missing-required-field',
      'score/testdata/deployment-host-antiaffinity-not-set.yaml:5:missing-required-field',
      'score/testdata/deployment-host-antiaffinity-preffered-selector-expression.yaml:5:missing-required-field',
      'score/testdata/deployment-host-antiaffinity-preffered-selector-no-match.yaml:5:missing-required-field',
      'score/testdata/deployment-host-antiaffinity-preffered.yaml:5:missing-required-field',
      'score/testdata/deployment-host-antiaffinity-required.yaml:5:missing-required-field',
      'score/testdata/deployment-poddisruptionbudget-v1-different-namespace.yaml:39:missing-required-field',
      'score/testdata/deployment-poddisruptionbudget-v1-matches.yaml:15:missing-required-field',
      'score/testdata/deployment-poddisruptionbudget-v1-no-match.yaml:15:missing-required-field',
      'score/testdata/deployment-poddisruptionbudget-v1-no-policy.yaml:14:missing-required-field',
      'score/testdata/deployment-poddisruptionbudget-v1beta1-expression-matches.yaml:17:missing-required-field',
      'score/testdata/deployment-poddisruptionbudget-v1beta1-expression-no-match.yaml:17:missing-required-field',
      'score/testdata/deployment-poddisruptionbudget-v1beta1-matches.yaml:15:missing-required-field',
      'score/testdata/deployment-poddisruptionbudget-v1beta1-no-match.yaml:15:missing-required-field',
      'score/testdata/deployment-poddisruptionbudget-v1beta1-no-policy.yaml:14:missing-required-field',
      'score/testdata/deployment-test-resources.yaml:5:missing-required-field',
      'score/testdata/deployment-with-hpa-has-replicas.yaml:26:missing-required-field',
      'score/testdata/deployment-with-hpa-not-has-replicas.yaml:26:missing-required-field',
      'score/testdata/hpa-autoscalingv1-targets-deployment.yaml:26:missing-required-field',
      'score/testdata/hpa-autoscalingv2-targets-deployment.yaml:26:missing-required-field',
      'score/testdata/hpa-autoscalingv2beta1-targets-deployment.yaml:24:missing-required-field',
      'score/testdata/hpa-autoscalingv2beta2-targets-deployment.yaml:26:missing-required-field',
      'score/testdata/hpa-has-no-target.yaml:26:missing-required-field',
      'score/testdata/hpa-min-replicas-nok.yaml:26:missing-required-field',
      'score/testdata/hpa-min-replicas-ok.yaml:26:missing-required-field',
      'score/testdata/hpa-target-deployment.yaml:26:missing-required-field',
      'score/testdata/helm/app1/templates/deployment.yaml:5:missing-required-field',
      'score/testdata/helm/app1/templates/deployment.yaml:15:missing-required-field',
      'score/testdata/linenumbers-helm.yaml:7:missing-required-field',
      'score/testdata/linenumbers-helm.yaml:18:missing-required-field',
      'score/testdata/linenumbers.yaml:6:missing-required-field',
      'score/testdata/linenumbers.yaml:16:missing-required-field',
      'score/testdata/networkpolicy-deployment-matching.yaml:19:missing-required-field',
      'score/testdata/networkpolicy-deployment-not-matching-selector.yaml:19:missing-required-field',
      'score/testdata/networkpolicy-targets-pod-deployment.yaml:24:missing-required-field',
      'score/testdata/service-not-target-deployment.yaml:5:missing-required-field',
      'score/testdata/service-target-deployment-different-namespace.yaml:6:missing-required-field',
      'score/testdata/service-target-deployment-not-rolling.yaml:5:missing-required-field',
      'score/testdata/service-target-deployment-replica-1.yaml:5:missing-required-field',
      'score/testdata/service-target-deployment-same-namespace.yaml:6:missing-required-field',
      'score/testdata/service-target-deployment-strategy-not-set.yaml:5:missing-required-field',
      'score/testdata/service-target-deployment.yaml:5:missing-required-field',
    ],
  },
  replicasInPodSpec: {
    why: 'replicas placed in the pod template spec instead of the workload spec',
    findings: [
      'score/testdata/deployment-host-antiaffinity-required.yaml:12:unknown-field',
      'score/testdata/statefulset-host-antiaffinity-required.yaml:15:unknown-field',
    ],
  },
  hpaV1Metrics: {
    why: 'autoscaling/v1 HorizontalPodAutoscaler with spec.metrics, a field that only autoscaling/v2 has',
    findings: [
      'score/testdata/deployment-with-hpa-has-replicas.yaml:13:unknown-field',
      'score/testdata/deployment-with-hpa-not-has-replicas.yaml:13:unknown-field',
      'score/testdata/hpa-autoscalingv1-targets-deployment.yaml:13:unknown-field',
      'score/testdata/hpa-has-no-target.yaml:13:unknown-field',
      'score/testdata/hpa-target-deployment.yaml:13:unknown-field',
    ],
  },
  pathType: {
    why: 'networking.k8s.io/v1 Ingress paths without pathType: required in v1 ("pathType must be specified")',
    findings: [
      'score/testdata/ingress-networkingv1-targets-service-no-match.yaml:10:missing-required-field',
      'score/testdata/ingress-networkingv1-targets-service-no-match.yaml:17:missing-required-field',
      'score/testdata/ingress-networkingv1-targets-service.yaml:10:missing-required-field',
      'score/testdata/ingress-v1-invalid-backend.yaml:10:missing-required-field',
      'score/testdata/ingress_issue363.yaml:13:missing-required-field',
    ],
  },
  ingressV1beta1Backend: {
    why: 'networking.k8s.io/v1 Ingress with the v1beta1 backend fields serviceName/servicePort, which v1 renamed to service.name/service.port',
    findings: [
      'score/testdata/ingress-v1-invalid-backend.yaml:12:unknown-field',
      'score/testdata/ingress-v1-invalid-backend.yaml:13:unknown-field',
      'score/testdata/ingress_issue363.yaml:14:unknown-field',
      'score/testdata/ingress_issue363.yaml:15:unknown-field',
    ],
  },
  podSelectorMatchLabels: {
    why: 'a NetworkPolicy podSelector with a bare label (app: ...) instead of matchLabels',
    findings: [
      'score/testdata/networkpolicy-not-matching.yaml:8:unknown-field',
    ],
  },
  containerFieldsInPodSecurityContext: {
    why: 'privileged and readOnlyRootFilesystem exist only in a container securityContext, not in the pod one',
    findings: [
      'score/testdata/pod-seccomp-securecontext-warning.yaml:7:unknown-field',
      'score/testdata/pod-seccomp-securecontext-warning.yaml:10:unknown-field',
    ],
  },
  enumCase: {
    why: 'whenUnsatisfiable "DoNotSCHEDULE": enum values are case-sensitive (the fixture tests exactly this)',
    findings: [
      'score/testdata/pod-topology-spread-constraints-invalid-whenunsatisfiable.yaml:11:schema-invalid',
    ],
  },
  topologyKey: {
    why: 'a topology spread constraint without topologyKey, which is required',
    findings: [
      'score/testdata/pod-topology-spread-constraints-no-topologykey.yaml:9:missing-required-field',
    ],
  },
  portNameTooLong: {
    why: 'a container port name longer than 15 characters (IANA service name limit; the fixture tests exactly this)',
    findings: [
      'score/testdata/pod-container-ports-name-too-long.yaml:23:invalid-name',
    ],
  },
  imageIndent: {
    why: 'a container image indented at the pod spec level instead of inside the container item',
    findings: [
      'score/testdata/pod-topology-spread-constraints-two-constraints.yaml:23:unknown-field',
    ],
  },
  statefulsetServiceName: {
    why: 'apps/v1beta1 and v1beta2 StatefulSets require spec.serviceName (and both versions are removed anyway)',
    findings: [
      'score/testdata/statefulset-appsv1beta1.yaml:5:missing-required-field',
      'score/testdata/statefulset-appsv1beta2.yaml:5:missing-required-field',
    ],
  },
};

describe('built-in validators', () => {
  it('the committed index matches the installed kubernetes-models', () => {
    expect(BUILTIN_SCHEMAS).toEqual(buildIndex());
  });

  it('reports unknown fields by tracking what the validator reads', () => {
    const v = builtinValidator('apps/v1', 'Deployment')!;
    const obj = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'x', labels: { anything: 'goes' } },
      spec: { selector: { matchLabels: { a: 'b' } }, template: { spec: { contianers: [], containers: [{ name: 'c', image: 'i', containerport: 80 }] } } },
    };
    const { errors, nodes } = validateTracked(v, obj);
    expect(errors).toEqual([]);
    const unknown = unknownFields(nodes).map((i) => i.text);
    expect(unknown).toEqual([
      'Unknown field "contianers" in spec.template.spec (did you mean "containers"?)',
      'Unknown field "containerport" in spec.template.spec.containers[0]',
    ]);
  });

  it('turns ajv errors into plain words, one per field, and treats null as unset', () => {
    const v = builtinValidator('v1', 'Service')!;
    const obj = { apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: { ports: [{ port: '80', targetPort: true }, { port: 81, nodePort: null }], type: 'Loadbalancer' } };
    const { errors } = validateTracked(v, obj);
    const texts = convertErrors(errors, obj).map((i) => `${i.kind}: ${i.text}`);
    expect(texts).toContain('type: spec.ports[0].port must be an integer, not the string "80"');
    expect(texts).toContain('type: spec.ports[0].targetPort must be a string or an integer, not the boolean true');
    expect(texts.some((t) => t.includes('spec.type is the string "Loadbalancer"'))).toBe(true);
    expect(texts.some((t) => t.includes('nodePort'))).toBe(false);
  });

  it('knows what the generated schemas lack: embedded objects, documentation fields, newer fields', () => {
    const v = builtinValidator('apps/v1', 'StatefulSet')!;
    const obj = {
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: { name: 'db' },
      spec: {
        serviceName: 'db',
        selector: { matchLabels: { a: 'b' } },
        template: { metadata: { labels: { a: 'b' } }, spec: { hostnameOverride: 'db', containers: [{ name: 'c', image: 'i', restartPolicyRules: [] }] } },
        volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { resources: { requests: { storage: '1Gi' } } } }],
      },
    };
    const { errors, nodes } = validateTracked(v, obj);
    const typed = new Set(nodes.filter((n) => n.known.has('metadata') && n.known.has('apiVersion')).map((n) => n.path.join('\u0000')));
    expect(convertErrors(errors, obj, () => false, (p) => typed.has(p.join('\u0000')))).toEqual([]);
    expect(unknownFields(nodes)).toEqual([]);
    const pc = builtinValidator('scheduling.k8s.io/v1', 'PriorityClass')!;
    expect(unknownFields(validateTracked(pc, { apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: 'p' }, value: 1, description: 'd' }).nodes)).toEqual([]);
  });

  it('answers as a tracked run does from what runs of clean objects learnt, tracking only objects that do not fit', () => {
    // A kind no other test of this file validates through validateLearnt, so what it learns is this test's.
    const v = builtinValidator('apps/v1', 'DaemonSet')!;
    const clean = (): Record<string, any> => ({
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: { name: 'a', labels: { app: 'a' } },
      spec: {
        selector: { matchLabels: { app: 'a' } },
        template: {
          metadata: { labels: { app: 'a' } },
          spec: { containers: [{ name: 'c', image: 'i', args: ['x'], ports: [{ containerPort: 80 }], resources: { requests: { cpu: '1' } } }], volumes: [{ name: 'v', configMap: { name: 'x' } }] },
        },
      },
    });
    const variants: Variant[] = [
      ['clean', () => {}],
      ['unknown key at a learnt path', (o) => (o.spec.templates = {})],
      ['unknown key in a later list item', (o) => o.spec.template.spec.containers.push({ name: 'd', image: 'i', imagePullPolicyy: 'Always' })],
      ['unknown key at a path not learnt yet', (o) => (o.spec.template.spec.securityContext = { runAsUserr: 1 })],
      ['free-form keys of a map', (o) => (o.spec.template.spec.containers[0].resources.requests['example.com/gpu'] = '1')],
      ['a type error', (o) => (o.spec.minReadySeconds = 'ten')],
      // (the advice names a mapping elsewhere in the object, which a run tracking only what does not fit never sees)
      ['a mis-indented field, with advice from another mapping', (o) => (o.spec.template.spec.image = 'i')],
    ];
    expectLearntAnswersAsTracked(v, clean, variants);
  });

  it('bounds a custom resource string in code points, and names the field of each issue', () => {
    const schema = { type: 'object', properties: { spec: { type: 'object', properties: { tag: { type: 'string', maxLength: 3, minLength: 2 }, free: { type: 'string' } } } } };
    const issues = (spec: Record<string, unknown>) => validateCustom({ kind: 'W', object: { apiVersion: 'x/v1', kind: 'W', spec } } as any, { crd: { object: {}, apiVersion: 'apiextensions.k8s.io/v1', name: 'w.x' }, schema }).map((i) => i.text);
    // (three emoji are six UTF-16 units, three code points: what the API server counts)
    expect(issues({ tag: '\u{1F600}\u{1F600}\u{1F600}', free: 'x'.repeat(100) })).toEqual([]);
    expect(issues({ tag: 'abcd' })).toEqual(['spec.tag is 4 characters long, more than the maximum 3']);
    expect(issues({ tag: '\u{1F600}' })).toEqual(['spec.tag is 1 characters long, fewer than the minimum 2']);
    expect(issues({ tag: 1 })).toEqual(['spec.tag must be a string, not the number 1']);
  });

  it('tracks only the mappings of an object that do not fit what was learnt, and learns them', () => {
    // (another kind no other test validates through validateLearnt)
    const v = builtinValidator('apps/v1', 'ReplicaSet')!;
    const clean = (): Record<string, any> => ({
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: { name: 'a', labels: { app: 'a' } },
      spec: { selector: { matchLabels: { app: 'a' } }, template: { metadata: { labels: { app: 'a' } }, spec: { containers: [{ name: 'c', image: 'i' }, { name: 'd', image: 'i' }] } } },
    });
    validateLearnt(v, clean()); // learns
    // A field the schema knows, at a path not learnt yet: in the second container only.
    const o = clean();
    o.spec.template.spec.containers[1].securityContext = { runAsUser: 1 };
    const run = validateLearnt(v, o);
    expect(run.errors).toEqual([]);
    expect(unknownFields(run.nodes)).toEqual([]);
    const paths = run.nodes.map((n) => n.path.join('.'));
    // the mappings on the way to it and the new one, not the metadata, the selector or the first container
    expect(paths).toEqual(['', 'spec', 'spec.template', 'spec.template.spec', 'spec.template.spec.containers.1', 'spec.template.spec.containers.1.securityContext']);
    expect(validateTracked(v, o).nodes.length).toBeGreaterThan(paths.length + 3);
    // what it learnt there: the same shape now fits without any record
    expect(validateLearnt(v, o).nodes).toEqual([]);
  });

  it('the built-in schemas have no keyword whose reads depend on the data (what validateLearnt relies on)', () => {
    expect(dataDependentKeywords('kubernetes-models')).toEqual([]);
    // apimachinery's oneOf are IntOrString and Quantity: a choice of scalar types, no keys read
    const dir = path.join(packageDir('@kubernetes-models/apimachinery')!, '_schemas');
    const withOneOf = fs.readdirSync(dir).filter((f) => f.endsWith('.js') && /schemaPath:"#\/oneOf/.test(fs.readFileSync(path.join(dir, f), 'utf8')));
    expect(withOneOf.sort()).toEqual(['IoK8sApimachineryPkgApiResourceQuantity.js', 'IoK8sApimachineryPkgUtilIntstrIntOrString.js']);
  });

  it('returns null for kinds kubernetes-models does not know', () => {
    expect(builtinValidator('example.com/v1', 'Widget')).toBeNull();
    expect(builtinValidator('apps/v1', 'Deploymnet')).toBeNull();
  });

  it('tells misplaced and misspelt built-in kinds from unfamiliar ones', () => {
    expect(misplacedKind('apps/v1', 'Deploymnet')?.suggestion).toBe('did you mean Deployment?');
    expect(misplacedKind('v1', 'Deployment')?.suggestion).toBe('Deployment is served as apps/v1');
    expect(misplacedKind('v1', 'Ingress')?.suggestion).toBe('Ingress is served as networking.k8s.io/v1');
    expect(misplacedKind('apps/v1', 'PodSecurityPolicy')?.suggestion).toMatch(/^PodSecurityPolicy was last served as policy\/v1beta1, removed in Kubernetes 1.25; use Pod Security Admission/);
    expect(misplacedKind('storage.k8s.io/v1', 'VolumeAttributesClass')).toBeUndefined();
    expect(misplacedKind('example.com/v1', 'Deployment')).toBeUndefined();
  });
});

describe('documentation examples', () => {
  const ids = [...SCHEMA_RULES, 'removed-api', 'deprecated-api', 'deprecated-annotation', 'deprecated-field', 'no-schema'];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'k8s-audit-schema-examples-'));
  for (const id of ids) {
    it(`${id}: the invalid example triggers the rule, the valid one does not`, async () => {
      const rule = rules.find((r) => r.id === id)!;
      const ex = ruleExamples(id, ROOT)!;
      for (const [kind, text] of [['invalid', ex.invalid], ['valid', ex.valid]] as const) {
        const file = path.join(dir, `${id}.${kind}.yaml`);
        fs.writeFileSync(file, text);
        const report = await runRules([file], [id]);
        expect(report.findings.length > 0, `${id} ${kind} example`).toBe(kind === 'invalid');
      }
    });
  }
});

describe('ConfigMap and Secret size', () => {
  it('reports data over 1 MiB at the data key, and only then', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'k8s-audit-size-'));
    const big = path.join(dir, 'big.yaml');
    const small = path.join(dir, 'small.yaml');
    fs.writeFileSync(big, `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: huge\ndata:\n  big.txt: ${'x'.repeat(1048600)}\n`);
    fs.writeFileSync(small, `apiVersion: v1\nkind: Secret\nmetadata:\n  name: ok\ndata:\n  blob: ${Buffer.alloc(700_000).toString('base64')}\n`);
    const r1 = await runRules([big], ['schema-invalid']);
    expect(r1.findings.map((f) => `${f.line}:${f.message.slice(0, 40)}`)).toEqual(['5:ConfigMap data adds up to 1048607 bytes,']);
    expect((await runRules([small], ['schema-invalid'])).findings).toEqual([]);
  });
});

describe('formats', () => {
  it('accepts the quantities apimachinery accepts', () => {
    for (const q of ['1', '0.5', '.5', '250m', '1Gi', '512Mi', '1e3', '1E-2', '2k', '100M', '1.5Gi', '+1', 1, 0.25]) expect(isQuantity(q), String(q)).toBe(true);
    for (const q of ['1GB', '512mb', '2gi', '1.5 Gi', '1K', 'Gi', '', '1Mib', '10 ', '1.2.3']) expect(isQuantity(q), q).toBe(false);
  });

  it('decodes base64 the way the API server does', () => {
    expect(isBase64('YWRtaW4=')).toBe(true);
    expect(isBase64('')).toBe(true);
    expect(isBase64('YWRt\naW4=\n')).toBe(true);
    expect(isBase64('YWRtaW4')).toBe(false);
    expect(isBase64('admin')).toBe(false);
    expect(isBase64('a b=')).toBe(false);
  });
});

describe('names and labels', () => {
  it('follows the apimachinery rules', () => {
    expect(dns1123Subdomain('web.example-1')).toBeUndefined();
    expect(dns1123Subdomain('Web')).toMatch(/upper-case/);
    expect(dns1123Subdomain('web_1')).toBeDefined();
    expect(dns1123Subdomain('a'.repeat(254))).toMatch(/253/);
    expect(dns1123Label('a.b')).toBeDefined();
    expect(dns1035Label('1web')).toMatch(/starts with a digit/);
    expect(dns1035Label('web-1')).toBeUndefined();
    expect(qualifiedName('app.kubernetes.io/name')).toBeUndefined();
    expect(qualifiedName('a/b/c')).toBeDefined();
    expect(qualifiedName('Example.com/x')).toBeDefined();
    expect(labelValue('')).toBeUndefined();
    expect(labelValue('v1.2_rc-3')).toBeUndefined();
    expect(labelValue('a b')).toBeDefined();
    expect(labelValue('x'.repeat(64))).toMatch(/63/);
  });

  it('judges names per kind and leaves unknown kinds alone', () => {
    expect(nameProblem('Service', 'web-1')).toBeUndefined();
    expect(nameProblem('Service', 'web.1')?.what).toBe('a DNS-1035 label');
    expect(nameProblem('ConfigMap', 'web.1')).toBeUndefined();
    expect(nameProblem('ClusterRole', 'system:controller:Web')).toBeUndefined();
    expect(nameProblem('CronJob', 'c'.repeat(53))?.problem).toMatch(/52/);
    expect(nameProblem('Widget', 'Anything Goes')).toBeUndefined();
  });

  it('suggests the closest field', () => {
    expect(editDistance('contianers', 'containers')).toBe(1);
    expect(closest('containerport', ['containerPort', 'hostPort'])).toBe('containerPort');
    expect(closest('replicas', ['containers', 'volumes'])).toBeUndefined();
    expect(fieldPath(['spec', 'containers', 0, 'env', 1, 'value'])).toBe('spec.containers[0].env[1].value');
    expect(fieldPath(['metadata', 'labels', 'app.kubernetes.io/name'])).toBe('metadata.labels["app.kubernetes.io/name"]');
  });
});

describe.skipIf(!fs.existsSync(path.join(SHARED, 'corpus')))('real corpus', () => {
  const corpus = path.join(SHARED, 'corpus');
  const rel = (f: string) => path.relative(corpus, path.resolve(f)).split(path.sep).join('/').replace(/^kube-score\//, '');

  it('installs and kube-score fixtures: every schema error is a listed true defect', async () => {
    const report = await runRules([path.join(corpus, 'real', 'installs'), path.join(corpus, 'kube-score')], SCHEMA_RULES);
    const errors = report.findings.filter((f) => f.severity === 'error').map((f) => `${rel(f.file)}:${f.line}:${f.ruleId}`);
    const known = Object.values(KNOWN_SCHEMA_DEFECTS).flatMap((g) => g.findings);
    expect(errors.filter((e) => !known.includes(e)), 'schema errors that are not known defects (false positives?)').toEqual([]);
    expect(known.filter((k) => !errors.includes(k)), 'known defects no longer reported').toEqual([]);
    // The real installs (Argo CD, ingress-nginx, kube-prometheus, Online Boutique) apply cleanly: no error at all.
    expect(errors.filter((e) => e.startsWith('real/'))).toEqual([]);
  }, 120_000);

  it('kubernetes/examples (old, mostly archived): every schema error is a listed true defect', async () => {
    const report = await runRules([path.join(corpus, 'real', 'kubernetes-examples')], SCHEMA_RULES);
    const errors = report.findings.filter((f) => f.severity === 'error').map((f) => `${rel(f.file)}:${f.line}:${f.ruleId}`);
    expect(errors.sort()).toEqual(
      [
        // protocol "tcp": the enum is case-sensitive (TCP, UDP, SCTP).
        'real/kubernetes-examples/_archived/volumes/aws_ebs/aws-ebs-web.yaml:12:schema-invalid',
        'real/kubernetes-examples/_archived/volumes/cinder/cinder-web.yaml:12:schema-invalid',
        // rbd volumes have no imageformat/imagefeatures (those are StorageClass parameters).
        'real/kubernetes-examples/_archived/volumes/rbd/rbd.yaml:25:unknown-field',
        'real/kubernetes-examples/_archived/volumes/rbd/rbd.yaml:26:unknown-field',
        // "protectionDoamin": a typo of protectionDomain.
        'real/kubernetes-examples/_archived/volumes/scaleio/pod.yaml:17:unknown-field',
        // storageos volumes have no pool, and a PersistentVolume's storageos source takes secretRef, not secretName.
        'real/kubernetes-examples/_archived/volumes/storageos/storageos-pod.yaml:35:unknown-field',
        'real/kubernetes-examples/_archived/volumes/storageos/storageos-pv.yaml:22:unknown-field',
      ].sort(),
    );
  }, 120_000);
});

describe.skipIf(!fs.existsSync(path.join(SHARED, 'corpus')))(`CRDs checked without tracking their schemas${fs.existsSync(path.join(SHARED, 'corpus')) ? '' : ' (skipped: needs ../shared/corpus, absent here)'}`, () => {
  const crds: Record<string, unknown>[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory() && e.name !== 'templates') walk(p);
      else if (/\.ya?ml$/.test(e.name)) {
        const text = fs.readFileSync(p, 'utf8');
        if (!text.includes('CustomResourceDefinition')) continue;
        try {
          for (const doc of yamlAll(text)) if (doc && typeof doc === 'object' && (doc as { kind?: string }).kind === 'CustomResourceDefinition' && (doc as { apiVersion?: string }).apiVersion === 'apiextensions.k8s.io/v1') crds.push(doc as Record<string, unknown>);
        } catch {
          /* not our concern here */
        }
      }
    }
  };
  // A skipped describe's body still runs when tests are collected: walk only what is there.
  if (fs.existsSync(path.join(SHARED, 'corpus'))) walk(path.join(SHARED, 'corpus'));
  const v = builtinValidator('apiextensions.k8s.io/v1', 'CustomResourceDefinition')!;

  it('clean means what a fully tracked run finds: no errors and no unknown fields', () => {
    let clean = 0;
    for (const crd of crds) {
      if (!cleanCrd(v, crd)) continue;
      clean++;
      const full = validateTracked(v, crd);
      expect(full.errors).toEqual([]);
      expect(unknownFields(full.nodes)).toEqual([]);
    }
    expect(clean).toBeGreaterThan(15);
  });

  it('learns from the validator which schema fields it looks into (items and additionalProperties are opaque)', () => {
    const shape = learntSchemaShape()!;
    expect(shape.maps).toEqual(['properties', 'patternProperties', 'definitions']);
    expect(shape.lists).toEqual(['allOf', 'anyOf', 'oneOf']);
    expect(shape.values).toEqual(['not']);
    expect(shape.known.has('properties')).toBe(true);
    // Dropped by kubernetes-models' generator: let through by the unknown-field rule on its own terms.
    expect(shape.known.has('x-kubernetes-validations')).toBe(false);
  });

  it('a misspelt key deep in a schema sends the CRD to the tracked run, which reports it', () => {
    const crd = structuredClone(crds.find((c) => cleanCrd(v, c))!) as { spec: { versions: { schema: { openAPIV3Schema: { properties: Record<string, Record<string, unknown>> } } }[] } };
    const props = crd.spec.versions[0].schema.openAPIV3Schema.properties;
    const first = Object.values(props).find((x) => x && typeof x === 'object')!;
    first.descripton = 'typo';
    expect(cleanCrd(v, crd)).toBe(false);
    expect(unknownFields(validateTracked(v, crd).nodes).map((i) => i.text)).toEqual([expect.stringMatching(/^Unknown field "descripton" in spec\.versions\[0\]\.schema\.openAPIV3Schema\.properties\./)]);
  });
});
