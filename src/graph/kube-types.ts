/**
 * Typed access to parsed objects through the kubernetes-models interfaces. Type-only imports: nothing
 * here is loaded at run time. Parsed input is untrusted, so the types describe what a valid object looks
 * like; rules still check shapes before relying on them.
 */
import type { IDeployment } from 'kubernetes-models/apps/v1/Deployment';
import type { IStatefulSet } from 'kubernetes-models/apps/v1/StatefulSet';
import type { IDaemonSet } from 'kubernetes-models/apps/v1/DaemonSet';
import type { IReplicaSet } from 'kubernetes-models/apps/v1/ReplicaSet';
import type { IJob } from 'kubernetes-models/batch/v1/Job';
import type { ICronJob } from 'kubernetes-models/batch/v1/CronJob';
import type { IPod } from 'kubernetes-models/v1/Pod';
import type { IService } from 'kubernetes-models/v1/Service';
import type { IConfigMap } from 'kubernetes-models/v1/ConfigMap';
import type { ISecret } from 'kubernetes-models/v1/Secret';
import type { IPersistentVolumeClaim } from 'kubernetes-models/v1/PersistentVolumeClaim';
import type { IServiceAccount } from 'kubernetes-models/v1/ServiceAccount';
import type { INamespace } from 'kubernetes-models/v1/Namespace';
import type { IIngress } from 'kubernetes-models/networking.k8s.io/v1/Ingress';
import type { INetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import type { IHorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import type { IPodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import type { IRole } from 'kubernetes-models/rbac.authorization.k8s.io/v1/Role';
import type { IClusterRole } from 'kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRole';
import type { IRoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1/RoleBinding';
import type { IClusterRoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRoleBinding';
import type { IIoK8sApiCoreV1PodSpec } from 'kubernetes-models/v1/PodSpec';
import type { IIoK8sApiCoreV1Container } from 'kubernetes-models/v1/Container';
import type { Resource } from './resource.js';

export interface KindMap {
  Deployment: IDeployment;
  StatefulSet: IStatefulSet;
  DaemonSet: IDaemonSet;
  ReplicaSet: IReplicaSet;
  Job: IJob;
  CronJob: ICronJob;
  Pod: IPod;
  Service: IService;
  ConfigMap: IConfigMap;
  Secret: ISecret;
  PersistentVolumeClaim: IPersistentVolumeClaim;
  ServiceAccount: IServiceAccount;
  Namespace: INamespace;
  Ingress: IIngress;
  NetworkPolicy: INetworkPolicy;
  HorizontalPodAutoscaler: IHorizontalPodAutoscaler;
  PodDisruptionBudget: IPodDisruptionBudget;
  Role: IRole;
  ClusterRole: IClusterRole;
  RoleBinding: IRoleBinding;
  ClusterRoleBinding: IClusterRoleBinding;
}

export type PodSpec = IIoK8sApiCoreV1PodSpec;
export type ContainerSpec = IIoK8sApiCoreV1Container;

/** Narrow a resource to a kind's typed view: `if (isKind(r, 'Service')) r.typed.spec?.selector`. */
export function isKind<K extends keyof KindMap>(r: Resource, kind: K): r is Resource & { readonly typed: KindMap[K] } {
  return r.kind === kind;
}

/** The typed view of an object (same data; the type the kubernetes-models interfaces give it). */
export function typed<K extends keyof KindMap>(r: Resource, _kind: K): Readonly<KindMap[K]> {
  return r.object as unknown as KindMap[K];
}
