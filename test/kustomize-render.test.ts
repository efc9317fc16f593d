/**
 * `k8s-audit render DIR` on a kustomization: what `kubectl kustomize DIR` prints (the objects, in kustomize's
 * output order), `--format json`, and a failing build on stderr with exit 1, naming the build.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { cli } from './cli-helpers.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'k8s-audit-krender-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function tree(name: string, files: Record<string, string>): string {
  const dir = path.join(tmp, name);
  for (const [f, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
    fs.writeFileSync(path.join(dir, f), text);
  }
  return dir;
}

const RESOURCES = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
spec:
  template:
    spec:
      containers:
      - name: api
        image: registry.example/api:1.0
---
apiVersion: v1
kind: Service
metadata:
  name: api
---
apiVersion: v1
kind: Namespace
metadata:
  name: shop
---
apiVersion: v1
kind: Service
metadata:
  name: cache
`;

const kinds = (text: string) => parseAllDocuments(text).map((d) => `${d.get('kind')}/${(d.toJS() as { metadata: { name: string } }).metadata.name}`);

describe('render a kustomization', () => {
  it('prints the build in the legacy kind order (Namespace, Services by name, Deployment), names prefixed', () => {
    const dir = tree('legacy', { 'kustomization.yaml': 'namePrefix: p-\nresources:\n- all.yaml\n', 'all.yaml': RESOURCES });
    const r = cli(['render', dir]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(kinds(r.stdout)).toEqual(['Namespace/shop', 'Service/p-api', 'Service/p-cache', 'Deployment/p-api']);
  });

  it('keeps the input order with sortOptions: fifo, and prints JSON with --format json', () => {
    const dir = tree('fifo', { 'kustomization.yaml': 'sortOptions:\n  order: fifo\nresources:\n- all.yaml\n', 'all.yaml': RESOURCES });
    expect(kinds(cli(['render', dir]).stdout)).toEqual(['Deployment/api', 'Service/api', 'Namespace/shop', 'Service/cache']);
    const j = cli(['render', dir, '--format', 'json']);
    expect(j.code).toBe(0);
    const objs = JSON.parse(j.stdout) as { kind: string; spec?: { template?: { spec: { containers: { image: string }[] } } } }[];
    expect(objs.map((o) => o.kind)).toEqual(['Deployment', 'Service', 'Namespace', 'Service']);
    expect(objs[0].spec?.template?.spec.containers[0].image).toBe('registry.example/api:1.0');
  });

  it('a sortOptions kustomize refuses fails the build', () => {
    const dir = tree('badsort', { 'kustomization.yaml': 'sortOptions:\n  order: random\nresources:\n- all.yaml\n', 'all.yaml': RESOURCES });
    const r = cli(['render', dir]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/sortOptions\.order' must be one of \[fifo, legacy\]/);
  });

  it('a failing build: nothing on stdout, the error on stderr naming the build, exit 1', () => {
    const dir = tree('overlays/prod', { 'kustomization.yaml': 'resources:\n- missing.yaml\n' });
    const r = cli(['render', path.relative(tmp, dir)], { cwd: tmp });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/kustomization\.yaml:2:3: kustomize build overlays\/prod: the resource "missing\.yaml" does not exist/);
  });

  it('a directory that is neither a chart nor a kustomization is a usage error', () => {
    const dir = tree('nothing', { 'a.yaml': 'kind: ConfigMap\n' });
    const r = cli(['render', dir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/nor a kustomization directory/);
  });
});
