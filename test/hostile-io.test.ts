/**
 * Hostile input, round two: what a scanned tree (or a pipe) can do to the reads themselves. Each case runs
 * the built CLI and must end within seconds with a clear finding or usage error, while a neighbouring good
 * file's findings are still reported: a FIFO (opening one blocks), /dev/zero behind a link (never ends),
 * endless standard input, UTF-16 manifests (kubectl applies them), names that are not UTF-8 or hold a
 * newline, and charts helm refuses (a 10 MB Chart.yaml, a $ref cycle, a FIFO among the templates).
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, tmpdir } from './cli-helpers.js';
import { readBytes, decodeText, escapeName } from '../src/load/read.js';

interface Json {
  findings: { ruleId: string; severity: string; message: string; file: string; line: number; column: number }[];
}

const POD = `apiVersion: v1
kind: Pod
metadata:
  name: good
spec:
  containers:
  - name: c
    image: nginx:1.27
    securityContext:
      privileged: true
`;
/** The line of `privileged: true` in POD. */
const PRIVILEGED_LINE = 10;

const HAS_MKFIFO = process.platform !== 'win32' && spawnSync('mkfifo', ['--version']).status === 0;
const HAS_DEV_ZERO = fs.existsSync('/dev/zero');

function mkfifo(p: string): void {
  fs.mkdirSync(path.dirname(p), { recursive: true });
  const r = spawnSync('mkfifo', [p]);
  if (r.status !== 0) throw new Error(`mkfifo ${p}: ${r.stderr}`);
}

/** A scanned tree of its own (a .git marks its root) with the good Pod in it. */
function tree(files: Record<string, string | Buffer> = {}): string {
  const dir = tmpdir({ 'good.yaml': POD, ...files });
  fs.mkdirSync(path.join(dir, '.git'));
  return dir;
}

const LIMIT_MS = 30_000;

/**
 * Run a shell command line (`$CLI` is the built CLI) in its own process group, killed whole after 30 s: a
 * regression hangs, and must fail the test rather than the run.
 */
function sh(cmd: string, cwd: string): Promise<{ code: number | null; stdout: string; stderr: string; ms: number; json: Json }> {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn('bash', ['-c', cmd], { cwd, detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, CLI: `"${process.execPath}" "${BIN}"`, NO_COLOR: '1' } });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        /* gone */
      }
    }, LIMIT_MS);
    child.on('close', (code) => {
      clearTimeout(timer);
      let json: Json = { findings: [] };
      try {
        json = JSON.parse(stdout) as Json;
      } catch {
        /* not JSON: a usage error, or a crash the test reports */
      }
      resolve({ code, stdout, stderr, ms: Date.now() - started, json });
    });
  });
}

function lint(cwd: string, args = '.') {
  return sh(`eval "$CLI" --format json ${args}`, cwd);
}

function expectCalm(r: { code: number | null; stderr: string; ms: number }, code = 1): void {
  expect(r.stderr).not.toMatch(/at .*\.js:\d+|internal error|TypeError|RangeError|bad_alloc/);
  expect(r.ms).toBeLessThan(LIMIT_MS);
  expect(r.code).toBe(code);
}

function goodStillReported(json: Json, file = 'good.yaml'): void {
  expect(json.findings.some((f) => f.file === file && f.ruleId === 'privileged-container' && f.line === PRIVILEGED_LINE)).toBe(true);
}

const one = (json: Json, ruleId: string, file: string) => json.findings.filter((f) => f.ruleId === ruleId && f.file === file);

describe('special files are never opened', () => {
  it.skipIf(!HAS_DEV_ZERO)('a committed .k8s-audit.yaml linking to /dev/zero: an unsafe-input finding, the run goes on with the defaults', async () => {
    const dir = tree();
    fs.symlinkSync('/dev/zero', path.join(dir, '.k8s-audit.yaml'));
    const r = await lint(dir);
    expectCalm(r);
    const f = one(r.json, 'unsafe-input', '.k8s-audit.yaml');
    expect(f).toHaveLength(1);
    expect(f[0].message).toMatch(/was not read \(it is a character device, not a regular file\); the run used the defaults/);
    goodStillReported(r.json);
  });

  it.skipIf(!HAS_MKFIFO)('a FIFO given with -c, or -c /dev/zero: a usage error naming the file, exit 2', async () => {
    const dir = tree();
    mkfifo(path.join(dir, 'cfg.yaml'));
    const r = await lint(dir, '-c cfg.yaml good.yaml');
    expectCalm(r, 2);
    expect(r.stderr).toMatch(/cannot read configuration cfg\.yaml: it is a FIFO \(named pipe\), not a regular file/);
    if (HAS_DEV_ZERO) {
      const z = await lint(dir, '-c /dev/zero good.yaml');
      expectCalm(z, 2);
      expect(z.stderr).toMatch(/cannot read configuration \/dev\/zero: it is a character device/);
    }
  });

  it.skipIf(!HAS_MKFIFO)('a FIFO named .yaml in a directory, given by name, or behind a link: an unreadable-file finding each', async () => {
    const dir = tree();
    mkfifo(path.join(dir, 'pipe.yaml'));
    mkfifo(path.join(dir, 'hidden', 'other.fifo'));
    fs.symlinkSync('hidden/other.fifo', path.join(dir, 'link.yaml'));
    const r = await lint(dir);
    expectCalm(r);
    for (const file of ['pipe.yaml', 'link.yaml']) {
      const f = one(r.json, 'unreadable-file', file);
      expect(f, file).toHaveLength(1);
      expect(f[0].message).toMatch(/This is a FIFO \(named pipe\), not a regular file; it was not read/);
    }
    goodStillReported(r.json);
    const named = await lint(dir, 'pipe.yaml good.yaml');
    expectCalm(named);
    expect(one(named.json, 'unreadable-file', 'pipe.yaml')).toHaveLength(1);
    goodStillReported(named.json);
  });

  it.skipIf(!HAS_MKFIFO)('a FIFO as a configMapGenerator file or env file: a kustomize-build-error at its entry, the build goes on', async () => {
    const dir = tree({
      'k/kustomization.yaml': 'resources:\n- pod.yaml\nconfigMapGenerator:\n- name: files\n  files:\n  - pipe.txt\n- name: envs\n  envs:\n  - pipe.env\n',
      'k/pod.yaml': POD,
    });
    mkfifo(path.join(dir, 'k', 'pipe.txt'));
    mkfifo(path.join(dir, 'k', 'pipe.env'));
    const r = await lint(dir);
    expectCalm(r);
    const f = one(r.json, 'kustomize-build-error', 'k/kustomization.yaml');
    expect(f.map((x) => [x.line, x.message.replace(/ \(kustomize.*$/, '')])).toEqual([
      [6, 'kustomize build k: the generator file k/pipe.txt is a FIFO (named pipe), not a regular file; it was not read'],
      [9, 'kustomize build k: the env file k/pipe.env is a FIFO (named pipe), not a regular file; it was not read'],
    ]);
    goodStillReported(r.json);
    goodStillReported(r.json, 'k/pod.yaml');
  });

  it.skipIf(!HAS_MKFIFO)('--output to a FIFO nothing reads: exit 2 at once; /dev/null and a FIFO someone reads are written', async () => {
    const dir = tree();
    mkfifo(path.join(dir, 'out'));
    const r = await sh('eval "$CLI" good.yaml -o out', dir);
    expectCalm(r, 2);
    expect(r.stderr).toMatch(/cannot write out: it is a FIFO \(named pipe\) that nothing reads/);
    const read = await sh('cat out > got.txt & sleep 0.3; eval "$CLI" good.yaml -o out; s=$?; wait; exit $s', dir);
    expectCalm(read);
    expect(fs.readFileSync(path.join(dir, 'got.txt'), 'utf8')).toMatch(/privileged-container/);
    if (fs.existsSync('/dev/null')) expectCalm(await sh('eval "$CLI" good.yaml -o /dev/null', dir));
  });
});

describe('standard input is capped', () => {
  it('endless standard input (`yes |`) stops at 64 MiB: a finding, exit 1, in seconds', async () => {
    const r = await sh('yes | eval "$CLI" --format json -', tree());
    expectCalm(r);
    expect(r.json.findings.map((f) => [f.ruleId, f.file, f.message])).toEqual([['unreadable-file', '<stdin>', expect.stringMatching(/standard input exceeds 64 MiB/)]]);
  });

  it.skipIf(!HAS_DEV_ZERO)('standard input from /dev/zero: the same', async () => {
    const r = await sh('eval "$CLI" --format json - < /dev/zero', tree());
    expectCalm(r);
    expect(r.json.findings.map((f) => f.message)).toEqual([expect.stringMatching(/standard input exceeds 64 MiB/)]);
  });

  it('UTF-16 on standard input is decoded as kubectl decodes it', async () => {
    const dir = tree({ 'le.bin': Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(POD, 'utf16le')]) });
    const r = await sh('eval "$CLI" --format json - < le.bin', dir);
    expectCalm(r);
    expect(one(r.json, 'privileged-container', '<stdin>').map((f) => f.line)).toEqual([PRIVILEGED_LINE]);
  });
});

describe('encodings', () => {
  const utf16 = (text: string, be: boolean) => {
    const le = Buffer.from(text, 'utf16le');
    if (be) for (let i = 0; i + 1 < le.length; i += 2) [le[i], le[i + 1]] = [le[i + 1], le[i]];
    return Buffer.concat([Buffer.from(be ? [0xfe, 0xff] : [0xff, 0xfe]), le]);
  };

  it('UTF-16 LE and BE manifests with a BOM are linted, findings at their lines; UTF-32 is reported (kubectl fails on it)', async () => {
    const dir = tree({
      'le.yaml': utf16('# saved as UTF-16LE\n' + POD, false),
      'be.yaml': utf16('# saved as UTF-16BE\n\n' + POD.replace('name: good', 'name: "gööd-\u{1F600}"'), true),
      'u32.yaml': Buffer.concat([Buffer.from([0xff, 0xfe, 0, 0]), Buffer.from(POD.split('').map((c) => c + '\0\0\0').join(''), 'latin1')]),
    });
    const r = await lint(dir);
    expectCalm(r);
    expect(one(r.json, 'privileged-container', 'le.yaml').map((f) => [f.line, f.column])).toEqual([[PRIVILEGED_LINE + 1, 19]]);
    expect(one(r.json, 'privileged-container', 'be.yaml').map((f) => [f.line, f.column])).toEqual([[PRIVILEGED_LINE + 2, 19]]);
    expect(one(r.json, 'unreadable-file', 'le.yaml')).toEqual([]);
    expect(one(r.json, 'unreadable-file', 'u32.yaml').map((f) => f.message)).toEqual([expect.stringMatching(/^This file is UTF-32LE text .*kubectl reads only UTF-8 and UTF-16/)]);
    goodStillReported(r.json);
  });

  it('decodeText: a UTF-8 BOM dropped, UTF-16 surrogate pairs joined, NUL bytes still binary', () => {
    expect(decodeText(Buffer.from('\uFEFFa: 1\n'))).toEqual({ text: 'a: 1\n' });
    expect(decodeText(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('k: \u{1F600}\n', 'utf16le')]))).toEqual({ text: 'k: \u{1F600}\n', encoding: 'UTF-16LE' });
    expect(decodeText(Buffer.from([0x61, 0, 0x62]))).toMatchObject({ problem: { kind: 'binary' } });
  });
});

describe('odd names', () => {
  it.skipIf(process.platform !== 'linux')('directories and files named with a newline or bytes that are not UTF-8 are reported, escaped, never skipped silently', async () => {
    const dir = tree();
    const b = Buffer.from(dir);
    const put = (name: Buffer, isDir: boolean) => {
      const p = Buffer.concat([b, Buffer.from('/'), name]);
      if (isDir) {
        fs.mkdirSync(p);
        fs.writeFileSync(Buffer.concat([p, Buffer.from('/pod.yaml')]), POD);
      } else fs.writeFileSync(p, POD);
    };
    put(Buffer.from('new\nline'), true);
    put(Buffer.from([0x62, 0x61, 0x64, 0xff]), true);
    put(Buffer.from([0x78, 0xfe, 0x2e, 0x79, 0x61, 0x6d, 0x6c]), false);
    put(Buffer.from('tab\t.yaml'), false);
    put(Buffer.from([0x6e, 0x6f, 0x74, 0xff, 0x2e, 0x74, 0x78, 0x74]), false); // not a name the walk takes
    put(Buffer.from('ignored\nhere'), true); // .gitignore leaves it out
    fs.writeFileSync(path.join(dir, '.gitignore'), 'ignored*\n');
    const r = await lint(dir);
    expectCalm(r);
    const odd = r.json.findings.filter((f) => f.ruleId === 'unreadable-file').map((f) => [f.file, f.message.slice(0, f.message.indexOf('": ') + 1)]);
    expect(odd.sort()).toEqual(
      [
        ['bad\\xff', 'Not linted: the directory "bad\\xff"'],
        ['new\\nline', 'Not linted: the directory "new\\nline"'],
        ['tab\\t.yaml', 'Not linted: the file "tab\\t.yaml"'],
        ['x\\xfe.yaml', 'Not linted: the file "x\\xfe.yaml"'],
      ].sort(),
    );
    expect(r.json.findings.find((f) => f.file === 'bad\\xff')?.message).toMatch(/not valid UTF-8, so it cannot be opened by name/);
    expect(r.json.findings.find((f) => f.file === 'new\\nline')?.message).toMatch(/holds a control character/);
    expect(r.stdout).not.toMatch(/ENOENT/);
    goodStillReported(r.json);
  });

  it('escapeName: control characters JSON-style, bytes that are not UTF-8 as \\xNN', () => {
    expect(escapeName(Buffer.from([0x61, 0x0a, 0xff, 0x1b, 0xc3, 0xa9]))).toBe('a\\n\\xff\\u001bé');
  });
});

describe('charts helm refuses', () => {
  const chart = (extra: Record<string, string> = {}) => ({
    'c/Chart.yaml': 'apiVersion: v2\nname: c\nversion: 0.1.0\n',
    'c/templates/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n',
    ...extra,
  });

  it('a 10 MB Chart.yaml: helm-render-error at it with helm\'s limit, nothing rendered', async () => {
    const dir = tree(chart({ 'c/Chart.yaml': 'apiVersion: v2\nname: c\nversion: 0.1.0\ndescription: ' + 'a'.repeat(10 * 1024 * 1024) + '\n' }));
    const r = await lint(dir);
    expectCalm(r);
    expect(one(r.json, 'helm-render-error', 'c/Chart.yaml').map((f) => f.message)).toEqual([expect.stringContaining('chart file "Chart.yaml" is larger than the maximum file size 5242880')]);
    goodStillReported(r.json);
  });

  it('a values.schema.json whose $refs form a cycle: helm\'s reference-cycle error', async () => {
    const dir = tree(chart({ 'c/values.schema.json': '{"$ref":"#/definitions/a","definitions":{"a":{"$ref":"#/definitions/b"},"b":{"$ref":"#/definitions/a"}}}\n' }));
    const r = await lint(dir);
    expectCalm(r);
    expect(one(r.json, 'helm-render-error', 'c/values.schema.json').map((f) => f.message)).toEqual([
      expect.stringContaining(`both /$ref/$ref/$ref and /$ref resolve to "file:///values.schema.json#/definitions/a" causing reference cycle`),
    ]);
    goodStillReported(r.json);
  });

  it('a recursive schema that descends (properties → #) is no cycle', async () => {
    const dir = tree(chart({ 'c/values.schema.json': '{"type":"object","properties":{"a":{"$ref":"#"}}}\n', 'c/values.yaml': 'a:\n  a:\n    a: {}\n' }));
    const r = await lint(dir);
    expectCalm(r);
    expect(one(r.json, 'helm-render-error', 'c/values.schema.json')).toEqual([]);
  });

  it.skipIf(!HAS_MKFIFO)('a FIFO among the templates: helm\'s irregular-file error at it; one left out by .helmignore is no error', async () => {
    const dir = tree(chart());
    mkfifo(path.join(dir, 'c', 'templates', 'pipe.yaml'));
    const r = await lint(dir);
    expectCalm(r);
    expect(one(r.json, 'helm-render-error', 'c/templates/pipe.yaml').map((f) => f.message)).toEqual([expect.stringMatching(/cannot load irregular file .*pipe\.yaml as it has file mode type bits set/)]);
    goodStillReported(r.json);
    fs.writeFileSync(path.join(dir, 'c', '.helmignore'), 'templates/pipe.yaml\n');
    const ignored = await lint(dir);
    expectCalm(ignored);
    expect(ignored.json.findings.filter((f) => f.ruleId === 'helm-render-error')).toEqual([]);
  });
});

describe('readBytes', () => {
  it('refuses a file over the cap without reading it, and names a special file', () => {
    const dir = tmpdir({ 'big.yaml': 'x'.repeat(2048) });
    expect(readBytes(path.join(dir, 'big.yaml'), { cap: 1024 })).toMatchObject({ failure: { kind: 'too-large' } });
    expect(readBytes(path.join(dir, 'big.yaml'), { cap: 4096 })).toMatchObject({ buf: expect.any(Buffer) });
    expect(readBytes(dir)).toMatchObject({ failure: { kind: 'special', message: 'a directory, not a regular file' } });
    expect(readBytes(path.join(dir, 'b\uFFFDd.yaml'))).toMatchObject({ failure: { kind: 'unreadable', message: expect.stringMatching(/not valid UTF-8/) } });
  });
});
