import { defineRule } from '../src/rule.js';
import { configKey, dns1123Label, dns1123Subdomain, ianaSvcName, nameProblem } from '../src/schema/names.js';
import { podTemplateOf } from '../src/graph/workloads.js';
import { schemaOf } from '../src/schema/validate.js';
import { isPlaceholder } from '../src/schema/text.js';

export default defineRule({
  id: 'invalid-name',
  meta: {
    description: 'Require object, namespace, container, port, volume and data-key names that the API server accepts',
    category: 'schema',
    severity: 'error',
    recommended: true,
    kinds: ['*'],
    messages: {
      name: 'metadata.name "{{name}}" {{problem}}: a {{kind}} name must be {{what}}, so the API server rejects the object',
      namespace: 'metadata.namespace "{{name}}" {{problem}}: a namespace name must be a DNS-1123 label, so the API server rejects the object',
      part: '{{what}} "{{name}}" {{problem}}, so the API server rejects the object',
      crd: 'A CustomResourceDefinition must be named "<spec.names.plural>.<spec.group>" ("{{expected}}"), not "{{name}}"; the API server rejects it',
    },
    docs: {
      rationale:
        'Names end up in DNS records, URLs and labels, so each kind restricts them: most to a DNS-1123 subdomain (lower-case letters, digits, "-" and ".", at most 253 characters), Namespaces to a DNS-1123 label (63 characters, no "."), Services to a DNS-1035 label (which must also start with a letter), CronJobs to 52 characters. Inside objects, container, volume and Service port names are DNS-1123 labels, container port names at most 15 characters (IANA service names), and ConfigMap and Secret keys letters, digits, "-", "_" and ".". `MyApp`, `web_server`, `1st-service` or a port named `metrics-endpoint` fail at apply time.',
      remediation: 'Rename the object: lower-case letters, digits and "-" are safe everywhere; keep it under 63 characters and start with a letter.',
      references: ['https://kubernetes.io/docs/concepts/overview/working-with-objects/names/'],
    },
  },
  check(r, ctx) {
    const md = r.object.metadata;
    if (!md || typeof md !== 'object') return;
    const name = md.name;
    if (typeof name === 'string' && name && !isPlaceholder(name)) {
      let bad = nameProblem(r.kind, name);
      // Custom resources whose definition is known are validated as DNS-1123 subdomains too.
      if (!bad && schemaOf(r, ctx.graph).source === 'crd') {
        const p = dns1123Subdomain(name);
        if (p) bad = { problem: p, what: 'a DNS-1123 subdomain' };
      }
      if (bad) ctx.report({ messageId: 'name', data: { name, problem: bad.problem, kind: r.kind, what: bad.what }, path: ['metadata', 'name'] });
      if (r.kind === 'CustomResourceDefinition' && r.apiVersion.startsWith('apiextensions.k8s.io/')) {
        const plural = r.object.spec?.names?.plural;
        const group = r.object.spec?.group;
        if (typeof plural === 'string' && typeof group === 'string' && name !== `${plural}.${group}`) {
          ctx.report({ messageId: 'crd', data: { name, expected: `${plural}.${group}` }, path: ['metadata', 'name'] });
        }
      }
    }
    const part = (path: (string | number)[], what: string, check: (v: string) => string | undefined) => {
      const v = r.get(path);
      if (typeof v !== 'string' || !v || isPlaceholder(v)) return;
      const p = check(v);
      if (p) ctx.report({ messageId: 'part', data: { what, name: v, problem: p }, path });
    };
    const t = podTemplateOf(r);
    if (t) {
      const spec = [...t.path, 'spec'];
      for (const list of ['initContainers', 'containers', 'ephemeralContainers']) {
        const cs = r.get([...spec, list]);
        if (!Array.isArray(cs)) continue;
        cs.forEach((c, i) => {
          part([...spec, list, i, 'name'], 'Container name', dns1123Label);
          const ports = c && typeof c === 'object' ? (c as Record<string, unknown>).ports : undefined;
          if (Array.isArray(ports)) ports.forEach((_, j) => part([...spec, list, i, 'ports', j, 'name'], 'Container port name', ianaSvcName));
        });
      }
      const vols = r.get([...spec, 'volumes']);
      if (Array.isArray(vols)) vols.forEach((_, i) => part([...spec, 'volumes', i, 'name'], 'Volume name', dns1123Label));
    }
    if (r.kind === 'Service' && r.apiVersion === 'v1') {
      const ports = r.get(['spec', 'ports']);
      if (Array.isArray(ports)) ports.forEach((_, i) => part(['spec', 'ports', i, 'name'], 'Service port name', dns1123Label));
    }
    if ((r.kind === 'ConfigMap' || r.kind === 'Secret') && r.apiVersion === 'v1') {
      for (const field of r.kind === 'ConfigMap' ? ['data', 'binaryData'] : ['data', 'stringData']) {
        const m = r.get([field]);
        if (!m || typeof m !== 'object' || Array.isArray(m)) continue;
        for (const key of Object.keys(m)) {
          if (isPlaceholder(key)) continue;
          const p = configKey(key);
          if (p) ctx.report({ messageId: 'part', data: { what: `${r.kind} key`, name: key, problem: p }, path: [field, key] });
        }
      }
    }
    const ns = md.namespace;
    if (typeof ns === 'string' && ns && !isPlaceholder(ns)) {
      const p = dns1123Label(ns);
      if (p) ctx.report({ messageId: 'namespace', data: { name: ns, problem: p }, path: ['metadata', 'namespace'] });
    }
  },
});
