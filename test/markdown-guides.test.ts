/**
 * The five deployment guides in ../shared/guides: what is recognised in each (counts pinned after reading
 * the guides), where findings land (the lines of the offending keys), the AkiDB chart rebuilt from its guide
 * and rendered with its default values and each example values file, and that the whole set lints quickly.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, SHARED, runRules } from './harness.js';
import { audit } from '../src/engine/run.js';
import { rules } from '../rules/index.js';
import { analyseGuide, guideStats, parseBlocks, type GuideStats } from '../src/load/markdown.js';
import { expandGuide } from '../src/load/markdown-expand.js';
import { displayPath } from '../src/load/files.js';
import { formatJson } from '../src/report/json.js';
import { formatGithub } from '../src/report/github.js';
import { formatSarif } from '../src/report/sarif.js';

const GUIDES = path.join(SHARED, 'guides');
const have = fs.existsSync(GUIDES);
const guide = (name: string) => fs.readFileSync(path.join(GUIDES, name), 'utf8');
const rel = (name: string) => displayPath(ROOT, path.join(GUIDES, name));

type Pinned = Omit<GuideStats, 'languages'>;
const cats = (c: Partial<GuideStats['categories']>): GuideStats['categories'] => ({ manifest: 0, broken: 0, template: 0, chart: 0, values: 0, fragment: 0, config: 0, counterexample: 0, other: 0, ...c });

/**
 * Checked by reading each guide:
 * - akidb-helm: 84 blocks as CommonMark sees them (its ```markdown blocks are closed by their first inner
 *   ``` line, which flips the fences after them, as on GitHub); the chart helm/akidb (Chart.yaml, values.yaml
 *   plus the "Add to values.yaml" resourceQuota block, 9 templates, _helpers.tpl, NOTES.txt); 3 objects in
 *   kubectl here-documents (StorageClass, ClusterIssuer, VolumeSnapshot); kind-config.yaml from `cat >` is a
 *   kind config; 15 values blocks (values.yaml, its addition, 4 example values files, 9 snippets of chart
 *   values); the HA snippet (podDisruptionBudget is not a chart value) is a fragment; 21 distinct files.
 * - diskann-rust: 22 yaml blocks: 13 captioned manifest files + the `# diskann-federation.yaml` ConfigMap +
 *   5 uncaptioned manifests = 29 objects, the chart helm/diskann-chart (Chart.yaml, values.yaml, no
 *   templates), the `resources:`/`annotations:` excerpt; 2 untagged diagrams, 3 bash blocks.
 * - llm-schema-registry: 16 objects (15 yaml blocks + the VolumeSnapshot here-document), the helm
 *   `--values -` here-document (its chart is not in the guide), 6 excerpts (ClusterIP/NodePort specs, two
 *   securityContexts, HPA metrics, postgresql values).
 * - mlcf-summary: prose, a file tree and 3 bash blocks without YAML.
 * - omendb-server: 16 blocks, one `resources:` excerpt.
 */
const EXPECTED: Record<string, Pinned> = {
  'akidb-helm.md': { blocks: 84, units: 31, heredocs: 4, manifests: 3, virtualFiles: 21, charts: 1, templates: 11, fragments: 1, categories: cats({ manifest: 3, template: 11, chart: 1, values: 15, fragment: 1, config: 1, other: 4 }) },
  'diskann-rust.md': { blocks: 27, units: 22, heredocs: 0, manifests: 29, virtualFiles: 16, charts: 1, templates: 0, fragments: 1, categories: cats({ manifest: 19, chart: 1, values: 1, fragment: 1 }) },
  'llm-schema-registry.md': { blocks: 36, units: 23, heredocs: 2, manifests: 16, virtualFiles: 0, charts: 0, templates: 0, fragments: 6, categories: cats({ manifest: 16, values: 1, fragment: 6 }) },
  'mlcf-summary.md': { blocks: 4, units: 0, heredocs: 0, manifests: 0, virtualFiles: 0, charts: 0, templates: 0, fragments: 0, categories: cats({}) },
  'omendb-server.md': { blocks: 16, units: 1, heredocs: 0, manifests: 0, virtualFiles: 0, charts: 0, templates: 0, fragments: 1, categories: cats({ fragment: 1 }) },
};

describe.skipIf(!have)('deployment guides', () => {
  describe('recognised blocks, manifests, files, charts and fragments', () => {
    for (const [name, pinned] of Object.entries(EXPECTED)) {
      it(name, () => {
        const { languages: _l, ...stats } = guideStats(analyseGuide(guide(name), name));
        expect(stats).toEqual(pinned);
      });
    }
  });

  it('diskann-rust: findings point at the lines of the offending keys', async () => {
    const name = 'diskann-rust.md';
    const lines = guide(name).split('\n');
    const report = await runRules([rel(name)], ['plaintext-credential', 'image-tag-latest', 'rwo-volume-shared']);
    const at = (ruleId: string, line: number, key: string, value: RegExp) => {
      const f = report.findings.find((x) => x.ruleId === ruleId && x.line === line);
      expect(f, `${ruleId} at ${name}:${line}`).toBeDefined();
      expect(f!.file).toBe(rel(name));
      expect(lines[line - 1].trim().startsWith(key), `${name}:${line} holds ${key}`).toBe(true);
      expect(lines[line - 1].slice(f!.column - 1)).toMatch(value);
      return f!;
    };
    // The database URL with an inline password in the ConfigMap.
    at('plaintext-credential', 177, 'database_url:', /^"postgresql:\/\/diskann:password@/);
    // The backup CronJob's image.
    expect(at('image-tag-latest', 1235, 'image:', /^diskann-backup:latest/).context).toBe('block at line 1221');
    // A ReadWriteOnce claim mounted by an autoscaled Deployment.
    expect(at('rwo-volume-shared', 439, 'claimName:', /^diskann-index-storage/).context).toBe('virtual file deployments/diskann-deployment.yaml');
  });

  it('llm-schema-registry: two Services pasted into one document are a duplicate key on its line', async () => {
    const name = 'llm-schema-registry.md';
    const report = await runRules([rel(name)], ['duplicate-key']);
    expect(report.findings.length).toBeGreaterThan(0);
    const lines = guide(name).split('\n');
    for (const f of report.findings) {
      expect([740, 741, 742]).toContain(f.line);
      expect(f.column).toBe(1);
      expect(['apiVersion', 'kind', 'metadata']).toContain(lines[f.line - 1].split(':')[0]);
    }
    expect(report.findings[0].line).toBe(740);
  });

  it('akidb-helm: the chart is rebuilt and rendered with its default values and each example values file', async () => {
    const ex = await expandGuide(guide('akidb-helm.md'), 'akidb-helm.md', { cwd: ROOT, helm: {} });
    // The only problem is the values key no template reads (the guide's PodDisruptionBudget block).
    expect(ex.problems.map((p) => [p.problem.kind, p.line])).toEqual([['values-unread', 1612]]);
    const rendered = ex.sources.filter((s) => s.origin === 'helm');
    const runs = [...new Set(rendered.map((s) => s.group))];
    expect(runs).toEqual([
      'md:akidb-helm.md',
      'md:akidb-helm.md#examples/production-values.yaml (line 892)',
      'md:akidb-helm.md#examples/ingress-test-values.yaml (line 1458)',
      'md:akidb-helm.md#examples/hpa-test-values.yaml (line 1496)',
      'md:akidb-helm.md#examples/production-values.yaml (line 1533)',
    ]);
    // Templates switched on by a scenario appear only in it; resourcequota stays off (the guide's "Add to
    // values.yaml" block sets resourceQuota.enabled: false).
    const templatesOf = (g: string) => rendered.filter((s) => s.group === g).map((s) => s.context!.replace(/.*template /, '')).sort();
    expect(templatesOf('md:akidb-helm.md')).not.toContain('helm/akidb/templates/hpa.yaml');
    expect(templatesOf('md:akidb-helm.md#examples/hpa-test-values.yaml (line 1496)')).toContain('helm/akidb/templates/hpa.yaml');
    expect(rendered.some((s) => /resourcequota/.test(s.context ?? ''))).toBe(false);
    // A rendered line maps back to its template line in the guide.
    const dep = rendered.find((s) => s.group === 'md:akidb-helm.md' && /deployment\.yaml$/.test(s.context!))!;
    const lines = dep.text.split('\n');
    const i = lines.findIndex((l) => l.trim() === 'kind: Deployment');
    expect(dep.mapPosition!(i + 1, 1)).toEqual({ file: 'akidb-helm.md', line: 389, column: 1 });
    const claim = lines.findIndex((l) => l.includes('claimName:'));
    expect(dep.mapPosition!(claim + 1, 11).line).toBe(500);
  });

  it('akidb-helm: findings in the rendered chart point into the guide', async () => {
    const name = 'akidb-helm.md';
    const report = await runRules([rel(name)], ['rwo-volume-shared']);
    expect(report.findings.length).toBeGreaterThan(0);
    for (const f of report.findings) {
      expect(f.file).toBe(rel(name));
      expect(f.line).toBe(500);
      expect(f.context).toMatch(/^chart helm\/akidb, .*, template helm\/akidb\/templates\/deployment\.yaml$/);
    }
  });

  it('every finding on every guide lands inside a code block, in every output format', async () => {
    const report = await audit([GUIDES], { cwd: ROOT, config: {} });
    const ranges = new Map<string, [number, number][]>();
    for (const n of fs.readdirSync(GUIDES).filter((f) => f.endsWith('.md'))) {
      ranges.set(rel(n), parseBlocks(guide(n), n).map((b) => [b.line, b.endLine]));
    }
    expect(report.findings.length).toBeGreaterThan(0);
    for (const f of [...report.findings, ...report.suppressed]) {
      const rs = ranges.get(f.file);
      expect(rs, f.file).toBeDefined();
      expect(rs!.some(([s, e]) => f.line > s && f.line <= e), `${f.file}:${f.line} ${f.ruleId}`).toBe(true);
      const text = guide(path.basename(f.file)).split('\n')[f.line - 1];
      expect(f.column, `${f.file}:${f.line}:${f.column} ${f.ruleId}`).toBeLessThanOrEqual(text.length + 1);
    }
    const json = JSON.parse(formatJson(report)) as { findings: { file: string; line: number }[] };
    expect(json.findings.map((f) => `${f.file}:${f.line}`)).toEqual(report.findings.map((f) => `${f.file}:${f.line}`));
    const gh = formatGithub(report).trim().split('\n').filter((l) => l.startsWith('::'));
    expect(gh.length).toBe(report.findings.length);
    const sarif = JSON.parse(formatSarif(report, rules)) as { runs: { results: { locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }[] }[] }[] };
    const lines = sarif.runs[0].results.map((r) => r.locations[0].physicalLocation.region.startLine).sort((a, b) => a - b);
    expect(lines).toEqual([...report.findings, ...report.suppressed].map((f) => f.line).sort((a, b) => a - b));
  });

  it('lints all guides in a few seconds', async () => {
    // CPU time of this process, not wall time: other test files run in parallel on the same cores.
    const t = process.cpuUsage();
    await audit([GUIDES], { cwd: ROOT, config: {} });
    const used = process.cpuUsage(t);
    expect((used.user + used.system) / 1000).toBeLessThan(5000);
  });
});
