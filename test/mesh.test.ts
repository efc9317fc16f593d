/** Istio semantics the mesh rules build on: sidecar injection and PeerAuthentication precedence. */
import { describe, expect, it } from 'vitest';
import { parseSource } from '../src/parse/documents.js';
import { Resource } from '../src/graph/resource.js';
import { ResourceGraph } from '../src/graph/graph.js';
import { mtlsModeAt, sidecarInjection } from '../src/graph/mesh.js';

function graphOf(text: string): ResourceGraph {
  const docs = parseSource({ file: 'mesh.yaml', text, format: 'yaml', origin: 'file', group: '' });
  return new ResourceGraph(docs.filter((d) => d.value && typeof d.value === 'object').map((d) => new Resource(d.value as Record<string, unknown>, d, [], 'default')));
}

const deployment = (ns: string, labels = 'app: api') => `apiVersion: apps/v1
kind: Deployment
metadata: {name: api, namespace: ${ns}}
spec:
  selector: {matchLabels: {app: api}}
  template:
    metadata:
      labels: {${labels}}
    spec:
      containers: [{name: api, image: example/api:1.0}]
`;
const namespace = (name: string, labels: string) => `apiVersion: v1\nkind: Namespace\nmetadata: {name: ${name}, labels: {${labels}}}\n`;
const pa = (name: string, ns: string, body: string) => `apiVersion: security.istio.io/v1\nkind: PeerAuthentication\nmetadata: {name: ${name}, namespace: ${ns}}\nspec:\n${body}\n`;
const api = (g: ResourceGraph) => g.ofKind('Deployment')[0];

describe('sidecarInjection', () => {
  it('follows the pod label first, then the scanned Namespace', () => {
    const g0 = graphOf([namespace('a', 'istio-injection: enabled'), deployment('a')].join('---\n'));
    expect(sidecarInjection(g0, api(g0))?.because).toMatch(/istio-injection=enabled/);
    const g1 = graphOf([namespace('a', 'istio-injection: enabled'), deployment('a', 'app: api, sidecar.istio.io/inject: "false"')].join('---\n'));
    expect(sidecarInjection(g1, api(g1))).toBeUndefined();
    const g2 = graphOf([namespace('a', 'istio-injection: disabled'), deployment('a', 'app: api, sidecar.istio.io/inject: "true"')].join('---\n'));
    expect(sidecarInjection(g2, api(g2))).toBeUndefined();
    const g3 = graphOf(deployment('a', 'app: api, sidecar.istio.io/inject: "true"'));
    expect(sidecarInjection(g3, api(g3))?.because).toMatch(/sidecar.istio.io\/inject=true/);
    const g4 = graphOf([namespace('a', 'istio.io/rev: canary'), deployment('a')].join('---\n'));
    expect(sidecarInjection(g4, api(g4))?.because).toMatch(/istio.io\/rev=canary/);
    const g5 = graphOf([namespace('a', 'istio.io/dataplane-mode: ambient'), deployment('a')].join('---\n'));
    expect(sidecarInjection(g5, api(g5))).toBeUndefined();
    // a namespace that is not among the files gives no verdict
    const g6 = graphOf(deployment('a'));
    expect(sidecarInjection(g6, api(g6))).toBeUndefined();
  });
});

describe('mtlsModeAt', () => {
  it('applies port level, then workload, then namespace, then mesh-wide policies', () => {
    const mesh = pa('default', 'istio-system', '  mtls: {mode: STRICT}');
    let g = graphOf([mesh, deployment('a')].join('---\n'));
    expect(mtlsModeAt(g, api(g), 8080)).toMatchObject({ mode: 'STRICT', policy: { name: 'default', namespace: 'istio-system' } });
    g = graphOf([mesh, pa('ns', 'a', '  mtls: {mode: PERMISSIVE}'), deployment('a')].join('---\n'));
    expect(mtlsModeAt(g, api(g), 8080)?.mode).toBe('PERMISSIVE');
    const workload = pa('api', 'a', '  selector: {matchLabels: {app: api}}\n  mtls: {mode: UNSET}\n  portLevelMtls:\n    9090: {mode: DISABLE}');
    g = graphOf([mesh, pa('ns', 'a', '  mtls: {mode: STRICT}'), workload, deployment('a')].join('---\n'));
    expect(mtlsModeAt(g, api(g), 9090)).toMatchObject({ mode: 'DISABLE', path: ['spec', 'portLevelMtls', '9090', 'mode'] });
    // UNSET inherits from the namespace
    expect(mtlsModeAt(g, api(g), 8080)).toMatchObject({ mode: 'STRICT', policy: { name: 'ns' } });
    // a workload policy for other pods does not apply
    g = graphOf([pa('other', 'a', '  selector: {matchLabels: {app: other}}\n  mtls: {mode: STRICT}'), deployment('a')].join('---\n'));
    expect(mtlsModeAt(g, api(g), 8080)).toBeUndefined();
  });
});
