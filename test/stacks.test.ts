/**
 * Whole stacks with every registered rule on (profile recommended), as a user runs them:
 * - fixtures/examples/diskann-broken (the README's example, modelled on the DiskANN guide) yields exactly the
 *   `# expect:` markers for every rule that has a marker in the stack, and nothing unexpected from the
 *   cross-resource rules; findings of rules without any marker there (other areas' rules) are not compared,
 *   so new rules elsewhere do not break this test.
 * - fixtures/stacks/clean-production yields no error and no warning from any rule.
 * - the deployment guides themselves get the cross-resource findings at the guides' own lines.
 * - every cross-resource rule's docs examples really trigger (invalid) and stay silent (valid).
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { audit } from '../src/engine/run.js';
import { rules } from '../rules/index.js';
import { ROOT, SHARED, expectationsOf } from './harness.js';
import { ruleExamples } from '../src/docs.js';

/** The cross-resource rules of issue #3: the stack must not produce any of them unmarked. */
export const CROSS_RESOURCE_RULES = [
  'dangling-reference',
  'database-deployment-scaled',
  'hpa-fixed-replicas',
  'hpa-memory-nonelastic',
  'hpa-min-above-max',
  'hpa-scales-database',
  'hpa-missing-requests',
  'hpa-target-not-scalable',
  'hpa-vpa-conflict',
  'ingress-backend-exposed',
  'ingress-backend-port-mismatch',
  'ingress-rewrite-drops-path',
  'metrics-port-not-exposed',
  'monitor-port-not-found',
  'monitor-selects-nothing',
  'mtls-strict-blocks-scrape',
  'networkpolicy-blocks-dependency',
  'networkpolicy-blocks-istiod',
  'networkpolicy-blocks-metrics',
  'networkpolicy-dns-blocked',
  'networkpolicy-selects-nothing',
  'networkpolicy-unlabelled-namespace',
  'pdb-blocks-eviction',
  'pdb-selects-nothing',
  'plaintext-credential',
  'prometheus-annotation-port-mismatch',
  'pvc-access-mode-unsupported',
  'rwo-volume-shared',
  'service-selects-batch-pods',
  'service-target-port-mismatch',
  'single-writer-db-scaled',
  'statefulset-service-not-headless',
];

function walk(p: string): string[] {
  if (fs.statSync(p).isFile()) return [p];
  return fs.readdirSync(p).flatMap((n) => walk(path.join(p, n)));
}

function markersOf(dir: string): string[] {
  const out: string[] = [];
  for (const f of walk(path.join(ROOT, dir))) {
    if (!/\.ya?ml$/.test(f)) continue;
    const rel = path.relative(ROOT, f).split(path.sep).join('/');
    for (const e of expectationsOf(fs.readFileSync(f, 'utf8')).expected) out.push(`${rel}:${e.line} ${e.ruleId}`);
  }
  return out.sort();
}

describe('stacks', () => {
  it('registers every cross-resource rule', () => {
    const ids = new Set(rules.map((r) => r.id));
    expect(CROSS_RESOURCE_RULES.filter((id) => !ids.has(id))).toEqual([]);
  });

  it('fixtures/examples/diskann-broken yields exactly its markers', async () => {
    const dir = 'fixtures/examples/diskann-broken';
    const expected = markersOf(dir);
    const marked = new Set(expected.map((e) => e.split(' ')[1]));
    const compared = new Set([...marked, ...CROSS_RESOURCE_RULES]);
    const report = await audit([dir], { cwd: ROOT, config: {}, profile: 'recommended' });
    const actual = report.findings.filter((f) => compared.has(f.ruleId)).map((f) => `${f.file}:${f.line} ${f.ruleId}`).sort();
    expect(actual).toEqual(expected);
    // Every cross-resource rule that the guide's defects exercise is represented.
    expect(marked.size).toBeGreaterThanOrEqual(15);
  });

  it('honours external: objects declared to live outside the scanned files', async () => {
    const report = await audit(['fixtures/examples/diskann-broken'], {
      cwd: ROOT,
      config: { external: [{ kind: 'ConfigMap', name: 'redis-config', namespace: 'diskann' }, { kind: 'Service', name: 'redis-headless' }] },
      rules: rules.filter((r) => r.id === 'dangling-reference'),
    });
    expect(report.findings.map((f) => `${path.basename(f.file)}:${f.line}`)).toEqual(['postgres.yaml:77']);
  });

  it('never prints a credential in full', async () => {
    const report = await audit(['fixtures/examples/diskann-broken'], { cwd: ROOT, config: {}, rules: rules.filter((r) => r.id === 'plaintext-credential') });
    expect(report.findings.length).toBeGreaterThan(0);
    for (const f of report.findings) expect(f.message).not.toContain('diskann-pass-2024');
  });

  it('fixtures/stacks/clean-production yields no error or warning from any rule', async () => {
    const report = await audit(['fixtures/stacks/clean-production'], { cwd: ROOT, config: {}, profile: 'recommended' });
    const loud = report.findings.filter((f) => f.severity !== 'info').map((f) => `${f.file}:${f.line} ${f.ruleId}: ${f.message}`);
    expect(loud).toEqual([]);
    expect(report.summary.resources).toBeGreaterThan(20);
  });
});

describe('robustness', () => {
  it('no cross-resource rule throws on malformed objects', async () => {
    const writes: string[] = [];
    const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      writes.push(String(chunk));
      return true;
    });
    try {
      await audit(['fixtures/stacks/malformed'], { cwd: ROOT, config: {}, rules: rules.filter((r) => CROSS_RESOURCE_RULES.includes(r.id)), profile: 'all' });
    } finally {
      spy.mockRestore();
    }
    expect(writes.filter((w) => /rule .* failed/.test(w))).toEqual([]);
  });
});

describe('the guides', () => {
  const run = async (guide: string) => {
    const file = path.join(SHARED, 'guides', guide);
    const report = await audit([file], { cwd: ROOT, config: {}, rules: rules.filter((r) => CROSS_RESOURCE_RULES.includes(r.id)), ruleOverrides: {} , profile: 'all' });
    return [...new Set(report.findings.map((f) => `${f.line} ${f.ruleId}`))].sort();
  };
  const guidesPresent = fs.existsSync(path.join(SHARED, 'guides', 'diskann-rust.md'));

  it.runIf(guidesPresent)('diskann-rust.md: the defects the guide teaches, at its lines', async () => {
    expect(await run('diskann-rust.md')).toEqual(
      [
        '177 plaintext-credential', // database_url with an inline password in the ConfigMap
        '295 hpa-fixed-replicas', // replicas: 3 next to the HPA
        '439 rwo-volume-shared', // RWO index claim, 3-20 replicas
        '442 rwo-volume-shared', // RWO temp claim, 3-20 replicas
        '474 ingress-backend-exposed', // public NLB next to the rate-limited Ingress
        '520 ingress-rewrite-drops-path', // rewrite-target: / on / and /api/v1/
        '574 hpa-vpa-conflict', // HPA cpu + VPA Auto
        '580 hpa-vpa-conflict', // HPA memory + VPA Auto
        '708 dangling-reference', // postgres-config never defined
        '731 dangling-reference', // redis-service never defined
        '781 dangling-reference', // redis-config never defined
        '1120 networkpolicy-unlabelled-namespace', // name: ingress-nginx
        '1121 networkpolicy-selects-nothing', // (info) ingress from app: prometheus, which runs in no pod of the namespace
        '1265 rwo-volume-shared', // backup CronJob shares the RWO index claim
      ].sort(),
    );
  });

  it.runIf(guidesPresent)('llm-schema-registry.md: HPA/VPA conflict, unlabelled namespaces, DNS, a TLS Secret nobody creates, a LoadBalancer behind the Ingress', async () => {
    expect(await run('llm-schema-registry.md')).toEqual(
      ['214 metrics-port-not-exposed', '299 ingress-backend-exposed', '372 dangling-reference', '406 networkpolicy-unlabelled-namespace', '415 networkpolicy-dns-blocked', '613 hpa-vpa-conflict', '619 hpa-vpa-conflict'].sort(),
    );
  });

  it.runIf(guidesPresent)('diskann-rust.md and akidb-helm.md: rate-limit annotations ingress-nginx does not have', async () => {
    const unknown = async (guide: string) =>
      (await audit([path.join(SHARED, 'guides', guide)], { cwd: ROOT, config: {}, rules: rules.filter((r) => r.id === 'ingress-nginx-unknown-annotation') })).findings.map((f) => `${f.line} ${f.message.match(/"([^"]+)"/)?.[1]}`);
    expect(await unknown('diskann-rust.md')).toEqual(['522 nginx.ingress.kubernetes.io/rate-limit', '523 nginx.ingress.kubernetes.io/rate-limit-connections']);
    expect(await unknown('akidb-helm.md')).toEqual(['1350 nginx.ingress.kubernetes.io/rate-limit']);
  });

  it.runIf(guidesPresent)('diskann-rust.md: the Pod Security Standards example has a container without an image, refused by the API server', async () => {
    const report = await audit([path.join(SHARED, 'guides', 'diskann-rust.md')], { cwd: ROOT, config: {}, rules: rules.filter((r) => r.id === 'api-validation') });
    expect(report.findings.map((f) => `${f.line}:${f.column} ${f.severity} ${f.message.split(';')[0]}`)).toEqual(['1169:11 error Container "diskann" has no image, so there is nothing to run']);
    expect(report.findings[0].message).toContain('spec.containers[0].image: Required value');
  });

  it.runIf(guidesPresent)('akidb-helm.md: SQLite on a RWO claim behind the production HPA', async () => {
    const found = await run('akidb-helm.md');
    expect(found).toEqual(expect.arrayContaining(['437 single-writer-db-scaled', '500 rwo-volume-shared', '627 single-writer-db-scaled']));
  });
});

describe('docs examples of the cross-resource rules', () => {
  for (const id of CROSS_RESOURCE_RULES) {
    const rule = rules.find((r) => r.id === id);
    if (!rule) continue;
    it(`${id}: invalid example triggers, valid example does not`, async () => {
      const ex = ruleExamples(id, ROOT)!;
      const run = async (text: string) => (await audit(['-'], { cwd: ROOT, config: {}, stdinText: text, rules: [rule], ruleOverrides: { [id]: rule.meta.severity } })).findings.filter((f) => f.ruleId === id);
      expect((await run(ex.invalid)).length).toBeGreaterThan(0);
      expect(await run(ex.valid)).toEqual([]);
    });
  }
});
