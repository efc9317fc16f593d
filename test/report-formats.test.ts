/**
 * `--format junit` and `--format gitlab`: golden files, and the structure their readers need. JUnit: well-formed
 * XML (checked by Python's XML parser when python3 is there), <testsuites> of <testsuite name tests failures>
 * holding <testcase classname name> with a <failure message type>, counts that add up. GitLab Code Quality:
 * description, check_name, a unique fingerprint, severity among info/minor/major/critical/blocker, and
 * location.path with lines.begin.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatJunit } from '../src/report/junit.js';
import { formatGitlab } from '../src/report/gitlab.js';
import type { Finding, Report } from '../src/types.js';
import { ROOT } from './harness.js';
import { BAD_SERVICE, DEPLOYMENT, cli, makeFinding, tmpdir } from './cli-helpers.js';

const GOLDEN = path.join(ROOT, 'test', 'data', 'golden');

/** Compare with a golden file; UPDATE_GOLDEN=1 rewrites it (then read the diff before committing). */
function golden(name: string, text: string): void {
  const file = path.join(GOLDEN, name);
  if (process.env.UPDATE_GOLDEN) fs.writeFileSync(file, text);
  expect(text).toBe(fs.readFileSync(file, 'utf8'));
}

const report = (findings: Finding[]): Report => ({
  tool: { name: 'k8s-audit', version: '0.1.0' },
  findings,
  suppressed: [],
  summary: { files: 2, resources: 3, errors: findings.filter((f) => f.severity === 'error').length, warnings: findings.filter((f) => f.severity === 'warning').length, infos: 0, suppressed: 0, skipped: 0 },
});

const SAMPLE = report([
  makeFinding({ fingerprint: 'f1' }),
  // the same defect twice (two renderings): two issues, two fingerprints
  makeFinding({ fingerprint: 'f2', severity: 'error', ruleId: 'plaintext-credential', message: 'password <in> "ConfigMap" & co\u0007', line: 9, column: 5, endLine: 9, endColumn: 20, context: 'chart web, default values' }),
  makeFinding({ fingerprint: 'f2', severity: 'error', ruleId: 'plaintext-credential', message: 'password <in> "ConfigMap" & co\u0007', line: 9, column: 5, endLine: 9, endColumn: 20, context: 'chart web, scenario ci/prod-values.yaml' }),
  makeFinding({ file: 'charts/web/templates/deploy.yaml', severity: 'info', ruleId: 'missing-probe', message: 'no readinessProbe', fingerprint: 'f3', resource: null, hint: '' }),
]);

const python = spawnSync('python3', ['-c', 'import xml.etree.ElementTree'], { encoding: 'utf8' }).status === 0;

/** The XML as Python's parser reads it, as JSON: tag, attributes, text and children. */
function parseXml(xml: string): XmlNode {
  const script = 'import sys,json,xml.etree.ElementTree as E\ndef d(e): return {"tag":e.tag,"attrs":dict(e.attrib),"text":e.text or "","children":[d(c) for c in e]}\nprint(json.dumps(d(E.fromstring(sys.stdin.buffer.read()))))';
  const r = spawnSync('python3', ['-c', script], { input: xml, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`not well-formed XML: ${r.stderr}`);
  return JSON.parse(r.stdout) as XmlNode;
}
interface XmlNode {
  tag: string;
  attrs: Record<string, string>;
  text: string;
  children: XmlNode[];
}

function checkJunitStructure(root: XmlNode): void {
  expect(root.tag).toBe('testsuites');
  let tests = 0;
  let failures = 0;
  for (const suite of root.children) {
    expect(suite.tag).toBe('testsuite');
    expect(suite.attrs.name).toBeTruthy();
    expect(suite.children.every((c) => c.tag === 'testcase' && c.attrs.classname && c.attrs.name)).toBe(true);
    expect(Number(suite.attrs.tests)).toBe(suite.children.length);
    const failed = suite.children.filter((c) => c.children.some((x) => x.tag === 'failure'));
    expect(Number(suite.attrs.failures)).toBe(failed.length);
    for (const c of failed) for (const x of c.children) expect(x.attrs.message && x.attrs.type).toBeTruthy();
    tests += suite.children.length;
    failures += failed.length;
  }
  expect(Number(root.attrs.tests)).toBe(tests);
  expect(Number(root.attrs.failures)).toBe(failures);
}

describe('--format junit', () => {
  it('matches the golden file', () => {
    golden('report.junit.xml', formatJunit(SAMPLE));
  });

  it.skipIf(!python)('is well-formed XML with the structure GitLab and Jenkins read', () => {
    const root = parseXml(formatJunit(SAMPLE));
    checkJunitStructure(root);
    expect(root.children.map((s) => s.attrs.name)).toEqual(['k8s/svc.yaml', 'charts/web/templates/deploy.yaml']);
    const failure = root.children[0].children[1].children[0];
    // markup characters survive, a control character XML cannot hold is dropped
    expect(failure.attrs.message).toBe('password <in> "ConfigMap" & co');
    expect(failure.attrs.type).toBe('error');
  });

  it.skipIf(!python)('is one passing test case when there is nothing to report', () => {
    const root = parseXml(formatJunit(report([])));
    checkJunitStructure(root);
    expect(root.attrs.failures).toBe('0');
    expect(root.children[0].children).toHaveLength(1);
  });
});

describe('--format gitlab', () => {
  it('matches the golden file', () => {
    golden('report.gitlab.json', formatGitlab(SAMPLE));
  });

  it("has what GitLab's Code Quality report needs, with unique fingerprints", () => {
    const issues = JSON.parse(formatGitlab(SAMPLE)) as Record<string, unknown>[];
    expect(issues).toHaveLength(4);
    for (const i of issues) {
      expect(typeof i.description).toBe('string');
      expect(typeof i.check_name).toBe('string');
      expect(i.fingerprint).toMatch(/^[0-9a-z]+$/);
      expect(['info', 'minor', 'major', 'critical', 'blocker']).toContain(i.severity);
      const loc = i.location as { path: string; lines: { begin: number } };
      expect(typeof loc.path).toBe('string');
      expect(Number.isInteger(loc.lines.begin) && loc.lines.begin >= 1).toBe(true);
    }
    expect(new Set(issues.map((i) => i.fingerprint)).size).toBe(4);
  });
});

describe('the CLI', () => {
  it('prints both formats, paths relative to the GitLab checkout in GitLab CI', () => {
    const dir = tmpdir({ 'k8s/app.yaml': DEPLOYMENT, 'k8s/svc.yaml': BAD_SERVICE });
    const j = cli(['.', '--format', 'junit', '--fail-on', 'warning'], { cwd: path.join(dir, 'k8s') });
    expect(j.code).toBe(1);
    expect(j.stdout).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites name="k8s-audit"/);
    expect(j.stdout).toContain('<testsuite name="svc.yaml"');
    const g = cli(['.', '--format', 'gitlab'], { cwd: path.join(dir, 'k8s'), env: { GITLAB_CI: 'true', CI_PROJECT_DIR: dir } });
    const issues = JSON.parse(g.stdout) as { location: { path: string; lines: { begin: number } }; check_name: string }[];
    expect(issues.map((i) => [i.check_name, i.location.path, i.location.lines.begin])).toContainEqual(['service-selector-no-match', 'k8s/svc.yaml', 6]);
  });
});
