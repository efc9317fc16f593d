/** The resource graph's cross-resource indexes: references, scalers, replica ranges, selectors both ways, and the shared detectors. */
import { describe, expect, it } from 'vitest';
import { parseSource } from '../src/parse/documents.js';
import { Resource } from '../src/graph/resource.js';
import { ResourceGraph } from '../src/graph/graph.js';
import { detectCredential, detectCredentialsInText, findCredentials, redact } from '../src/graph/credentials.js';
import { detectEmbeddedDb, detectEmbeddedDbInText } from '../src/graph/embedded-db.js';
import { settingsOf } from '../src/graph/settings.js';
import { dependenciesOf } from '../src/graph/dependencies.js';
import { metricsPortSetting } from '../src/graph/metrics.js';

function graphOf(yaml: string): ResourceGraph {
  const docs = parseSource({ file: 'test.yaml', text: yaml, format: 'yaml', origin: 'file', group: '' });
  return new ResourceGraph(docs.filter((d) => d.value && typeof d.value === 'object').map((d) => new Resource(d.value as Record<string, unknown>, d, [], 'default')));
}

const STACK = `
apiVersion: apps/v1
kind: Deployment
metadata: {name: api}
spec:
  replicas: 2
  selector: {matchLabels: {app: api}}
  template:
    metadata:
      labels: {app: api, tier: web}
    spec:
      serviceAccountName: api
      imagePullSecrets: [{name: regcred}]
      containers:
      - name: api
        image: example/api:1
        ports: [{name: http, containerPort: 8080}, {name: metrics, containerPort: 9090}]
        env:
        - {name: MODE, value: prod}
        - {name: DB_PASSWORD, valueFrom: {secretKeyRef: {name: db, key: password}}}
        - {name: LEVEL, valueFrom: {configMapKeyRef: {name: cfg, key: level, optional: true}}}
        envFrom: [{configMapRef: {name: env}}, {secretRef: {name: env-secret}}]
      volumes:
      - {name: data, persistentVolumeClaim: {claimName: data}}
      - {name: conf, configMap: {name: files, items: [{key: app.toml, path: app.toml}]}}
      - name: proj
        projected:
          sources: [{secret: {name: tls}}, {configMap: {name: ca}}]
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: api}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: api}
  minReplicas: 3
  maxReplicas: 12
---
apiVersion: autoscaling.k8s.io/v1
kind: VerticalPodAutoscaler
metadata: {name: api}
spec:
  targetRef: {apiVersion: apps/v1, kind: Deployment, name: api}
---
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent}
spec:
  selector: {matchLabels: {app: agent}}
  template:
    metadata: {labels: {app: agent}}
    spec:
      containers: [{name: agent, image: example/agent:1}]
---
apiVersion: batch/v1
kind: CronJob
metadata: {name: backup}
spec:
  schedule: "0 1 * * *"
  jobTemplate:
    spec:
      parallelism: 2
      template:
        spec:
          containers: [{name: b, image: example/b:1}]
          volumes: [{name: data, persistentVolumeClaim: {claimName: data}}]
---
apiVersion: v1
kind: Service
metadata: {name: api, labels: {app: api}}
spec:
  selector: {app: api}
  ports: [{name: http, port: 80, targetPort: http}]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: web}
spec:
  podSelector:
    matchExpressions: [{key: tier, operator: In, values: [web, api]}]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: all}
spec:
  podSelector: {}
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: agent}
spec:
  selector: {matchLabels: {app: agent}}
  maxUnavailable: 1
---
apiVersion: monitoring.coreos.com/v1
kind: ServiceMonitor
metadata: {name: api}
spec:
  selector: {matchLabels: {app: api}}
  endpoints: [{port: http}]
---
apiVersion: v1
kind: ConfigMap
metadata: {name: env}
data: {A: "1", DB_PATH: /data/app.db}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: files}
data:
  app.toml: |
    [db]
    url = "sqlite:///data/x.db"
  other.toml: "ignored = true"
`;

describe('ResourceGraph', () => {
  const g = graphOf(STACK);
  const api = g.get('Deployment', 'api', 'default')!;
  const agent = g.get('DaemonSet', 'agent', 'default')!;
  const backup = g.get('CronJob', 'backup', 'default')!;

  it('indexes every by-name reference of a pod template, with paths and optionality', () => {
    const refs = g.refsOf(api).map((r) => `${r.kind}/${r.name}${r.optional ? '?' : ''}@${r.path.join('.')}`);
    expect(refs).toEqual([
      'ServiceAccount/api@spec.template.spec.serviceAccountName',
      'Secret/regcred@spec.template.spec.imagePullSecrets.0.name',
      'PersistentVolumeClaim/data@spec.template.spec.volumes.0.persistentVolumeClaim.claimName',
      'ConfigMap/files@spec.template.spec.volumes.1.configMap.name',
      'Secret/tls@spec.template.spec.volumes.2.projected.sources.0.secret.name',
      'ConfigMap/ca@spec.template.spec.volumes.2.projected.sources.1.configMap.name',
      'ConfigMap/env@spec.template.spec.containers.0.envFrom.0.configMapRef.name',
      'Secret/env-secret@spec.template.spec.containers.0.envFrom.1.secretRef.name',
      'Secret/db@spec.template.spec.containers.0.env.1.valueFrom.secretKeyRef.name',
      'ConfigMap/cfg?@spec.template.spec.containers.0.env.2.valueFrom.configMapKeyRef.name',
    ]);
  });

  it('finds every consumer of a claim (Deployment and CronJob)', () => {
    expect(g.consumersOf('PersistentVolumeClaim', 'data', 'default').map((c) => c.owner.name)).toEqual(['api', 'backup']);
    expect(g.consumersOf('PersistentVolumeClaim', 'data', 'other')).toEqual([]);
  });

  it('indexes HPA and VPA targets', () => {
    expect(g.hpasOf(api).map((h) => h.name)).toEqual(['api']);
    expect(g.vpasOf(api).map((h) => h.name)).toEqual(['api']);
    expect(g.scaleTarget(g.get('HorizontalPodAutoscaler', 'api', 'default')!)).toBe(api);
  });

  it('computes replica ranges: HPA bounds, DaemonSet per node, Job parallelism, overlapping CronJobs', () => {
    const r = g.replicaRange(api);
    expect([r.min, r.max, r.resource.kind]).toEqual([3, 12, 'HorizontalPodAutoscaler']);
    expect(g.replicaRange(agent).max).toBe(Infinity);
    const c = g.replicaRange(backup);
    expect([c.max, c.overlapping]).toEqual([2, true]);
  });

  it('matches selectors both ways', () => {
    expect(g.selectorsOf(api, 'Service').map((s) => s.name)).toEqual(['api']);
    expect(g.selectorsOf(api, 'NetworkPolicy').map((s) => s.name)).toEqual(['web', 'all']);
    expect(g.selectorsOf(agent, 'NetworkPolicy').map((s) => s.name)).toEqual(['all']);
    expect(g.selectorsOf(agent, 'PodDisruptionBudget').map((s) => s.name)).toEqual(['agent']);
    expect(g.selectorsOf(api, 'PodDisruptionBudget')).toEqual([]);
    expect(g.servicesSelectedBy(g.get('ServiceMonitor', 'api', 'default')!).map((s) => s.name)).toEqual(['api']);
  });

  it('lists the settings a workload receives, from env, envFrom and mounted ConfigMap keys', () => {
    const s = settingsOf(g, api).map((x) => `${x.key}=${x.file ? 'file' : x.value}@${x.resource.kind}`);
    expect(s).toEqual(['MODE=prod@Deployment', 'A=1@ConfigMap', 'DB_PATH=/data/app.db@ConfigMap', 'app.toml=file@ConfigMap']);
  });
});

describe('credential detector', () => {
  it.each([
    ['password', 'changeme', 'password'],
    ['POSTGRES_PASSWORD', 'supersecret', 'password'],
    ['DB_PASS', 'hunter22', 'password'],
    ['api-key', 'apikey1234567890', 'api-key'],
    ['SECRET_KEY_BASE', 'abcdefabcdef', 'secret'],
    ['secretAccessKey', 'wJalrXUtnFEMIK7MDENG', 'access-key'],
    ['database_url', 'postgresql://app:s3cret@db:5432/app', 'connection-string'],
    ['anything', 'AKIAABCDEFGHIJKLMNOP', 'access-key'],
    ['tls.key', '-----BEGIN EC PRIVATE KEY-----\nMHc', 'private-key'],
  ])('flags %s', (key, value, kind) => {
    expect(detectCredential(key, value)?.kind).toBe(kind);
  });

  it.each([
    ['password_min_length', '12'],
    ['PASSWORD_FILE', '/run/secrets/pw'],
    ['jwt_secret_name', 'jwt'],
    ['token_ttl', '3600'],
    ['max_tokens', '4096'],
    ['password', ''],
    ['password', '${DB_PASSWORD}'],
    ['password', '$(DB_PASSWORD)'],
    ['password', '{{ .Values.password }}'],
    ['password', '<your-password>'],
    ['password', 'true'],
    ['client_id', 'web'],
    ['redis_url', 'redis://redis:6379/0'],
    ['url', 'postgres://app:${PW}@db/app'],
  ])('ignores %s=%s', (key, value) => {
    expect(detectCredential(key, value)).toBeUndefined();
  });

  it('redacts to at most two characters', () => {
    expect(redact('supersecret')).toBe('su***');
    expect(redact('short')).toBe('***');
    expect(detectCredential('url', 'mysql://root:rootpassword@db/x')?.redacted).toBe('mysql://root:ro***@db/x');
  });

  it('scans config files and nested values', () => {
    expect(detectCredentialsInText('[smtp]\n# password = x\npassword = "hunter2hunter"\n').map((h) => h.setting)).toEqual(['password']);
    expect(findCredentials({ auth: { password: 'pw-123456', username: 'app' }, s3: { accessKeyId: 'AKIAABCDEFGHIJKLMNOP' } }).map((f) => f.path.join('.'))).toEqual(['auth.password', 's3.accessKeyId']);
  });

  it('reads a setting line as key, value, and an optional trailing comma', () => {
    const redacted = (text: string) => detectCredentialsInText(text).map((h) => `${h.setting}=${h.redacted}`);
    expect(redacted('  "password": "hunter2hunter",  \n')).toEqual(['password=hu***']);
    expect(redacted('export DB_PASSWORD=hunter2hunter ,\t\r\n')).toEqual(['DB_PASSWORD=hu***']);
    // Only one trailing comma is a separator: the rest stays in the value (and keeps its quotes).
    expect(redacted('password: "ab,cdefghij",,\n')).toEqual(['password="a***']);
    expect(redacted('password:   ,\n')).toEqual([]);
    // A value-only credential is found on a line whose key names none, and not without a hint of one.
    expect(redacted('"url": "postgres://app:pa55word99@db/app",\n')).toEqual(['url=postgres://app:pa***@db/app']);
    expect(detectCredentialsInText('{"expr": "sum(rate(x[5m]))",\n "legendFormat": "{{pod}}"}\n')).toEqual([]);
  });
});

describe('embedded database detector', () => {
  it('recognises SQLite, H2, Derby, BoltDB and RocksDB settings', () => {
    expect(detectEmbeddedDb('DATABASE_URL', 'sqlite:///data/app.db')?.engine).toBe('SQLite');
    expect(detectEmbeddedDb('DB_PATH', '/data/app.sqlite3')?.engine).toBe('SQLite');
    expect(detectEmbeddedDb('JDBC_URL', 'jdbc:h2:file:/data/db')?.engine).toBe('H2');
    expect(detectEmbeddedDb('JDBC_URL', 'jdbc:derby:/data/db;create=true')?.engine).toBe('Derby');
    expect(detectEmbeddedDb('STATE_FILE', '/var/lib/x/state.bolt')?.engine).toBe('BoltDB');
    expect(detectEmbeddedDb('STORAGE_ENGINE', 'rocksdb')?.engine).toBe('RocksDB');
    expect(detectEmbeddedDbInText('[database]\npath = "sqlite:///data/a.db"\n')?.setting).toBe('database.path');
  });
  it('ignores in-memory and client/server databases', () => {
    expect(detectEmbeddedDb('JDBC_URL', 'jdbc:h2:mem:test')).toBeUndefined();
    expect(detectEmbeddedDb('DB', 'sqlite::memory:')).toBeUndefined();
    expect(detectEmbeddedDb('DATABASE_URL', 'postgresql://db:5432/app')).toBeUndefined();
    expect(detectEmbeddedDb('LOG_FILE', '/var/log/app.log')).toBeUndefined();
  });
});

describe('operator-managed pods, runtime Secrets, dependencies and metrics settings', () => {
  const g = graphOf(`
apiVersion: monitoring.coreos.com/v1
kind: Prometheus
metadata: {name: k8s, namespace: monitoring, labels: {team: obs}}
spec:
  podMetadata:
    labels: {app.kubernetes.io/name: prometheus}
---
apiVersion: monitoring.coreos.com/v1
kind: ServiceMonitor
metadata: {name: api, namespace: monitoring, labels: {app: api}}
spec: {selector: {matchLabels: {app: api}}}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: init, namespace: apps}
rules: [{apiGroups: [""], resources: [secrets], verbs: [create]}]
---
apiVersion: v1
kind: Service
metadata: {name: redis, namespace: apps}
spec: {selector: {app: redis}, ports: [{port: 6379}]}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: api, namespace: apps}
spec:
  template:
    metadata: {labels: {app: api}}
    spec:
      containers:
      - name: api
        image: example/api:1
        env:
        - {name: REDIS_URL, value: "redis://:pw@redis.apps.svc.cluster.local:6379/0"}
        - {name: CACHE_HOST, value: redis}
        - {name: METRICS_ADDR, value: "0.0.0.0:9100"}
        - {name: UPSTREAM, value: "https://example.com"}
`);
  it('treats custom resources as possible pod owners, but not monitors', () => {
    expect(g.operatorMayRun({ matchLabels: { 'app.kubernetes.io/name': 'prometheus' } }, 'monitoring', 'selector')).toBe(true);
    expect(g.operatorMayRun({ matchLabels: { app: 'api' } }, 'monitoring', 'selector')).toBe(false);
  });
  it('knows where Secrets may be created at runtime', () => {
    expect(g.createsSecretsAtRuntime('apps')).toBe(true);
    expect(g.createsSecretsAtRuntime('monitoring')).toBe(false);
  });
  it('resolves configured dependencies to Services', () => {
    const api = g.get('Deployment', 'api', 'apps')!;
    expect(dependenciesOf(g, api).map((d) => `${d.service.name}:${d.servicePort.port}@${d.where}`)).toEqual(['redis:6379@env REDIS_URL of container "api"']);
  });
  it('reads METRICS_PORT-style settings', () => {
    expect(metricsPortSetting('METRICS_PORT', '9091')).toBe(9091);
    expect(metricsPortSetting('metrics_addr', ':9100')).toBe(9100);
    expect(metricsPortSetting('prometheus.listen-address', '0.0.0.0:9090')).toBe(9090);
    expect(metricsPortSetting('HTTP_PORT', '8080')).toBeUndefined();
    expect(metricsPortSetting('METRICS_ENABLED', 'true')).toBeUndefined();
  });
});
