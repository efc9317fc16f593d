/**
 * How the checks of kube-linter, Polaris and kube-score map onto k8s-audit rules, as data: the conformance
 * test (test/conformance.test.ts) runs our rules over the peers' own fixtures with it, and the README's
 * parity table can be rendered from it.
 *
 * `rules`: our rules that together cover the peer check (a failing fixture must trigger at least one of
 * them; a passing one none). `messageIncludes` narrows a broad rule to the part that corresponds (for
 * example host-namespace covers hostNetwork, hostPID and hostIPC, each a separate Polaris check).
 */
export type PeerTool = 'kube-linter' | 'polaris' | 'kube-score' | 'checkov';

export interface PeerMapping {
  tool: PeerTool;
  check: string;
  rules: readonly string[];
  messageIncludes?: string;
  /** How the semantics differ in general, when they do. */
  note?: string;
}

export const conformanceMap: readonly PeerMapping[] = [
  // Polaris (test/checks/<check>/{success,failure}*.yaml, verdict per file)
  { tool: 'polaris', check: 'automountServiceAccountToken', rules: ['service-account-token-automount'] },
  { tool: 'polaris', check: 'clusterrolebindingClusterAdmin', rules: ['cluster-admin-binding'] },
  { tool: 'polaris', check: 'cpuLimitsMissing', rules: ['missing-cpu-limit'] },
  { tool: 'polaris', check: 'cpuRequestsMissing', rules: ['missing-resource-requests'], messageIncludes: 'cpu' },
  { tool: 'polaris', check: 'dangerousCapabilities', rules: ['dangerous-capability'] },
  { tool: 'polaris', check: 'hostIPCSet', rules: ['host-namespace'], messageIncludes: 'hostIPC' },
  { tool: 'polaris', check: 'hostNetworkSet', rules: ['host-namespace'], messageIncludes: 'hostNetwork' },
  { tool: 'polaris', check: 'hostPIDSet', rules: ['host-namespace'], messageIncludes: 'hostPID' },
  { tool: 'polaris', check: 'hostPathSet', rules: ['host-path-volume'] },
  { tool: 'polaris', check: 'hostPortSet', rules: ['host-port'] },
  { tool: 'polaris', check: 'hostProcess', rules: ['privileged-container'], messageIncludes: 'HostProcess' },
  { tool: 'polaris', check: 'insecureCapabilities', rules: ['capabilities-not-dropped'] },
  { tool: 'polaris', check: 'livenessProbeMissing', rules: ['missing-liveness-probe'] },
  { tool: 'polaris', check: 'memoryLimitsMissing', rules: ['missing-memory-limit'] },
  { tool: 'polaris', check: 'memoryRequestsMissing', rules: ['missing-resource-requests'], messageIncludes: 'memory' },
  { tool: 'polaris', check: 'notReadOnlyRootFilesystem', rules: ['writable-root-filesystem'] },
  { tool: 'polaris', check: 'privilegeEscalationAllowed', rules: ['privilege-escalation', 'privilege-escalation-unset'], note: 'privilege-escalation (recommended) flags an explicit true; the opt-in privilege-escalation-unset flags the field left unset, as Polaris does' },
  { tool: 'polaris', check: 'procMount', rules: ['unsafe-proc-mount'] },
  { tool: 'polaris', check: 'pullPolicyNotAlways', rules: ['image-pull-policy'] },
  { tool: 'polaris', check: 'clusterrolePodExecAttach', rules: ['rbac-pod-exec'] },
  { tool: 'polaris', check: 'rolePodExecAttach', rules: ['rbac-pod-exec'] },
  { tool: 'polaris', check: 'readinessProbeMissing', rules: ['missing-readiness-probe'], note: 'we require readiness probes on pods that serve traffic: a container declares ports or a Service selects the pod' },
  { tool: 'polaris', check: 'rolebindingClusterAdminClusterRole', rules: ['cluster-admin-binding'] },
  { tool: 'polaris', check: 'rolebindingClusterAdminRole', rules: ['cluster-admin-binding'] },
  { tool: 'polaris', check: 'runAsPrivileged', rules: ['privileged-container'], messageIncludes: 'runs privileged' },
  { tool: 'polaris', check: 'runAsRootAllowed', rules: ['run-as-root'] },
  { tool: 'polaris', check: 'tagNotSpecified', rules: ['image-tag-latest'] },
  { tool: 'polaris', check: 'topologySpreadConstraint', rules: ['missing-anti-affinity'], note: 'we accept pod anti-affinity as well as topology spread, and only ask for it with 2 or more replicas' },

  // kube-linter (tests/checks/*.yml, verdict per object as asserted by its e2e tests)
  { tool: 'kube-linter', check: 'access-to-secrets', rules: ['rbac-secret-read'], note: 'kube-linter reports the binding; we report the rule of the Role that grants the access' },
  { tool: 'kube-linter', check: 'cluster-admin-role-binding', rules: ['cluster-admin-binding'] },
  { tool: 'kube-linter', check: 'dangling-service', rules: ['service-selector-no-match'] },
  { tool: 'kube-linter', check: 'default-service-account', rules: ['default-service-account'] },
  { tool: 'kube-linter', check: 'docker-sock', rules: ['host-path-volume'], messageIncludes: 'docker.sock' },
  { tool: 'kube-linter', check: 'drop-net-raw-capability', rules: ['capabilities-not-dropped'], note: 'we require drop: [ALL], which includes NET_RAW' },
  { tool: 'kube-linter', check: 'duplicate-env-var', rules: ['duplicate-env-name'] },
  { tool: 'kube-linter', check: 'host-ipc', rules: ['host-namespace'], messageIncludes: 'hostIPC' },
  { tool: 'kube-linter', check: 'host-network', rules: ['host-namespace'], messageIncludes: 'hostNetwork' },
  { tool: 'kube-linter', check: 'host-pid', rules: ['host-namespace'], messageIncludes: 'hostPID' },
  { tool: 'kube-linter', check: 'latest-tag', rules: ['image-tag-latest'] },
  { tool: 'kube-linter', check: 'liveness-port', rules: ['probe-port-not-exposed'], messageIncludes: 'livenessProbe', note: 'we check named ports only: a numeric port the container does not declare may still be listening' },
  { tool: 'kube-linter', check: 'mismatching-selector', rules: ['selector-template-mismatch'] },
  { tool: 'kube-linter', check: 'no-anti-affinity', rules: ['missing-anti-affinity'] },
  { tool: 'kube-linter', check: 'no-liveness-probe', rules: ['missing-liveness-probe'] },
  { tool: 'kube-linter', check: 'no-read-only-root-fs', rules: ['writable-root-filesystem'] },
  { tool: 'kube-linter', check: 'no-readiness-probe', rules: ['missing-readiness-probe'], note: 'we require readiness probes on pods that serve traffic: a container declares ports or a Service selects the pod' },
  { tool: 'kube-linter', check: 'privilege-escalation-container', rules: ['privilege-escalation'] },
  { tool: 'kube-linter', check: 'privileged-container', rules: ['privileged-container'] },
  { tool: 'kube-linter', check: 'readiness-port', rules: ['probe-port-not-exposed'], messageIncludes: 'readinessProbe', note: 'we check named ports only' },
  { tool: 'kube-linter', check: 'run-as-non-root', rules: ['run-as-root'] },
  { tool: 'kube-linter', check: 'sensitive-host-mounts', rules: ['host-path-volume'], messageIncludes: 'sensitive node path' },
  { tool: 'kube-linter', check: 'startup-port', rules: ['probe-port-not-exposed'], messageIncludes: 'startupProbe', note: 'we check named ports only' },
  { tool: 'kube-linter', check: 'unsafe-proc-mount', rules: ['unsafe-proc-mount'] },
  { tool: 'kube-linter', check: 'unsafe-sysctls', rules: ['unsafe-sysctl'] },
  { tool: 'kube-linter', check: 'unset-cpu-requirements', rules: ['missing-resource-requests'], messageIncludes: 'cpu' },
  { tool: 'kube-linter', check: 'unset-memory-requirements', rules: ['missing-memory-limit'] },
  { tool: 'kube-linter', check: 'use-namespace', rules: ['default-namespace'] },
  { tool: 'kube-linter', check: 'wildcard-in-rules', rules: ['rbac-wildcard'] },
  { tool: 'kube-linter', check: 'writable-host-mount', rules: ['host-path-volume'], note: 'we flag every hostPath, read-only or not' },

  // kube-score (score/testdata/*.yaml, grade of the file's object per its Go tests)
  { tool: 'kube-score', check: 'networkpolicy-targets-pod', rules: ['networkpolicy-selects-nothing'] },
  { tool: 'kube-score', check: 'container-image-pull-policy', rules: ['image-pull-policy'] },
  { tool: 'kube-score', check: 'container-image-tag', rules: ['image-tag-latest'] },
  { tool: 'kube-score', check: 'container-resources', rules: ['missing-resource-requests', 'missing-memory-limit', 'missing-cpu-limit'] },
  { tool: 'kube-score', check: 'container-seccomp-profile', rules: ['missing-seccomp-profile'] },
  { tool: 'kube-score', check: 'container-security-context-privileged', rules: ['privileged-container'] },
  { tool: 'kube-score', check: 'container-security-context-readonlyrootfilesystem', rules: ['writable-root-filesystem'] },
  { tool: 'kube-score', check: 'container-security-context-user-group-id', rules: ['run-as-root'], note: 'kube-score wants UID and GID >= 10000; we flag root (0) and a missing non-root guarantee' },
  { tool: 'kube-score', check: 'deployment-has-host-podantiaffinity', rules: ['missing-anti-affinity'] },
  { tool: 'kube-score', check: 'environment-variable-key-duplication', rules: ['duplicate-env-name'] },
  { tool: 'kube-score', check: 'pod-probes', rules: ['missing-readiness-probe'], note: 'kube-score asks for readiness on pods a Service targets; we also ask for it on pods whose containers declare ports' },
  { tool: 'kube-score', check: 'pod-probes-identical', rules: ['liveness-equals-readiness'] },
  { tool: 'kube-score', check: 'service-targets-pod', rules: ['service-selector-no-match'] },
  { tool: 'kube-score', check: 'statefulset-has-host-podantiaffinity', rules: ['missing-anti-affinity'] },
  { tool: 'kube-score', check: 'statefulset-pod-selector-labels-match-template-metadata-labels', rules: ['selector-template-mismatch'] },
  // Cross-resource and lifecycle rules of issues #3 and #6, compared here too.
  { tool: 'kube-linter', check: 'non-existent-service-account', rules: ['dangling-reference'] },
  { tool: 'kube-score', check: 'ingress-targets-service', rules: ['dangling-reference', 'ingress-backend-port-mismatch'] },
  { tool: 'kube-linter', check: 'pdb-max-unavailable', rules: ['pdb-blocks-eviction'] },
  { tool: 'kube-linter', check: 'pdb-min-available', rules: ['pdb-blocks-eviction'] },
  { tool: 'kube-score', check: 'stable-version', rules: ['removed-api', 'deprecated-api'] },
  { tool: 'kube-score', check: 'statefulset-has-servicename', rules: ['statefulset-service-not-headless', 'dangling-reference'] },
  { tool: 'kube-linter', check: 'no-extensions-v1beta', rules: ['removed-api', 'deprecated-api'] },
  { tool: 'kube-linter', check: 'deprecated-service-account-field', rules: ['deprecated-field'] },
  { tool: 'kube-score', check: 'deployment-targeted-by-hpa-does-not-have-replicas-configured', rules: ['hpa-fixed-replicas'] },
  { tool: 'kube-score', check: 'horizontalpodautoscaler-has-target', rules: ['dangling-reference', 'hpa-target-not-scalable'] },
  // The checks of issue #30.
  { tool: 'polaris', check: 'pdbDisruptionsIsZero', rules: ['pdb-blocks-eviction'], note: 'pdb-blocks-eviction also compares minAvailable with the replicas the budget covers when the workload is in the scan' },
  { tool: 'polaris', check: 'missingPodDisruptionBudget', rules: ['missing-pdb'], note: 'missing-pdb asks only workloads that keep 2 or more pods: one replica cannot stay up through its own eviction' },
  { tool: 'polaris', check: 'deploymentMissingReplicas', rules: ['single-replica'], messageIncludes: 'Deployment' },
  { tool: 'polaris', check: 'hpaMinAvailability', rules: ['single-replica'], messageIncludes: 'HorizontalPodAutoscaler' },
  { tool: 'polaris', check: 'pdbMinAvailableGreaterThanHPAMinReplicas', rules: ['pdb-blocks-eviction'], note: 'we also flag minAvailable equal to the floor (no eviction is allowed there either)' },
  { tool: 'polaris', check: 'missingNetworkPolicy', rules: ['missing-network-policy'] },
  { tool: 'polaris', check: 'tlsSettingsMissing', rules: ['ingress-without-tls'] },
  { tool: 'kube-linter', check: 'job-ttl-seconds-after-finished', rules: ['job-ttl-unset'] },
  { tool: 'kube-linter', check: 'dangling-networkpolicy', rules: ['networkpolicy-selects-nothing'] },
  { tool: 'kube-linter', check: 'pdb-unhealthy-pod-eviction-policy', rules: ['pdb-unhealthy-eviction-policy'] },
  { tool: 'kube-linter', check: 'invalid-target-ports', rules: ['api-validation', 'invalid-name'], messageIncludes: ' port' },
  { tool: 'kube-score', check: 'container-ephemeral-storage-request-and-limit', rules: ['missing-ephemeral-storage'], note: 'a limit alone is enough: the request defaults to it' },
  { tool: 'kube-score', check: 'cronjob-has-deadline', rules: ['cronjob-missing-deadline'] },
  { tool: 'kube-score', check: 'cronjob-restartpolicy', rules: ['api-validation'], messageIncludes: 'restartPolicy' },
  { tool: 'kube-score', check: 'pod-topology-spread-constraints', rules: ['api-validation', 'missing-required-field', 'schema-invalid'], messageIncludes: 'opology' },
  { tool: 'kube-score', check: 'deployment-replicas', rules: ['single-replica'], messageIncludes: 'Deployment' },
  { tool: 'kube-score', check: 'horizontalpodautoscaler-replicas', rules: ['single-replica'], messageIncludes: 'HorizontalPodAutoscaler' },
  { tool: 'kube-score', check: 'deployment-has-poddisruptionbudget', rules: ['missing-pdb'], note: 'missing-pdb asks only workloads that keep 2 or more pods' },
  { tool: 'kube-score', check: 'statefulset-has-poddisruptionbudget', rules: ['missing-pdb'], note: 'missing-pdb asks only workloads that keep 2 or more pods' },
  { tool: 'kube-score', check: 'poddisruptionbudget-has-policy', rules: ['pdb-no-policy'] },
  { tool: 'kube-score', check: 'pod-networkpolicy', rules: ['missing-network-policy'] },
  { tool: 'kube-score', check: 'service-type', rules: ['service-node-port'], note: 'service-node-port also reports LoadBalancer Services, which open a node port too' },
];

const CREDS = 'credential names and values in ConfigMaps and environment variables: owned by another change (issue #30, the SECRET_* bullet), not compared here';

/** Peer checks on by default there that are not compared here, and why (no counterpart, or one without fixtures). */
export const unmapped: readonly { tool: PeerTool; check: string; reason: string; rules?: readonly string[] }[] = [
  { tool: 'polaris', check: 'clusterrolebindingPodExecAttach', reason: 'we report the exec grant once, on the rule of the role (rbac-pod-exec, compared under clusterrolePodExecAttach), not on each binding; a binding to a role that is missing is reported by dangling-reference', rules: ['rbac-pod-exec', 'dangling-reference'] },
  { tool: 'polaris', check: 'rolebindingClusterRolePodExecAttach', reason: 'we report the exec grant once, on the rule of the role (rbac-pod-exec), not on each binding; a binding to a role that is missing is reported by dangling-reference', rules: ['rbac-pod-exec', 'dangling-reference'] },
  { tool: 'polaris', check: 'rolebindingRolePodExecAttach', reason: 'we report the exec grant once, on the rule of the role (rbac-pod-exec), not on each binding; a binding to a role that is missing is reported by dangling-reference', rules: ['rbac-pod-exec', 'dangling-reference'] },
  { tool: 'polaris', check: 'priorityClassNotSet', reason: 'priority classes are a cluster-wide scheduling policy; most clusters do not define any' },
  { tool: 'polaris', check: 'metadataAndInstanceMismatched', reason: 'a Helm labelling convention (app.kubernetes.io/instance equals metadata.name) that most charts do not follow' },
  { tool: 'polaris', check: 'linuxHardening', reason: 'an either-or of AppArmor, seccomp, SELinux or dropped capabilities; we check seccomp (missing-seccomp-profile) and capabilities (capabilities-not-dropped) separately, each at the node that needs fixing', rules: ['missing-seccomp-profile', 'capabilities-not-dropped'] },
  { tool: 'polaris', check: 'hpaMaxAvailability', reason: 'Polaris fails an HPA whose maxReplicas equals minReplicas (no room to scale): a fixed-size autoscaler is a capacity choice, not a defect; hpa-min-above-max reports min above max, which the API server refuses', rules: ['hpa-min-above-max'] },
  { tool: 'polaris', check: 'sensitiveContainerEnvVar', reason: `${CREDS}; plaintext-credential agrees on 7 of 8 fixtures (not on a private-key header written with three dashes instead of five)`, rules: ['plaintext-credential'] },
  { tool: 'polaris', check: 'sensitiveConfigmapContent', reason: `${CREDS}; plaintext-credential agrees on 4 of 7 fixtures (not on placeholder values such as xxxxx under cloud-key names)`, rules: ['plaintext-credential'] },
  { tool: 'kube-linter', check: 'ssh-port', reason: 'a port number says little: port 22 is flagged by kube-linter whatever listens on it' },
  { tool: 'kube-linter', check: 'env-var-secret', reason: `${CREDS}; kube-linter flags env names that look secret whatever the value, plaintext-credential looks at the values`, rules: ['plaintext-credential'] },
  { tool: 'kube-score', check: 'deployment-pod-selector-labels-match-template-metadata-labels', reason: 'covered by selector-template-mismatch, but kube-score has no YAML fixture for it (it is tested inline in Go)', rules: ['selector-template-mismatch'] },
  { tool: 'kube-score', check: 'label-values', reason: 'label syntax is validated by the schema rules of issue #6; kube-score has no YAML fixture for it' },
  { tool: 'kube-score', check: 'deployment-strategy', reason: 'kube-score asks Deployments a Service targets to set strategy RollingUpdate explicitly; unset, the strategy already defaults to RollingUpdate, and Recreate is a deliberate choice (single-writer volumes, schema migrations)' },
];

export interface Disagreement {
  tool: PeerTool;
  check: string;
  /** Fixture path relative to the peer's corpus folder. */
  fixture: string;
  /** kube-linter: the object key as in expectations.json; omitted for per-file verdicts. */
  object?: string;
  reason: string;
}

/** Fixtures (or objects) where we deliberately reach a different verdict than the peer. */
const OPENSHIFT = 'DeploymentConfig is an OpenShift kind (apps.openshift.io), not a Kubernetes workload: k8s-audit checks its pod template as that of any custom resource, only when it holds containers, and without the rules that need to know how the kind runs its pods (probes, resources, selectors, replicas)';
const NO_NAME = 'the object has no metadata.name, so the API server rejects it; k8s-audit reports it once with invalid-object instead of linting its contents';
const NO_PORTS = 'the container declares no ports and no Service among the scanned files selects the pod: a readiness probe would gate nothing, so we do not demand one (precision first)';
const LIMITS_IMPLY_REQUESTS = 'requests default to the limits when only limits are set, so the container does have requests';
const ONE_REPLICA = 'the workload runs one replica (replicas unset): a budget could only block its drain, so missing-pdb asks only workloads that keep 2 or more pods';
const openshift = (check: string, fixture: string, object: string): Disagreement => ({ tool: 'kube-linter', check, fixture, object, reason: OPENSHIFT });

/** Fixtures (or objects) where we deliberately reach a different verdict than the peer. */
export const deliberateDisagreements: readonly Disagreement[] = [
  // Polaris
  { tool: 'polaris', check: 'privilegeEscalationAllowed', fixture: 'test/checks/privilegeEscalationAllowed/failure.unspecified.yaml', reason: 'default profile only: allowPrivilegeEscalation is left unset, which the opt-in privilege-escalation-unset reports (profile all agrees); the recommended privilege-escalation flags only an explicit true' },
  { tool: 'polaris', check: 'privilegeEscalationAllowed', fixture: 'test/checks/privilegeEscalationAllowed/failure.pod_unspecified.yaml', reason: 'default profile only: allowPrivilegeEscalation is left unset (a pod-level securityContext cannot set it), which the opt-in privilege-escalation-unset reports (profile all agrees)' },
  { tool: 'polaris', check: 'pullPolicyNotAlways', fixture: 'test/checks/pullPolicyNotAlways/failure.yaml', reason: 'the image has no tag, so Kubernetes defaults imagePullPolicy to Always; kube-score agrees (pod-image-pullpolicy-undefined-no-tag passes)' },
  { tool: 'polaris', check: 'pullPolicyNotAlways', fixture: 'test/checks/pullPolicyNotAlways/failure.cron-job.yaml', reason: 'the image is untagged or :latest, so Kubernetes defaults imagePullPolicy to Always' },
  { tool: 'polaris', check: 'readinessProbeMissing', fixture: 'test/checks/readinessProbeMissing/failure.yaml', reason: NO_PORTS },
  { tool: 'polaris', check: 'topologySpreadConstraint', fixture: 'test/checks/topologySpreadConstraint/failure.empty.yaml', reason: 'the Deployment runs one replica (replicas unset): there is nothing to spread' },
  { tool: 'polaris', check: 'topologySpreadConstraint', fixture: 'test/checks/topologySpreadConstraint/failure.nospreadconstraint.yaml', reason: 'the Deployment runs one replica (replicas unset): there is nothing to spread' },

  // kube-linter
  { tool: 'kube-linter', check: 'access-to-secrets', fixture: 'tests/checks/access-to-secrets.yml', object: 'RoleBinding/role-binding1', reason: 'we report the Role rule that grants the Secret access (Role/role1), where the fix is made, not each binding of it' },
  { tool: 'kube-linter', check: 'drop-net-raw-capability', fixture: 'tests/checks/drop-net-raw-capability.yml', object: 'Deployment/dont-fire', reason: 'it drops NET_RAW only and keeps the other runtime default capabilities; capabilities-not-dropped asks for drop: [ALL] as Pod Security Standards (restricted) do' },
  // (a DeploymentConfig whose spec.template holds containers is checked as a custom resource carrying a pod template)
  { tool: 'kube-linter', check: 'drop-net-raw-capability', fixture: 'tests/checks/drop-net-raw-capability.yml', object: 'DeploymentConfig/dont-fire', reason: 'it drops NET_RAW only and keeps the other runtime default capabilities; capabilities-not-dropped asks for drop: [ALL] as Pod Security Standards (restricted) do' },
  { tool: 'kube-linter', check: 'duplicate-env-var', fixture: 'tests/checks/duplicate-env-var.yaml', object: 'Deployment/(no name) #doc0', reason: NO_NAME },
  { tool: 'kube-linter', check: 'duplicate-env-var', fixture: 'tests/checks/duplicate-env-var.yaml', object: 'StatefulSet/(no name) #doc1', reason: NO_NAME },
  { tool: 'kube-linter', check: 'liveness-port', fixture: 'tests/checks/liveness-port.yml', object: 'Deployment/(no name) #doc0', reason: NO_NAME },
  { tool: 'kube-linter', check: 'liveness-port', fixture: 'tests/checks/liveness-port.yml', object: 'StatefulSet/(no name) #doc1', reason: NO_NAME },
  { tool: 'kube-linter', check: 'readiness-port', fixture: 'tests/checks/readiness-port.yml', object: 'Deployment/(no name) #doc0', reason: NO_NAME },
  { tool: 'kube-linter', check: 'startup-port', fixture: 'tests/checks/startup-port.yml', object: 'Deployment/(no name) #doc0', reason: NO_NAME },
  { tool: 'kube-linter', check: 'no-readiness-probe', fixture: 'tests/checks/no-readiness-probe.yml', object: 'Deployment/app1', reason: NO_PORTS },
  openshift('default-service-account', 'tests/checks/default-service-account.yml', 'DeploymentConfig/app'),
  openshift('host-ipc', 'tests/checks/host-ipc.yml', 'DeploymentConfig/app'),
  openshift('host-network', 'tests/checks/host-network.yml', 'DeploymentConfig/app'),
  openshift('host-pid', 'tests/checks/host-pid.yml', 'DeploymentConfig/app'),
  openshift('mismatching-selector', 'tests/checks/mismatching-selector.yml', 'DeploymentConfig/app2'),
  openshift('no-anti-affinity', 'tests/checks/no-anti-affinity.yml', 'DeploymentConfig/app2'),
  openshift('no-liveness-probe', 'tests/checks/no-liveness-probe.yml', 'DeploymentConfig/app2'),
  openshift('no-readiness-probe', 'tests/checks/no-readiness-probe.yml', 'DeploymentConfig/app2'),
  openshift('unset-cpu-requirements', 'tests/checks/unset-cpu-requirements.yml', 'DeploymentConfig/app2'),
  openshift('unset-memory-requirements', 'tests/checks/unset-memory-requirements.yml', 'DeploymentConfig/app2'),

  // kube-score
  { tool: 'kube-score', check: 'container-resources', fixture: 'score/testdata/pod-test-resources-only-limits.yaml', reason: LIMITS_IMPLY_REQUESTS },
  { tool: 'kube-score', check: 'container-resources', fixture: 'score/testdata/deployment-test-resources.yaml', reason: LIMITS_IMPLY_REQUESTS },
  { tool: 'kube-score', check: 'container-resources', fixture: 'score/testdata/statefulset-test-resources.yaml', reason: LIMITS_IMPLY_REQUESTS },
  { tool: 'kube-score', check: 'container-resources', fixture: 'score/testdata/pod-test-resources-limits-and-requests-no-cpu-limit.yaml', reason: 'kube-score passes it only with --ignore-container-cpu-limit (it fails it by default); the CPU-limit part of our mapping is the opt-in missing-cpu-limit, on under profile all' },
  { tool: 'kube-score', check: 'container-resources', fixture: 'score/testdata/pod-test-resources-no-limits.yaml', reason: 'kube-score passes it only with --ignore-container-cpu-limit and --ignore-container-memory-limit; by default it fails it, as we do' },
  { tool: 'kube-score', check: 'container-seccomp-profile', fixture: 'score/testdata/pod-seccomp-annotated.yaml', reason: 'seccomp.security.alpha.kubernetes.io/defaultProfileName is a PodSecurityPolicy annotation; on a Pod it has no effect, so the pod still runs Unconfined' },
  { tool: 'kube-score', check: 'container-seccomp-profile', fixture: 'score/testdata/pod-seccomp-annotated-annotation-optional.yaml', reason: 'seccomp.security.alpha.kubernetes.io/defaultProfileName is a PodSecurityPolicy annotation; on a Pod it has no effect, so the pod still runs Unconfined' },
  { tool: 'kube-score', check: 'service-targets-pod', fixture: 'score/testdata/service-target-pod-different-namespace.yaml', reason: 'no workload in the Service\'s namespace is among the scanned files, so service-selector-no-match assumes the pods are deployed from elsewhere and stays silent rather than claim what it cannot know (partial input)' },
  { tool: 'kube-score', check: 'service-targets-pod', fixture: 'score/testdata/service-target-deployment-different-namespace.yaml', reason: 'no workload in the Service\'s namespace is among the scanned files, so service-selector-no-match assumes the pods are deployed from elsewhere and stays silent rather than claim what it cannot know (partial input)' },
  { tool: 'kube-score', check: 'statefulset-has-host-podantiaffinity', fixture: 'score/testdata/statefulset-host-antiaffinity-undefined-replicas.yaml', reason: 'replicas is unset, so the StatefulSet runs one pod: there is nothing to spread' },
  // Issue #30 checks
  { tool: 'polaris', check: 'missingPodDisruptionBudget', fixture: 'test/checks/missingPodDisruptionBudget/failure-bad-ns.yaml', reason: ONE_REPLICA },
  { tool: 'polaris', check: 'missingPodDisruptionBudget', fixture: 'test/checks/missingPodDisruptionBudget/failure.bad-name.yaml', reason: ONE_REPLICA },
  { tool: 'polaris', check: 'missingPodDisruptionBudget', fixture: 'test/checks/missingPodDisruptionBudget/failure.empty-labels.yaml', reason: ONE_REPLICA },
  { tool: 'polaris', check: 'missingPodDisruptionBudget', fixture: 'test/checks/missingPodDisruptionBudget/failure.no-labels.yaml', reason: ONE_REPLICA },
  { tool: 'polaris', check: 'missingPodDisruptionBudget', fixture: 'test/checks/missingPodDisruptionBudget/failure.no-metadata.yaml', reason: ONE_REPLICA },
  { tool: 'polaris', check: 'missingPodDisruptionBudget', fixture: 'test/checks/missingPodDisruptionBudget/failure.wrong-place.yaml', reason: ONE_REPLICA },
  { tool: 'polaris', check: 'missingPodDisruptionBudget', fixture: 'test/checks/missingPodDisruptionBudget/failure.yaml', reason: ONE_REPLICA },
  { tool: 'kube-score', check: 'deployment-has-poddisruptionbudget', fixture: 'score/testdata/deployment-poddisruptionbudget-v1beta1-expression-no-match.yaml', reason: ONE_REPLICA },
  { tool: 'kube-score', check: 'deployment-has-poddisruptionbudget', fixture: 'score/testdata/deployment-poddisruptionbudget-v1beta1-no-match.yaml', reason: ONE_REPLICA },
  { tool: 'kube-score', check: 'deployment-has-poddisruptionbudget', fixture: 'score/testdata/deployment-poddisruptionbudget-v1-no-match.yaml', reason: ONE_REPLICA },
  { tool: 'kube-score', check: 'deployment-has-poddisruptionbudget', fixture: 'score/testdata/deployment-poddisruptionbudget-v1-different-namespace.yaml', reason: ONE_REPLICA },
  { tool: 'kube-score', check: 'statefulset-has-poddisruptionbudget', fixture: 'score/testdata/statefulset-poddisruptionbudget-v1beta1-expression-no-match.yaml', reason: ONE_REPLICA },
  { tool: 'kube-score', check: 'statefulset-has-poddisruptionbudget', fixture: 'score/testdata/statefulset-poddisruptionbudget-v1beta1-no-match.yaml', reason: ONE_REPLICA },
  { tool: 'polaris', check: 'hpaMinAvailability', fixture: 'test/checks/hpaMinAvailability/success.minReplicaAbsent.yaml', reason: 'minReplicas is unset, and it defaults to 1: the autoscaler may scale down to a single pod, which Polaris only sees when the field is written' },
  { tool: 'polaris', check: 'pdbMinAvailableGreaterThanHPAMinReplicas', fixture: 'test/checks/pdbMinAvailableGreaterThanHPAMinReplicas/success.equals.yaml', reason: 'minAvailable equals the HPA floor: at the floor no eviction is allowed either, so drains block whenever load is low (Polaris only fails strictly greater)' },
  { tool: 'polaris', check: 'pdbMinAvailableGreaterThanHPAMinReplicas', fixture: 'test/checks/pdbMinAvailableGreaterThanHPAMinReplicas/success.no-min-replicas.yaml', reason: 'minReplicas is unset, so the floor is 1, and the budget requires at least that many pods: no eviction is allowed at the floor' },
  { tool: 'polaris', check: 'missingNetworkPolicy', fixture: 'test/checks/missingNetworkPolicy/failure.netpol_missing_egress_rules.yaml', reason: 'policyTypes lists Egress with no egress rules: all egress is denied, so the pods are isolated (Polaris wants rules written for both directions)' },
  { tool: 'polaris', check: 'missingNetworkPolicy', fixture: 'test/checks/missingNetworkPolicy/failure.netpol_missing_ingress_rules.yaml', reason: 'policyTypes lists Ingress with no ingress rules: all ingress is denied, so the pods are isolated (Polaris wants rules written for both directions)' },
  { tool: 'kube-linter', check: 'job-ttl-seconds-after-finished', fixture: 'tests/checks/job-ttl-seconds-after-finished.yaml', object: 'CronJob/bad-cronjob', reason: 'the Jobs of a CronJob are pruned by its successfulJobsHistoryLimit and failedJobsHistoryLimit, so a TTL on its jobTemplate is not needed' },
  { tool: 'kube-score', check: 'container-ephemeral-storage-request-and-limit', fixture: 'score/testdata/pod-ephemeral-storage-missing-request.yaml', reason: LIMITS_IMPLY_REQUESTS },
  { tool: 'kube-score', check: 'pod-topology-spread-constraints', fixture: 'score/testdata/pod-topology-spread-constraints-no-labelselector.yaml', reason: 'labelSelector is optional in the API (a constraint without it counts no pods); kube-score requires it' },
  { tool: 'polaris', check: 'pdbMinAvailableGreaterThanHPAMinReplicas', fixture: 'test/checks/pdbMinAvailableGreaterThanHPAMinReplicas/success.hpa-no-match.yaml', reason: 'no HPA targets the Deployment, and the budget requires at least as many pods as its replicas: no eviction is ever allowed, which pdb-blocks-eviction reports (Polaris only compares with an HPA)' },
  { tool: 'polaris', check: 'pdbMinAvailableGreaterThanHPAMinReplicas', fixture: 'test/checks/pdbMinAvailableGreaterThanHPAMinReplicas/success.no-hpa.yaml', reason: 'no HPA, and the budget requires at least as many pods as the Deployment runs: no eviction is ever allowed, which pdb-blocks-eviction reports (Polaris only compares with an HPA)' },
  { tool: 'kube-linter', check: 'dangling-networkpolicy', fixture: 'tests/checks/dangling-networkpolicy.yml', object: 'NetworkPolicy/app', reason: 'the file holds no workload at all: the pods are deployed from elsewhere (partial input), so networkpolicy-selects-nothing does not claim the policy selects nothing' },
  // Checkov (measured, not asserted; reviewed here)
  { tool: 'checkov', check: 'CKV_K8S_11', fixture: 'checks/example_Suppressed/suppress-checks-PASSED.yaml', reason: 'Checkov passes it because of its own checkov.io/skip annotation; k8s-audit honours its own suppressions, not Checkov\'s' },
  { tool: 'checkov', check: 'CKV_K8S_15', fixture: 'checks/example_ImagePullPolicy/imageWithDigest-DefaultPullPolicy-PASSED.yaml', reason: 'the "digest" sha256:12345678 has 8 hex digits, not 64: the reference cannot be pulled, so it is not treated as pinned' },
  { tool: 'checkov', check: 'CKV_K8S_20', fixture: 'checks/example_AllowPrivilegeEscalation/oc-deploymentConfig-FAILED.yml', reason: OPENSHIFT },
  { tool: 'checkov', check: 'CKV_K8S_21', fixture: 'checks/example_DefaultNamespace/default-k8s-service-and-sa-PASSED2.yaml', reason: 'Checkov exempts the default ServiceAccount and the kubernetes Service of namespace default; declaring them in manifests is still placing objects in the default namespace' },
  { tool: 'checkov', check: 'CKV_K8S_23', fixture: 'checks/example_RootContainers/rootContainersFAILED-malformed-spec.yaml', reason: 'spec is a list, not an object: the Pod is malformed (the schema rules report it), so there is no container to judge' },
  { tool: 'checkov', check: 'CKV_K8S_25', fixture: 'checks/example_AllowedCapabilities/cassandra-FAILED.yaml', reason: 'the container adds IPC_LOCK only (memory locking for Cassandra): dangerous-capability reports capabilities that break isolation, not every added one' },
  { tool: 'checkov', check: 'CKV_K8S_28', fixture: 'checks/example_DropCapabilities/pod-drop-NET_RAW-capabilities-PASSED.yaml', reason: 'it drops NET_RAW only and keeps the other runtime default capabilities; capabilities-not-dropped asks for drop: [ALL] as Pod Security Standards (restricted) do' },
  { tool: 'checkov', check: 'CKV_K8S_37', fixture: 'checks/example_DropCapabilities/pod-drop-NET_RAW-capabilities-PASSED.yaml', reason: 'it drops NET_RAW only and keeps the other runtime default capabilities; capabilities-not-dropped asks for drop: [ALL] as Pod Security Standards (restricted) do' },
  { tool: 'checkov', check: 'CKV_K8S_39', fixture: 'checks/example_AllowedCapabilitiesSysAdmin/pod-FAILED2.yaml', reason: 'the Pod lists no container: there is no capability to judge (the API server rejects the Pod)' },
  { tool: 'checkov', check: 'CKV_K8S_49', fixture: 'checks/example_WildcardRoles/role-failed-3.yaml', reason: 'only apiGroups is *, and the rule grants the verb "example" on the resource "example", which exists in no group: it grants nothing' },
  { tool: 'checkov', check: 'CKV_K8S_157', fixture: 'checks/example_RbacBindRoleBindings/role-failed-2.yaml', reason: 'the verbs are *: rbac-wildcard reports the rule (rbac-escalation-verbs names only explicit verbs, so the finding is not given twice)' },
  { tool: 'checkov', check: 'CKV_K8S_158', fixture: 'checks/example_RbacEscalateRoles/role-failed-2.yaml', reason: 'the verbs are *: rbac-wildcard reports the rule (rbac-escalation-verbs names only explicit verbs, so the finding is not given twice)' },
  { tool: 'checkov', check: 'CKV2_K8S_2', fixture: 'graph/resources/NoCreateNodesProxyOrPodsExec/Failing/4', reason: 'the ClusterRole grants on * resources: rbac-wildcard reports it' },
  { tool: 'checkov', check: 'CKV2_K8S_2', fixture: 'graph/resources/NoCreateNodesProxyOrPodsExec/Passing/2', reason: 'the role may create pods, which runs a pod as any ServiceAccount of the namespace: rbac-escalation-paths reports that path too, CKV2_K8S_2 only pods/exec and nodes/proxy' },
  { tool: 'checkov', check: 'CKV2_K8S_4', fixture: 'graph/resources/ModifyServicesStatus/Failing/1', reason: 'services/status is granted in the API group rbac.authorization.k8s.io, which has no such resource: the role grants nothing (Checkov ignores the group)' },
  { tool: 'checkov', check: 'CKV2_K8S_4', fixture: 'graph/resources/ModifyServicesStatus/Failing/2', reason: 'the grant is on * resources of rbac.authorization.k8s.io, which has no services/status; rbac-wildcard and rbac-escalation-verbs (bind) report the rule' },
  // Cross-resource and lifecycle rules (issues #3 and #6)
  openshift('non-existent-service-account', 'tests/checks/non-existent-service-account.yml', 'DeploymentConfig/app'),
  openshift('deprecated-service-account-field', 'tests/checks/deprecated-service-account-field.yml', 'DeploymentConfig/app'),
  { tool: 'kube-linter', check: 'pdb-min-available', fixture: 'tests/checks/pdb-min-available.yaml', object: 'PodDisruptionBudget/baz', reason: 'Deployment foo has no pod template, so no pods carry the labels the PDB selects: the PDB covers nothing we can count, and the schema rules report the Deployment' },
  { tool: 'kube-score', check: 'ingress-targets-service', fixture: 'score/testdata/ingress-v1-invalid-backend.yaml', reason: 'the backend uses serviceName/servicePort, fields networking.k8s.io/v1 does not have: the object is invalid (the schema rules report it), so there is no backend reference to check' },
  { tool: 'kube-score', check: 'ingress-targets-service', fixture: 'score/testdata/ingress_issue363.yaml', reason: 'the backend uses serviceName/servicePort, fields networking.k8s.io/v1 does not have: the object is invalid (the schema rules report it), so there is no backend reference to check' },
  { tool: 'kube-score', check: 'stable-version', fixture: 'score/testdata/statefulset-appsv1beta1.yaml', reason: 'apps/v1beta1 StatefulSet was removed in Kubernetes 1.16, so at the 1.18 kube-score targets the object cannot be applied at all: removed-api reports it' },
  { tool: 'kube-score', check: 'stable-version', fixture: 'score/testdata/cronjob-batchv1beta1.yaml', reason: 'at Kubernetes 1.18 (the version kube-score targets) batch/v1beta1 is the only CronJob API; batch/v1 arrived in 1.21, so there is nothing to migrate to yet' },
  { tool: 'kube-score', check: 'statefulset-has-servicename', fixture: 'score/testdata/statefulset-service-name-different-name.yaml', reason: 'the governing Service svc-test-1 is not among the scanned files; one file is partial input, so the reference rules do not claim it is missing (declare it in external: or scan the directory)' },
];

/**
 * Which rules the recommended profile holds, decided from the evidence (how many peers enable the check by
 * default, what the rule does on ../shared/corpus/real/precision); rendered into docs/parity.md.
 */
export const profileDecisions: readonly { rules: readonly string[]; decision: string; why: string }[] = [
  {
    rules: ['rbac-pod-exec'],
    decision: 'recommended (was opt-in)',
    why: 'Polaris runs its pod exec/attach checks by default; on the precision corpus the rule reports one ClusterRole (gatekeeper-manager-role, which does grant get on every resource, pods/exec included)',
  },
  {
    rules: ['pdb-no-policy', 'ingress-nginx-snippet', 'dangerous-app-flags', 'default-service-account-binding'],
    decision: 'recommended',
    why: 'each names a defect, not a preference (a budget that protects nothing, CVE-2021-25742, a Dashboard anyone can use, permissions shared by every pod of a namespace); kube-score and Checkov run them by default; on the precision corpus they report 4 bindings, all true (docs examples that bind roles to a default ServiceAccount)',
  },
  {
    rules: ['writable-root-filesystem', 'capabilities-not-dropped', 'missing-seccomp-profile', 'privilege-escalation-unset'],
    decision: 'opt-in (kept)',
    why: 'every peer that has these runs them by default, but they ask for hardening most manifests do not write: on the precision corpus they report 129, 129, 140 and 121 containers, nearly every container of 14 well-kept projects; in the default profile they would bury the defects (run `--profile all`, or enable them per rule, to enforce Pod Security "restricted")',
  },
  {
    rules: ['missing-liveness-probe', 'missing-cpu-limit', 'image-pull-policy'],
    decision: 'opt-in (kept)',
    why: 'peers run them by default, but a missing liveness probe or CPU limit is often deliberate (restarts that do not help, CPU throttling) and IfNotPresent is the Kubernetes default; 92, 161 and 161 findings on the precision corpus',
  },
  {
    rules: ['missing-network-policy', 'missing-pdb', 'single-replica', 'job-ttl-unset', 'pdb-unhealthy-eviction-policy', 'missing-ephemeral-storage', 'cronjob-missing-deadline', 'ingress-without-tls', 'service-node-port', 'secret-in-env', 'rbac-escalation-paths'],
    decision: 'opt-in',
    why: 'on by default in one or two peers, but each is a platform or capacity decision the manifest cannot show (a default-deny policy applied by the platform, TLS terminated upstream, one replica in development, an operator that must create pods): on the precision corpus they report 150, 3, 113, 18, 7, 180, 3, 4, 4, 1 and 23 findings, mostly choices rather than defects',
  },
];
