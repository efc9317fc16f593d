/**
 * Admission policies in CEL (issue 32): the policy fixtures (each policy with objects it admits and denies),
 * the Kubernetes CEL libraries, the cost limit on hostile expressions, `policies:` and `customRules:` in the
 * configuration.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, expectationsOf, runRules } from './harness.js';
import { cli, tmpdir } from './cli-helpers.js';
import { compile, toCel, POLICY_VARIABLES } from '../src/cel/env.js';
import { Budget } from '../src/cel/budget.js';
import { audit } from '../src/engine/run.js';

const POLICY_RULES = ['admission-policy', 'admission-policy-error'];
const POLICIES = path.join(ROOT, 'fixtures', 'policies');

describe('policy fixtures: what the API server would admit and deny', () => {
  const dirs = fs.readdirSync(POLICIES, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name);
  it('has the documentation examples', () => {
    expect(dirs).toEqual(expect.arrayContaining(['replica-limit', 'required-labels', 'image-registry', 'parameterised-limits']));
  });
  for (const d of dirs) {
    it(d, async () => {
      const rel = path.join('fixtures', 'policies', d);
      const expected: string[] = [];
      for (const f of fs.readdirSync(path.join(ROOT, rel)).sort()) {
        const { expected: e, none } = expectationsOf(fs.readFileSync(path.join(ROOT, rel, f), 'utf8'));
        if (f.startsWith('admitted')) expect(none, `${f} must say "# expect: none"`).toBe(true);
        expected.push(...e.filter((x) => POLICY_RULES.includes(x.ruleId)).map((x) => `${rel}/${f}:${x.line}:${x.ruleId}`));
      }
      const report = await runRules([rel], POLICY_RULES);
      const actual = report.findings.filter((f) => POLICY_RULES.includes(f.ruleId)).map((f) => `${f.file}:${f.line}:${f.ruleId}`);
      expect(actual.sort()).toEqual(expected.sort());
      expect(expected.length).toBeGreaterThan(0);
    });
  }

  it("takes the finding's severity from the binding's validationActions", async () => {
    const report = await runRules(['fixtures/policies/required-labels', 'fixtures/policies/replica-limit'], POLICY_RULES);
    const sev = new Map(report.findings.map((f) => [path.basename(path.dirname(f.file)), f.severity]));
    expect(sev.get('required-labels')).toBe('warning'); // [Warn, Audit]
    expect(sev.get('replica-limit')).toBe('error'); // [Deny]
    const msg = report.findings.find((f) => f.file.includes('replica-limit'))!.message;
    expect(msg).toContain('"deployment-replicas"');
    expect(msg).toContain('"deployment-replicas-everywhere"');
    expect(msg).toContain('replicas is 12; this cluster allows at most 5');
  });
});

describe('the variables an expression sees', () => {
  it('namespaceObject is the scanned Namespace, and metadata.namespace is filled in', async () => {
    const dir = tmpdir({
      'p.yaml': `apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata:
  name: tiered
spec:
  matchConstraints:
    resourceRules:
      - apiGroups: [""]
        apiVersions: ["v1"]
        operations: ["CREATE"]
        resources: ["configmaps"]
  validations:
    - expression: "namespaceObject == null || object.metadata.namespace != 'shop' || namespaceObject.metadata.labels['tier'] != 'prod' || has(object.metadata.labels)"
      messageExpression: "'labels are required in ' + namespaceObject.metadata.labels['tier'] + ' namespace ' + object.metadata.namespace + ' (' + request.operation + ')'"
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata:
  name: tiered
spec:
  policyName: tiered
  validationActions: [Deny]
---
apiVersion: v1
kind: Namespace
metadata:
  name: shop
  labels:
    tier: prod
`,
      'cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  namespace: shop\ndata:\n  k: v\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\ndata:\n  k: v\n',
    });
    const report = await runRules(['.'], POLICY_RULES, { cwd: dir });
    expect(report.findings.map((f) => `${f.file}:${f.line}:${f.message}`)).toEqual([
      'cm.yaml:5:ValidatingAdmissionPolicy "tiered" (binding "tiered") denies this ConfigMap: labels are required in prod namespace shop (CREATE)',
    ]);
  });
});

function evalCel(expression: string, object: unknown = {}): unknown {
  const p = compile(expression);
  if ('error' in p) throw new Error(p.error);
  const vars = Object.fromEntries(POLICY_VARIABLES.map((v) => [v, null])) as Record<string, unknown>;
  vars.object = toCel(object);
  vars.variables = {};
  return p.run(vars, new Budget());
}

describe('the Kubernetes CEL libraries', () => {
  it.each([
    ['[1, 2, 3].sum() == 6 && [3, 1, 2].min() == 1 && [3, 1, 2].max() == 3', true],
    ['[1, 2, 2, 3].isSorted() && ![2, 1].isSorted()', true],
    ['[1, 2, 2].indexOf(2) == 1 && [1, 2, 2].lastIndexOf(2) == 2 && [1].indexOf(5) == -1', true],
    ["'héllo'.charAt(1) == 'é' && 'a-b-c'.replace('-', '+') == 'a+b+c' && 'a-b-c'.replace('-', '+', 1) == 'a+b-c'", true],
    ["' x '.trim() == 'x' && 'AbC'.lowerAscii() == 'abc' && 'abc'.upperAscii() == 'ABC' && 'a,b'.split(',') == ['a', 'b']", true],
    ["['a', 'b'].join('-') == 'a-b' && 'abc'.substring(1, 2) == 'b' && 'abcabc'.lastIndexOf('b') == 4", true],
    ['strings.quote(\'say "hi"\\n\') == \'"say \\\\"hi\\\\"\\\\n"\'', true],
    ["'img:1.2 img:3.4'.findAll('[0-9]+\\\\.[0-9]+') == ['1.2', '3.4'] && 'abc123'.find('[0-9]+') == '123' && 'abc'.find('z') == ''", true],
    ["'ab'.matches('^(?P<x>a)b$')", true], // RE2 syntax, which JavaScript's RegExp refuses
    ["url('https://user@example.com:8443/a%20b?x=1&x=2').getHost() == 'example.com:8443'", true],
    ["url('https://example.com:8443/p').getHostname() == 'example.com' && url('https://example.com:8443/p').getPort() == '8443'", true],
    ["url('/api/v1?watch=true').getEscapedPath() == '/api/v1' && url('https://e.com/?x=1&x=2').getQuery()['x'] == ['1', '2']", true],
    ["isURL('https://example.com') && !isURL('not a url') && url('ftp://h/p').getScheme() == 'ftp'", true],
    ["ip('10.0.0.1').family() == 4 && ip('::1').isLoopback() && ip('fe80::1').isLinkLocalUnicast() && ip('8.8.8.8').isGlobalUnicast()", true],
    ["isIP('1.2.3.4') && !isIP('01.2.3.4') && !isIP('::ffff:1.2.3.4') && string(ip('2001:db8:0:0:0:0:0:1')) == '2001:db8::1'", true],
    ["cidr('10.0.0.0/8').containsIP('10.2.3.4') && !cidr('10.0.0.0/8').containsIP(ip('11.0.0.1')) && cidr('10.0.0.0/8').containsCIDR('10.1.0.0/16')", true],
    ["cidr('10.1.2.3/8').masked() == cidr('10.0.0.0/8') || string(cidr('10.1.2.3/8').masked()) == '10.0.0.0/8'", true],
    ["cidr('10.0.0.0/8').prefixLength() == 8 && isCIDR('::/0') && !isCIDR('10.0.0.0/33')", true],
    ["quantity('1Gi').isGreaterThan(quantity('1000Mi')) && quantity('500m').isLessThan(quantity('1'))", true],
    ["quantity('1.5').compareTo(quantity('1500m')) == 0 && quantity('2k').asInteger() == 2000 && quantity('250m').asApproximateFloat() == 0.25", true],
    ["quantity('1').add(quantity('500m')) == quantity('1500m') && quantity('2').sub(1) == quantity('1') && quantity('3').add(2).asInteger() == 5", true],
    ["isQuantity('100Mi') && !isQuantity('100MB') && quantity('1e3').asInteger() == 1000 && quantity('-1').sign() == -1", true],
    ["format.dns1123Label().validate('Not_Valid').hasValue() && !format.dns1123Label().validate('ok-name').hasValue()", true],
    ["!format.named('dns1123Subdomain').value().validate('a.b.c').hasValue() && !format.named('nope').hasValue()", true],
    ['sets.contains([1, 2, 3], [1, 3]) && sets.containsAny([1], [2, 1]) && !sets.intersects([1], [2])', true],
    ["object.?spec.?replicas.orValue(1) == 1 && has(object.metadata) && !has(object.metadata.labels)", true],
    ['cel.bind(x, [1, 2, 3], x.map(i, i * 2).filter(i, i > 2).size() == 2) && [1, 2].exists_one(i, i == 1)', true],
  ])('%s', (expr, want) => {
    expect(evalCel(expr, { metadata: { name: 'x' }, spec: {} })).toBe(want);
  });

  it('refuses what does not parse or type-check, and undeclared variables', () => {
    for (const bad of ['object.spec.replicas <=', "1 + 'a'", 'undeclared.x > 1', "'a'.nosuchfunction()"]) expect('error' in compile(bad), bad).toBe(true);
  });
});

const HOSTILE = {
  // 10^8 iterations of nested comprehensions
  loops: '[1,2,3,4,5,6,7,8,9,10].all(a, [1,2,3,4,5,6,7,8,9,10].all(b, [1,2,3,4,5,6,7,8,9,10].all(c, [1,2,3,4,5,6,7,8,9,10].all(d, [1,2,3,4,5,6,7,8,9,10].all(e, [1,2,3,4,5,6,7,8,9,10].all(f, [1,2,3,4,5,6,7,8,9,10].all(g, [1,2,3,4,5,6,7,8,9,10].all(h, a + b + c + d + e + f + g + h > 0))))))))',
  // a list doubled 30 times: 2^33 elements
  doubling: `cel.bind(a, [1,2,3,4,5,6,7,8], ${Array.from({ length: 30 }, (_, i) => `cel.bind(x${i}, ${i === 0 ? 'a' : `x${i - 1}`} + ${i === 0 ? 'a' : `x${i - 1}`}, `).join('')}size(x29) > 0${')'.repeat(31)}`,
  // catastrophic backtracking for a JavaScript RegExp; linear for RE2
  backtracking: "'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!'.matches('^(a+)+$') == false && false",
};

describe('cost limits: a hostile expression ends quickly with a finding', () => {
  for (const [name, expr] of Object.entries(HOSTILE)) {
    it(name, () => {
      const p = compile(expr);
      if ('error' in p) throw new Error(p.error);
      const t0 = performance.now();
      let error: unknown;
      let result: unknown;
      try {
        result = p.run({ object: {}, variables: {} }, new Budget());
      } catch (e) {
        error = e;
      }
      expect(performance.now() - t0).toBeLessThan(1500);
      if (name === 'backtracking') expect(result).toBe(false);
      else expect(String((error as Error)?.message)).toMatch(/cost limit|time limit|larger than/);
    });
  }

  it('a policy with a hostile validation is reported at the object, and the scan ends within seconds', () => {
    const policy = (name: string, expr: string) => `apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata:
  name: ${name}
spec:
  failurePolicy: Ignore
  matchConstraints:
    resourceRules:
      - apiGroups: [""]
        apiVersions: ["v1"]
        operations: ["CREATE"]
        resources: ["configmaps"]
  validations:
    - expression: ${JSON.stringify(expr)}
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata:
  name: ${name}
spec:
  policyName: ${name}
  validationActions: [Deny]
`;
    const cms = Array.from({ length: 20 }, (_, i) => `---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm${i}\ndata:\n  a: b\n`).join('');
    const dir = tmpdir({ 'policies.yaml': `${policy('loops', HOSTILE.loops)}---\n${policy('doubling', HOSTILE.doubling)}`, 'cms.yaml': cms });
    const t0 = Date.now();
    const r = cli(['--format', 'json', '.'], { cwd: dir });
    const ms = Date.now() - t0;
    expect(r.stderr).toBe('');
    const findings = (JSON.parse(r.stdout) as { findings: { ruleId: string; message: string; file: string }[] }).findings.filter((f) => f.ruleId === 'admission-policy');
    expect(findings.length).toBe(40);
    expect(findings.every((f) => /was stopped: the expression (exceeded its cost limit|ran longer than its time limit|built a value larger)/.test(f.message))).toBe(true);
    // 40 evaluations, each stopped at its quarter-second budget at most
    expect(ms).toBeLessThan(20_000);
  });
});

describe('policies: in the configuration', () => {
  const POLICY = fs.readFileSync(path.join(POLICIES, 'replica-limit', 'policy.yaml'), 'utf8');
  const DENIED = fs.readFileSync(path.join(POLICIES, 'replica-limit', 'denied.yaml'), 'utf8');

  it('reads the files it names, relative to the configuration, and applies them to the scan', () => {
    const dir = tmpdir({ 'cluster/policies/replicas.yaml': POLICY, 'app/.k8s-audit.yaml': 'policies: [../cluster/policies]\n', 'app/deploy.yaml': DENIED });
    const r = cli(['--format', 'json', '--config', '.k8s-audit.yaml', 'deploy.yaml'], { cwd: path.join(dir, 'app') });
    const f = (JSON.parse(r.stdout) as { findings: { ruleId: string; line: number; message: string }[] }).findings.filter((x) => x.ruleId === 'admission-policy');
    expect(f.map((x) => x.line)).toEqual([8]);
    expect(f[0].message).toContain('this cluster allows at most 5');
  });

  it('a discovered configuration may not read policies outside its directory', () => {
    const dir = tmpdir({ 'cluster/replicas.yaml': POLICY, 'app/.k8s-audit.yaml': 'policies: [../cluster]\n', 'app/deploy.yaml': DENIED });
    const r = cli(['--format', 'json', 'deploy.yaml'], { cwd: path.join(dir, 'app') });
    const findings = (JSON.parse(r.stdout) as { findings: { ruleId: string; message: string }[] }).findings;
    expect(findings.some((x) => x.ruleId === 'admission-policy')).toBe(false);
    expect(findings.some((x) => /policy path "..\/cluster".*leads outside the project/.test(x.message))).toBe(true);
  });

  it('a missing path or a policy that does not compile is a usage error', () => {
    const missing = tmpdir({ '.k8s-audit.yaml': 'policies: [nowhere]\n', 'd.yaml': DENIED });
    const r1 = cli(['d.yaml'], { cwd: missing });
    expect(r1.code).toBe(2);
    expect(r1.stderr).toContain('the policy path "nowhere"');
    const broken = tmpdir({ '.k8s-audit.yaml': 'policies: [p.yaml]\n', 'p.yaml': POLICY.replace('object.spec.replicas <= 5', 'object.spec.replicas <='), 'd.yaml': DENIED });
    const r2 = cli(['d.yaml'], { cwd: broken });
    expect(r2.code).toBe(2);
    expect(r2.stderr).toMatch(/p\.yaml: ValidatingAdmissionPolicy "deployment-replicas" spec\.validations\.0\.expression: the expression does not compile/);
  });
});

describe('customRules: in the configuration', () => {
  const DEPLOY = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels:
    app: web
spec:
  replicas: 2
  selector:
    matchLabels: { app: web }
  template:
    metadata:
      labels: { app: web }
    spec:
      containers:
        - name: web
          image: registry.example.com/web:1
`;
  const RULE = {
    id: 'team-owner-label',
    description: 'Require an owner label on workloads',
    severity: 'error' as const,
    kinds: ['Deployment', 'StatefulSet'],
    expression: "'owner' in object.metadata.labels",
    messageExpression: "object.kind + ' ' + object.metadata.name + ' has no owner label'",
  };

  it('reports an object the expression rejects, at the field it names, with the message expression', async () => {
    const dir = tmpdir({ 'd.yaml': DEPLOY, 'ok.yaml': DEPLOY.replace('app: web\nspec', 'app: web\n    owner: team-a\nspec') });
    const report = await audit(['.'], { cwd: dir, config: { customRules: [RULE] } });
    const f = report.findings.filter((x) => x.ruleId === 'team-owner-label');
    expect(f.map((x) => `${x.file}:${x.line}:${x.severity}`)).toEqual(['d.yaml:5:error']);
    expect(f[0].message).toBe('Deployment web has no owner label');
  });

  it('is configured and suppressed like a built-in rule', async () => {
    const dir = tmpdir({ 'd.yaml': DEPLOY.replace('  labels:\n    app: web\nspec', '  # k8s-audit-ignore team-owner-label -- owned by the platform team\n  labels:\n    app: web\nspec'), 'e.yaml': DEPLOY });
    const report = await audit(['.'], { cwd: dir, config: { customRules: [RULE], rules: { 'team-owner-label': 'info' } } });
    const f = report.findings.filter((x) => x.ruleId === 'team-owner-label');
    expect(f.map((x) => `${x.file}:${x.severity}`)).toEqual(['e.yaml:info']);
    const off = await audit(['.'], { cwd: dir, config: { customRules: [RULE], rules: { 'team-owner-label': 'off' } } });
    expect(off.findings.some((x) => x.ruleId === 'team-owner-label')).toBe(false);
  });

  it('a missing field the expression reads is not a finding; has() makes it required', async () => {
    const dir = tmpdir({ 'd.yaml': DEPLOY.replace('  labels:\n    app: web\nspec', 'spec') });
    const loose = await audit(['.'], { cwd: dir, config: { customRules: [RULE] } });
    expect(loose.findings.some((x) => x.ruleId === 'team-owner-label')).toBe(false);
    const strict = await audit(['.'], { cwd: dir, config: { customRules: [{ ...RULE, expression: "has(object.metadata.labels) && 'owner' in object.metadata.labels" }] } });
    expect(strict.findings.filter((x) => x.ruleId === 'team-owner-label').length).toBe(1);
  });

  it('loads from a discovered configuration, and explain shows it', () => {
    const cfg = `customRules:\n  - id: team-owner-label\n    description: Require an owner label on workloads\n    kinds: [Deployment]\n    expression: "has(object.metadata.labels) && 'owner' in object.metadata.labels"\n    message: every workload needs an owner label\n`;
    const dir = tmpdir({ '.k8s-audit.yaml': cfg, 'd.yaml': DEPLOY });
    const r = cli(['--format', 'json', '.'], { cwd: dir });
    const f = (JSON.parse(r.stdout) as { findings: { ruleId: string; severity: string; message: string }[] }).findings.filter((x) => x.ruleId === 'team-owner-label');
    expect(f).toEqual([expect.objectContaining({ severity: 'warning', message: 'every workload needs an owner label' })]);
    const e = cli(['explain', 'team-owner-label'], { cwd: dir });
    expect(e.code).toBe(0);
    expect(e.stdout).toContain('team-owner-label: Require an owner label on workloads');
    expect(e.stdout).toContain("has(object.metadata.labels) && 'owner' in object.metadata.labels");
    // no page on the project's site: it says where the rule is defined instead
    expect(e.stdout).toMatch(/Defined in: .*\.k8s-audit\.yaml \(customRules\)/);
    expect(e.stdout).not.toContain('docs/rules/team-owner-label.md');
  });

  it('masks the secret values a messageExpression quotes, in every format', () => {
    const cfg = `customRules:\n  - id: no-weak-password\n    kinds: [Secret]\n    expression: "!has(object.stringData) || !('password' in object.stringData) || size(object.stringData.password) > 20"\n    messageExpression: "'password ' + object.stringData.password + ' is too short'"\n`;
    const secret = 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\nstringData:\n  password: hunter2hunter2\n';
    const dir = tmpdir({ '.k8s-audit.yaml': cfg, 's.yaml': secret });
    for (const format of ['json', 'sarif', 'stylish']) {
      const r = cli(['--format', format, '.'], { cwd: dir });
      expect(r.stdout).toContain('is too short');
      expect(r.stdout).not.toContain('hunter2hunter2');
    }
  });

  it('refuses an expression that does not compile, a built-in id, a duplicate id and a malformed entry', () => {
    const cases: [string, RegExp][] = [
      [`customRules:\n  - {id: a, kinds: [Pod], expression: "object.spec +"}\n`, /customRules\[0\] \(a\): the expression does not compile/],
      [`customRules:\n  - {id: image-tag-latest, kinds: [Pod], expression: "true"}\n`, /id of a built-in rule/],
      [`customRules:\n  - {id: a, kinds: [Pod], expression: "true"}\n  - {id: a, kinds: [Pod], expression: "true"}\n`, /defined twice/],
      [`customRules:\n  - {id: a, expression: "true"}\n`, /customRules\[0\]\.kinds is required/],
      [`customRules:\n  - {id: A_B, kinds: [Pod], expression: "true"}\n`, /customRules\[0\]\.id "A_B" does not look like/],
    ];
    for (const [cfg, want] of cases) {
      const r = cli(['d.yaml'], { cwd: tmpdir({ '.k8s-audit.yaml': cfg, 'd.yaml': DEPLOY }) });
      expect(r.code, cfg).toBe(2);
      expect(r.stderr, cfg).toMatch(want);
    }
  });
});
