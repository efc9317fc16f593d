/**
 * SARIF for GitHub code scanning: valid against the official SARIF 2.1.0 schema (ajv) and clean under
 * Microsoft's SARIF multitool `validate` (its SARIF and GitHub rule sets), with what code scanning relies on:
 * rule help, stable and unique partialFingerprints, relative URIs with a uriBaseId.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { beforeAll, describe, expect, it } from 'vitest';
import { formatSarif } from '../src/report/sarif.js';
import { rules } from '../rules/index.js';
import type { Finding, Report } from '../src/types.js';
import { BAD_SERVICE, DEPLOYMENT, cli, makeFinding, spawnAsync, tmpdir } from './cli-helpers.js';
import { ORACLES_HINT, SARIF_MULTITOOL, SARIF_SCHEMA } from './oracles.js';

/* eslint-disable @typescript-eslint/no-explicit-any */
type Sarif = any;

const SUPPRESSED_SERVICE = `apiVersion: v1
kind: Service
metadata:
  name: legacy
spec:
  # k8s-audit-ignore service-selector-no-match -- pods come from the platform repo
  selector:
    app: legacy
  ports:
  - port: 80
`;

const FILES: Record<string, string> = {
  'k8s/svc.yaml': BAD_SERVICE,
  'k8s/deploy.yaml': DEPLOYMENT,
  'k8s/legacy.yaml': SUPPRESSED_SERVICE,
  'k8s/dir with space/ünï#100%.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: dup\ndata:\n  a: "1"\n  a: "2"\n',
  'k8s/broken.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: broken\ndata:\n  key: [unclosed\n',
  'k8s/stale.yaml': '# k8s-audit-ignore duplicate-key -- was needed once\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: stale\n',
  'k8s/cm.json': '{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "json"}, "data": {"k": "v"}}\n',
};

/** A report with what the scenario above cannot produce: related locations, stdin, a file outside the root. */
function syntheticReport(): Report {
  const f = makeFinding;
  return {
    tool: { name: 'k8s-audit', version: '0.1.0' },
    findings: [
      f({ related: [{ file: 'k8s/deploy.yaml', line: 11, column: 9, endLine: 11, endColumn: 17, message: 'the pod template labels' }], fingerprint: 'same' }),
      f({ line: 20, endLine: 20, fingerprint: 'same' }),
      f({ file: '<stdin>', ruleId: 'syntax-error', severity: 'error', resource: null }),
      f({ file: '/outside/the/root.yaml', ruleId: 'no-such-rule', severity: 'info', resource: null }),
    ],
    suppressed: [{ ...f({ line: 30, endLine: 30 }), reason: '', via: 'config' }],
    summary: { files: 3, resources: 2, errors: 1, warnings: 2, infos: 1, suppressed: 1, skipped: 0 },
  };
}

let dir = '';
let sarifText = '';
let sarif: Sarif;

beforeAll(() => {
  dir = tmpdir(FILES);
  const r = cli(['k8s', '--format', 'sarif'], { cwd: dir });
  expect(r.stderr).toBe('');
  sarifText = r.stdout;
  sarif = JSON.parse(sarifText);
});

function run0(s: Sarif = sarif) {
  return s.runs[0];
}

describe('SARIF content for code scanning', () => {
  it('reports every finding of the scenario, including the suppressed one', () => {
    // Other rules may fire on these objects too; this scenario is about these four.
    const results = (run0().results as Sarif[]).filter((r) => ['duplicate-key', 'service-selector-no-match', 'syntax-error', 'unused-suppression'].includes(r.ruleId));
    const ids = results.map((r) => `${r.ruleId}@${r.locations[0].physicalLocation.artifactLocation.uri}:${r.locations[0].physicalLocation.region.startLine}`).sort();
    expect(ids).toEqual([
      'duplicate-key@k8s/dir%20with%20space/%C3%BCn%C3%AF%23100%25.yaml:7',
      'service-selector-no-match@k8s/legacy.yaml:7',
      'service-selector-no-match@k8s/svc.yaml:6',
      'syntax-error@k8s/broken.yaml:6',
      'unused-suppression@k8s/stale.yaml:1',
    ]);
    const suppressed = results.find((r) => r.locations[0].physicalLocation.artifactLocation.uri === 'k8s/legacy.yaml');
    expect(suppressed.suppressions).toEqual([{ kind: 'inSource', justification: 'pods come from the platform repo' }]);
  });

  it('describes every rule with the help code scanning shows', () => {
    const driver = run0().tool.driver;
    expect(driver.name).toBe('k8s-audit');
    expect(driver.informationUri).toMatch(/^https:\/\//);
    const ids = driver.rules.map((r: Sarif) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(expect.arrayContaining(['duplicate-key', 'service-selector-no-match', 'syntax-error', 'unused-suppression']));
    for (const r of driver.rules) {
      expect(r.shortDescription.text, r.id).toBeTruthy();
      expect(r.fullDescription.text, r.id).toBeTruthy();
      expect(r.help.text, r.id).toBeTruthy();
      expect(r.help.markdown, r.id).toContain(r.helpUri);
      expect(r.helpUri, r.id).toMatch(new RegExp(`^https://.*/docs/rules/${r.id}\\.md$`));
      expect(['error', 'warning', 'note']).toContain(r.defaultConfiguration.level);
      expect(r.properties.tags).toContain('kubernetes');
      if (r.properties.category === 'security') {
        expect(r.properties.tags).toContain('security');
        expect(Number(r.properties['security-severity'])).toBeGreaterThan(0);
      } else expect(r.properties['security-severity']).toBeUndefined();
    }
    for (const res of run0().results) expect(driver.rules[res.ruleIndex].id).toBe(res.ruleId);
  });

  it('uses URIs relative to %SRCROOT%, which names the working directory', () => {
    const run = run0();
    expect(run.originalUriBaseIds['%SRCROOT%'].uri).toBe(`file://${dir.split('/').map(encodeURIComponent).join('/')}/`);
    for (const res of run.results) {
      const loc = res.locations[0].physicalLocation.artifactLocation;
      expect(loc.uriBaseId).toBe('%SRCROOT%');
      expect(loc.uri).not.toMatch(/^\/|^file:/);
      // The URI decodes back to the file.
      expect(fs.existsSync(path.join(dir, decodeURIComponent(loc.uri)))).toBe(true);
      const reg = res.locations[0].physicalLocation.region;
      expect(reg.startLine).toBeGreaterThan(0);
      expect(reg.startColumn).toBeGreaterThan(0);
      expect(reg.endLine * 1e6 + reg.endColumn).toBeGreaterThan(reg.startLine * 1e6 + reg.startColumn);
    }
  });

  it('gives every result a unique partial fingerprint that survives lines moving', () => {
    const prints = (s: Sarif) => (run0(s).results as Sarif[]).map((r) => r.partialFingerprints['k8sAuditFinding/v1']);
    const before = prints(sarif);
    expect(new Set(before).size).toBe(before.length);
    const moved = tmpdir(Object.fromEntries(Object.entries(FILES).map(([k, v]) => [k, k.endsWith('.json') ? v : `# a comment\n# another\n${v}`])));
    const after = JSON.parse(cli(['k8s', '--format', 'sarif'], { cwd: moved }).stdout);
    const lines = (s: Sarif) => (run0(s).results as Sarif[]).map((r) => r.locations[0].physicalLocation.region.startLine);
    expect(lines(after)).toEqual(lines(sarif).map((l: number) => l + 2));
    expect(prints(after)).toEqual(before);
  });

  it('makes repeated fingerprints unique, writes files outside the root as file: URIs, keeps related locations', () => {
    const s = JSON.parse(formatSarif(syntheticReport(), rules, { cwd: '/repo' }));
    const results = run0(s).results as Sarif[];
    const prints = results.map((r) => r.partialFingerprints['k8sAuditFinding/v1']);
    expect(new Set(prints).size).toBe(prints.length);
    expect(prints.slice(0, 2)).toEqual(['same', 'same:2']);
    expect(results[0].relatedLocations[0].physicalLocation.artifactLocation).toEqual({ uri: 'k8s/deploy.yaml', uriBaseId: '%SRCROOT%' });
    expect(results[3].locations[0].physicalLocation.artifactLocation).toEqual({ uri: 'file:///outside/the/root.yaml' });
    expect(results[3].ruleIndex).toBeUndefined();
    expect(results[4].suppressions[0].kind).toBe('external');
    expect(results[0].message.text).toBe('Service "web" selects nothing. Fix: Fix the selector.');
    const withContext = JSON.parse(formatSarif({ ...syntheticReport(), findings: [{ ...syntheticReport().findings[0], context: 'chart web, default values' }] }, rules));
    expect(run0(withContext).results[0].message.text).toBe('Service "web" selects nothing [chart web, default values]. Fix: Fix the selector.');
  });

  it('--sarif-file writes the same SARIF next to the main output', () => {
    const out = path.join(dir, 'out.sarif');
    const r = cli(['k8s', '--sarif-file', out, '--format', 'json'], { cwd: dir });
    expect(r.code).toBe(1);
    const json = JSON.parse(r.stdout);
    expect(json.findings.length + json.suppressed.length).toBe(run0().results.length);
    expect(fs.readFileSync(out, 'utf8')).toBe(sarifText);
  });

  it('in GitHub Actions: paths relative to the workspace and the analysed commit', () => {
    const repo = tmpdir({ 'deploy/k8s/svc.yaml': BAD_SERVICE, 'deploy/k8s/deploy.yaml': DEPLOYMENT });
    const r = cli(['k8s', '--format', 'sarif'], {
      cwd: path.join(repo, 'deploy'),
      env: { GITHUB_ACTIONS: 'true', GITHUB_WORKSPACE: repo, GITHUB_REPOSITORY: 'o/r', GITHUB_SHA: 'abc123', GITHUB_REF: 'refs/heads/main', GITHUB_SERVER_URL: 'https://github.com' },
    });
    const run = run0(JSON.parse(r.stdout));
    const res = run.results.find((x: Sarif) => x.ruleId === 'service-selector-no-match');
    expect(res.locations[0].physicalLocation.artifactLocation).toEqual({ uri: 'deploy/k8s/svc.yaml', uriBaseId: '%SRCROOT%' });
    expect(run.originalUriBaseIds['%SRCROOT%'].uri).toBe(`file://${repo}/`);
    expect(run.versionControlProvenance).toEqual([{ repositoryUri: 'https://github.com/o/r', revisionId: 'abc123', branch: 'refs/heads/main', mappedTo: { uriBaseId: '%SRCROOT%' } }]);
  });
});

describe.skipIf(!SARIF_SCHEMA)('SARIF against the official 2.1.0 JSON schema', () => {
  let validate: ((d: unknown) => boolean) & { errors?: unknown };
  beforeAll(() => {
    // ajv (with ajv-formats) is already in the tree through kubernetes-models' validator.
    const require = createRequire(import.meta.url);
    const Ajv2020 = require('ajv/dist/2020').default;
    const addFormats = require('ajv-formats').default ?? require('ajv-formats');
    const ajv = new Ajv2020({ allErrors: true, strict: false });
    addFormats(ajv);
    validate = ajv.compile(JSON.parse(fs.readFileSync(SARIF_SCHEMA!, 'utf8')));
  });

  it('the CLI scenario validates', () => {
    const ok = validate(sarif);
    expect(validate.errors ?? [], JSON.stringify(validate.errors, null, 2)).toEqual([]);
    expect(ok).toBe(true);
  });

  it('the synthetic report (related locations, stdin, absolute paths, provenance) validates', () => {
    const s = JSON.parse(formatSarif(syntheticReport(), rules, { cwd: '/repo', provenance: { repositoryUri: 'https://github.com/o/r', revisionId: 'abc' } }));
    validate(s);
    expect(validate.errors ?? []).toEqual([]);
  });

  it('the validator does catch a broken log', () => {
    const broken = JSON.parse(sarifText);
    broken.runs[0].results[0].level = 'fatal';
    expect(validate(broken)).toBe(false);
  });
});

describe.skipIf(!SARIF_MULTITOOL || !SARIF_SCHEMA)('SARIF multitool validate', () => {
  // One multitool run (a .NET start-up costs seconds) over every log below; results are read back per file.
  const found = new Map<string, string[]>();
  beforeAll(async () => {
    const logs: Record<string, string> = {};
    logs['scenario.sarif'] = sarifText;
    // Without provenance: stdin and a file outside the checkout cannot be repository-relative (SARIF2007).
    logs['synthetic.sarif'] = formatSarif(syntheticReport(), rules, { cwd: '/repo' });
    const repo = tmpdir(Object.fromEntries(Object.entries(FILES).map(([k, v]) => [`deploy/${k}`, v])));
    const actions = cli(['k8s', '--format', 'sarif'], {
      cwd: path.join(repo, 'deploy'),
      env: { GITHUB_ACTIONS: 'true', GITHUB_WORKSPACE: repo, GITHUB_REPOSITORY: 'o/r', GITHUB_SHA: 'abc123', GITHUB_REF: 'refs/heads/main' },
    }).stdout;
    expect(JSON.parse(actions).runs[0].versionControlProvenance).toHaveLength(1);
    logs['actions.sarif'] = actions;
    const broken = JSON.parse(sarifText);
    broken.runs[0].foo = 1;
    const region = broken.runs[0].results[0].locations[0].physicalLocation.region;
    region.endLine = region.startLine - 1;
    // A message without text: GitHub's own rule set (GH*) requires it.
    const second = broken.runs[0].results[1];
    second.message = { id: 'default', arguments: ['x'] };
    broken.runs[0].tool.driver.rules[second.ruleIndex].messageStrings = { default: { text: '{0}.' } };
    logs['broken.sarif'] = JSON.stringify(broken, null, 2);

    const d = tmpdir(logs);
    const out = path.join(d, 'validation.out');
    // Async: the .NET run can take most of a minute on a busy host, and a blocked worker misses vitest's RPC deadline.
    const r = await spawnAsync(
      SARIF_MULTITOOL!,
      ['validate', ...Object.keys(logs).map((f) => path.join(d, f)), '-o', out, '--log', 'ForceOverwrite', '--json-schema', SARIF_SCHEMA!, '--rule-kind', 'Gh;Sarif', '--level', 'Error;Warning'],
      { env: { ...process.env, DOTNET_SYSTEM_GLOBALIZATION_INVARIANT: '1' }, timeout: 180_000 },
    );
    expect(r.status, r.stdout + r.stderr).toBe(0);
    const run = JSON.parse(fs.readFileSync(out, 'utf8').replace(/^\uFEFF/, '')).runs[0];
    for (const f of Object.keys(logs)) found.set(f, []);
    for (const x of run.results ?? []) {
      const uri = String(x.locations?.[0]?.physicalLocation?.artifactLocation?.uri ?? '');
      const file = Object.keys(logs).find((f) => uri.endsWith(f)) ?? '?';
      const rule = (run.tool.driver.rules ?? [])[x.ruleIndex];
      const list = found.get(file) ?? [];
      list.push(`${x.level ?? 'warning'} ${x.ruleId} ${rule?.name ?? ''} ${JSON.stringify(x.message.arguments ?? x.message.text)}`);
      found.set(file, list);
    }
  }, 240_000);

  it('finds no errors or warnings in the CLI scenario', () => {
    expect(found.get('scenario.sarif')).toEqual([]);
    expect(found.get('?')).toBeUndefined();
  });

  it('finds no errors or warnings in the synthetic report (related locations, stdin, paths outside the root)', () => {
    expect(found.get('synthetic.sarif')).toEqual([]);
  });

  it('finds no errors or warnings in the SARIF written inside GitHub Actions (with provenance)', () => {
    expect(found.get('actions.sarif')).toEqual([]);
  });

  it('does report a broken log (the check is not vacuous)', () => {
    const list = found.get('broken.sarif')!;
    expect(list.some((x) => x.includes('JSON1005'))).toBe(true);
    expect(list.some((x) => x.includes('SARIF1007'))).toBe(true);
    expect(list.some((x) => / GH\d+ /.test(x))).toBe(true);
  });
});

describe('oracles', () => {
  it.skipIf(SARIF_SCHEMA && SARIF_MULTITOOL)(`skipped SARIF oracle checks: schema or multitool missing; ${ORACLES_HINT}`, () => {
    console.warn(`sarif.test: SARIF schema/multitool not found; ${ORACLES_HINT}`);
  });
  it('the multitool binary runs when present', () => {
    if (!SARIF_MULTITOOL) return;
    const r = spawnSync(SARIF_MULTITOOL, ['--version'], { encoding: 'utf8', env: { ...process.env, DOTNET_SYSTEM_GLOBALIZATION_INVARIANT: '1' } });
    expect(r.stdout + r.stderr).toMatch(/SARIF Multitool \d+\.\d+/);
  });
});
