/**
 * The workload rules on pods inside custom resources (src/graph/cr-pod-templates.ts). Each fixture in
 * fixtures/cr-pods/ carries `# expect: <rule-id>` on every line a finding of the default profile's pod rules
 * must land on, and must produce exactly those; `valid*` files carry `# expect: none`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { rules } from '../rules/index.js';
import { CUSTOM_RESOURCE_PODS } from '../src/graph/kinds.js';
import { podTemplatesOf } from '../src/graph/cr-pod-templates.js';
import { Resource } from '../src/graph/resource.js';
import { parseSource } from '../src/parse/documents.js';
import { ROOT, expectationsOf, runRules } from './harness.js';

const DIR = path.join(ROOT, 'fixtures', 'cr-pods');
/** The rules that run on custom resources' pods and are on by default. */
const POD_RULES = rules.filter((r) => r.meta.kinds.includes(CUSTOM_RESOURCE_PODS) && r.meta.recommended).map((r) => r.id);

describe('workload rules on pods inside custom resources', () => {
  it('the default profile has the security, resource, probe and image rules among them', () => {
    for (const id of ['privileged-container', 'privilege-escalation', 'run-as-root', 'host-namespace', 'host-path-volume', 'missing-resource-requests', 'missing-readiness-probe']) {
      expect(POD_RULES).toContain(id);
    }
  });

  for (const name of fs.readdirSync(DIR).filter((f) => f.endsWith('.yaml')).sort()) {
    it(name, async () => {
      const rel = path.relative(ROOT, path.join(DIR, name));
      const { expected, none } = expectationsOf(fs.readFileSync(path.join(DIR, name), 'utf8'));
      const report = await runRules([rel], POD_RULES);
      const actual = report.findings.map((f) => `${f.line}:${f.ruleId}`).sort();
      if (name.startsWith('valid')) expect(none, `${name} must say "# expect: none"`).toBe(true);
      expect(actual).toEqual(expected.map((e) => `${e.line}:${e.ruleId}`).sort());
    });
  }

  it('reports at the offending node: line and column inside the custom resource', async () => {
    const report = await runRules(['fixtures/cr-pods/leaderworkerset.yaml'], ['dangerous-capability']);
    const text = fs.readFileSync(path.join(DIR, 'leaderworkerset.yaml'), 'utf8').split('\n');
    const loc = report.findings.map((f) => ({ line: f.line, column: f.column, cap: /the (\w+) capability/.exec(f.message)?.[1] }));
    expect(loc.map((l) => l.cap).sort()).toEqual(['NET_ADMIN', 'SYS_PTRACE']);
    for (const l of loc) expect(text[l.line - 1].slice(l.column - 1).startsWith(l.cap!)).toBe(true);
  });

  it('names the container and, for a pod-level setting, says where it comes from', async () => {
    const report = await runRules(['fixtures/cr-pods/argo-workflows.yaml'], ['run-as-root', 'privileged-container']);
    const msgs = report.findings.map((f) => f.message);
    expect(msgs.some((m) => m.includes('"main"') && m.includes('privileged'))).toBe(true);
    expect(msgs.filter((m) => m.includes('UID 0')).length).toBe(1);
    expect(msgs.find((m) => m.includes('UID 0'))).toContain('from the pod securityContext');
    // Knative lets the name out: the message says which entry
    const knative = await runRules(['fixtures/cr-pods/serving.yaml'], ['privileged-container']);
    expect(knative.findings.map((f) => f.message)).toEqual([expect.stringContaining('Container "containers[0]"')]);
  });

  it('opt-in completeness rules: absent settings count in a JobSet, not in Argo or Tekton pods (their cluster defaults may set them)', async () => {
    const jobset = await runRules(['fixtures/cr-pods/jobset.yaml'], ['missing-seccomp-profile', 'capabilities-not-dropped']);
    expect(jobset.findings.filter((f) => f.ruleId === 'missing-seccomp-profile').length).toBe(3);
    const argo = await runRules(['fixtures/cr-pods/argo-workflows.yaml', 'fixtures/cr-pods/tekton.yaml'], ['missing-seccomp-profile', 'capabilities-not-dropped', 'writable-root-filesystem', 'service-account-token-automount']);
    expect(argo.findings).toEqual([]);
  });

  it('probes: expected of a Rollout, not of KubeRay, Knative or batch kinds', async () => {
    const report = await runRules(['fixtures/cr-pods'], ['missing-liveness-probe']);
    const kinds = new Set(report.findings.map((f) => f.resource?.kind));
    expect([...kinds].sort()).toEqual(['LeaderWorkerSet', 'Rollout']);
  });

  it('podTemplatesOf: the template locations of known kinds, and a PodTemplateSpec under spec.template of unknown ones', () => {
    const docs = parseSource({ file: 'kuberay.yaml', text: fs.readFileSync(path.join(DIR, 'kuberay.yaml'), 'utf8'), format: 'yaml', origin: 'file', group: '' });
    const res = docs.map((d) => new Resource(d.value as Record<string, unknown>, d, [], 'default'));
    expect(podTemplatesOf(res[0]).map((t) => t.path.join('.'))).toEqual(['spec.headGroupSpec.template', 'spec.workerGroupSpecs.0.template', 'spec.workerGroupSpecs.1.template']);
    expect(podTemplatesOf(res[1]).map((t) => t.path.join('.'))).toEqual([
      'spec.rayClusterSpec.headGroupSpec.template',
      'spec.rayClusterSpec.workerGroupSpecs.0.template',
      'spec.submitterPodTemplate',
    ]);
    expect(podTemplatesOf(res[0]).every((t) => t.kind === 'template' && Array.isArray(t.spec.containers))).toBe(true);
  });
});
