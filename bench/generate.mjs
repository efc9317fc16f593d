// Generated repositories for `npm run bench` (written to a temp dir at bench time, never committed).
//
// Each application is one file of seven objects that refer to each other the way real repositories do, so
// the graph's joins (selectors, references, reverse indexes) do the work they do on a real repository, not
// only the per-object checks: a Deployment that mounts a PersistentVolumeClaim and a ConfigMap (volume and
// envFrom) under its own ServiceAccount-less pod spec, a Service selecting its pods by label, a ServiceMonitor
// selecting the Service, a HorizontalPodAutoscaler targeting the Deployment, and a NetworkPolicy admitting
// traffic to the pods from the previous application's pods in the same namespace. Applications are spread
// over 50 namespaces, one directory each, like a repository of per-team folders.
//
// The Deployment leaves replicas to its HorizontalPodAutoscaler. Usage: node bench/generate.mjs COUNT [DIR]
// (prints the directory).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const NAMESPACES = 50;

/** The seven objects of application `a` (names unique per namespace), as YAML documents. */
function application(a) {
  const ns = `team-${a % NAMESPACES}`;
  const n = `app-${a}`;
  const prev = `app-${Math.max(0, a - NAMESPACES)}`; // the previous application in the same namespace
  const labels = `    app.kubernetes.io/name: ${n}\n    app.kubernetes.io/part-of: shop\n`;
  return [
    `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${n}\n  namespace: ${ns}\n  labels:\n${labels}spec:\n  selector:\n    matchLabels:\n      app.kubernetes.io/name: ${n}\n  template:\n    metadata:\n      labels:\n        app.kubernetes.io/name: ${n}\n        app.kubernetes.io/part-of: shop\n    spec:\n      automountServiceAccountToken: false\n      securityContext:\n        runAsNonRoot: true\n        runAsUser: 10001\n        seccompProfile:\n          type: RuntimeDefault\n      containers:\n      - name: main\n        image: registry.example.com/shop/${n}:1.4.${a % 97}\n        imagePullPolicy: IfNotPresent\n        ports:\n        - containerPort: 8080\n          name: http\n        - containerPort: 9090\n          name: metrics\n        envFrom:\n        - configMapRef:\n            name: ${n}-config\n        env:\n        - name: UPSTREAM\n          value: http://${prev}.${ns}.svc.cluster.local\n        readinessProbe:\n          httpGet:\n            path: /ready\n            port: http\n        livenessProbe:\n          httpGet:\n            path: /healthz\n            port: http\n        resources:\n          requests:\n            cpu: 100m\n            memory: 128Mi\n          limits:\n            memory: 256Mi\n        securityContext:\n          allowPrivilegeEscalation: false\n          readOnlyRootFilesystem: true\n          capabilities:\n            drop:\n            - ALL\n        volumeMounts:\n        - name: data\n          mountPath: /var/lib/${n}\n        - name: config\n          mountPath: /etc/${n}\n          readOnly: true\n      volumes:\n      - name: data\n        persistentVolumeClaim:\n          claimName: ${n}-data\n      - name: config\n        configMap:\n          name: ${n}-config\n`,
    `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${n}\n  namespace: ${ns}\n  labels:\n${labels}spec:\n  selector:\n    app.kubernetes.io/name: ${n}\n  ports:\n  - name: http\n    port: 80\n    targetPort: http\n  - name: metrics\n    port: 9090\n    targetPort: metrics\n`,
    `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${n}-config\n  namespace: ${ns}\ndata:\n  LOG_LEVEL: info\n  FEATURE_FLAGS: "a,b,c"\n  app.properties: |\n    listen=:8080\n    upstream=${prev}\n`,
    `apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: ${n}-data\n  namespace: ${ns}\nspec:\n  accessModes:\n  - ReadWriteOnce\n  resources:\n    requests:\n      storage: 1Gi\n`,
    `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: ${n}\n  namespace: ${ns}\nspec:\n  podSelector:\n    matchLabels:\n      app.kubernetes.io/name: ${n}\n  policyTypes:\n  - Ingress\n  ingress:\n  - from:\n    - podSelector:\n        matchLabels:\n          app.kubernetes.io/name: ${prev}\n    ports:\n    - protocol: TCP\n      port: 8080\n`,
    `apiVersion: monitoring.coreos.com/v1\nkind: ServiceMonitor\nmetadata:\n  name: ${n}\n  namespace: ${ns}\nspec:\n  selector:\n    matchLabels:\n      app.kubernetes.io/name: ${n}\n  endpoints:\n  - port: metrics\n    interval: 30s\n`,
    `apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata:\n  name: ${n}\n  namespace: ${ns}\nspec:\n  scaleTargetRef:\n    apiVersion: apps/v1\n    kind: Deployment\n    name: ${n}\n  minReplicas: 2\n  maxReplicas: 10\n  metrics:\n  - type: Resource\n    resource:\n      name: cpu\n      target:\n        type: Utilization\n        averageUtilization: 70\n`,
  ];
}

/** Write `count` resources (whole applications, the last one cut short) under a new temp dir; returns it. */
export function generate(count, dir = fs.mkdtempSync(path.join(os.tmpdir(), `k8s-audit-bench-${count}-`))) {
  let left = count;
  for (let a = 0; left > 0; a++) {
    const docs = application(a).slice(0, left);
    left -= docs.length;
    const sub = path.join(dir, `team-${a % NAMESPACES}`);
    fs.mkdirSync(sub, { recursive: true });
    fs.writeFileSync(path.join(sub, `app-${a}.yaml`), docs.join('---\n'));
  }
  return dir;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const count = Number(process.argv[2]);
  if (!Number.isInteger(count) || count <= 0) throw new Error('usage: node bench/generate.mjs COUNT [DIR]');
  const dir = process.argv[3] ? (fs.mkdirSync(process.argv[3], { recursive: true }), process.argv[3]) : undefined;
  console.log(generate(count, dir));
}
