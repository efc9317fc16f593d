import { defineRule, type RuleContext } from '../src/rule.js';
import type { Path } from '../src/types.js';
import type { KubeObject, Resource } from '../src/graph/resource.js';
import { containersOf, isObj, podOf } from '../src/util/pod.js';
import { fieldPath } from '../src/schema/text.js';
import { quantityValue } from '../src/schema/formats.js';
import { ianaSvcName } from '../src/schema/names.js';

type Ctx = RuleContext<'rejected' | 'podsRefused'>;

/**
 * The API server's own validation (k8s.io/kubernetes pkg/apis/core/validation and pkg/apis/batch|apps/validation,
 * Kubernetes 1.35), for what the OpenAPI schema cannot say: values that must be unique, references inside the
 * object, one-of choices, ranges and cross-field bounds. Each finding carries the answer `kubectl apply` gets.
 */
function reject(ctx: Ctx, r: Resource, path: Path, problem: string, answer: string, field: Path = path, atApply = false): void {
  // An excerpt leaves fields out: a missing value, or a volume it does not show, is no defect there.
  if (ctx.settings.excerpt && /^(Required value|Not found)/.test(answer)) return;
  // A StatefulSet's pod spec is not validated with the StatefulSet (apps validation leaves it to the pods, and
  // checks only the restart policy itself): the object is accepted and each pod the controller creates is refused.
  if (!atApply && r.kind === 'StatefulSet' && field[0] === 'spec' && field[1] === 'template' && field[2] === 'spec') {
    const podPath = field.slice(2);
    ctx.report({ messageId: 'podsRefused', path, data: { problem, answer: `Pod "${r.name}-0" is invalid: ${fieldPath(podPath)}: ${answer}` } });
    return;
  }
  ctx.report({ messageId: 'rejected', path, data: { problem, answer: `${r.kind} "${r.name}" is invalid: ${fieldPath(field)}: ${answer}` } });
}

const portRange = (n: number) => Number.isInteger(n) && n >= 1 && n <= 65535;
const PROBE_HANDLERS = ['exec', 'httpGet', 'tcpSocket', 'grpc'];
/** Kinds whose pods restart in place: the controller accepts only restartPolicy Always. */
const ALWAYS_RESTART = new Set(['Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet', 'ReplicationController']);
const JOB_KINDS = new Set(['Job', 'CronJob']);

function checkPod(r: Resource, ctx: Ctx): void {
  const pod = podOf(r);
  if (!pod || !isObj(pod.spec)) return;
  const spec = pod.spec;
  const base = pod.specPath;

  // Volumes: unique names (validateVolumes).
  const volumes = new Set<string>();
  if (Array.isArray(spec.volumes)) {
    spec.volumes.forEach((v: KubeObject, i: number) => {
      if (!isObj(v) || typeof v.name !== 'string' || !v.name) return;
      if (volumes.has(v.name)) reject(ctx, r, [...base, 'volumes', i, 'name'], `Two volumes are named "${v.name}"`, `Duplicate value: "${v.name}"`);
      volumes.add(v.name);
    });
  }
  // A StatefulSet gives its pods one volume per claim template, replacing a template volume of the same name.
  if (r.kind === 'StatefulSet' && Array.isArray(r.object.spec?.volumeClaimTemplates)) {
    for (const t of r.object.spec.volumeClaimTemplates as KubeObject[]) if (isObj(t) && typeof t.metadata?.name === 'string') volumes.add(t.metadata.name);
  }

  const names = new Set<string>();
  const list = containersOf(r);
  // Regular containers' names are taken before the init containers' (validateInitContainers checks against them).
  const ordered = [...list.filter((x) => !x.init), ...list.filter((x) => x.init)];
  for (const x of ordered) {
    const c = x.c;
    if (!isObj(c)) continue;
    const what = `${x.init ? 'Init container' : 'Container'} "${x.name}"`;
    if (typeof c.name === 'string' && c.name) {
      if (names.has(c.name)) reject(ctx, r, [...x.path, 'name'], `Two containers of the pod are named "${c.name}"`, `Duplicate value: "${c.name}"`);
      names.add(c.name);
    }
    // validateContainerCommon: an image is required for pods and pod templates alike.
    if (c.image === undefined || c.image === null || c.image === '') reject(ctx, r, c.image === undefined ? [...x.path, 'name'] : [...x.path, 'image'], `${what} has no image, so there is nothing to run`, 'Required value', [...x.path, 'image']);

    // validateContainerPorts: numbers in range, names unique within the container (protocols are a schema enum).
    const portNames = new Set<string>();
    if (Array.isArray(c.ports)) {
      c.ports.forEach((p: KubeObject, i: number) => {
        if (!isObj(p)) return;
        const at = [...x.path, 'ports', i];
        if (typeof p.name === 'string' && p.name && !ianaSvcName(p.name)) {
          if (portNames.has(p.name)) reject(ctx, r, [...at, 'name'], `${what} declares port name "${p.name}" twice`, `Duplicate value: "${p.name}"`);
          portNames.add(p.name);
        }
        // containerPort is a plain int32: null decodes to 0, which validation reads as unset.
        if (p.containerPort === null || p.containerPort === 0) reject(ctx, r, [...at, 'containerPort'], `${what} declares a port with no number (containerPort ${String(p.containerPort)})`, 'Required value');
        else if (typeof p.containerPort === 'number' && !portRange(p.containerPort)) reject(ctx, r, [...at, 'containerPort'], `${what} declares port ${p.containerPort}, outside 1-65535`, `Invalid value: ${p.containerPort}: must be between 1 and 65535, inclusive`);
        if (typeof p.hostPort === 'number' && p.hostPort !== 0 && !portRange(p.hostPort)) reject(ctx, r, [...at, 'hostPort'], `${what} declares host port ${p.hostPort}, outside 1-65535`, `Invalid value: ${p.hostPort}: must be between 1 and 65535, inclusive`);
      });
    }

    // validateEnv, with the relaxed names of Kubernetes 1.32+ (RelaxedEnvironmentVariableValidation): any
    // printable ASCII character but "=".
    if (Array.isArray(c.env)) {
      c.env.forEach((e: KubeObject, i: number) => {
        if (!isObj(e) || typeof e.name !== 'string' || !e.name || /^[ -<>-~]+$/.test(e.name)) return;
        reject(ctx, r, [...x.path, 'env', i, 'name'], `${what} sets an environment variable named ${JSON.stringify(e.name)}, which a process environment cannot hold`, `Invalid value: ${JSON.stringify(e.name)}: a valid environment variable name must consist only of printable ASCII characters other than '='`);
      });
    }

    // validateVolumeMounts: every mount names a volume of the pod; mount paths unique within the container.
    const mountPaths = new Set<string>();
    if (Array.isArray(c.volumeMounts)) {
      c.volumeMounts.forEach((m: KubeObject, i: number) => {
        if (!isObj(m)) return;
        const at = [...x.path, 'volumeMounts', i];
        if (typeof m.name === 'string' && m.name && !volumes.has(m.name)) reject(ctx, r, [...at, 'name'], `${what} mounts volume "${m.name}", which the pod does not define`, `Not found: "${m.name}"`);
        if (typeof m.mountPath === 'string' && m.mountPath) {
          if (mountPaths.has(m.mountPath)) reject(ctx, r, [...at, 'mountPath'], `${what} mounts two volumes at ${m.mountPath}`, `Invalid value: "${m.mountPath}": must be unique`);
          mountPaths.add(m.mountPath);
        }
      });
    }
    if (Array.isArray(c.volumeDevices)) {
      c.volumeDevices.forEach((d: KubeObject, i: number) => {
        if (isObj(d) && typeof d.name === 'string' && d.name && !volumes.has(d.name)) reject(ctx, r, [...x.path, 'volumeDevices', i, 'name'], `${what} uses volume "${d.name}" as a device, which the pod does not define`, `Not found: "${d.name}"`);
      });
    }

    // Probes: one handler each (validateHandler); liveness and startup succeed once (successThreshold 1);
    // init containers other than sidecars take none.
    for (const probe of ['livenessProbe', 'readinessProbe', 'startupProbe']) {
      const p = c[probe];
      if (!isObj(p)) continue;
      const at = [...x.path, probe];
      if (x.init && !x.sidecar) {
        reject(ctx, r, at, `${what} has a ${probe}, which init containers cannot have (they run to completion before the pod starts)`, 'Forbidden: may not be set for init containers without restartPolicy=Always');
        continue;
      }
      const handlers = PROBE_HANDLERS.filter((h) => p[h] !== undefined && p[h] !== null);
      if (handlers.length === 0) reject(ctx, r, at, `The ${probe} of ${what.toLowerCase()} has no handler (exec, httpGet, tcpSocket or grpc), so it checks nothing`, 'Required value: must specify a handler type');
      else if (handlers.length > 1) reject(ctx, r, [...at, handlers[1]], `The ${probe} of ${what.toLowerCase()} sets ${handlers.join(' and ')}; a probe has exactly one handler`, 'Forbidden: may not specify more than 1 handler type');
      if (probe !== 'readinessProbe' && typeof p.successThreshold === 'number' && p.successThreshold !== 1) reject(ctx, r, [...at, 'successThreshold'], `The ${probe} of ${what.toLowerCase()} sets successThreshold ${p.successThreshold}; liveness and startup probes succeed after one success`, `Invalid value: ${p.successThreshold}: must be 1`);
    }

    // ValidateContainerResourceRequirements: a request may not exceed the limit of the same resource.
    const res = c.resources;
    if (isObj(res) && isObj(res.requests) && isObj(res.limits)) {
      for (const [name, req] of Object.entries(res.requests)) {
        const lim = res.limits[name];
        const a = quantityValue(req);
        const b = quantityValue(lim);
        if (a === undefined || b === undefined || a <= b) continue;
        reject(ctx, r, [...x.path, 'resources', 'requests', name], `${what} requests ${String(req)} ${name} but is limited to ${String(lim)}`, `Invalid value: "${String(req)}": must be less than or equal to ${name} limit of ${String(lim)}`);
      }
    }
  }

  checkSpread(r, ctx, spec.topologySpreadConstraints, base);

  // Restart policy the controller accepts (apps and batch validation).
  const rp = spec.restartPolicy;
  if (ALWAYS_RESTART.has(r.kind) && typeof rp === 'string' && rp !== 'Always') {
    reject(ctx, r, [...base, 'restartPolicy'], `${r.kind} pods must restart in place, but the template sets restartPolicy ${rp}`, `Unsupported value: "${rp}": supported values: "Always"`, [...base, 'restartPolicy'], true);
  }
  if (JOB_KINDS.has(r.kind) && rp !== 'OnFailure' && rp !== 'Never') {
    const shown = typeof rp === 'string' ? rp : 'Always';
    // An unset restartPolicy is defaulted to Always before validation runs.
    reject(ctx, r, rp === undefined ? base : [...base, 'restartPolicy'], `A Job's pods must run to completion, but the template ${rp === undefined ? 'leaves restartPolicy to its default, Always' : `sets restartPolicy ${shown}`}`, `Unsupported value: "${shown}": supported values: "OnFailure", "Never"`, [...base, 'restartPolicy']);
  }
}

/**
 * validateTopologySpreadConstraints: maxSkew above zero (a plain int32, so null is 0), minDomains above zero
 * and only with whenUnsatisfiable DoNotSchedule, and no two constraints on the same topologyKey and
 * whenUnsatisfiable. The OpenAPI schema states none of these bounds.
 */
function checkSpread(r: Resource, ctx: Ctx, list: unknown, base: Path): void {
  if (!Array.isArray(list)) return;
  const pairs = new Set<string>();
  list.forEach((t: KubeObject, i: number) => {
    if (!isObj(t)) return;
    const at: Path = [...base, 'topologySpreadConstraints', i];
    const skew = t.maxSkew === null ? 0 : t.maxSkew;
    if (typeof skew === 'number' && skew <= 0) {
      reject(ctx, r, [...at, 'maxSkew'], `Topology spread constraint ${i + 1} sets maxSkew ${String(t.maxSkew)}; the skew allowed between domains must be at least 1`, `Invalid value: ${skew}: must be greater than zero`);
    }
    const when = typeof t.whenUnsatisfiable === 'string' ? t.whenUnsatisfiable : '';
    if (typeof t.minDomains === 'number') {
      if (t.minDomains <= 0) reject(ctx, r, [...at, 'minDomains'], `Topology spread constraint ${i + 1} sets minDomains ${t.minDomains}; it must be at least 1 (leave it unset for no minimum)`, `Invalid value: ${t.minDomains}: must be greater than zero`);
      if (when && when !== 'DoNotSchedule') reject(ctx, r, [...at, 'minDomains'], `Topology spread constraint ${i + 1} sets minDomains with whenUnsatisfiable ${when}; minDomains only applies to DoNotSchedule`, `Invalid value: ${t.minDomains}: can only use minDomains if whenUnsatisfiable=DoNotSchedule, not ${when}`);
    }
    if (typeof t.topologyKey === 'string' && when) {
      const key = `{${t.topologyKey}, ${when}}`;
      if (pairs.has(key)) reject(ctx, r, at, `Two topology spread constraints use topologyKey "${t.topologyKey}" with whenUnsatisfiable ${when}`, `Duplicate value: "${key}"`, [...at, '{topologyKey, whenUnsatisfiable}']);
      pairs.add(key);
    }
  });
}

/** ValidateService: ports present, named when several, unique, in range; nodePort only where a node port exists. */
function checkService(r: Resource, ctx: Ctx): void {
  const spec = r.object.spec;
  if (!isObj(spec)) return;
  const type = typeof spec.type === 'string' ? spec.type : 'ClusterIP';
  const ports = Array.isArray(spec.ports) ? (spec.ports as KubeObject[]) : [];
  if (!ports.length) {
    if (type !== 'ExternalName' && spec.clusterIP !== 'None') reject(ctx, r, spec.ports === undefined ? ['spec'] : ['spec', 'ports'], `Service "${r.name}" has no ports; only headless and ExternalName Services may omit them`, 'Required value', ['spec', 'ports']);
    return;
  }
  const names = new Set<string>();
  const seen = new Set<string>();
  ports.forEach((p, i) => {
    if (!isObj(p)) return;
    const at: Path = ['spec', 'ports', i];
    if (ports.length > 1 && (typeof p.name !== 'string' || !p.name)) reject(ctx, r, at, `Port ${i + 1} of Service "${r.name}" has no name; a Service with several ports names each`, 'Required value', [...at, 'name']);
    if (typeof p.name === 'string' && p.name) {
      if (names.has(p.name)) reject(ctx, r, [...at, 'name'], `Service "${r.name}" names two ports "${p.name}"`, `Duplicate value: "${p.name}"`);
      names.add(p.name);
    }
    if (typeof p.port === 'number' && !portRange(p.port)) reject(ctx, r, [...at, 'port'], `Service "${r.name}" exposes port ${p.port}, outside 1-65535`, `Invalid value: ${p.port}: must be between 1 and 65535, inclusive`);
    if (typeof p.targetPort === 'number' && p.targetPort !== 0 && !portRange(p.targetPort)) reject(ctx, r, [...at, 'targetPort'], `Service "${r.name}" targets port ${p.targetPort}, outside 1-65535`, `Invalid value: ${p.targetPort}: must be between 1 and 65535, inclusive`);
    if (typeof p.targetPort === 'string' && p.targetPort && !/^\d+$/.test(p.targetPort)) {
      const bad = ianaSvcName(p.targetPort);
      if (bad) reject(ctx, r, [...at, 'targetPort'], `Service "${r.name}" targets port name "${p.targetPort}", which no container port can have (${bad})`, `Invalid value: "${p.targetPort}": ${bad}`);
    }
    const proto = typeof p.protocol === 'string' && p.protocol ? p.protocol : 'TCP';
    if (typeof p.port === 'number') {
      const key = `${p.port}/${proto}`;
      if (seen.has(key)) reject(ctx, r, [...at, 'port'], `Service "${r.name}" exposes ${p.port}/${proto} twice`, `Duplicate value: {"port": ${p.port}, "protocol": "${proto}"}`, at);
      seen.add(key);
    }
    if (p.nodePort !== undefined && p.nodePort !== null && p.nodePort !== 0 && (type === 'ClusterIP' || type === 'ExternalName')) {
      reject(ctx, r, [...at, 'nodePort'], `Service "${r.name}" is of type ${type} but sets a nodePort, which only NodePort and LoadBalancer Services have`, `Forbidden: may not be used when \`type\` is '${type}'`);
    }
  });
}

export default defineRule({
  id: 'api-validation',
  meta: {
    description: 'Report what the API server\'s built-in validation rejects beyond the OpenAPI schema',
    category: 'schema',
    severity: 'error',
    recommended: true,
    kinds: ['Pod', 'Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'ReplicationController', 'Job', 'CronJob', 'PodTemplate', 'Service'],
    messages: {
      rejected: '{{problem}}; `kubectl apply` is refused with: {{answer}}',
      podsRefused: '{{problem}}; the StatefulSet is accepted, but the API server refuses every pod its controller creates (see `kubectl describe statefulset`): {{answer}}',
    },
    docs: {
      rationale:
        'The OpenAPI schema that kubeconform and most linters check is only part of what the API server enforces. Its validation code (pkg/apis/core/validation, apps and batch validation, Kubernetes 1.35) also requires every container to have an image, container and volume names to be unique in the pod, container port names to be unique in the container, environment variable names to be printable ASCII without "=", each volumeMount to name a volume of the pod and each mount path to be used once, ports to lie in 1-65535 (a containerPort of 0 or null counts as unset), topology spread constraints to have maxSkew and minDomains of at least 1 (minDomains only with whenUnsatisfiable DoNotSchedule) and distinct topologyKey/whenUnsatisfiable pairs, each probe to have exactly one handler (and liveness and startup probes a successThreshold of 1), init containers other than sidecars to have no probes, requests not to exceed limits, restartPolicy Always for Deployments, StatefulSets, DaemonSets and ReplicaSets and OnFailure or Never for Jobs, and a Service to have ports (unless headless or ExternalName), named when several, unique by port and protocol, and no nodePort on a ClusterIP Service. A manifest that breaks one of these passes schema checks and review, then fails at `kubectl apply`, or in a GitOps controller\'s sync, with the message quoted in the finding.',
      remediation: 'Correct the field the finding points at: add the image, rename the duplicate, declare the volume the mount names, drop the extra probe handler, lower the request to the limit (or raise the limit), set the restart policy the controller needs, or name the Service ports.',
      references: ['https://github.com/kubernetes/kubernetes/blob/v1.35.0/pkg/apis/core/validation/validation.go', 'https://github.com/kubernetes/kubernetes/blob/v1.35.0/pkg/apis/batch/validation/validation.go'],
    },
  },
  check(r, ctx) {
    if (r.kind === 'Service') checkService(r, ctx);
    else checkPod(r, ctx);
  },
});
