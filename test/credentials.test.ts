/**
 * Credentials decided from values and their use (issue 28): names of other objects, provider names, code that
 * reads the environment and values a chart generates are not credentials; prefix-style names (SECRET_BLAH) are;
 * secret-in-manifest names the sensitive key and says where the value is written.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { credentialKeyKind, detectCredential, detectCredentialsInText, generatedTest } from '../src/graph/credentials.js';
import { sensitivity } from '../src/graph/secret-values.js';
import { runRules } from './harness.js';

describe('credential keys', () => {
  it('counts a credential word first, then what it is for', () => {
    for (const k of ['SECRET_BLAH', 'TOKEN_GITHUB', 'PASSWORD_ADMIN', 'API_SECRET', 'WEBHOOK_SECRET']) expect(credentialKeyKind(k), k).toBeDefined();
  });
  it('does not count keys that describe a credential or name where it is', () => {
    for (const k of ['CRYPTO_KEY_PROVIDER', 'SECRET_PROVIDER', 'SECRET_NAME', 'TOKEN_TTL', 'PASSWORD_MIN_LENGTH', 'existingSecret', 'secretName', 'passwordSecretRef', 'dbPasswordSecretName', 'DB_PASSWORD_SECRET_NAME', 'password_encryption']) {
      expect(credentialKeyKind(k), k).toBeUndefined();
    }
  });
});

describe('credential values', () => {
  it('a Secret name under a key that holds one is not the credential', () => {
    expect(detectCredential('passwordSecret', 'db-credentials')).toBeUndefined();
    expect(detectCredential('apiKeySecret', 'api-keys')).toBeUndefined();
    // the same key with a value that cannot be an object name still is one
    expect(detectCredential('passwordSecret', 'Hunter2!Prod')?.kind).toBe('password');
  });
  it('a value that is the name of an object the caller knows is not the credential', () => {
    const namesObject = (v: string) => v === 'upstream-auth';
    expect(detectCredential('UPSTREAM_SECRET', 'upstream-auth', { namesObject })).toBeUndefined();
    expect(detectCredential('UPSTREAM_SECRET', 'upstream-auth')?.kind).toBe('secret');
  });
  it('code and text that read the environment are not credentials', () => {
    for (const v of ['os.environ["TOKEN"]', "os.getenv('API_KEY')", 'process.env.TOKEN', 'os.Getenv("TOKEN")', 'System.getenv("TOKEN")', 'ENV["TOKEN"]', 'Bearer ${TOKEN}', '$(cat /run/secrets/token)', '{valueFrom: {secretKeyRef: {name: a, key: b}}}']) {
      expect(detectCredential('token', v), v).toBeUndefined();
    }
    const py = 'import os\nTOKEN = os.environ["TOKEN"]\napi_key = os.getenv("API_KEY")\npassword = "Sup3rS3cret!"\n';
    expect(detectCredentialsInText(py).map((h) => h.setting)).toEqual(['password']);
  });
  it('a password does not become a reference by holding a dollar sign', () => {
    expect(detectCredential('password', 'pa$$word-Prod1')?.kind).toBe('password');
  });
  it('generated values, raw, base64-encoded or inside a URL, are not committed', () => {
    const generated = generatedTest(new Set(['Xk29aLmQp0vZ7tRw']));
    expect(detectCredential('DB_PASSWORD', 'Xk29aLmQp0vZ7tRw', { generated })).toBeUndefined();
    expect(detectCredential('DB_PASSWORD', Buffer.from('Xk29aLmQp0vZ7tRw').toString('base64'), { generated })).toBeUndefined();
    expect(detectCredential('url', 'postgres://app:Xk29aLmQp0vZ7tRw@db/app', { generated })).toBeUndefined();
    expect(detectCredential('DB_PASSWORD', 'Hunter2!Prod', { generated })?.kind).toBe('password');
  });
});

describe('Secret key sensitivity', () => {
  it('tells credentials, public values and the rest apart', () => {
    expect(sensitivity('POSTGRES_PASSWORD', 'x9')).toBe('credential');
    expect(sensitivity('tls.key', 'x')).toBe('credential');
    expect(sensitivity('.dockerconfigjson', '{}')).toBe('credential');
    expect(sensitivity('POSTGRES_DB', 'app')).toBe('public');
    expect(sensitivity('username', 'app')).toBe('public');
    expect(sensitivity('ca.crt', '-----BEGIN CERTIFICATE-----\nMII\n-----END CERTIFICATE-----\n')).toBe('public');
    expect(sensitivity('message', 'hello')).toBe('unknown');
  });
});

describe('secret-in-manifest wording and position', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'k8s-audit-cred-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const write = (rel: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  };

  it('says plain text for stringData, not base64, and names the sensitive key', async () => {
    write('plain/secret.yaml', 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\nstringData:\n  POSTGRES_DB: app\n  POSTGRES_PASSWORD: v9Lq2-xW7r\n');
    const r = await runRules([path.join(dir, 'plain')], ['secret-in-manifest']);
    expect(r.findings).toHaveLength(1);
    expect(r.findings[0].line).toBe(7);
    expect(r.findings[0].message).toContain('"POSTGRES_PASSWORD"');
    expect(r.findings[0].message).toContain('stringData');
    expect(r.findings[0].message).not.toContain('base64');
    expect(r.findings[0].message).not.toContain('v9Lq2-xW7r');
  });

  it('skips what a chart generates, rendered alone or by a kustomization\'s helmCharts', async () => {
    const chart = (root: string) => {
      write(`${root}/Chart.yaml`, 'apiVersion: v2\nname: gen\nversion: 0.1.0\n');
      write(`${root}/values.yaml`, '{}\n');
      write(`${root}/templates/secret.yaml`, 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: gen\ndata:\n  password: {{ randAlphaNum 16 | b64enc | quote }}\n---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: lit\nstringData:\n  password: v9Lq2-xW7r\n');
    };
    chart('helm/gen');
    chart('kust/charts/gen');
    write('kust/kustomization.yaml', 'helmGlobals:\n  chartHome: charts\nhelmCharts:\n  - name: gen\n    releaseName: gen\n');
    for (const root of ['helm/gen', 'kust']) {
      const r = await runRules([path.join(dir, root)], ['secret-in-manifest']);
      // (the kustomization's directory holds the chart too: its literal is found by the build and by the chart)
      expect([...new Set(r.findings.map((f) => f.message.slice(0, 14)))], root).toEqual(['Secret "lit" c']);
    }
  });

  it('a value a kustomize patch adds to a Secret is the Secret\'s own, not a generator\'s', async () => {
    write('patched/secret.yaml', 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\nstringData:\n  POSTGRES_DB: app\n');
    write('patched/patch.yaml', 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\nstringData:\n  POSTGRES_PASSWORD: v9Lq2-xW7r\n');
    write('patched/kustomization.yaml', 'resources:\n  - secret.yaml\npatches:\n  - path: patch.yaml\n');
    const r = await runRules([path.join(dir, 'patched')], ['secret-in-manifest']);
    expect(r.findings.map((f) => `${path.basename(f.file)}:${f.line}`)).toEqual(['patch.yaml:6']);
    expect(r.findings[0].message).toMatch(/^Secret "db" carries the value of "POSTGRES_PASSWORD" \(v9\*\*\*\) in plain text under stringData/);
  });

  it('points at the generator literal and the env file line, worded as such', async () => {
    write('gen/kustomization.yaml', 'secretGenerator:\n  - name: db\n    literals:\n      - POSTGRES_DB=app\n      - POSTGRES_PASSWORD=v9Lq2-xW7r\n  - name: api\n    envs:\n      - api.env\n');
    write('gen/api.env', 'API_USER=app\nAPI_TOKEN=t0k3n-4f9c2e71b8d6\n');
    const r = await runRules([path.join(dir, 'gen')], ['secret-in-manifest']);
    const got = r.findings.map((f) => [path.basename(f.file), f.line, f.message]).sort();
    expect(got.map(([f, l]) => `${f}:${l}`)).toEqual(['api.env:2', 'kustomization.yaml:5']);
    expect(String(got[0][2])).toMatch(/^secretGenerator "api" takes the value of "API_TOKEN" \(t0\*\*\*\) from api\.env/);
    expect(String(got[1][2])).toMatch(/^secretGenerator "db" takes the value of "POSTGRES_PASSWORD" \(v9\*\*\*\) as a literal/);
    for (const [, , m] of got) expect(String(m)).not.toContain('base64');
  });
});

describe('redaction', () => {
  it('shows at most two printable characters, never a line break', async () => {
    const { redact } = await import('../src/graph/credentials.js');
    expect(redact('{\n  "type": "service_account"')).toBe('***');
    expect(redact('s3cr3tPassw0rd')).toBe('s3***');
    expect(redact('short')).toBe('***');
  });
});
