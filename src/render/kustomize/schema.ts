/**
 * What kustomize's strategic merge knows of a kind: the patch merge keys of its lists, from the Kubernetes
 * OpenAPI document kustomize v5 compiles in (Kubernetes 1.21), plus what a kustomization's `openapi:` file
 * declares for custom kinds. A kind that document does not have (every custom resource, and built-in kinds or
 * versions newer than 1.21) has no merge keys: kustomize replaces its lists whole. Lists with a key merge item
 * by item; `set` lists (finalizers) merge as sets of scalars; other lists are replaced.
 */

export interface FieldMeta {
  /** The patch merge key of a list of maps. */
  key?: string;
  /**
   * Its x-kubernetes-list-map-keys when they are more than one (container ports: containerPort and protocol):
   * kyaml then merges items on all of them (see mergeMultiKeyList).
   */
  keys?: string[];
  /** A list of scalars merged as a set (patch strategy merge, no key). */
  set?: true;
  /** The type of the value (of the list's items, for a list). */
  type?: string;
}

export type TypeMeta = Record<string, FieldMeta>;

const META: FieldMeta = { type: 'ObjectMeta' };
const CONDITIONS: FieldMeta = { key: 'type' };

/** Types with merge metadata somewhere below them (the rest of the document's types have none). */
const BUILTIN_TYPES: Record<string, TypeMeta> = {
  ObjectMeta: { finalizers: { set: true }, ownerReferences: { key: 'uid' } },
  Plain: { metadata: META },
  Conditions: { metadata: META, status: { type: 'Status' } },
  Status: { conditions: CONDITIONS },
  WebhookConfiguration: { metadata: META, webhooks: { key: 'name' } },
  Workload: { metadata: META, spec: { type: 'WorkloadSpec' }, status: { type: 'Status' } },
  WorkloadSpec: { template: { type: 'PodTemplateSpec' }, volumeClaimTemplates: { type: 'Conditions' } },
  CronJob: { metadata: META, spec: { type: 'CronJobSpec' } },
  CronJobSpec: { jobTemplate: { type: 'Workload' } },
  Pod: { metadata: META, spec: { type: 'PodSpec' }, status: { type: 'PodStatus' } },
  PodStatus: { conditions: CONDITIONS, podIPs: { key: 'ip' } },
  PodTemplate: { metadata: META, template: { type: 'PodTemplateSpec' } },
  PodTemplateSpec: { metadata: META, spec: { type: 'PodSpec' } },
  PodSpec: {
    containers: { key: 'name', type: 'Container' },
    initContainers: { key: 'name', type: 'Container' },
    ephemeralContainers: { key: 'name', type: 'EphemeralContainer' },
    hostAliases: { key: 'ip' },
    imagePullSecrets: { key: 'name' },
    topologySpreadConstraints: { key: 'topologyKey', keys: ['topologyKey', 'whenUnsatisfiable'] },
    volumes: { key: 'name', type: 'Volume' },
  },
  Volume: { ephemeral: { type: 'EphemeralVolumeSource' } },
  EphemeralVolumeSource: { volumeClaimTemplate: { type: 'Plain' } },
  Container: { env: { key: 'name' }, ports: { key: 'containerPort', keys: ['containerPort', 'protocol'] }, volumeDevices: { key: 'devicePath' }, volumeMounts: { key: 'mountPath' } },
  EphemeralContainer: { env: { key: 'name' }, volumeDevices: { key: 'devicePath' }, volumeMounts: { key: 'mountPath' } },
  Service: { metadata: META, spec: { type: 'ServiceSpec' }, status: { type: 'Status' } },
  ServiceSpec: { ports: { key: 'port', keys: ['port', 'protocol'] } },
  ServiceAccount: { metadata: META, secrets: { key: 'name' } },
  Node: { metadata: META, spec: { type: 'NodeSpec' }, status: { type: 'NodeStatus' } },
  NodeSpec: { podCIDRs: { set: true } },
  NodeStatus: { addresses: { key: 'type' }, conditions: CONDITIONS },
  CSINode: { metadata: META, spec: { type: 'CSINodeSpec' } },
  CSINodeSpec: { drivers: { key: 'name' } },
};

/** The kinds of the compiled-in document, by apiVersion: `Kind` (metadata only) or `Kind=Type`. */
const BUILTIN_KINDS: Record<string, string> = {
  'admissionregistration.k8s.io/v1': 'MutatingWebhookConfiguration=WebhookConfiguration ValidatingWebhookConfiguration=WebhookConfiguration',
  'admissionregistration.k8s.io/v1beta1': 'MutatingWebhookConfiguration=WebhookConfiguration ValidatingWebhookConfiguration=WebhookConfiguration',
  'apiextensions.k8s.io/v1': 'CustomResourceDefinition',
  'apiextensions.k8s.io/v1beta1': 'CustomResourceDefinition',
  'apiregistration.k8s.io/v1': 'APIService=Conditions',
  'apiregistration.k8s.io/v1beta1': 'APIService=Conditions',
  'apps/v1': 'ControllerRevision DaemonSet=Workload Deployment=Workload ReplicaSet=Workload StatefulSet=Workload',
  'authentication.k8s.io/v1': 'TokenRequest TokenReview',
  'authentication.k8s.io/v1beta1': 'TokenReview',
  'authorization.k8s.io/v1': 'LocalSubjectAccessReview SelfSubjectAccessReview SelfSubjectRulesReview SubjectAccessReview',
  'authorization.k8s.io/v1beta1': 'LocalSubjectAccessReview SelfSubjectAccessReview SelfSubjectRulesReview SubjectAccessReview',
  'autoscaling/v1': 'HorizontalPodAutoscaler Scale',
  'autoscaling/v2beta1': 'HorizontalPodAutoscaler',
  'autoscaling/v2beta2': 'HorizontalPodAutoscaler',
  'batch/v1': 'CronJob=CronJob Job=Workload',
  'batch/v1beta1': 'CronJob=CronJob',
  'certificates.k8s.io/v1': 'CertificateSigningRequest',
  'certificates.k8s.io/v1beta1': 'CertificateSigningRequest',
  'coordination.k8s.io/v1': 'Lease',
  'coordination.k8s.io/v1beta1': 'Lease',
  'discovery.k8s.io/v1': 'EndpointSlice',
  'discovery.k8s.io/v1beta1': 'EndpointSlice',
  'events.k8s.io/v1': 'Event',
  'events.k8s.io/v1beta1': 'Event',
  'extensions/v1beta1': 'Ingress',
  'flowcontrol.apiserver.k8s.io/v1beta1': 'FlowSchema PriorityLevelConfiguration',
  'networking.k8s.io/v1': 'Ingress IngressClass NetworkPolicy',
  'networking.k8s.io/v1beta1': 'Ingress IngressClass',
  'node.k8s.io/v1': 'RuntimeClass',
  'node.k8s.io/v1beta1': 'RuntimeClass',
  'policy/v1': 'PodDisruptionBudget=Conditions',
  'policy/v1beta1': 'Eviction PodDisruptionBudget=Conditions PodSecurityPolicy',
  'rbac.authorization.k8s.io/v1': 'ClusterRole ClusterRoleBinding Role RoleBinding',
  'rbac.authorization.k8s.io/v1beta1': 'ClusterRole ClusterRoleBinding Role RoleBinding',
  'scheduling.k8s.io/v1': 'PriorityClass',
  'scheduling.k8s.io/v1beta1': 'PriorityClass',
  'storage.k8s.io/v1': 'CSIDriver CSINode=CSINode StorageClass VolumeAttachment',
  'storage.k8s.io/v1beta1': 'CSIDriver CSINode=CSINode CSIStorageCapacity StorageClass VolumeAttachment',
  v1: 'Binding ComponentStatus=Conditions ConfigMap Endpoints Event LimitRange Namespace=Conditions Node=Node PersistentVolume PersistentVolumeClaim=Conditions Pod=Pod PodTemplate=PodTemplate ReplicationController=Workload ResourceQuota Secret Service=Service ServiceAccount=ServiceAccount',
};

const BUILTIN_ROOTS = new Map<string, string>();
for (const [apiVersion, kinds] of Object.entries(BUILTIN_KINDS)) {
  for (const k of kinds.split(' ')) {
    const [kind, type] = k.split('=');
    BUILTIN_ROOTS.set(`${apiVersion}/${kind}`, type ?? 'Plain');
  }
}

/** Where a strategic merge is in an object's schema: the type of the map being merged. */
export interface SchemaAt {
  types: Record<string, TypeMeta>;
  type: string | undefined;
}

/** A kustomization's `openapi:` document: custom kinds and their types, on top of the compiled-in ones. */
export interface CustomSchema {
  roots: Map<string, string>;
  types: Record<string, TypeMeta>;
}

/** The schema position of an object's root, or undefined when kustomize has no schema for its kind. */
export function schemaOf(apiVersion: string, kind: string, custom?: CustomSchema): SchemaAt | undefined {
  const id = `${apiVersion}/${kind}`;
  const c = custom?.roots.get(id);
  if (c !== undefined) return { types: custom!.types, type: c };
  const b = BUILTIN_ROOTS.get(id);
  return b === undefined ? undefined : { types: BUILTIN_TYPES, type: b };
}

/** The field `name` of the map at `at`. */
export function fieldOf(at: SchemaAt | undefined, name: string): FieldMeta | undefined {
  if (!at?.type) return undefined;
  return at.types[at.type]?.[name];
}

/** The schema position below field `name` (for a list: of its items). */
export function below(at: SchemaAt | undefined, name: string): SchemaAt | undefined {
  const f = fieldOf(at, name);
  return at && f?.type ? { types: at.types, type: f.type } : undefined;
}

const refName = (ref: unknown): string | undefined => (typeof ref === 'string' ? ref.replace(/^#\/definitions\//, '') : undefined);

/**
 * Read an OpenAPI (swagger 2) document's definitions: each with x-kubernetes-group-version-kind is a root;
 * x-kubernetes-patch-merge-key and x-kubernetes-patch-strategy give the merge metadata. Inline object
 * properties become types of their own.
 */
export function readCustomSchema(doc: unknown): CustomSchema {
  const out: CustomSchema = { roots: new Map(), types: {} };
  const defs = doc && typeof doc === 'object' ? (doc as { definitions?: unknown }).definitions : undefined;
  if (!defs || typeof defs !== 'object') return out;
  let inline = 0;
  const typeOf = (s: Record<string, unknown>, name: string, depth: number): string | undefined => {
    const ref = refName(s.$ref);
    if (ref) return ref;
    if (depth > 50 || !s.properties || typeof s.properties !== 'object') return undefined;
    const t = `${name}#${inline++}`;
    out.types[t] = fieldsOf(s.properties as Record<string, unknown>, t, depth + 1);
    return t;
  };
  const fieldsOf = (props: Record<string, unknown>, name: string, depth: number): TypeMeta => {
    const meta: TypeMeta = {};
    for (const [k, v] of Object.entries(props)) {
      if (!v || typeof v !== 'object') continue;
      const p = v as Record<string, unknown>;
      const f: FieldMeta = {};
      const strategy = String(p['x-kubernetes-patch-strategy'] ?? '');
      // kyaml takes x-kubernetes-list-map-keys over the patch merge key when the list has a patch strategy
      const mapKeys = Array.isArray(p['x-kubernetes-list-map-keys']) ? (p['x-kubernetes-list-map-keys'] as unknown[]).map(String) : [];
      if (mapKeys.length && /\bmerge\b/.test(strategy)) {
        f.key = mapKeys[0];
        if (mapKeys.length > 1) f.keys = mapKeys;
      } else if (typeof p['x-kubernetes-patch-merge-key'] === 'string' && /\bmerge\b/.test(strategy)) f.key = p['x-kubernetes-patch-merge-key'];
      else if (p.type === 'array' && /\bmerge\b/.test(strategy)) f.set = true;
      const elem = p.type === 'array' && p.items && typeof p.items === 'object' ? (p.items as Record<string, unknown>) : p;
      const t = typeOf(elem, `${name}.${k}`, depth);
      if (t) f.type = t;
      if (f.key || f.set || f.type) meta[k] = f;
    }
    return meta;
  };
  for (const [name, d] of Object.entries(defs as Record<string, unknown>)) {
    if (!d || typeof d !== 'object') continue;
    const def = d as Record<string, unknown>;
    out.types[name] = def.properties && typeof def.properties === 'object' ? fieldsOf(def.properties as Record<string, unknown>, name, 0) : {};
    const gvks = def['x-kubernetes-group-version-kind'];
    if (Array.isArray(gvks)) {
      for (const g of gvks) {
        if (!g || typeof g !== 'object') continue;
        const { group, version, kind } = g as Record<string, unknown>;
        out.roots.set(`${group ? `${String(group)}/` : ''}${String(version)}/${String(kind)}`, name);
      }
    }
  }
  return out;
}
