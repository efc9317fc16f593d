/**
 * API lifecycle (issue #6): the data file, how --kube-version decides removed (error) versus deprecated
 * (warning), and what the old kubernetes/examples corpus produces.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SHARED, runRules } from './harness.js';
import { apiEntry, compareVersions, lifecycle, reached } from '../src/schema/lifecycle.js';

const LIFECYCLE_RULES = ['removed-api', 'deprecated-api', 'deprecated-annotation', 'deprecated-field'];
const MINOR = /^1\.\d+$/;

describe('api-lifecycle.json', () => {
  const data = lifecycle();

  it('cites a source and a Kubernetes minor for every entry', () => {
    for (const e of data.apis) {
      expect(e.apiVersion, JSON.stringify(e)).toMatch(/^([a-z0-9.-]+\/)?v\d+(alpha|beta)?\d*$/);
      expect(e.kind).toMatch(/^[A-Z]\w+$/);
      expect(e.deprecatedIn).toMatch(MINOR);
      if (e.removedIn !== null) {
        expect(e.removedIn).toMatch(MINOR);
        expect(compareVersions(e.deprecatedIn, e.removedIn)).toBeLessThanOrEqual(0);
      }
      expect(e.replacement.length).toBeGreaterThan(3);
      expect(e.source).toMatch(/^https:\/\//);
    }
    for (const e of [...data.annotations, ...data.fields]) {
      expect(e.source, JSON.stringify(e)).toMatch(/^https:\/\//);
      if (e.deprecatedIn) expect(e.deprecatedIn).toMatch(MINOR);
    }
  });

  it('has no duplicate apiVersion/kind', () => {
    const keys = data.apis.map((e) => `${e.apiVersion}/${e.kind}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('knows the removals users hit most', () => {
    expect(apiEntry('extensions/v1beta1', 'Deployment')?.removedIn).toBe('1.16');
    expect(apiEntry('extensions/v1beta1', 'Ingress')?.removedIn).toBe('1.22');
    expect(apiEntry('networking.k8s.io/v1beta1', 'Ingress')?.removedIn).toBe('1.22');
    expect(apiEntry('apiextensions.k8s.io/v1beta1', 'CustomResourceDefinition')?.removedIn).toBe('1.22');
    expect(apiEntry('batch/v1beta1', 'CronJob')?.removedIn).toBe('1.25');
    expect(apiEntry('policy/v1beta1', 'PodDisruptionBudget')?.removedIn).toBe('1.25');
    expect(apiEntry('policy/v1beta1', 'PodSecurityPolicy')?.replacement).toMatch(/Pod Security Admission/);
    expect(apiEntry('autoscaling/v2beta1', 'HorizontalPodAutoscaler')?.removedIn).toBe('1.25');
    expect(apiEntry('autoscaling/v2beta2', 'HorizontalPodAutoscaler')?.removedIn).toBe('1.26');
    expect(apiEntry('storage.k8s.io/v1beta1', 'CSIStorageCapacity')?.removedIn).toBe('1.27');
    expect(apiEntry('flowcontrol.apiserver.k8s.io/v1beta3', 'FlowSchema')?.removedIn).toBe('1.32');
    expect(apiEntry('apps/v1', 'Deployment')).toBeUndefined();
  });

  it('compares minors numerically', () => {
    expect(compareVersions('1.9', '1.16')).toBeLessThan(0);
    expect(compareVersions('v1.25.3', '1.25')).toBe(0);
    expect(reached('1.34', '1.25')).toBe(true);
    expect(reached('1.24', '1.25')).toBe(false);
    expect(reached('1.34', null)).toBe(false);
  });
});

describe('target version', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'k8s-audit-lifecycle-'));
  const file = path.join(dir, 'cronjob.yaml');
  fs.writeFileSync(
    file,
    'apiVersion: batch/v1beta1\nkind: CronJob\nmetadata:\n  name: nightly\nspec:\n  schedule: "0 3 * * *"\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          restartPolicy: OnFailure\n          containers: [{name: job, image: "registry.example.com/job:1.0.0"}]\n',
  );
  const run = (kubeVersion: string) => runRules([file], LIFECYCLE_RULES, { kubeVersion }).then((r) => r.findings.map((f) => `${f.ruleId}:${f.severity}:${f.line}`));

  it('is silent before the deprecation', async () => {
    expect(await run('1.20')).toEqual([]);
  });
  it('warns while the version is deprecated but served', async () => {
    expect(await run('1.24')).toEqual(['deprecated-api:warning:1']);
  });
  it('errs once the version is removed', async () => {
    expect(await run('1.25')).toEqual(['removed-api:error:1']);
    expect(await run('v1.34.1')).toEqual(['removed-api:error:1']);
  });
});

describe.skipIf(!fs.existsSync(path.join(SHARED, 'corpus')))('real corpus', () => {
  it('kubernetes/examples: removed APIs in the archived examples, nothing in the maintained ones', async () => {
    const report = await runRules([path.join(SHARED, 'corpus', 'real', 'kubernetes-examples')], LIFECYCLE_RULES);
    const count: Record<string, number> = {};
    for (const f of report.findings) count[f.ruleId] = (count[f.ruleId] ?? 0) + 1;
    expect(count['removed-api']).toBe(12);
    expect(report.findings.filter((f) => f.ruleId === 'removed-api').every((f) => f.file.includes('/_archived/'))).toBe(true);
    expect(report.findings.filter((f) => f.severity === 'error' && !f.file.includes('/_archived/'))).toEqual([]);
  }, 60_000);

  it('installs: current API versions only', async () => {
    const report = await runRules([path.join(SHARED, 'corpus', 'real', 'installs')], LIFECYCLE_RULES);
    expect(report.findings.map((f) => `${f.file}:${f.line} ${f.message}`)).toEqual([]);
  }, 60_000);
});
