import { defineRule } from '../src/rule.js';
import type { Path } from '../src/types.js';
import type { ResourceGraph } from '../src/graph/graph.js';
import { ingressBackends } from '../src/graph/ingress.js';

const CONSEQUENCE: Record<string, string> = {
  ConfigMap: 'pods that need it fail with CreateContainerConfigError or stay in ContainerCreating',
  Secret: 'pods that need it fail with CreateContainerConfigError or stay in ContainerCreating',
  PersistentVolumeClaim: 'pods that mount it stay Pending',
  ServiceAccount: 'the ReplicaSet/Job cannot create pods (error looking up service account)',
};

/** Names of Secrets that operators create from objects in the scanned set. */
function secretProducers(g: ResourceGraph, ns: string): Set<string> {
  const out = new Set<string>();
  for (const r of g.ofKind('ExternalSecret', ns)) out.add(String(r.object.spec?.target?.name ?? r.name));
  for (const r of g.ofKind('SealedSecret', ns)) out.add(r.name);
  for (const r of g.ofKind('Certificate', ns)) if (typeof r.object.spec?.secretName === 'string') out.add(r.object.spec.secretName);
  return out;
}

/**
 * Whether the repository declares objects of this kind at all (in any unit of the scan): a manifest set without
 * any Secret clearly expects its Secrets to be created out of band.
 */
function kindPresent(g: ResourceGraph, kind: string): boolean {
  if (g.hasKindInScan(kind)) return true;
  return kind === 'Secret' && (g.hasKindInScan('ExternalSecret') || g.hasKindInScan('SealedSecret'));
}

const producersMemo = new WeakMap<ResourceGraph, Map<string, Set<string>>>();
function producersIn(g: ResourceGraph, ns: string): Set<string> {
  let m = producersMemo.get(g);
  if (!m) producersMemo.set(g, (m = new Map()));
  let s = m.get(ns);
  if (!s) m.set(ns, (s = secretProducers(g, ns)));
  return s;
}

/**
 * Roles every cluster has (the API server's bootstrap policy): the user-facing ClusterRoles, the system: roles
 * of the control plane and its add-ons, and the Roles it keeps in kube-system and kube-public (the one API
 * servers extending Kubernetes bind to read the client CA, leader-election and bootstrap-token roles). A
 * binding to one of them refers to something the scan is not expected to define.
 */
function builtinRole(kind: string, name: string, namespace: string): boolean {
  if (kind === 'ClusterRole') return name === 'admin' || name === 'edit' || name === 'view' || name === 'cluster-admin' || name.startsWith('system:');
  if (namespace === 'kube-system') return name === 'extension-apiserver-authentication-reader' || name.startsWith('system:');
  return namespace === 'kube-public' && name.startsWith('system:');
}

/** `<prefix><ordinal>`; compared as text: the names are the manifests', never a pattern. */
function isOrdinalClaim(name: string, prefix: string): boolean {
  return name.length > prefix.length && name.startsWith(prefix) && /^\d+$/.test(name.slice(prefix.length));
}

function exists(g: ResourceGraph, kind: string, name: string, ns: string): boolean {
  if (g.get(kind, name, ns)) return true;
  // kube-root-ca.crt in every namespace, a RayCluster's head Service, a Kafka's bootstrap Service, ...
  if (g.created(kind, name, ns)) return true;
  if (kind === 'Secret' && (producersIn(g, ns).has(name) || g.createsSecretsAtRuntime(ns))) return true;
  if (kind === 'PersistentVolumeClaim') {
    // Claims a StatefulSet creates from its volumeClaimTemplates: <template>-<statefulset>-<ordinal>.
    for (const s of g.ofKind('StatefulSet', ns)) {
      const vcts = s.object.spec?.volumeClaimTemplates;
      if (Array.isArray(vcts) && vcts.some((v) => typeof v?.metadata?.name === 'string' && isOrdinalClaim(name, `${v.metadata.name}-${s.name}-`))) return true;
    }
  }
  return false;
}

export default defineRule({
  id: 'dangling-reference',
  meta: {
    description: 'Require ConfigMaps, Secrets (and their keys), claims, ServiceAccounts, Services and autoscaler targets referenced by name to exist among the scanned files',
    category: 'correctness',
    severity: 'warning',
    recommended: true,
    kinds: ['Workload', 'Ingress', 'HorizontalPodAutoscaler', 'VerticalPodAutoscaler', 'RoleBinding', 'ClusterRoleBinding'],
    messages: {
      podRef: '{{kind}} "{{name}}" ({{via}}) is not found {{searched}} in namespace "{{namespace}}"; unless it is created elsewhere, {{consequence}}',
      backend: 'Ingress backend Service "{{name}}" is not found {{searched}} in namespace "{{namespace}}"; unless it is created elsewhere, the controller answers 503 for this path',
      tlsSecret: 'TLS Secret "{{name}}" is not found {{searched}} in namespace "{{namespace}}" and no cert-manager annotation creates it; the controller serves its default self-signed certificate',
      governingService: 'StatefulSet "{{sts}}" names serviceName "{{name}}", which is not found {{searched}} in namespace "{{namespace}}"; without the governing headless Service the pods get no stable DNS names',
      missingKey:
        '{{kind}} "{{name}}" has no key "{{key}}" ({{via}}), it holds {{keys}}; pods fail with CreateContainerConfigError (couldn\'t find key {{key}}) until the key exists',
      roleRef:
        '{{binding}} "{{bindingName}}" grants {{kind}} "{{name}}", which is not found {{searched}}{{where}}; the binding is accepted but grants nothing, so its subjects get Forbidden errors until the role exists',
      scaleTarget: '{{scaler}} "{{scalerName}}" targets {{kind}} "{{name}}", which is not found {{searched}} in namespace "{{namespace}}"; the autoscaler reports FailedGetScale and does nothing',
    },
    docs: {
      rationale:
        'Kubernetes accepts objects that name things that do not exist: the failure shows up later, as pods stuck in CreateContainerConfigError or Pending, an Ingress answering 503, a StatefulSet without DNS names, or an HPA reporting FailedGetScale. The rule resolves every by-name reference (ConfigMaps and Secrets in volumes, projected volumes, envFrom and env valueFrom; claimName; serviceAccountName; Ingress backends and TLS Secrets; StatefulSet serviceName; HPA scaleTargetRef and VPA targetRef; the roleRef of a RoleBinding or ClusterRoleBinding) in the same namespace. Because input is often partial (one chart, one guide), it says "not found among the scanned files" and stays silent when the scanned files hold no object of the referenced kind at all: a manifest set without any Secret clearly expects its Secrets to be created out of band (kubectl create secret, External Secrets, Sealed Secrets). A binding to a role every cluster has (the ClusterRoles admin, edit, view, cluster-admin and system:*, the Roles of kube-system such as extension-apiserver-authentication-reader) is not checked; a binding to a role that is missing while the files hold no role of that kind, or that are one fragment (a chart, a guide), is reported at info only. When the ConfigMap or Secret is among the files, the keys that configMapKeyRef, secretKeyRef and volume items name must be in its data. References marked `optional: true`, imagePullSecrets (usually provisioned per cluster), the `default` ServiceAccount, Secrets produced by an ExternalSecret, SealedSecret or cert-manager Certificate in the scanned files, Secrets in a namespace where a scanned Role lets something create Secrets at runtime (an init Job, an operator), claims created by a StatefulSet\'s volumeClaimTemplates, and objects declared in `external:` of .k8s-audit.yaml are not reported.',
      remediation:
        'Add the missing object, fix the name (a typo or a renamed object), mark the reference `optional: true` if the workload copes without it, or declare the object in `external:` of .k8s-audit.yaml when it is created outside these files.',
    },
    peers: [
      { tool: 'kube-linter', id: 'non-existent-service-account' },
      { tool: 'kube-score', id: 'ingress-targets-service' },
    ],
  },
  check(r, ctx) {
    const g = ctx.graph;
    const ns = r.namespace;
    const missing = (kind: string, name: string) => kindPresent(g, kind) && !exists(g, kind, name, ns) && !ctx.settings.isExternal(kind, name, ns);
    // An operator the scan's custom resources belong to may create what is missing: then it is only likely.
    const report = (messageId: 'podRef' | 'backend' | 'tlsSecret' | 'governingService' | 'scaleTarget' | 'missingKey', path: Path, data: Record<string, string>) =>
      ctx.report({ messageId, path, data: { namespace: ns, ...data }, uncertain: messageId === 'missingKey' ? undefined : g.uncertaintyNote(ns, 'it', { kind: data.kind ?? (messageId === 'backend' || messageId === 'governingService' ? 'Service' : messageId === 'tlsSecret' ? 'Secret' : undefined), name: data.name }) });

    if (r.kind === 'RoleBinding' || r.kind === 'ClusterRoleBinding') {
      const ref = r.object.roleRef;
      if (!ref || (ref.kind !== 'Role' && ref.kind !== 'ClusterRole') || typeof ref.name !== 'string' || !ref.name) return;
      // A RoleBinding's Role lives in its namespace; a ClusterRole is cluster-scoped.
      const roleNs = ref.kind === 'Role' ? ns : '';
      if (builtinRole(ref.kind, ref.name, roleNs)) return;
      if (exists(g, ref.kind, ref.name, roleNs) || ctx.settings.isExternal(ref.kind, ref.name, roleNs)) return;
      // The role may come with another chart or an operator: only sure when these files are a whole set that
      // declares its roles.
      const sure = kindPresent(g, ref.kind) && !ctx.settings.partial;
      ctx.report({
        messageId: 'roleRef',
        path: ['roleRef', 'name'],
        data: { binding: r.kind, bindingName: r.name, kind: ref.kind, name: ref.name, where: roleNs ? ` in namespace "${roleNs}"` : '' },
        uncertain: sure ? g.uncertaintyNote(ns, 'it', { kind: ref.kind, name: ref.name }) : `but these files declare no ${ref.kind} or are one fragment of a deployment, so it may be created elsewhere`,
      });
      return;
    }
    if (r.kind === 'HorizontalPodAutoscaler' || r.kind === 'VerticalPodAutoscaler') {
      const field = r.kind === 'HorizontalPodAutoscaler' ? 'scaleTargetRef' : 'targetRef';
      const ref = r.object.spec?.[field];
      if (!ref || typeof ref.kind !== 'string' || typeof ref.name !== 'string') return;
      if (missing(ref.kind, ref.name)) report('scaleTarget', ['spec', field, 'name'], { scaler: r.kind, scalerName: r.name, kind: ref.kind, name: ref.name });
      return;
    }
    if (r.kind === 'Ingress') {
      const seen = new Set<string>();
      for (const b of ingressBackends(r)) {
        if (seen.has(b.service)) continue;
        seen.add(b.service);
        if (missing('Service', b.service)) report('backend', b.namePath, { name: b.service });
      }
      const annotations = r.annotations;
      const certManager = Object.keys(annotations).some((k) => k.startsWith('cert-manager.io/'));
      const tls = r.object.spec?.tls;
      if (!certManager && Array.isArray(tls)) {
        tls.forEach((t, i) => {
          if (typeof t?.secretName === 'string' && missing('Secret', t.secretName)) report('tlsSecret', ['spec', 'tls', i, 'secretName'], { name: t.secretName });
        });
      }
      return;
    }
    // Workloads.
    const seen = new Set<string>();
    for (const ref of g.refsOf(r)) {
      if (ref.optional || ref.via === 'imagePullSecrets') continue;
      const id = `${ref.kind}/${ref.name}`;
      if (seen.has(id)) continue;
      seen.add(id);
      if (!missing(ref.kind, ref.name)) continue;
      // A webhook's or aggregated API's serving certificate is usually issued outside the manifests
      // (cert-manager, a generator Job, the installer's `externalSecret` option).
      if (ref.kind === 'Secret' && g.servesWebhook(r)) {
        ctx.report({ messageId: 'podRef', path: ref.path, data: { namespace: ns, kind: ref.kind, name: ref.name, via: ref.via, consequence: CONSEQUENCE[ref.kind] }, uncertain: 'but these pods serve an admission webhook or an aggregated API, whose serving certificate is usually issued outside the manifests (cert-manager, a generator Job), so this is not certain' });
        continue;
      }
      report('podRef', ref.path, { kind: ref.kind, name: ref.name, via: ref.via, consequence: CONSEQUENCE[ref.kind] });
    }
    // Keys: configMapKeyRef / secretKeyRef and volume items must name keys the scanned object holds.
    for (const ref of g.refsOf(r)) {
      if (ref.optional || !ref.keys || (ref.kind !== 'ConfigMap' && ref.kind !== 'Secret')) continue;
      const objs = g.getAll(ref.kind, ref.name, ns);
      if (objs.length !== 1) continue; // absent (reported above) or declared more than once (variants)
      const o = objs[0].object;
      const fields = ref.kind === 'ConfigMap' ? ['data', 'binaryData'] : ['data', 'stringData'];
      const keys = new Set<string>();
      for (const f of fields) if (o[f] && typeof o[f] === 'object') for (const k of Object.keys(o[f])) keys.add(k);
      if (!keys.size) continue; // an empty object is usually filled in elsewhere
      for (const key of ref.keys) {
        if (keys.has(key)) continue;
        report('missingKey', ref.path, { kind: ref.kind, name: ref.name, key, via: ref.via, keys: [...keys].slice(0, 8).join(', ') + (keys.size > 8 ? ', ...' : '') });
      }
    }
    if (r.kind === 'StatefulSet') {
      const svc = r.object.spec?.serviceName;
      // Stable per-pod DNS names matter once there are peers to find; a single replica does not need them.
      if (typeof svc === 'string' && svc && g.replicaRange(r).max > 1 && missing('Service', svc)) report('governingService', ['spec', 'serviceName'], { sts: r.name, name: svc });
    }
  },
});

