#!/usr/bin/env node
// npm run bench: what issue 31 measures, in CPU time (user + system of the child process: the machine is shared,
// so wall time says more about the neighbours than about k8s-audit):
//   - one small file, above Node's own start (`node -e 0`), with and without NODE_EXTRA_CA_CERTS where it is set;
//   - MB per CPU second on ../shared/corpus/real/installs;
//   - CPU, resources per CPU second and peak memory on generated repositories of 1,000, 10,000 and 50,000
//     resources with cross references (bench/generate.mjs);
//   - `k8s-audit render` against `helm template` on each corpus chart (CPU ratio), when a helm binary is at hand;
//   - the built-in kustomize build of a 200-object overlay, in process and through the CLI.
// With K8S_AUDIT_BENCH_BASELINE=/other/checkout/bin/k8s-audit.js, every CLI row runs that build too, interleaved
// with this one (both see the same load), and the findings of the two are compared: a before/after in one run.
// Run `npm run build` first.
//
//   node bench/run.mjs --sets            only the generated 1k/10k/50k sets
//   node bench/run.mjs --quick           fewer repetitions
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generate as generateApps } from './generate.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = path.join(root, 'bin', 'k8s-audit.js');
const shared = path.resolve(root, '..', 'shared');
const quick = process.argv.includes('--quick');
const reps = (n) => (quick ? Math.max(1, Math.ceil(n / 3)) : n);

const baseline = process.env.K8S_AUDIT_BENCH_BASELINE ? path.resolve(process.env.K8S_AUDIT_BENCH_BASELINE) : null;
/** The builds compared: this one, and the baseline's first when there is one. */
const builds = baseline ? [['before', baseline], ['after', bin]] : [['', bin]];
const tag = (name) => (name ? ` (${name})` : '');

const extraCa = process.env.NODE_EXTRA_CA_CERTS;
const envWithoutCa = { ...process.env };
delete envWithoutCa.NODE_EXTRA_CA_CERTS;

// Children's CPU time: on Linux, what the kernel adds to this process's cutime + cstime (/proc/self/stat, in
// clock ticks) when a child is reaped. Averaged over several runs, the 10 ms tick still resolves a few ms.
// Elsewhere, wall time (and the rows say so).
const TICK_MS = (() => {
  const r = spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' });
  const hz = Number(r.stdout?.trim());
  return hz > 0 ? 1000 / hz : 10;
})();
function childTicks() {
  try {
    const s = fs.readFileSync('/proc/self/stat', 'utf8');
    const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
    return Number(f[13]) + Number(f[14]); // cutime, cstime (fields 16 and 17 of the line)
  } catch {
    return null;
  }
}
const cpuKnown = childTicks() !== null;
const unit = cpuKnown ? 'CPU' : 'wall';

/** One run of a program: its CPU time (or wall time where CPU is not known), status and output. */
function spawnTimed(cmd, args, { cwd = root, env = process.env, capture = false } = {}) {
  const t0 = process.hrtime.bigint();
  const c0 = childTicks();
  const r = spawnSync(cmd, args, { cwd, env: { ...env, NO_COLOR: '1' }, encoding: 'utf8', maxBuffer: 1024 * 1024 * 1024, stdio: capture ? 'pipe' : ['ignore', 'ignore', 'pipe'] });
  const wall = Number(process.hrtime.bigint() - t0) / 1e6;
  const c1 = childTicks();
  return { ms: cpuKnown ? (c1 - c0) * TICK_MS : wall, status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}
const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;

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

// Rows are printed as they come (a full run takes several minutes).
console.log(`k8s-audit bench (node ${process.version}, ${os.cpus().length} cores, times are ${unit} time${baseline ? `; before = ${baseline}` : ''})`);
const rows = {
  push([label, value, note]) {
    console.log(`${label.padEnd(72)}  ${value}${note ? `  [${note}]` : ''}`);
  },
};

/**
 * Interleaved runs of each build's CLI with `args` in `cwd` (one warm-up round first): the mean CPU per build
 * (a mean, since CPU comes in clock ticks), and each build's sorted findings when the output is JSON.
 */
function compareBuilds(args, n, { cwd = root, env = process.env } = {}) {
  const out = new Map(builds.map(([name]) => [name, { times: [], stdout: '' }]));
  for (let i = 0; i <= n; i++) {
    for (const [name, cli] of builds) {
      const r = spawnTimed(process.execPath, [cli, ...args], { cwd, env, capture: true });
      if (r.status !== 0 && r.status !== 1) throw new Error(`${cli} ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
      if (i > 0) out.get(name).times.push(r.ms);
      out.get(name).stdout = r.stdout;
    }
  }
  return out;
}
const findingsOf = (stdout) =>
  JSON.parse(stdout)
    .findings.map((f) => `${f.ruleId}\t${f.file}\t${f.line}\t${f.column}\t${f.message}`)
    .sort()
    .join('\n');
function sameFindings(label, runs) {
  if (!baseline) return;
  const same = findingsOf(runs.get('before').stdout) === findingsOf(runs.get('after').stdout);
  rows.push([`  findings before and after, ${label}`, same ? 'identical' : 'DIFFER', '']);
}

// Generated repositories with cross references (bench/generate.mjs, written to a temp dir now): CPU, resources
// per CPU second and the child's peak resident memory (process.resourceUsage in the child, bench/usage.cjs).
const usageFile = path.join(os.tmpdir(), `k8s-audit-bench-usage-${process.pid}.json`);
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
  return { ...usage, resources: report.summary.resources, findings: findingsOf(r.stdout) };
}
function generatedSet(count, runs) {
  const dir = generateApps(count);
  const samples = new Map(builds.map(([name]) => [name, []]));
  bytesOf(dir); // read the tree once: the first run does not pay for a cold file cache
  for (let i = 0; i < runs; i++) for (const [name, cli] of builds) samples.get(name).push(cpuRun(cli, dir));
  const mib = (kib) => `${(kib / 1024).toFixed(0)} MiB`;
  for (const [name] of builds) {
    const s = samples.get(name);
    const cpu = median(s.map((x) => x.cpuMs));
    const rss = Math.max(...s.map((x) => x.maxRssKiB));
    const resources = s[0].resources;
    const target = count === 10000 ? `target < 2.5 s${cpu < 2500 ? '' : ' (MISSED)'}` : count === 50000 ? `target < 5 KiB/resource${rss / resources < 5 ? '' : ' (MISSED)'}` : '';
    rows.push([
      `generated apps, ${count.toLocaleString('en')} resources${tag(name)}`,
      `${(bytesOf(dir) / 1e6).toFixed(1)} MB: ${(cpu / 1000).toFixed(2)} s CPU (median of ${runs}), ${Math.round(resources / (cpu / 1000))} resources/CPU s, ${((cpu * 1000) / resources).toFixed(0)} µs/resource, peak ${mib(rss)} (${(rss / resources).toFixed(1)} KiB/resource)`,
      target,
    ]);
  }
  if (baseline) {
    const same = samples.get('before')[0].findings === samples.get('after')[0].findings;
    rows.push([`  findings before and after, ${count.toLocaleString('en')}`, same ? 'identical' : 'DIFFER', '']);
  }
  fs.rmSync(dir, { recursive: true, force: true });
}
function generatedSets() {
  generatedSet(1000, reps(5));
  generatedSet(10000, reps(3));
  generatedSet(50000, 1);
  fs.rmSync(usageFile, { force: true });
}
if (process.argv.includes('--sets')) {
  generatedSets();
  process.exit(0);
}

// Node's own start is the floor under every CLI row. An environment that sets NODE_EXTRA_CA_CERTS makes every
// Node process read and parse that certificate bundle before any of its code runs (about 60 ms of CPU on this
// sandbox, which sets it): the small-file and render rows are given both ways.
function nodeStart(env) {
  const times = [];
  for (let i = 0; i <= reps(20); i++) {
    const r = spawnTimed(process.execPath, ['-e', '0'], { env });
    if (i > 0) times.push(r.ms);
  }
  return mean(times);
}
const envs = extraCa ? [['', process.env], [' without NODE_EXTRA_CA_CERTS', envWithoutCa]] : [['', process.env]];
const start = new Map(envs.map(([label, env]) => [label, nodeStart(env)]));
for (const [label] of envs) rows.push([`node -e 0 (Node's own start)${label || (extraCa ? ', NODE_EXTRA_CA_CERTS set as here' : '')}`, `${start.get(label).toFixed(0)} ms`, 'the floor']);

// One small file: what k8s-audit costs above Node's start.
{
  const small = path.join(root, 'fixtures', 'examples', 'diskann-broken', 'api.yaml');
  for (const [label, env] of envs) {
    const runs = compareBuilds([small], reps(20), { env });
    for (const [name] of builds) {
      const above = mean(runs.get(name).times) - start.get(label);
      rows.push([`one small file (${path.relative(root, small)}), above node -e 0${label}${tag(name)}`, `${above.toFixed(0)} ms`, `target < 50 ms${above < 50 ? '' : ' (MISSED)'}`]);
    }
  }
  const clean = path.join(root, 'fixtures', 'rules', 'duplicate-key', 'valid.yaml');
  const runs = compareBuilds([clean], reps(10));
  for (const [name] of builds) rows.push([`one small clean file, above node -e 0${tag(name)}`, `${(mean(runs.get(name).times) - start.get('')).toFixed(0)} ms`, '']);
}

// MB per CPU second on real installs (big CRDs and operators' manifests).
const installs = path.join(shared, 'corpus', 'real', 'installs');
if (fs.existsSync(installs)) {
  const bytes = bytesOf(installs);
  const runs = compareBuilds(['--format', 'json', '.'], reps(9), { cwd: installs });
  for (const [name] of builds) {
    const ms = mean(runs.get(name).times);
    const resources = JSON.parse(runs.get(name).stdout).summary.resources;
    const mbps = bytes / 1e6 / (ms / 1000);
    rows.push([`real installs (../shared/corpus/real/installs)${tag(name)}`, `${(bytes / 1e6).toFixed(2)} MB, ${resources} resources in ${ms.toFixed(0)} ms: ${mbps.toFixed(1)} MB/s`, `target >= 12 MB/s${mbps >= 12 ? '' : ' (MISSED)'}`]);
  }
  sameFindings('installs', runs);
}

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
  rows.push([`kustomize build, ${built.objects.length}-object overlay (in process, wall)`, `${inProcess.toFixed(1)} ms median of 10`, `target < 100 ms${inProcess < 100 ? '' : ' (MISSED)'}`]);
  const plain = path.join(dir, 'plain');
  fs.mkdirSync(plain);
  fs.writeFileSync(path.join(plain, 'built.yaml'), emitDocuments(built.objects.map((b) => b.obj)).text);
  const withK = mean(compareBuilds(['--format', 'json', 'prod'], reps(9), { cwd: dir }).get(builds.at(-1)[0]).times);
  const withoutK = mean(compareBuilds(['--format', 'json', 'plain'], reps(9), { cwd: dir }).get(builds.at(-1)[0]).times);
  rows.push(['kustomize overlay through the CLI, minus the same objects as one plain file', `${withK.toFixed(0)} - ${withoutK.toFixed(0)} = ${(withK - withoutK).toFixed(0)} ms`, `target < 100 ms${withK - withoutK < 100 ? '' : ' (MISSED)'}`]);
  fs.rmSync(dir, { recursive: true, force: true });
}

// Helm: `k8s-audit render CHART` against `helm template x CHART` on the corpus charts, interleaved (where
// NODE_EXTRA_CA_CERTS is set, k8s-audit also without it). Real helm comes from HELM_BIN, or the oracles' cache
// (../shared/tools/oracles.sh); without it the section is skipped. Charts helm itself cannot render are left out.
{
  const cached = path.join(os.homedir(), '.cache', 'k8s-audit-oracles', 'bin', 'helm');
  const helm = process.env.HELM_BIN || (fs.existsSync(cached) ? cached : null);
  const charts = path.join(shared, 'corpus', 'real', 'charts');
  if (helm && fs.existsSync(charts)) {
    const ratios = new Map(); // build + env label -> ratios
    for (const name of fs.readdirSync(charts).sort()) {
      const dir = path.join(charts, name);
      if (!fs.existsSync(path.join(dir, 'Chart.yaml'))) continue;
      if (spawnSync(helm, ['template', 'x', dir], { stdio: 'ignore' }).status !== 0) continue;
      const theirs = [];
      const ours = new Map();
      for (let i = 0; i <= reps(8); i++) {
        const h = spawnTimed(helm, ['template', 'x', dir]);
        if (i > 0) theirs.push(h.ms); // the first round warms the file cache
        for (const [b, cli] of builds)
          for (const [label, env] of envs) {
            const r = spawnTimed(process.execPath, [cli, 'render', dir], { env });
            const k = `${b}${label}`;
            if (!ours.has(k)) ours.set(k, []);
            if (i > 0) ours.get(k).push(r.ms);
          }
      }
      const helmMs = mean(theirs);
      const parts = [];
      for (const [k, xs] of ours) {
        const r = mean(xs) / helmMs;
        if (!ratios.has(k)) ratios.set(k, []);
        ratios.get(k).push(r);
        parts.push(`${k || 'k8s-audit'} ${mean(xs).toFixed(0)} ms = ${r.toFixed(2)}x`);
      }
      rows.push([`render ${name} (k8s-audit render / helm template ${helmMs.toFixed(0)} ms)`, parts.join('; '), '']);
    }
    for (const [k, rs] of ratios) {
      const m = median(rs);
      rows.push([`render, median ratio over ${rs.length} charts${k ? ` (${k.trim()})` : ''}`, `${m.toFixed(2)}x (worst ${Math.max(...rs).toFixed(2)}x)`, `target < 1.3x${m < 1.3 ? '' : ' (MISSED)'}`]);
    }
  } else {
    rows.push(['render against helm', 'skipped: no helm (set HELM_BIN or run ../shared/tools/oracles.sh)', '']);
  }
}

generatedSets();
