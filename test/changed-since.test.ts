/**
 * `--changed-since REF` on a git repository built here: a kustomize base with an overlay, a chart and a plain
 * manifest. Only what the change produces is reported: a patch change reaches the overlay's findings at base
 * lines (not the base's own build), a values change reaches the chart's templates, an untracked file counts,
 * and nothing changed reports nothing.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, tmpdir, git, hasGit } from './cli-helpers.js';

const DEPLOY = (name: string, image: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
spec:
  selector:
    matchLabels: {app: ${name}}
  template:
    metadata:
      labels: {app: ${name}}
    spec:
      containers:
      - name: ${name}
        image: ${image}
`;

const FILES = {
  'base/kustomization.yaml': 'resources:\n- deploy.yaml\n',
  'base/deploy.yaml': DEPLOY('api', 'example/api:latest'),
  'overlays/prod/kustomization.yaml': 'resources:\n- ../../base\npatches:\n- path: patch.yaml\n',
  'overlays/prod/patch.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  replicas: 2\n',
  'plain/svc.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: lonely\nspec:\n  selector:\n    app: nothing\n  ports:\n  - port: 80\n',
  'charts/web/Chart.yaml': 'apiVersion: v2\nname: web\nversion: 0.1.0\n',
  'charts/web/values.yaml': 'image: example/web:1.0\n',
  'charts/web/templates/deploy.yaml': DEPLOY('{{ .Release.Name }}-web', '{{ .Values.image }}'),
};

interface F {
  file: string;
  ruleId: string;
  context?: string;
}

function repo(): string {
  const dir = tmpdir(FILES);
  git(dir, 'init', '-q');
  git(dir, 'add', '.');
  git(dir, 'commit', '-qm', 'init');
  return dir;
}

function changed(dir: string, ref = 'HEAD'): { code: number; findings: F[]; stderr: string } {
  const r = cli(['.', '--changed-since', ref, '--format', 'json'], { cwd: dir });
  return { code: r.code, findings: r.stdout ? (JSON.parse(r.stdout).findings as F[]) : [], stderr: r.stderr };
}

const files = (fs: F[]) => [...new Set(fs.map((f) => f.file))].sort();

describe.skipIf(!hasGit)('--changed-since', () => {
  it('reports nothing when nothing changed, though the scan has findings', () => {
    const dir = repo();
    const all = JSON.parse(cli(['.', '--format', 'json'], { cwd: dir }).stdout).findings as F[];
    expect(files(all)).toEqual(['base/deploy.yaml', 'charts/web/templates/deploy.yaml', 'plain/svc.yaml']);
    const r = changed(dir);
    expect(r.code, r.stderr).toBe(0);
    expect(r.findings).toEqual([]);
  });

  it("reaches an overlay's findings at base lines when its patch changed, not the base's own build", () => {
    const dir = repo();
    fs.writeFileSync(path.join(dir, 'overlays/prod/patch.yaml'), FILES['overlays/prod/patch.yaml'].replace('replicas: 2', 'replicas: 3'));
    const r = changed(dir);
    expect(files(r.findings)).toEqual(['base/deploy.yaml']);
    expect(r.findings.map((f) => f.ruleId)).toContain('image-tag-latest');
    expect(r.findings.every((f) => f.context === 'kustomize build overlays/prod')).toBe(true);
  });

  it('reaches every build that reads a changed base, and counts committed changes since the ref', () => {
    const dir = repo();
    fs.writeFileSync(path.join(dir, 'base/deploy.yaml'), FILES['base/deploy.yaml'].replace('api:latest', 'api:1.2'));
    git(dir, 'commit', '-qam', 'pin');
    expect(changed(dir).findings).toEqual([]);
    const r = changed(dir, 'HEAD~1');
    expect(files(r.findings)).toEqual(['base/deploy.yaml']);
    expect(r.findings.map((f) => f.ruleId)).not.toContain('image-tag-latest');
    expect(r.findings.some((f) => f.context?.includes('overlays/prod'))).toBe(true);
  });

  it("reaches a chart's templates when its values changed", () => {
    const dir = repo();
    fs.writeFileSync(path.join(dir, 'charts/web/values.yaml'), 'image: example/web:1.1\n');
    expect(files(changed(dir).findings)).toEqual(['charts/web/templates/deploy.yaml']);
  });

  it('counts an untracked file that is not ignored, and leaves an ignored one out', () => {
    const dir = repo();
    fs.writeFileSync(path.join(dir, 'plain/new.yaml'), FILES['plain/svc.yaml'].replace('lonely', 'fresh'));
    expect(files(changed(dir).findings)).toEqual(['plain/new.yaml']);
    fs.writeFileSync(path.join(dir, '.gitignore'), 'plain/new.yaml\n');
    git(dir, 'add', '.gitignore');
    git(dir, 'commit', '-qm', 'ignore');
    expect(changed(dir).findings).toEqual([]);
  });

  it('is a usage error for a revision the repository does not have, or outside a repository', () => {
    const dir = repo();
    const r = changed(dir, 'no-such-branch');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/"no-such-branch" is not a commit of this repository/);
    expect(changed(dir, '--output=x').code).toBe(2);
    const bare = tmpdir({ 'a.yaml': FILES['plain/svc.yaml'] });
    expect(changed(bare).code).toBe(2);
  });
});
