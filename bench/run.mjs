#!/usr/bin/env node
// npm run bench: start-up on one small file, and end-to-end throughput (MB/s, resources/s) of the CLI on
// ../shared/corpus/real/installs and on generated repositories of 2,500 and 10,000 small resources; CPU time,
// resources per CPU second and peak memory on generated repositories of 1,000, 10,000 and 50,000 resources with
// cross references (bench/generate.mjs). Wall times are medians over several runs of the built CLI (run
// `npm run build` first).
//
//   node bench/run.mjs --sets            only the generated 1k/10k/50k sets
//   K8S_AUDIT_BENCH_BASELINE=/other/checkout/bin/k8s-audit.js node bench/run.mjs --sets
//                                        the same sets, that build's runs interleaved with this one's (before/after)
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generate as generateApps } from './generate.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = path.join(root, 'bin', 'k8s-audit.js');
const shared = path.resolve(root, '..', 'shared');

function run(args, cwd = root) {
  const t = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [bin, ...args], { cwd, encoding: 'utf8', maxBuffer: 512 * 1024 * 1024, env: { ...process.env, NO_COLOR: '1' } });
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  if (r.status !== 0 && r.status !== 1) throw new Error(`k8s-audit ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return { ms, stdout: r.stdout };
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function timed(args, n, cwd) {
  run(args, cwd); // warm the file cache
  const times = [];
  let last;
  for (let i = 0; i < n; i++) {
    last = run(args, cwd);
    times.push(last.ms);
  }
  return { ms: median(times), min: Math.min(...times), stdout: last.stdout };
}

function bytesOf(dir) {
  let total = 0;
  const walk = (d) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.(ya?ml|json)$/.test(e.name)) total += fs.statSync(p).size;
    }
  };
  walk(dir);
  return total;
}

function generate(count) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `k8s-audit-bench-${count}-`));
  const perFile = 10;
  for (let f = 0; f < count / perFile; f++) {
    const docs = [];
    for (let i = 0; i < perFile; i++) {
      const n = `app-${f}-${i}`;
      const kind = i % 3;
      if (kind === 0) {
        docs.push(`apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${n}\n  namespace: ns-${f % 20}\n  labels:\n    app: ${n}\nspec:\n  replicas: 2\n  selector:\n    matchLabels:\n      app: ${n}\n  template:\n    metadata:\n      labels:\n        app: ${n}\n    spec:\n      containers:\n      - name: main\n        image: registry.example.com/${n}:1.0.${i}\n        ports:\n        - containerPort: 8080\n          name: http\n        resources:\n          requests:\n            cpu: 100m\n            memory: 128Mi\n          limits:\n            memory: 256Mi\n`);
      } else if (kind === 1) {
        docs.push(`apiVersion: v1\nkind: Service\nmetadata:\n  name: ${n}\n  namespace: ns-${f % 20}\nspec:\n  selector:\n    app: app-${f}-${i - 1}\n  ports:\n  - name: http\n    port: 80\n    targetPort: http\n`);
      } else {
        docs.push(`apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${n}\n  namespace: ns-${f % 20}\ndata:\n  LOG_LEVEL: info\n  FEATURE_FLAGS: "a,b,c"\n`);
      }
    }
    fs.writeFileSync(path.join(dir, `file-${f}.yaml`), docs.join('---\n'));
  }
  return dir;
}

const rows = [];

// Node's own start is the floor under every row. An environment that sets NODE_EXTRA_CA_CERTS makes every
// Node process read and parse that certificate bundle before any of its code runs (about 80 ms on this
// sandbox, which sets it): shown separately, and the render comparison below is given both ways.
const extraCa = process.env.NODE_EXTRA_CA_CERTS;
const envWithoutCa = { ...process.env };
delete envWithoutCa.NODE_EXTRA_CA_CERTS;
/** Wall time of one run of a program, its output discarded. */
function timeSpawn(cmd, args, env) {
  const t = process.hrtime.bigint();
  spawnSync(cmd, args, { stdio: 'ignore', env });
  return Number(process.hrtime.bigint() - t) / 1e6;
}
function nodeStart(env) {
  const times = [];
  for (let i = 0; i < 16; i++) {
    const ms = timeSpawn(process.execPath, ['-e', '0'], env);
    if (i > 0) times.push(ms);
  }
  return median(times);
}
rows.push([`node -e 0 (Node's own start)${extraCa ? ', NODE_EXTRA_CA_CERTS set as here' : ''}`, `${nodeStart(process.env).toFixed(0)} ms`, 'the floor']);
if (extraCa) rows.push(['node -e 0 without NODE_EXTRA_CA_CERTS', `${nodeStart(envWithoutCa).toFixed(0)} ms`, '']);

// Generated repositories with cross references (bench/generate.mjs, written to a temp dir now): CPU time of the
// CLI process (user + system, from process.resourceUsage in the child, bench/usage.cjs: the machine is shared,
// so wall time says more about the neighbours than about k8s-audit), resources per CPU second and the
// child's peak resident memory. Medians of paired runs; with K8S_AUDIT_BENCH_BASELINE (another build's
// bin/k8s-audit.js) the two builds run interleaved, so both see the same load, and their findings are compared.
const usageFile = path.join(os.tmpdir(), `k8s-audit-bench-usage-${process.pid}.json`);
const baseline = process.env.K8S_AUDIT_BENCH_BASELINE ? path.resolve(process.env.K8S_AUDIT_BENCH_BASELINE) : null;
/** One run of a CLI (`cliBin`) on `dir`: its CPU time, peak memory and sorted findings. */
function cpuRun(cliBin, dir) {
  const r = spawnSync(process.execPath, ['--require', path.join(root, 'bench', 'usage.cjs'), cliBin, '--format', 'json', '.'], {
    cwd: dir,
    encoding: 'utf8',
    maxBuffer: 1024 * 1024 * 1024,
    env: { ...process.env, NO_COLOR: '1', K8S_AUDIT_BENCH_USAGE: usageFile },
  });
  if (r.status !== 0 && r.status !== 1) throw new Error(`${cliBin} on ${dir} exited ${r.status}: ${r.stderr}`);
  const usage = JSON.parse(fs.readFileSync(usageFile, 'utf8'));
  const report = JSON.parse(r.stdout);
  const findings = report.findings.map((f) => `${f.ruleId}\t${f.file}\t${f.line}\t${f.message}`).sort().join('\n');
  return { ...usage, resources: report.summary.resources, findings };
}
function generatedSet(count, runs) {
  const dir = generateApps(count);
  const builds = baseline ? [['before', baseline], ['after', bin]] : [['', bin]];
  const samples = new Map(builds.map(([name]) => [name, []]));
  bytesOf(dir); // read the tree once: the first run does not pay for a cold file cache
  for (let i = 0; i < runs; i++) for (const [name, cli] of builds) samples.get(name).push(cpuRun(cli, dir));
  const mib = (kib) => `${(kib / 1024).toFixed(0)} MiB`;
  for (const [name] of builds) {
    const s = samples.get(name);
    const cpu = median(s.map((x) => x.cpuMs));
    const rss = Math.max(...s.map((x) => x.maxRssKiB));
    const resources = s[0].resources;
    rows.push([
      `generated apps, ${count.toLocaleString('en')} resources${name ? ` (${name})` : ''}`,
      `${(bytesOf(dir) / 1e6).toFixed(1)} MB: ${(cpu / 1000).toFixed(2)} s CPU (median of ${runs}), ${Math.round(resources / (cpu / 1000))} resources/CPU s, peak ${mib(rss)} (${(rss / resources).toFixed(1)} KiB/resource)`,
      '',
    ]);
  }
  if (baseline) {
    const same = samples.get('before')[0].findings === samples.get('after')[0].findings;
    rows.push([`  findings before and after, ${count.toLocaleString('en')}`, same ? 'identical' : 'DIFFER', '']);
  }
  fs.rmSync(dir, { recursive: true, force: true });
}
function generatedSets() {
  generatedSet(1000, 5);
  generatedSet(10000, 3);
  generatedSet(50000, 1);
  fs.rmSync(usageFile, { force: true });
}
function printRows() {
  const w = Math.max(...rows.map((r) => r[0].length));
  console.log(`k8s-audit bench (node ${process.version}, ${os.cpus().length} cores)`);
  for (const r of rows) console.log(`${r[0].padEnd(w)}  ${r[1]}${r[2] ? `  [${r[2]}]` : ''}`);
}
if (process.argv.includes('--sets')) {
  generatedSets();
  printRows();
  process.exit(0);
}

const small = path.join(root, 'fixtures', 'rules', 'duplicate-key', 'valid.yaml');
const smallFindings = path.join(root, 'fixtures', 'rules', 'service-selector-no-match', 'invalid.yaml');
const smallBad = path.join(root, 'fixtures', 'rules', 'duplicate-key', 'invalid.yaml');
const s1 = timed([small], 15);
rows.push(['start-up, one small clean file', `${s1.ms.toFixed(0)} ms (min ${s1.min.toFixed(0)})`, 'target < 300 ms']);
const s2 = timed([smallFindings], 15);
rows.push(['start-up, one small file with rule findings', `${s2.ms.toFixed(0)} ms (min ${s2.min.toFixed(0)})`, 'target < 300 ms']);
const s3 = timed([smallBad], 15);
rows.push(['start-up, one small file with parse errors', `${s3.ms.toFixed(0)} ms (min ${s3.min.toFixed(0)})`, 'loads the yaml library']);

function throughput(label, dir, n) {
  const bytes = bytesOf(dir);
  const r = timed(['--format', 'json', '.'], n, dir);
  const resources = JSON.parse(r.stdout).summary.resources;
  const mbps = bytes / 1e6 / (r.ms / 1000);
  rows.push([label, `${(bytes / 1e6).toFixed(2)} MB, ${resources} resources in ${r.ms.toFixed(0)} ms: ${mbps.toFixed(1)} MB/s, ${Math.round(resources / (r.ms / 1000))} resources/s`, '']);
  return { ms: r.ms, resources, mbps };
}

const installs = path.join(shared, 'corpus', 'real', 'installs');
if (fs.existsSync(installs)) {
  const t = throughput('real installs (../shared/corpus/real/installs)', installs, 9);
  rows[rows.length - 1][2] = `target >= 10 MB/s${t.mbps >= 10 ? '' : ' (MISSED)'}`;
}
const g1 = generate(2500);
const a = throughput('generated, 2,500 resources', g1, 3);
const g2 = generate(10000);
const b = throughput('generated, 10,000 resources', g2, 3);
rows.push(['linearity (time per resource, 10k / 2.5k)', `${((b.ms / b.resources) / (a.ms / a.resources)).toFixed(2)}x`, 'about 1 = linear']);
fs.rmSync(g1, { recursive: true, force: true });
fs.rmSync(g2, { recursive: true, force: true });

// Kustomize: a 200-object overlay (100 Deployments + 100 ConfigMaps in a base; namespace, prefix, labels,
// images and a targeted JSON patch in the overlay). What the build adds to a run: the same CLI run on the
// overlay, against a run on the built objects written out as one plain file.
{
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'k8s-audit-bench-kustomize-'));
  const w = (rel, text) => {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  };
  w('base/kustomization.yaml', 'resources:\n' + Array.from({ length: 100 }, (_, i) => `  - app${i}.yaml\n`).join(''));
  for (let i = 0; i < 100; i++) {
    w(`base/app${i}.yaml`, `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app${i}\nspec:\n  selector:\n    matchLabels:\n      app: app${i}\n  template:\n    metadata:\n      labels:\n        app: app${i}\n    spec:\n      containers:\n      - name: main\n        image: registry.example.com/app:${i}\n        envFrom:\n        - configMapRef:\n            name: cfg${i}\n        resources:\n          requests:\n            cpu: 100m\n            memory: 128Mi\n          limits:\n            memory: 256Mi\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg${i}\ndata:\n  key: "${i}"\n`);
  }
  w('prod/kustomization.yaml', 'resources:\n  - ../base\nnamespace: prod\nnamePrefix: prod-\ncommonLabels:\n  env: prod\nimages:\n  - name: registry.example.com/app\n    newTag: "2"\npatches:\n  - target:\n      kind: Deployment\n    patch: |-\n      - op: add\n        path: /spec/replicas\n        value: 3\n');
  const { buildKustomization, emitDocuments } = await import(path.join(root, 'dist', 'src', 'render', 'kustomize', 'index.js'));
  const host = { root: fs.realpathSync(dir), display: (a) => path.relative(dir, a) };
  const times = [];
  let built;
  for (let i = 0; i < 12; i++) {
    const t = process.hrtime.bigint();
    built = buildKustomization(path.join(dir, 'prod'), host);
    emitDocuments(built.objects.map((b) => b.obj));
    times.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  const inProcess = median(times.slice(2));
  rows.push([`kustomize build, ${built.objects.length}-object overlay (in process)`, `${inProcess.toFixed(1)} ms median of 10`, `target < 100 ms${inProcess < 100 ? '' : ' (MISSED)'}`]);
  const plain = path.join(dir, 'plain');
  fs.mkdirSync(plain);
  fs.writeFileSync(path.join(plain, 'built.yaml'), emitDocuments(built.objects.map((b) => b.obj)).text);
  const withK = timed(['--format', 'json', 'prod'], 9, dir);
  const withoutK = timed(['--format', 'json', 'plain'], 9, dir);
  rows.push(['kustomize overlay through the CLI, minus the same objects as one plain file', `${withK.ms.toFixed(0)} - ${withoutK.ms.toFixed(0)} = ${(withK.ms - withoutK.ms).toFixed(0)} ms`, `target < 100 ms${withK.ms - withoutK.ms < 100 ? '' : ' (MISSED)'}`]);
  fs.rmSync(dir, { recursive: true, force: true });
}

// Helm: `k8s-audit render CHART` against `helm template x CHART` on the corpus charts, interleaved in the same
// run (median of 7 each; where NODE_EXTRA_CA_CERTS is set, k8s-audit also without it). Real helm comes from HELM_BIN, or the oracles' cache (../shared/tools/oracles.sh);
// without it the section is skipped. Charts helm itself cannot render (a subchart missing) are left out.
{
  const cached = path.join(os.homedir(), '.cache', 'k8s-audit-oracles', 'bin', 'helm');
  const helm = process.env.HELM_BIN || (fs.existsSync(cached) ? cached : null);
  const charts = path.join(shared, 'corpus', 'real', 'charts');
  if (helm && fs.existsSync(charts)) {
    const ratios = [];
    const ratiosNoCa = [];
    for (const name of fs.readdirSync(charts).sort()) {
      const dir = path.join(charts, name);
      if (!fs.existsSync(path.join(dir, 'Chart.yaml'))) continue;
      const probe = spawnSync(helm, ['template', 'x', dir], { stdio: 'ignore' });
      if (probe.status !== 0) continue;
      const ours = [];
      const oursNoCa = [];
      const theirs = [];
      for (let i = 0; i < 8; i++) {
        const a = timeSpawn(process.execPath, [bin, 'render', dir], process.env);
        const c = extraCa ? timeSpawn(process.execPath, [bin, 'render', dir], envWithoutCa) : 0;
        const b = timeSpawn(helm, ['template', 'x', dir], process.env);
        if (i > 0) { ours.push(a); oursNoCa.push(c); theirs.push(b); } // the first round warms the file cache
      }
      const r = median(ours) / median(theirs);
      ratios.push(r);
      let text = `${median(ours).toFixed(0)} / ${median(theirs).toFixed(0)} ms = ${r.toFixed(1)}x`;
      if (extraCa) {
        const rc = median(oursNoCa) / median(theirs);
        ratiosNoCa.push(rc);
        text += `; without NODE_EXTRA_CA_CERTS ${median(oursNoCa).toFixed(0)} ms = ${rc.toFixed(1)}x`;
      }
      rows.push([`render ${name} (k8s-audit render / helm template)`, text, '']);
    }
    if (ratios.length) {
      rows.push(['render, median ratio over the charts', `${median(ratios).toFixed(1)}x (worst ${Math.max(...ratios).toFixed(1)}x)`, 'the issue measured 2.8x (worst 5x)']);
      if (extraCa) rows.push(['render, median ratio without NODE_EXTRA_CA_CERTS', `${median(ratiosNoCa).toFixed(1)}x (worst ${Math.max(...ratiosNoCa).toFixed(1)}x)`, '']);
    }
  } else {
    rows.push(['render against helm', 'skipped: no helm (set HELM_BIN or run ../shared/tools/oracles.sh)', '']);
  }
}

generatedSets();
printRows();
