import { defineRule } from '../src/rule.js';
import { dns1123Label, dns1123Subdomain, nameProblem } from '../src/schema/names.js';
import { schemaOf } from '../src/schema/validate.js';

export default defineRule({
  id: 'invalid-name',
  meta: {
    description: 'Require object names and namespaces that the API server accepts for the kind',
    category: 'schema',
    severity: 'error',
    recommended: true,
    kinds: ['*'],
    messages: {
      name: 'metadata.name "{{name}}" {{problem}}: a {{kind}} name must be {{what}}, so the API server rejects the object',
      namespace: 'metadata.namespace "{{name}}" {{problem}}: a namespace name must be a DNS-1123 label, so the API server rejects the object',
      crd: 'A CustomResourceDefinition must be named "<spec.names.plural>.<spec.group>" ("{{expected}}"), not "{{name}}"; the API server rejects it',
    },
    docs: {
      rationale:
        'Names end up in DNS records, URLs and labels, so each kind restricts them: most to a DNS-1123 subdomain (lower-case letters, digits, "-" and ".", at most 253 characters), Namespaces to a DNS-1123 label (63 characters, no "."), Services to a DNS-1035 label (which must also start with a letter), CronJobs to 52 characters. `MyApp`, `web_server` or `1st-service` fail at apply time.',
      remediation: 'Rename the object: lower-case letters, digits and "-" are safe everywhere; keep it under 63 characters and start with a letter.',
      examples: {
        invalid: 'apiVersion: v1\nkind: Service\nmetadata:\n  name: Web_Frontend\nspec:\n  selector: {app: web}\n  ports: [{port: 80}]\n',
        valid: 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web-frontend\nspec:\n  selector: {app: web}\n  ports: [{port: 80}]\n',
      },
      references: ['https://kubernetes.io/docs/concepts/overview/working-with-objects/names/'],
    },
  },
  check(r, ctx) {
    const md = r.object.metadata;
    if (!md || typeof md !== 'object') return;
    const name = md.name;
    if (typeof name === 'string' && name) {
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
    const ns = md.namespace;
    if (typeof ns === 'string' && ns) {
      const p = dns1123Label(ns);
      if (p) ctx.report({ messageId: 'namespace', data: { name: ns, problem: p }, path: ['metadata', 'namespace'] });
    }
  },
});
