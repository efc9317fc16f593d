/** Every built-in rule, alphabetised by id. A test checks this list against the files in rules/. */
import type { Rule } from '../src/rule.js';
import adminEditBinding from './admin-edit-binding.js';
import adminUiExposed from './admin-ui-exposed.js';
import admissionPolicy from './admission-policy.js';
import admissionPolicyError from './admission-policy-error.js';
import anonymousAdminAccess from './anonymous-admin-access.js';
import apiValidation from './api-validation.js';
import capabilitiesNotDropped from './capabilities-not-dropped.js';
import clusterAdminBinding from './cluster-admin-binding.js';
import cronjobMissingDeadline from './cronjob-missing-deadline.js';
import customApiVersion from './custom-api-version.js';
import dangerousAppFlags from './dangerous-app-flags.js';
import dangerousCapability from './dangerous-capability.js';
import danglingReference from './dangling-reference.js';
import databaseDeploymentScaled from './database-deployment-scaled.js';
import defaultNamespace from './default-namespace.js';
import defaultServiceAccount from './default-service-account.js';
import defaultServiceAccountBinding from './default-service-account-binding.js';
import deprecatedAnnotation from './deprecated-annotation.js';
import deprecatedApi from './deprecated-api.js';
import deprecatedField from './deprecated-field.js';
import duplicateEnvName from './duplicate-env-name.js';
import duplicateKey from './duplicate-key.js';
import duplicateObject from './duplicate-object.js';
import helmRenderError from './helm-render-error.js';
import helmValueUnread from './helm-value-unread.js';
import helmValuesCredential from './helm-values-credential.js';
import hostNamespace from './host-namespace.js';
import hostPathVolume from './host-path-volume.js';
import hostPort from './host-port.js';
import hpaFixedReplicas from './hpa-fixed-replicas.js';
import hpaMemoryNonelastic from './hpa-memory-nonelastic.js';
import hpaMinAboveMax from './hpa-min-above-max.js';
import hpaMissingRequests from './hpa-missing-requests.js';
import hpaScalesDatabase from './hpa-scales-database.js';
import hpaTargetNotScalable from './hpa-target-not-scalable.js';
import hpaVpaConflict from './hpa-vpa-conflict.js';
import imagePullPolicy from './image-pull-policy.js';
import imageTagLatest from './image-tag-latest.js';
import ingressBackendExposed from './ingress-backend-exposed.js';
import ingressBackendPortMismatch from './ingress-backend-port-mismatch.js';
import ingressNginxSnippet from './ingress-nginx-snippet.js';
import ingressNginxUnknownAnnotation from './ingress-nginx-unknown-annotation.js';
import ingressRewriteDropsPath from './ingress-rewrite-drops-path.js';
import ingressWithoutTls from './ingress-without-tls.js';
import invalidBase64Secret from './invalid-base64-secret.js';
import invalidLabel from './invalid-label.js';
import invalidName from './invalid-name.js';
import invalidObject from './invalid-object.js';
import invalidQuantity from './invalid-quantity.js';
import jobTtlUnset from './job-ttl-unset.js';
import kustomizeBuildError from './kustomize-build-error.js';
import kustomizePartialBuild from './kustomize-partial-build.js';
import kustomizeUnusedFile from './kustomize-unused-file.js';
import livenessEqualsReadiness from './liveness-equals-readiness.js';
import metricsPortNotExposed from './metrics-port-not-exposed.js';
import missingAntiAffinity from './missing-anti-affinity.js';
import missingCpuLimit from './missing-cpu-limit.js';
import missingEphemeralStorage from './missing-ephemeral-storage.js';
import missingLivenessProbe from './missing-liveness-probe.js';
import missingMemoryLimit from './missing-memory-limit.js';
import missingNetworkPolicy from './missing-network-policy.js';
import missingPdb from './missing-pdb.js';
import missingReadinessProbe from './missing-readiness-probe.js';
import missingRequiredField from './missing-required-field.js';
import missingResourceRequests from './missing-resource-requests.js';
import missingSeccompProfile from './missing-seccomp-profile.js';
import monitorPortNotFound from './monitor-port-not-found.js';
import monitorSelectsNothing from './monitor-selects-nothing.js';
import mtlsStrictBlocksScrape from './mtls-strict-blocks-scrape.js';
import networkpolicyBlocksDependency from './networkpolicy-blocks-dependency.js';
import networkpolicyBlocksIstiod from './networkpolicy-blocks-istiod.js';
import networkpolicyBlocksMetrics from './networkpolicy-blocks-metrics.js';
import networkpolicyDnsBlocked from './networkpolicy-dns-blocked.js';
import networkpolicySelectsNothing from './networkpolicy-selects-nothing.js';
import networkpolicyUnlabelledNamespace from './networkpolicy-unlabelled-namespace.js';
import noSchema from './no-schema.js';
import pdbBlocksEviction from './pdb-blocks-eviction.js';
import pdbNoPolicy from './pdb-no-policy.js';
import pdbSelectsNothing from './pdb-selects-nothing.js';
import pdbUnhealthyEvictionPolicy from './pdb-unhealthy-eviction-policy.js';
import plaintextCredential from './plaintext-credential.js';
import podSecurityLabelMisplaced from './pod-security-label-misplaced.js';
import postgresDataVolumeRoot from './postgres-data-volume-root.js';
import privilegeEscalation from './privilege-escalation.js';
import privilegeEscalationUnset from './privilege-escalation-unset.js';
import privilegedContainer from './privileged-container.js';
import probePortNotExposed from './probe-port-not-exposed.js';
import prometheusAnnotationPortMismatch from './prometheus-annotation-port-mismatch.js';
import pvcAccessModeUnsupported from './pvc-access-mode-unsupported.js';
import quotaContainerResources from './quota-container-resources.js';
import rbacEscalationPaths from './rbac-escalation-paths.js';
import rbacEscalationVerbs from './rbac-escalation-verbs.js';
import rbacPodExec from './rbac-pod-exec.js';
import rbacSecretRead from './rbac-secret-read.js';
import rbacWildcard from './rbac-wildcard.js';
import redisWithoutAuth from './redis-without-auth.js';
import removedApi from './removed-api.js';
import runAsRoot from './run-as-root.js';
import rwoVolumeShared from './rwo-volume-shared.js';
import schemaInvalid from './schema-invalid.js';
import secretInEnv from './secret-in-env.js';
import secretInManifest from './secret-in-manifest.js';
import secretPlaceholder from './secret-placeholder.js';
import selectorTemplateMismatch from './selector-template-mismatch.js';
import serviceAccountTokenAutomount from './service-account-token-automount.js';
import serviceNodePort from './service-node-port.js';
import serviceSelectorNoMatch from './service-selector-no-match.js';
import serviceSelectsBatchPods from './service-selects-batch-pods.js';
import serviceTargetPortMismatch from './service-target-port-mismatch.js';
import singleReplica from './single-replica.js';
import singleWriterDbScaled from './single-writer-db-scaled.js';
import statefulsetServiceNotHeadless from './statefulset-service-not-headless.js';
import syntaxError from './syntax-error.js';
import unknownField from './unknown-field.js';
import unreadableFile from './unreadable-file.js';
import unsafeInput from './unsafe-input.js';
import unsafeProcMount from './unsafe-proc-mount.js';
import unsafeSysctl from './unsafe-sysctl.js';
import unusedSuppression from './unused-suppression.js';
import weakSecretValue from './weak-secret-value.js';
import webhookServiceMissing from './webhook-service-missing.js';
import writableRootFilesystem from './writable-root-filesystem.js';

export const rules: readonly Rule[] = [
  adminEditBinding,
  adminUiExposed,
  admissionPolicy,
  admissionPolicyError,
  anonymousAdminAccess,
  apiValidation,
  capabilitiesNotDropped,
  clusterAdminBinding,
  cronjobMissingDeadline,
  customApiVersion,
  dangerousAppFlags,
  dangerousCapability,
  danglingReference,
  databaseDeploymentScaled,
  defaultNamespace,
  defaultServiceAccount,
  defaultServiceAccountBinding,
  deprecatedAnnotation,
  deprecatedApi,
  deprecatedField,
  duplicateEnvName,
  duplicateKey,
  duplicateObject,
  helmRenderError,
  helmValueUnread,
  helmValuesCredential,
  hostNamespace,
  hostPathVolume,
  hostPort,
  hpaFixedReplicas,
  hpaMemoryNonelastic,
  hpaMinAboveMax,
  hpaMissingRequests,
  hpaScalesDatabase,
  hpaTargetNotScalable,
  hpaVpaConflict,
  imagePullPolicy,
  imageTagLatest,
  ingressBackendExposed,
  ingressBackendPortMismatch,
  ingressNginxSnippet,
  ingressNginxUnknownAnnotation,
  ingressRewriteDropsPath,
  ingressWithoutTls,
  invalidBase64Secret,
  invalidLabel,
  invalidName,
  invalidObject,
  invalidQuantity,
  jobTtlUnset,
  kustomizeBuildError,
  kustomizePartialBuild,
  kustomizeUnusedFile,
  livenessEqualsReadiness,
  metricsPortNotExposed,
  missingAntiAffinity,
  missingCpuLimit,
  missingEphemeralStorage,
  missingLivenessProbe,
  missingMemoryLimit,
  missingNetworkPolicy,
  missingPdb,
  missingReadinessProbe,
  missingRequiredField,
  missingResourceRequests,
  missingSeccompProfile,
  monitorPortNotFound,
  monitorSelectsNothing,
  mtlsStrictBlocksScrape,
  networkpolicyBlocksDependency,
  networkpolicyBlocksIstiod,
  networkpolicyBlocksMetrics,
  networkpolicyDnsBlocked,
  networkpolicySelectsNothing,
  networkpolicyUnlabelledNamespace,
  noSchema,
  pdbBlocksEviction,
  pdbNoPolicy,
  pdbSelectsNothing,
  pdbUnhealthyEvictionPolicy,
  plaintextCredential,
  podSecurityLabelMisplaced,
  postgresDataVolumeRoot,
  privilegeEscalation,
  privilegeEscalationUnset,
  privilegedContainer,
  probePortNotExposed,
  prometheusAnnotationPortMismatch,
  pvcAccessModeUnsupported,
  quotaContainerResources,
  rbacEscalationPaths,
  rbacEscalationVerbs,
  rbacPodExec,
  rbacSecretRead,
  rbacWildcard,
  redisWithoutAuth,
  removedApi,
  runAsRoot,
  rwoVolumeShared,
  schemaInvalid,
  secretInEnv,
  secretInManifest,
  secretPlaceholder,
  selectorTemplateMismatch,
  serviceAccountTokenAutomount,
  serviceNodePort,
  serviceSelectorNoMatch,
  serviceSelectsBatchPods,
  serviceTargetPortMismatch,
  singleReplica,
  singleWriterDbScaled,
  statefulsetServiceNotHeadless,
  syntaxError,
  unknownField,
  unreadableFile,
  unsafeInput,
  unsafeProcMount,
  unsafeSysctl,
  unusedSuppression,
  weakSecretValue,
  webhookServiceMissing,
  writableRootFilesystem,
] as Rule[];
