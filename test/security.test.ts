/**
 * Scanning an untrusted tree: nothing in it may make k8s-audit run a program, or read or write outside it.
 * Each case puts a canary file outside the scanned tree (its text must never reach a report) and, where a
 * program could be run, a canary program that records that it ran (it must never run).
 */
import fs from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import dns from 'node:dns';
import { describe, expect, it, afterEach } from 'vitest';
import { audit } from '../src/engine/run.js';
import { runAction } from '../src/action.js';
import { renderChart } from '../src/render/helm/index.js';
import { extractGuide } from '../src/load/markdown-extract.js';
import { cli, tmpdir } from './cli-helpers.js';

const SECRET = 'CANARY-SECRET-7f3a9c';
const CANARY_YAML = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: leaked\ndata:\n  token: ${SECRET}\n`;
const CHART_YAML = 'apiVersion: v2\nname: c\nversion: 0.1.0\n';

const made: string[] = [];
afterEach(() => {
  for (const d of made.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

/** A workspace: `outside/` holds the canaries, `repo/` is the scanned tree. */
function workspace(files: Record<string, string | Buffer>): { base: string; repo: string; outside: string; ranMarker: string } {
  const base = tmpdir();
  made.push(base);
  const repo = path.join(base, 'repo');
  const outside = path.join(base, 'outside');
  fs.mkdirSync(outside, { recursive: true });
  fs.writeFileSync(path.join(outside, 'canary.txt'), `${SECRET}\n`);
  fs.writeFileSync(path.join(outside, 'canary.yaml'), CANARY_YAML);
  const ranMarker = path.join(outside, 'ran');
  for (const [name, content] of Object.entries(files)) {
    const p = path.join(repo, name);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, content);
  }
  // The canary program: writes a marker outside the tree when run.
  const prog = path.join(repo, 'tools', 'helm');
  fs.mkdirSync(path.dirname(prog), { recursive: true });
  fs.writeFileSync(prog, `#!/bin/sh\necho ran > '${ranMarker}'\nexit 0\n`, { mode: 0o755 });
  return { base, repo, outside, ranMarker };
}

function link(target: string, at: string): void {
  fs.mkdirSync(path.dirname(at), { recursive: true });
  fs.symlinkSync(target, at);
}

/** Everything a report can print, in one string: no canary text may appear in it. */
function everything(report: unknown): string {
  return JSON.stringify(report);
}

function unsafe(report: Awaited<ReturnType<typeof audit>>): string[] {
  return report.findings.filter((f) => f.ruleId === 'unsafe-input').map((f) => `${f.file}:${f.line}`);
}

/** A ustar archive of the given members (name -> content), gzipped like `helm package`. */
function tgz(members: Record<string, string | Buffer>): Buffer {
  const blocks: Buffer[] = [];
  for (const [name, content] of Object.entries(members)) {
    const data = Buffer.isBuffer(content) ? content : Buffer.from(content);
    const h = Buffer.alloc(512);
    h.write(name, 0, 100, 'utf8');
    h.write('0000644\0', 100);
    h.write('0000000\0', 108);
    h.write('0000000\0', 116);
    h.write(data.length.toString(8).padStart(11, '0') + '\0', 124);
    h.write('00000000000\0', 136);
    h.write('        ', 148);
    h.write('0', 156);
    h.write('ustar\0', 257);
    h.write('00', 263);
    let sum = 0;
    for (const b of h) sum += b;
    h.write(sum.toString(8).padStart(6, '0') + '\0 ', 148);
    blocks.push(h, data, Buffer.alloc((512 - (data.length % 512)) % 512));
  }
  blocks.push(Buffer.alloc(1024));
  return gzipSync(Buffer.concat(blocks));
}

describe('a configuration found in the scanned tree', () => {
  it('cannot make the GitHub Action run a program (helm.binary), and the attempt is reported at its line', async () => {
    const w = workspace({
      '.k8s-audit.yaml': 'rules:\n  image-tag-latest: warning\nhelm:\n  binary: ./tools/helm\n',
      'chart/Chart.yaml': CHART_YAML,
      'chart/templates/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\n',
    });
    const out: string[] = [];
    const code = await runAction({ env: { INPUT_PATHS: '.', 'INPUT_FAIL-ON': 'none', INPUT_SUMMARY: 'false' }, cwd: w.repo, stdout: (s) => out.push(s) });
    expect(code).toBe(0);
    expect(fs.existsSync(w.ranMarker)).toBe(false);
    // The chart was rendered by the built-in renderer instead: its ConfigMap was linted.
    expect(out.join('')).toContain('.k8s-audit.yaml,line=4');
    expect(out.join('')).toMatch(/helm\.binary.*ignored/);
  });

  it('cannot make the CLI run a program either, while the command line and an explicit --config can', async () => {
    const w = workspace({
      '.k8s-audit.yaml': 'helm:\n  binary: ./tools/helm\n',
      'chart/Chart.yaml': CHART_YAML,
      'chart/templates/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\n',
    });
    const found = cli(['chart', '--format', 'json'], { cwd: w.repo });
    expect(fs.existsSync(w.ranMarker)).toBe(false);
    const findings = JSON.parse(found.stdout).findings as { ruleId: string; file: string; line: number }[];
    expect(findings.filter((f) => f.ruleId === 'unsafe-input').map((f) => `${f.file}:${f.line}`)).toEqual(['.k8s-audit.yaml:2']);
    // Library use: audit() with the discovered file, the same.
    const report = await audit(['chart'], { cwd: w.repo });
    expect(unsafe(report)).toEqual(['.k8s-audit.yaml:2']);
    expect(fs.existsSync(w.ranMarker)).toBe(false);
    // Trusted sources still work: the flag, and a config the caller names.
    cli(['chart', '--helm-binary', './tools/helm'], { cwd: w.repo });
    expect(fs.existsSync(w.ranMarker)).toBe(true);
    fs.rmSync(w.ranMarker);
    const explicit = cli(['chart', '--config', '.k8s-audit.yaml', '--format', 'json'], { cwd: w.repo });
    expect(fs.existsSync(w.ranMarker)).toBe(true);
    expect(JSON.parse(explicit.stdout).findings.filter((f: { ruleId: string }) => f.ruleId === 'unsafe-input')).toEqual([]);
  });

  it('cannot make k8s-audit read a values file outside the project', async () => {
    const w = workspace({
      '.k8s-audit.yaml': 'helm:\n  values:\n    - ../outside/canary.yaml\n    - prod.yaml\n',
      'prod.yaml': 'replicas: 2\n',
      'chart/Chart.yaml': CHART_YAML,
      'chart/templates/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\ndata:\n  v: {{ .Values | toJson | quote }}\n',
    });
    const report = await audit(['chart'], { cwd: w.repo });
    expect(unsafe(report)).toEqual(['.k8s-audit.yaml:3']);
    expect(everything(report)).not.toContain(SECRET);
    // The render command follows the same rule.
    const r = cli(['render', 'chart'], { cwd: w.repo });
    expect(r.stdout).not.toContain(SECRET);
    expect(r.stdout).toContain('replicas'); // prod.yaml, inside the project, was read
    expect(r.stderr).toMatch(/\.k8s-audit\.yaml:3:7: warning: .*not read/);
  });
});

describe('symbolic links', () => {
  it('a manifest or guide that links out of the tree is reported, not read', async () => {
    const w = workspace({ 'ok.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ok\n' });
    link(path.join(w.outside, 'canary.yaml'), path.join(w.repo, 'leak.yaml'));
    link('../../outside/canary.txt', path.join(w.repo, 'docs', 'guide.md'));
    link('inside.yaml', path.join(w.repo, 'loop.yaml'));
    link('loop.yaml', path.join(w.repo, 'inside.yaml'));
    link('ok.yaml', path.join(w.repo, 'alias.yaml'));
    const report = await audit(['.'], { cwd: w.repo, config: {} });
    expect(everything(report)).not.toContain(SECRET);
    expect(unsafe(report).sort()).toEqual(['docs/guide.md:1', 'leak.yaml:1']);
    // A link loop is an unreadable file, reported and skipped; a link inside the tree is the file itself.
    expect(report.findings.filter((f) => f.ruleId === 'unreadable-file').map((f) => f.file).sort()).toEqual(['inside.yaml', 'loop.yaml']);
    expect(report.summary.resources).toBe(1);
  });

  it('a chart file, values file or ci/ scenario that links out of the tree is not read', async () => {
    const w = workspace({
      'chart/Chart.yaml': CHART_YAML,
      'chart/values.yaml': 'a: 1\n',
      'chart/templates/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\ndata:\n  f: {{ .Files.Get "files/creds" | quote }}\n  g: {{ range $p, $_ := .Files.Glob "files/*" }}{{ $p }} {{ end }}\n',
    });
    link(path.join(w.outside, 'canary.txt'), path.join(w.repo, 'chart', 'files', 'creds'));
    link(path.join(w.outside, 'canary.yaml'), path.join(w.repo, 'chart', 'ci', 'prod-values.yaml'));
    link(path.join(w.outside, 'canary.yaml'), path.join(w.repo, 'chart', 'templates', 'stolen.yaml'));
    link(w.outside, path.join(w.repo, 'chart', 'files', 'dir'));
    link('.', path.join(w.repo, 'chart', 'files', 'self'));
    const report = await audit(['.'], { cwd: w.repo, config: {} });
    expect(everything(report)).not.toContain(SECRET);
    expect(unsafe(report).sort()).toEqual(['chart/ci/prod-values.yaml:1', 'chart/files/creds:1', 'chart/files/dir:1', 'chart/templates/stolen.yaml:1']);
    // The loop (files/self -> .) ends; the chart still renders and its ConfigMap is linted.
    expect(report.summary.resources).toBe(1);
  });
});

describe('templates and chart metadata', () => {
  it('.Files.Get / .Files.Glob / .Files.Lines with ".." or an absolute path get nothing and are reported at the call', async () => {
    const w = workspace({
      'chart/Chart.yaml': CHART_YAML,
      'chart/templates/cm.yaml': [
        'apiVersion: v1',
        'kind: ConfigMap',
        'metadata:',
        '  name: cm',
        'data:',
        '  a: {{ .Files.Get "../../outside/canary.txt" | quote }}',
        `  b: {{ .Files.Get "${'/'}etc/hostname" | quote }}`,
        '  c: {{ range .Files.Lines "files/../../../outside/canary.txt" }}{{ . }}{{ end }}',
        '  d: {{ range $p, $_ := .Files.Glob "../**" }}{{ $p }}{{ end }}',
        '  e: {{ .Files.Get "files/ok.txt" | quote }}',
      ].join('\n'),
      'chart/files/ok.txt': 'fine',
    });
    const report = await audit(['chart'], { cwd: w.repo, config: {} });
    expect(everything(report)).not.toContain(SECRET);
    expect(report.findings.filter((f) => f.ruleId === 'unsafe-input').map((f) => `${f.line}:${f.column}`)).toEqual(['6:15', '7:15', '8:21', '9:31']);
    const r = renderChart(path.join(w.repo, 'chart'), { root: w.repo });
    expect(r.templates[0].text).toContain('e: "fine"');
  });

  it('a file:// dependency that climbs out of the tree is reported at its line and never read', async () => {
    const w = workspace({
      'chart/Chart.yaml': `${CHART_YAML}dependencies:\n  - name: lib\n    version: 1.0.0\n    repository: file://../sibling\n  - name: evil\n    version: 1.0.0\n    repository: file://../../outside\n`,
      'chart/charts/lib/Chart.yaml': 'apiVersion: v2\nname: lib\nversion: 1.0.0\n',
      'chart/charts/evil/Chart.yaml': 'apiVersion: v2\nname: evil\nversion: 1.0.0\n',
      'sibling/Chart.yaml': 'apiVersion: v2\nname: lib\nversion: 1.0.0\n',
    });
    fs.writeFileSync(path.join(w.outside, 'Chart.yaml'), `apiVersion: v2\nname: evil\nversion: 1.0.0\ndescription: ${SECRET}\n`);
    // The scanned tree is the repository: ../sibling is inside it, ../../outside is not.
    const report = await audit(['.'], { cwd: w.repo, config: {} });
    expect(everything(report)).not.toContain(SECRET);
    expect(report.findings.filter((f) => f.ruleId === 'unsafe-input').map((f) => `${f.file}:${f.line}`)).toEqual(['chart/Chart.yaml:10']);
    // evil is vendored under charts/ and that copy is what was read: the message says so, not "it was not read"
    const msg = report.findings.find((f) => f.ruleId === 'unsafe-input')!.message;
    expect(msg).toContain('file://../../outside was not read; the copy vendored under charts/evil was read and linted in its place');
    expect(msg).not.toContain('vendor it under charts/');
  });

  it('a file:// dependency outside the tree that is not vendored is reported as not read, with the remedy', async () => {
    const w = workspace({
      'chart/Chart.yaml': `${CHART_YAML}dependencies:\n  - name: evil\n    version: 1.0.0\n    repository: file://../../outside\n`,
    });
    const report = await audit(['.'], { cwd: w.repo, config: {} });
    const msg = report.findings.find((f) => f.ruleId === 'unsafe-input')?.message;
    expect(msg).toContain('it was not read (vendor it under charts/ to have it linted)');
  });

  it('values.schema.json $refs to a URL or an outside file are not followed, and are reported at their line', async () => {
    const schema = JSON.stringify(
      {
        type: 'object',
        properties: {
          a: { $ref: '#/definitions/n' },
          b: { $ref: 'https://canary.invalid/schema.json' },
          c: { $ref: 'file:///etc/passwd' },
          d: { $ref: '../../outside/canary.json#/x' },
        },
        definitions: { n: { type: 'integer' } },
      },
      null,
      2,
    );
    const w = workspace({ 'chart/Chart.yaml': CHART_YAML, 'chart/values.yaml': 'a: 1\n', 'chart/values.schema.json': schema, 'chart/templates/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\n' });
    fs.writeFileSync(path.join(w.outside, 'canary.json'), JSON.stringify({ x: { type: 'string', description: SECRET } }));
    const realFetch = globalThis.fetch;
    let fetched = 0;
    globalThis.fetch = (async () => {
      fetched++;
      throw new Error('no network');
    }) as typeof fetch;
    try {
      const report = await audit(['chart'], { cwd: w.repo, config: {} });
      expect(everything(report)).not.toContain(SECRET);
      expect(report.findings.filter((f) => f.ruleId === 'unsafe-input').map((f) => `${f.file}:${f.line}`)).toEqual(['chart/values.schema.json:8', 'chart/values.schema.json:11', 'chart/values.schema.json:14']);
      expect(fetched).toBe(0);
    } finally {
      globalThis.fetch = realFetch;
    }
  });

  it('lookup and getHostByName reach no cluster and no DNS server', async () => {
    const w = workspace({
      'chart/Chart.yaml': CHART_YAML,
      'chart/templates/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\ndata:\n  ip: {{ getHostByName "canary.invalid" | quote }}\n  l: {{ lookup "v1" "Secret" "kube-system" "x" | toJson | quote }}\n',
    });
    const calls: string[] = [];
    const orig = { lookup: dns.lookup, resolve: dns.resolve, resolve4: dns.resolve4 };
    dns.lookup = ((...a: unknown[]) => calls.push(String(a[0]))) as unknown as typeof dns.lookup;
    dns.resolve = ((...a: unknown[]) => calls.push(String(a[0]))) as unknown as typeof dns.resolve;
    dns.resolve4 = ((...a: unknown[]) => calls.push(String(a[0]))) as unknown as typeof dns.resolve4;
    try {
      const r = renderChart(path.join(w.repo, 'chart'), { root: w.repo });
      expect(r.errors).toEqual([]);
      expect(r.templates[0].text).toContain('ip: ""');
      expect(r.templates[0].text).toContain('l: "{}"');
    } finally {
      Object.assign(dns, orig);
    }
    expect(calls).toEqual([]);
  });
});

describe('packaged charts (.tgz)', () => {
  it('an archive member that climbs out (zip-slip) is refused and nothing is written anywhere', async () => {
    const w = workspace({});
    fs.mkdirSync(w.repo, { recursive: true });
    fs.writeFileSync(
      path.join(w.repo, 'c-0.1.0.tgz'),
      tgz({
        'c/Chart.yaml': CHART_YAML,
        'c/templates/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\n',
        'c/../../outside/written.yaml': CANARY_YAML,
        '/tmp/k8s-audit-zip-slip-canary.yaml': CANARY_YAML,
      }),
    );
    const before = fs.readdirSync(w.outside).sort();
    const report = await audit(['c-0.1.0.tgz'], { cwd: w.repo, config: {} });
    expect(fs.readdirSync(w.outside).sort()).toEqual(before);
    expect(fs.existsSync('/tmp/k8s-audit-zip-slip-canary.yaml')).toBe(false);
    expect(everything(report)).not.toContain(SECRET);
    expect(report.findings.filter((f) => f.ruleId === 'unsafe-input').map((f) => f.message)).toEqual([
      expect.stringContaining('"/tmp/k8s-audit-zip-slip-canary.yaml" was not read: its path leaves the archive'),
      expect.stringContaining('"c/../../outside/written.yaml" was not read: its path leaves the archive'),
    ]);
    expect(report.summary.resources).toBe(1);
  });

  it('a decompression bomb is refused within Helm\'s limit, with a finding, and the run goes on', async () => {
    const w = workspace({ 'ok.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ok\n' });
    // 120 MiB of zeros gzip to about 120 KiB: over the 100 MiB a chart may unpack to.
    const bomb = tgz({ 'c/Chart.yaml': CHART_YAML, 'c/templates/big.yaml': Buffer.alloc(120 * 1024 * 1024, 0x20) });
    expect(bomb.length).toBeLessThan(1024 * 1024);
    fs.writeFileSync(path.join(w.repo, 'c-0.1.0.tgz'), bomb);
    const report = await audit(['c-0.1.0.tgz', 'ok.yaml'], { cwd: w.repo, config: {} });
    const bombFinding = report.findings.find((f) => f.file === 'c-0.1.0.tgz');
    expect(bombFinding?.message).toMatch(/more than Helm's 100 MiB limit/);
    expect(report.summary.resources).toBe(1);
  });

  it('one member over Helm\'s per-file limit is not read', () => {
    const w = workspace({});
    fs.mkdirSync(w.repo, { recursive: true });
    const file = path.join(w.repo, 'c-0.1.0.tgz');
    fs.writeFileSync(file, tgz({ 'c/Chart.yaml': CHART_YAML, 'c/files/huge.bin': Buffer.alloc(6 * 1024 * 1024, 0x41), 'c/templates/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\n' }));
    const r = renderChart(file, { root: w.repo });
    expect(r.refused?.map((x) => x.message)).toEqual([expect.stringContaining('"c/files/huge.bin" was not read: it unpacks to 6291456 bytes')]);
    expect(r.templates.map((t) => t.template)).toEqual(['c/templates/cm.yaml']);
  });
});

describe('guides', () => {
  it('extract --out writes nothing through a link out of the output directory, and says which file it refused', () => {
    const w = workspace({
      'guide.md': ['# Guide', '', '**File:** `k8s/app.yaml`', '', '```yaml', 'apiVersion: v1', 'kind: ConfigMap', 'metadata:', '  name: a', '```', ''].join('\n'),
    });
    const out = path.join(w.repo, 'out');
    link(w.outside, path.join(out, 'k8s'));
    const refused: { path: string; line: number; reason: string }[] = [];
    extractGuide(fs.readFileSync(path.join(w.repo, 'guide.md'), 'utf8'), 'guide.md', out, refused);
    expect(fs.existsSync(path.join(w.outside, 'app.yaml'))).toBe(false);
    expect(refused.map((r) => [r.path, r.line])).toEqual([['k8s/app.yaml', 5]]);
    const r = cli(['extract', 'guide.md', '--out', 'out'], { cwd: w.repo });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('guide.md:5: not written: refusing to write "k8s/app.yaml"');
    expect(fs.existsSync(path.join(w.outside, 'app.yaml'))).toBe(false);
  });

  it('extract --out keeps captions such as ../../x and /etc/x inside the output directory', () => {
    const w = workspace({
      'guide.md': ['**File:** `../../escape.yaml`', '', '```yaml', 'apiVersion: v1', 'kind: ConfigMap', 'metadata:', '  name: a', '```', '', '**File:** `/etc/k8s-audit-canary.yaml`', '', '```yaml', 'apiVersion: v1', 'kind: ConfigMap', 'metadata:', '  name: b', '```', ''].join('\n'),
    });
    const out = path.join(w.repo, 'deep', 'out');
    const r = cli(['extract', 'guide.md', '--out', out], { cwd: w.repo });
    expect(r.code).toBe(0);
    expect(fs.existsSync(path.join(w.repo, 'escape.yaml'))).toBe(false);
    expect(fs.existsSync('/etc/k8s-audit-canary.yaml')).toBe(false);
    const written = r.stdout.split('\n').filter((l) => l.includes('\t')).map((l) => path.resolve(w.repo, l.split('\t')[0]));
    expect(written.length).toBe(2);
    for (const f of written) expect(f.startsWith(out + path.sep)).toBe(true);
  });

  it('a guide chart whose .Files.Get climbs out is reported at the guide line', async () => {
    const w = workspace({
      'guide.md': [
        '# Chart',
        '',
        '**File:** `mychart/Chart.yaml`',
        '```yaml',
        'apiVersion: v2',
        'name: mychart',
        'version: 0.1.0',
        '```',
        '',
        '**File:** `mychart/templates/cm.yaml`',
        '```yaml',
        'apiVersion: v1',
        'kind: ConfigMap',
        'metadata:',
        '  name: cm',
        'data:',
        '  a: {{ .Files.Get "../../../../outside/canary.txt" | quote }}',
        '```',
        '',
      ].join('\n'),
    });
    const report = await audit(['guide.md'], { cwd: w.repo, config: {} });
    expect(everything(report)).not.toContain(SECRET);
    expect(unsafe(report)).toEqual(['guide.md:17']);
  });
});

describe('kustomize', () => {
  it('a base, resource, patch, generator file or kustomization that links out of the tree is refused, and no env var is read', async () => {
    const w = workspace({
      'overlay/kustomization.yaml': 'resources:\n  - ../base\n  - leak.yaml\npatches:\n  - path: patch.yaml\nconfigMapGenerator:\n  - name: cfg\n    files:\n      - stolen.txt\n    envs:\n      - app.env\n',
      'overlay/app.env': 'HOME\nK8S_AUDIT_CANARY_ENV\n',
    });
    link(path.join(w.outside, 'canary.yaml'), path.join(w.repo, 'overlay', 'leak.yaml'));
    link(path.join(w.outside, 'canary.yaml'), path.join(w.repo, 'overlay', 'patch.yaml'));
    link(path.join(w.outside, 'canary.txt'), path.join(w.repo, 'overlay', 'stolen.txt'));
    fs.mkdirSync(path.join(w.repo, 'base'));
    link(path.join(w.outside, 'canary.yaml'), path.join(w.repo, 'base', 'kustomization.yaml'));
    process.env.K8S_AUDIT_CANARY_ENV = SECRET;
    try {
      const report = await audit(['overlay'], { cwd: w.repo, config: {} });
      expect(everything(report)).not.toContain(SECRET);
      expect(report.findings.filter((f) => f.ruleId === 'unsafe-input').length).toBeGreaterThanOrEqual(5);
    } finally {
      delete process.env.K8S_AUDIT_CANARY_ENV;
    }
  });
});
