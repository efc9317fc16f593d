/** api-validation: the answer each finding quotes, and where the API server gives it (at apply, or per pod). */
import { describe, expect, it } from 'vitest';
import { runRules } from './harness.js';

describe('api-validation answers', () => {
  it('quotes the API server for the fixture, refusing the StatefulSet itself only for its restart policy', async () => {
    const report = await runRules(['fixtures/rules/api-validation/invalid.yaml'], ['api-validation']);
    const at = (line: number) => report.findings.find((f) => f.line === line)!.message;
    expect(at(9)).toMatch(/`kubectl apply` is refused with: Pod "search-debug" is invalid: spec\.containers\[0\]\.image: Required value$/);
    expect(at(33)).toContain('spec.template.spec.containers[0].ports[1].name: Duplicate value: "http"');
    expect(at(55)).toContain('resources.requests.memory: Invalid value: "8Gi": must be less than or equal to memory limit of 4Gi');
    // the StatefulSet's restart policy is checked with the StatefulSet ...
    expect(at(109)).toContain('`kubectl apply` is refused with: StatefulSet "postgres" is invalid: spec.template.spec.restartPolicy');
    // ... its pod spec only when the controller creates the pods
    expect(at(116)).toMatch(/the StatefulSet is accepted, but the API server refuses every pod .*Pod "postgres-0" is invalid: spec\.containers\[0\]\.volumeMounts\[1\]\.name: Not found: "config"/);
  });
});
