import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { audit } from '../src/engine/run.js';
import { unreadKeys, valuesReferences } from '../src/render/helm/unread.js';

describe('values no template reads', () => {
  it('collects dotted, $-rooted and literal index references; gives up on .Values passed whole', () => {
    expect(valuesReferences(['{{ .Values.a.b }} {{ $.Values.c }} {{ index .Values "d" "e-f" }}'])).toEqual([['a', 'b'], ['c'], ['d', 'e-f']]);
    expect(valuesReferences(['{{ toYaml .Values }}'])).toBeUndefined();
    expect(valuesReferences(['{{ include "x" .Values }}'])).toBeUndefined();
    expect(valuesReferences(['{{ index .Values $k }}'])).toBeUndefined();
  });

  it('judges only keys outside every reference, and not inside a value read whole', () => {
    const refs = [['image', 'tag'], ['resources']];
    const values = { image: { tag: 'x', pullPolicy: 'Always' }, resources: { limits: { cpu: 1 } }, replicas: 3, sub: { a: 1 }, global: { b: 2 } };
    expect(unreadKeys(values, refs, new Set(['global', 'sub']))).toEqual([['image', 'pullPolicy'], ['replicas']]);
  });

  const dirs: string[] = [];
  afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));
  const chart = (files: Record<string, string>) => {
    const d = fs.mkdtempSync(path.join(os.tmpdir(), 'k8sa-unread-'));
    dirs.push(d);
    fs.mkdirSync(path.join(d, '.git'));
    for (const [f, t] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(d, 'c', f)), { recursive: true });
      fs.writeFileSync(path.join(d, 'c', f), t);
    }
    return d;
  };
  const base = {
    'Chart.yaml': 'apiVersion: v2\nname: c\nversion: 0.1.0\n',
    'values.yaml': 'replicaCount: 1\n',
    'templates/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}\ndata:\n  n: "{{ .Values.replicaCount }}"\n',
    'ci/prod-values.yaml': 'replicaCount: 2\nfullnameOverride: prod\n',
  };
  const unread = async (d: string) => (await audit(['c'], { cwd: d, config: {} })).findings.filter((f) => f.ruleId === 'helm-value-unread').map((f) => `${f.file}:${f.line}`);

  it('flags a scenario key at its line', async () => {
    expect(await unread(chart(base))).toEqual(['c/ci/prod-values.yaml:2']);
  });

  it('counts a vendored library subchart\'s helpers as readers of the parent values', async () => {
    const d = chart({
      ...base,
      'Chart.yaml': base['Chart.yaml'] + 'dependencies:\n  - name: common\n    version: 1.0.0\n',
      'charts/common/Chart.yaml': 'apiVersion: v2\nname: common\ntype: library\nversion: 1.0.0\n',
      'charts/common/templates/_names.tpl': '{{- define "common.fullname" -}}{{ .Values.fullnameOverride | default .Release.Name }}{{- end -}}\n',
    });
    expect(await unread(d)).toEqual([]);
  });

  it('claims nothing when a dependency is not vendored', async () => {
    const d = chart({ ...base, 'Chart.yaml': base['Chart.yaml'] + 'dependencies:\n  - name: redis\n    version: 1.0.0\n    repository: https://charts.example.com\n' });
    expect(await unread(d)).toEqual([]);
  });
});
