/**
 * Markdown guides as input (fixtures/guides/): fences as GitHub renders them, here-documents, file captions,
 * virtual charts rendered and mapped back, classification of excerpts, suppression directives, and the
 * positions every output format reports.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, expectationsOf, runRules } from './harness.js';
import { analyseGuide, guideStats, parseBlocks } from '../src/load/markdown.js';
import { findHeredocs, neutraliseExpansions } from '../src/load/markdown-shell.js';
import { extractGuide } from '../src/load/markdown-extract.js';
import { expandGuide } from '../src/load/markdown-expand.js';
import { formatJson } from '../src/report/json.js';
import { formatGithub } from '../src/report/github.js';
import { cli, tmpdir } from './cli-helpers.js';

const GUIDES = path.join(ROOT, 'fixtures', 'guides');
const RULES = ['duplicate-key', 'syntax-error', 'service-selector-no-match', 'unused-suppression'];
const read = (name: string) => fs.readFileSync(path.join(GUIDES, name), 'utf8');

describe('findings land on the guide lines the fixtures mark', () => {
  for (const name of fs.readdirSync(GUIDES).filter((f) => f.endsWith('.md')).sort()) {
    it(name, async () => {
      const rel = `fixtures/guides/${name}`;
      const { expected } = expectationsOf(read(name));
      // A line that cannot hold a marker (inside JSON) is listed in <guide>.expect as "line: rule".
      const side = path.join(GUIDES, `${name}.expect`);
      if (fs.existsSync(side)) {
        for (const m of fs.readFileSync(side, 'utf8').matchAll(/^(\d+):\s*(\S+)/gm)) expected.push({ line: Number(m[1]), ruleId: m[2] });
      }
      const report = await runRules([rel], RULES);
      const actual = [...new Set(report.findings.map((f) => `${f.file}:${f.line}:${f.ruleId}`))].sort();
      expect(actual).toEqual([...new Set(expected.map((e) => `${rel}:${e.line}:${e.ruleId}`))].sort());
    });
  }
});

describe('fences', () => {
  const blocks = parseBlocks(read('fences.md'), 'fences.md');
  it('finds the blocks CommonMark finds, not the fence inside a longer fence', () => {
    expect(blocks.map((b) => [b.line, b.lang, b.terminated])).toEqual([
      [5, 'yaml', true],
      [17, 'yml', true],
      [31, 'yaml', true],
      [45, 'markdown', true],
      [61, '', true],
      [73, '', true],
      [81, 'yaml', false],
    ]);
    expect(blocks[3].lines).toContain('```yaml');
  });
  it('strips list indentation and keeps it as a per-line column offset', () => {
    const listed = blocks[2];
    expect(listed.lines[0]).toBe('apiVersion: v1');
    expect(listed.lineNo[0]).toBe(32);
    expect(listed.colOffset[0]).toBe(3);
  });
  it('reports the column inside a list item exactly', async () => {
    const report = await runRules(['fixtures/guides/fences.md'], ['duplicate-key']);
    const f = report.findings.find((x) => x.line === 38)!;
    expect(f.column).toBe(6);
    expect(read('fences.md').split('\n')[37].slice(f.column - 1)).toMatch(/^key: two/);
  });
});

describe('here-documents', () => {
  it('reads kubectl, cat | kubectl, cat > file, <<- and helm values here-documents', () => {
    const a = analyseGuide(read('heredocs.md'), 'heredocs.md');
    const docs = a.units.filter((u) => u.origin === 'heredoc');
    expect(docs.map((u) => [u.line, u.category, u.heredoc!.consumer.kind, u.path ?? ''])).toEqual([
      [7, 'manifest', 'kubectl', ''],
      [22, 'manifest', 'kubectl', ''],
      [36, 'manifest', 'file', 'manifests/app-config.yaml'],
      [51, 'manifest', 'kubectl', ''],
      [68, 'values', 'helm-values', ''],
      [78, 'other', 'other', ''],
      [87, 'manifest', 'kubectl', ''],
      [96, 'manifest', 'kubectl', ''],
    ]);
    // Unquoted: expansions neutralised, same length. Quoted: left alone.
    expect(docs[0].text).toContain('name: snapshot-xxxxxxxxxxxxxxx\n');
    expect(docs[1].text).toContain('"$(not expanded)"');
    // <<-: tabs stripped, and counted in the column offset.
    expect(docs[3].text.startsWith('apiVersion: v1\n')).toBe(true);
    expect(docs[3].colOffset[0]).toBe(1);
    expect(docs[4].text).toContain(`replicaCount: ${' '.repeat(8)}1\n`);
  });
  it('knows the ways to hand a here-document to kubectl', () => {
    for (const cmd of ['kubectl apply -f - <<EOF', 'kubectl -n x create -f- <<EOF', 'oc apply --filename=- <<EOF', 'envsubst <<EOF | kubectl apply -f -', '$ cat <<EOF | kubectl replace --force -f -']) {
      expect(findHeredocs([cmd, 'a: 1', 'EOF'])[0].consumer.kind, cmd).toBe('kubectl');
    }
    expect(findHeredocs(['kubectl apply -f app.yaml <<EOF', 'a: 1', 'EOF'])[0].consumer.kind).toBe('other');
  });
  it('ignores a << that finds no delimiter and feeds nothing', () => {
    expect(findHeredocs(['echo "shift with << EOL"', 'kubectl get pods'])).toEqual([]);
    expect(findHeredocs(['kubectl apply -f - <<EOF', 'apiVersion: v1']).map((h) => [h.terminated, h.lines])).toEqual([[false, ['apiVersion: v1']]]);
  });
  it('neutralises expansions with placeholders of the same length', () => {
    for (const l of ['  name: app-$(date +%Y%m%d)', '  image: ${IMAGE:-nginx}:`git rev-parse HEAD`', '  replicas: $REPLICAS', '  x: $1 $? $$ \\$HOME']) {
      const n = neutraliseExpansions(l);
      expect(n.length).toBe(l.length);
      expect(n).not.toMatch(/\$\(|\$\{|`/);
    }
    expect(neutraliseExpansions('  replicas: $REPLICAS')).toBe(`  replicas: ${' '.repeat(8)}1`);
    expect(neutraliseExpansions('  name: app-${ENV}')).toBe('  name: app-xxxxxx');
    expect(neutraliseExpansions('  home: \\$HOME')).toBe('  home: \\$HOME');
  });
  it('finds the command across continuation lines and several here-documents on one line', () => {
    const h = findHeredocs(['helm upgrade app ./chart \\', '  -f - <<EOF', 'a: 1', 'EOF', 'cat <<A <<B', 'x', 'A', 'y', 'B']);
    expect(h.map((x) => [x.consumer.kind, x.lines.join('|'), x.terminated])).toEqual([
      ['helm-values', 'a: 1', true],
      ['other', 'x', true],
      ['other', 'y', true],
    ]);
  });
});

describe('captions, charts and classification', () => {
  it('collects a virtual chart with its values additions and scenarios', () => {
    const a = analyseGuide(read('chart.md'), 'chart.md');
    expect(a.charts).toHaveLength(1);
    const c = a.charts[0];
    expect(c.root).toBe('deploy/web');
    expect([...c.files.keys()].sort()).toEqual(['Chart.yaml', 'templates/deployment.yaml', 'templates/metrics-service.yaml', 'templates/service.yaml', 'values.yaml']);
    // "Add to values.yaml:" appends to the chart's values.yaml, and its lines map to their own block.
    const values = c.files.get('values.yaml')!;
    expect(values.text).toContain('probe:\n  path: /healthz\n');
    expect(values.mapPosition(8, 3)).toEqual({ file: 'chart.md', line: 27, column: 3 });
    expect(c.scenarios.map((s) => s.name)).toEqual(['deploy/examples/production-values.yaml (line 77)', 'values here-document at line 93']);
    expect(a.units.find((u) => u.line === 85)!.category).toBe('values');
  });
  it('applies a directive before a template block to what the template renders, in every scenario', async () => {
    const report = await runRules(['fixtures/guides/chart.md'], RULES);
    expect(new Set(report.suppressed.map((f) => `${f.ruleId}:${f.line}`))).toEqual(new Set(['service-selector-no-match:109']));
    expect(report.findings.filter((f) => f.ruleId === 'unused-suppression')).toEqual([]);
  });
  it('reports a template error (required, fail) at the template line in the guide', async () => {
    const md = ['**File:** `c/Chart.yaml`', '```yaml', 'apiVersion: v2', 'name: c', 'version: 0.1.0', '```', '', '**File:** `c/templates/cm.yaml`', '```yaml', 'apiVersion: v1', 'kind: ConfigMap', 'metadata:', '  name: x', 'data:', '  a: {{ required "set a" .Values.a | quote }}', '```'].join('\n');
    const ex = await expandGuide(md, 'g.md', { cwd: ROOT, helm: {} });
    expect(ex.problems.map((p) => [p.line, p.problem.kind, p.problem.message])).toEqual([[15, 'chart', 'chart c, default values: execution error at (c/templates/cm.yaml:6:8): set a']]);
  });
  it('reports no render error for a chart whose subcharts come from a repository', async () => {
    const md = ['**File:** `c/Chart.yaml`', '```yaml', 'apiVersion: v2', 'name: c', 'version: 0.1.0', 'dependencies:', '- name: postgresql', '  version: 1.0.0', '  repository: https://charts.example.com', '```', '', '**File:** `c/templates/cm.yaml`', '```yaml', 'apiVersion: v1', 'kind: ConfigMap', 'metadata:', '  name: x', 'data:', '  a: {{ .Values.postgresql.auth.username | quote }}', '```'].join('\n');
    expect((await expandGuide(md, 'g.md', { cwd: ROOT, helm: {} })).problems).toEqual([]);
  });
  it('never parses a template as raw YAML', () => {
    const a = analyseGuide(read('chart.md'), 'chart.md');
    expect(a.units.filter((u) => u.category === 'template').map((u) => u.path)).toEqual(['deploy/web/templates/deployment.yaml', 'deploy/web/templates/service.yaml', 'deploy/web/templates/metrics-service.yaml']);
  });
  it('maps findings in rendered templates to the template lines in the guide, per scenario', async () => {
    const report = await runRules(['fixtures/guides/chart.md'], ['service-selector-no-match']);
    // One finding per rendering, or one naming every rendering once the engine merges identical findings.
    expect(new Set(report.findings.map((f) => `${f.line}:${f.column}`))).toEqual(new Set(['66:3']));
    const contexts = report.findings.map((f) => f.context).join(' | ');
    for (const run of ['default values', 'deploy/examples/production-values.yaml (line 77)', 'values here-document at line 93']) expect(contexts).toContain(run);
    expect(contexts).toContain('template deploy/web/templates/service.yaml');
  });
  it('classifies excerpts, other tools and templates instead of flagging them', () => {
    const a = analyseGuide(read('fragments.md'), 'fragments.md');
    expect(a.units.map((u) => [u.line, u.category])).toEqual([
      [5, 'fragment'],
      [14, 'fragment'],
      [23, 'config'],
      [32, 'config'],
      [46, 'config'],
      [55, 'template'],
      [62, 'manifest'],
      [79, 'broken'],
      [90, 'manifest'],
      [102, 'manifest'],
      [115, 'manifest'],
    ]);
  });
  it('shows a bad example without linting it', () => {
    const cat = (intro: string, first = 'apiVersion: v1') => analyseGuide([intro, '```yaml', first, 'apiVersion: v1', 'kind: Namespace', 'metadata:', '  name: n', '```'].join('\n'), 'x.md').units[0].category;
    for (const t of ['**Bad:**', 'Bad example:', '\u274c Wrong', "Don't do this:", '**Insecure (do not use):**']) expect(cat(t), t).toBe('counterexample');
    for (const t of ['### Avoid downtime during upgrades', 'Avoid downtime with this config:', '\u274c Bad / \u2705 Good:', 'The wrong approach is common:']) expect(cat(t), t).toBe('manifest');
    expect(cat('Example:', '# Bad: runs as root')).toBe('counterexample');
    expect(cat('Example:', '# Bad things happen without limits, so set them')).toBe('manifest');
  });
  it('honours <!-- k8s-audit-ignore --> before a block', async () => {
    const report = await runRules(['fixtures/guides/fragments.md'], RULES);
    expect(report.suppressed.map((f) => [f.ruleId, f.line, f.reason])).toEqual([['duplicate-key', 109, 'the guide shows the mistake on purpose']]);
  });
  it('takes a directive before a caption or a one-line lead-in, not one separated by prose', async () => {
    const report = await runRules(['fixtures/guides/suppress.md'], RULES);
    expect(report.suppressed.map((f) => [f.line, f.via, f.reason])).toEqual([
      [15, 'comment', 'kept to show what kubectl rejects'],
      [30, 'comment', 'second example of the same mistake'],
      [42, 'comment', 'the comment form'],
    ]);
  });
  it('counts a directive on a block of several here-documents as used when one of them uses it', async () => {
    const report = await runRules(['fixtures/guides/heredocs.md'], RULES);
    expect(report.suppressed.map((f) => [f.ruleId, f.line])).toEqual([['duplicate-key', 94]]);
    expect(report.findings.filter((f) => f.ruleId === 'unused-suppression')).toEqual([]);
  });
  it('reads captions: bold path, File: label, heading, first-line comment, cat > path', () => {
    const md = [
      '**k8s/a.yaml**:',
      '```yaml',
      'x: 1',
      '```',
      '',
      '### Service (`k8s/b.yml`)',
      '```yaml',
      'x: 1',
      '```',
      '',
      '```yaml',
      '# k8s/c.yaml',
      'x: 1',
      '```',
      '',
      'File: k8s/d.json',
      '```json',
      '{}',
      '```',
      '',
      'Create a file named `k8s/e.yaml` with:',
      '```yaml',
      'x: 1',
      '```',
      '',
      'Save the following as `k8s/f.yaml`:',
      '```yaml',
      'x: 1',
      '```',
      '',
      '```yaml title="k8s/g.yaml"',
      'x: 1',
      '```',
      '',
      '```yml:k8s/h.yml',
      'x: 1',
      '```',
      '',
      'k8s/i.yaml',
      '----------',
      '```yaml',
      'x: 1',
      '```',
      '',
      '**Helm deployment commands**:',
      '```yaml',
      'x: 1',
      '```',
    ].join('\n');
    const a = analyseGuide(md, 'g.md');
    expect(a.units.map((u) => u.path ?? null)).toEqual(['k8s/a.yaml', 'k8s/b.yml', 'k8s/c.yaml', 'k8s/d.json', null, 'k8s/f.yaml', 'k8s/g.yaml', 'k8s/h.yml', 'k8s/i.yaml', null]);
  });
});

describe('stats', () => {
  it('counts blocks, manifests, virtual files, charts and fragments', () => {
    const s = (n: string) => {
      const { blocks, units, heredocs, manifests, virtualFiles, charts, templates, fragments } = guideStats(analyseGuide(read(n), n));
      return { blocks, units, heredocs, manifests, virtualFiles, charts, templates, fragments };
    };
    expect(s('fences.md')).toEqual({ blocks: 7, units: 5, heredocs: 0, manifests: 5, virtualFiles: 0, charts: 0, templates: 0, fragments: 0 });
    expect(s('heredocs.md')).toEqual({ blocks: 7, units: 7, heredocs: 8, manifests: 6, virtualFiles: 1, charts: 0, templates: 0, fragments: 0 });
    expect(s('chart.md')).toEqual({ blocks: 9, units: 9, heredocs: 1, manifests: 0, virtualFiles: 6, charts: 1, templates: 3, fragments: 0 });
    expect(s('fragments.md')).toEqual({ blocks: 11, units: 11, heredocs: 0, manifests: 4, virtualFiles: 0, charts: 0, templates: 1, fragments: 2 });
  });
});

describe('output formats point into the guide', () => {
  it('JSON and GitHub carry the guide line and column', async () => {
    const report = await runRules(['fixtures/guides/heredocs.md'], ['duplicate-key']);
    const json = JSON.parse(formatJson(report)) as { findings: { file: string; line: number; column: number }[] };
    expect(json.findings.map((f) => `${f.file}:${f.line}:${f.column}`)).toEqual(['fixtures/guides/heredocs.md:15:3', 'fixtures/guides/heredocs.md:29:3', 'fixtures/guides/heredocs.md:58:4']);
    const gh = formatGithub(report);
    expect(gh).toContain('file=fixtures/guides/heredocs.md,line=58,col=4,');
    expect(gh).toContain('file=fixtures/guides/heredocs.md,line=15,col=3,');
  });
});

describe('robustness', () => {
  it('reads a guide with mis-encoded bytes', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'md-enc-'));
    const text = Buffer.concat([Buffer.from('# Caf'), Buffer.from([0xe9, 0x0a]), Buffer.from(read('fences.md'))]);
    fs.writeFileSync(path.join(dir, 'g.md'), text);
    const report = await runRules([path.join(dir, 'g.md')], ['duplicate-key', 'unreadable-file']);
    expect(report.findings.map((f) => f.ruleId)).toEqual(Array(5).fill('duplicate-key'));
    expect(report.findings[0].line).toBe(13);
    fs.rmSync(dir, { recursive: true, force: true });
  });
  it('reads the here-documents of a shell session tagged yaml or untagged', () => {
    const md = ['```yaml', 'kubectl apply -f - <<EOF', 'apiVersion: v1', 'kind: Namespace', 'metadata:', '  name: a', 'EOF', '```', '', '```', '$ cat <<EOF | kubectl apply -f -', 'apiVersion: v1', 'kind: Namespace', 'metadata:', '  name: b', 'EOF', '```'].join('\n');
    const a = analyseGuide(md, 's.md');
    expect(a.units.map((u) => [u.origin, u.category, u.lineNo[0]])).toEqual([
      ['heredoc', 'manifest', 3],
      ['heredoc', 'manifest', 12],
    ]);
  });
  it('keeps a manifest whose embedded script writes a here-document a manifest', () => {
    const md = ['```yaml', 'apiVersion: v1', 'kind: Pod', 'metadata:', '  name: p', 'spec:', '  containers:', '  - name: c', '    image: busybox:1.36', '    command: [sh, -c]', '    args:', '    - |', '      cat <<EOF > /tmp/x.yaml', '      a: 1', '      EOF', '```'].join('\n');
    expect(analyseGuide(md, 'p.md').units.map((u) => [u.origin, u.category])).toEqual([['block', 'manifest']]);
  });
  it('gives envsubst placeholders in a YAML block a same-length placeholder, and extract keeps them', () => {
    const md = ['**File:** `k8s/app.yaml`', '```yaml', 'apiVersion: apps/v1', 'kind: Deployment', 'metadata:', '  name: app-${ENV}', 'spec:', '  replicas: ${REPLICAS}', '```'].join('\n');
    const a = analyseGuide(md, 'e.md');
    expect(a.units[0].text).toContain('  name: app-xxxxxx\n');
    expect(a.units[0].text).toContain(`  replicas: ${' '.repeat(10)}1\n`);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'md-env-'));
    extractGuide(md, 'e.md', dir);
    expect(fs.readFileSync(path.join(dir, 'k8s/app.yaml'), 'utf8')).toContain('name: app-${ENV}');
    fs.rmSync(dir, { recursive: true, force: true });
  });
  it('takes template syntax that breaks the YAML for a template, not a broken manifest', () => {
    const md = ['```yaml', 'apiVersion: v1', 'kind: ConfigMap', 'metadata:', '  name: {{ name }}', '  labels: {{ labels | to_yaml }}', '```'].join('\n');
    expect(analyseGuide(md, 't.md').units.map((u) => u.category)).toEqual(['template']);
  });
  it('reads an indented code block that holds an object', () => {
    const a = analyseGuide('Text\n\n    apiVersion: v1\n    kind: Namespace\n    metadata:\n      name: ns\n', 'i.md');
    expect(a.units.map((u) => [u.category, u.lineNo[0], u.colOffset[0]])).toEqual([['manifest', 3, 4]]);
  });
  it('survives odd input', () => {
    for (const t of ['', '```', '```yaml\n', '~~~\n---\n...\n', '```bash\ncat <<EOF\n', '    apiVersion: v1\n    kind: Pod\n', '\r\n```yaml\r\na: 1\r\n```\r\n']) {
      expect(() => guideStats(analyseGuide(t, 'x.md'))).not.toThrow();
    }
  });
});

describe('extract', () => {
  it('writes virtual files and manifests', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'md-extract-'));
    const written = extractGuide(read('heredocs.md'), 'heredocs.md', dir);
    expect(written.map((w) => w.path).sort()).toEqual(['manifests/app-config.yaml', 'manifests/heredocs/here-document-line-22.yaml', 'manifests/heredocs/here-document-line-51.yaml', 'manifests/heredocs/here-document-line-7.yaml', 'manifests/heredocs/here-document-line-87.yaml', 'manifests/heredocs/here-document-line-96.yaml']);
    expect(fs.readFileSync(path.join(dir, 'manifests/app-config.yaml'), 'utf8')).toContain('name: app-config');
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

describe('command line', () => {
  it('k8s-audit extract guide.md --out dir/ writes the files and says what the guide holds', () => {
    const dir = tmpdir();
    const r = cli(['extract', 'fixtures/guides/chart.md', '--out', dir]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/6 files written to .* \(the guide has 9 code blocks: 0 Kubernetes objects, 6 named files, 1 chart, 3 templates, 0 excerpts\)/);
    expect(fs.readFileSync(path.join(dir, 'deploy/web/values.yaml'), 'utf8')).toBe(read('chart.md').split('\n').slice(14, 20).join('\n') + '\n' + 'probe:\n  path: /healthz\n');
    fs.rmSync(dir, { recursive: true, force: true });
  });
  it('extract without --out is a usage error', () => {
    const r = cli(['extract', 'fixtures/guides/chart.md']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--out/);
  });
  it('lints guides with positions in the guide (GitHub annotations)', () => {
    const r = cli(['fixtures/guides/heredocs.md', '--format', 'github', '--rule', 'duplicate-key=error', '--profile', 'recommended']);
    expect(r.stdout).toContain('::error file=fixtures/guides/heredocs.md,line=15,col=3,');
    expect(r.stderr).toBe('');
  });
});
