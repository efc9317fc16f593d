// API behaviour of the built-in renderer: errors never throw, carry file/line; lineMap; options.
import { describe, it, expect } from 'vitest';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderChart, isChartDir, formatAsHelmTemplate, splitManifests, type RenderResult } from '../src/render/helm/index.js';

const fx = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'helm');
const render = (dir: string, opts = {}) => renderChart(join(fx, dir), opts) as RenderResult;

describe('helm renderer API', () => {
  it('isChartDir', () => {
    expect(isChartDir(join(fx, 'app'))).toBe(true);
    expect(isChartDir(join(fx, 'cases'))).toBe(false);
    expect(isChartDir(join(fx, 'does-not-exist'))).toBe(false);
  });

  it('never throws on a missing chart', () => {
    const r = render('does-not-exist');
    expect(r.templates).toEqual([]);
    expect(r.errors.length).toBe(1);
  });

  it('reports each broken template with file and line, and still renders the good ones', () => {
    const r = render('broken');
    const by = (f: string) => r.errors.find((e) => e.file.endsWith(f));
    expect(by('parse-error.yaml')).toMatchObject({ line: 6 });
    expect(by('parse-error.yaml')!.message).toMatch(/unclosed action/);
    expect(by('required.yaml')).toMatchObject({ line: 6, column: 16 });
    expect(by('required.yaml')!.message).toContain('password is required');
    expect(by('unknown-func.yaml')).toMatchObject({ line: 2 });
    expect(by('unknown-func.yaml')!.message).toContain('function "nosuchfunc" not defined');
    expect(by('nil.yaml')).toMatchObject({ line: 2, column: 18 });
    expect(by('nil.yaml')!.message).toContain('nil pointer evaluating interface {}.deep');
    expect(r.errors.length).toBe(4);
    expect(r.templates.map((t) => t.template)).toEqual(['broken/templates/good.yaml']);
    expect(r.templates[0].text).toContain('name: ok');
  });

  it('reports a bad values file and keeps rendering with chart defaults', () => {
    const r = render('broken', { valuesFiles: [join(fx, 'broken', 'bad-values.yaml')] });
    const e = r.errors.find((x) => x.file.endsWith('bad-values.yaml'));
    expect(e).toBeTruthy();
    expect(e!.line).toBeGreaterThanOrEqual(1);
    expect(r.templates.some((t) => t.template.endsWith('good.yaml'))).toBe(true);
  });

  it('a values file is a YAML stream: a document that is not a map fails the file, as in helm', () => {
    const r = render('streams', { valuesFiles: [join(fx, 'values', 'stream-bad.yaml')] });
    const e = r.errors.find((x) => x.file.endsWith('stream-bad.yaml'));
    expect(e?.message).toContain('cannot unmarshal array into Go value of type map[string]interface {}');
    // the file is not half-applied: its first document (replicas: 2) is dropped with it
    expect(formatAsHelmTemplate(r)).toContain('replicas: "3"');
  });

  // helm's wording for these (checked with helm v4.1.4); its columns point at the last node Go evaluated
  it.each([
    ['compare-string', 4, `can't handle "1.0.0" for arg of type *semver.Version`],
    ['compare-value', 5, 'wrong type for value; expected *semver.Version; got semver.Version'],
    ['arity', 6, 'wrong number of args for Major: want 0 got 1'],
    ['original-of-value', 7, "can't evaluate field Original in type semver.Version"],
  ])('method calls on semver values are checked as reflect checks them: %s', (fail, line, message) => {
    const r = render('methods', { set: [`fail=${fail}`] });
    expect(r.errors.map((e) => [e.line, e.message.includes(message)])).toEqual([[line, true]]);
  });

  it('kubeVersion, extraValues, releaseName and namespace options', () => {
    const r = render('broken', { kubeVersion: '1.31', extraValues: { extra: 'yes', name: 'from-extra' }, set: ['name=from-set'] });
    const good = r.templates.find((t) => t.template.endsWith('good.yaml'))!;
    expect(good.text).toContain('kube: "v1.31"'); // helm keeps the version as given
    expect(good.text).toContain('extra: "yes"');
    expect(good.text).toContain('name: from-set');
    const u = render('umbrella', { releaseName: 'rel', namespace: 'ns' });
    expect(formatAsHelmTemplate(u)).toContain('name: ns-extra');
    expect(formatAsHelmTemplate(u)).toContain('name: rel-backend');
  });

  it('reads subcharts packaged as .tgz and names their files', () => {
    const r = render('umbrella', { set: ['tags.caching=true'] });
    const svc = r.templates.find((t) => t.template === 'umbrella/charts/cache/templates/svc.yaml');
    expect(svc).toBeTruthy();
    expect(svc!.file).toMatch(/cache-0\.3\.1\.tgz#templates\/svc\.yaml$/);
    expect(r.templates.some((t) => t.template.includes('/charts/lib/'))).toBe(false); // library chart
    expect(r.templates.some((t) => t.template.endsWith('NOTES.txt'))).toBe(false);
  });

  it('maps output lines back to template lines', () => {
    const r = render('app');
    const dep = r.templates.find((t) => t.template === 'app/templates/deployment.yaml')!;
    const out = dep.text.split('\n');
    expect(dep.lineMap.length).toBe(out.length);
    const lineOf = (needle: string) => dep.lineMap[out.findIndex((l) => l.includes(needle))];
    expect(lineOf('apiVersion: apps/v1')).toBe(1);
    expect(lineOf('name: release-name-app')).toBe(4);
    expect(lineOf('  labels:')).toBe(5);
    expect(lineOf('helm.sh/chart: app-0.2.0')).toBe(6); // emitted by `include ... | nindent 4` on line 6
    expect(lineOf('app.kubernetes.io/managed-by')).toBe(6);
    expect(lineOf('replicas: 1')).toBe(8);
    expect(lineOf('- name: LOG_LEVEL')).toBe(27); // range body line
    expect(lineOf('value: "info"')).toBe(28);
    expect(lineOf('containerPort: 9090')).toBe(36);
    expect(lineOf('memory: 128Mi')).toBe(42); // toYaml | nindent on line 42
  });

  it('splits manifests like helm', () => {
    expect(splitManifests('a: 1\n---\nb: 2\n--- \n\n---\nc: 3')).toEqual(['a: 1', 'b: 2', '---\nc: 3']);
    expect(splitManifests('---\na: 1\n')).toEqual(['a: 1']);
  });
});

describe('Chart.yaml checks', () => {
  it('kubeVersion constraint is checked against the target version', () => {
    const r = render('app', { kubeVersion: '1.19' });
    const e = r.errors.find((x) => x.message.includes('chart requires kubeVersion'));
    expect(e?.message).toBe('chart requires kubeVersion: >=1.20.0-0 which is incompatible with Kubernetes v1.19');
    expect(e?.line).toBe(5);
    expect(render('app', { kubeVersion: '1.29' }).errors).toEqual([]);
  });
});

describe('manifestErrors', () => {
  it('reports documents helm would refuse, at their template line', async () => {
    const { manifestErrors, splitManifestsWithOffsets } = await import('../src/render/helm/index.js');
    const text = 'a: 1\n---\njust a string\n---\nb: [\n';
    expect(splitManifestsWithOffsets(text).map((d) => [d.content, d.offset])).toEqual([['a: 1', 0], ['just a string', 9], ['b: [', 27]]);
    const errs = manifestErrors({ templates: [{ template: 'c/templates/x.yaml', file: '/x.yaml', text, lineMap: [1, 2, 3, 4, 5, 6] }] });
    expect(errs.map((e) => [e.line, e.message.slice(0, 40)])).toEqual([
      [3, 'YAML parse error on c/templates/x.yaml: '],
      [5, 'YAML parse error on c/templates/x.yaml: '],
    ]);
    expect(errs[0].message).toContain('cannot unmarshal string into Go value of type util.SimpleHead');
    expect(manifestErrors(render('app'))).toEqual([]);
  });
});

describe('values.schema.json', () => {
  // messages as printed by helm v4.1.4 for the same --set values
  const cases: Array<[string, string]> = [
    ['replicas=0', "- at '/replicas': minimum: got 0, want 1"],
    ['mode=medium', "- at '/mode': value must be one of 'fast', 'slow'"],
    ['name=X1', "- at '/name': 'X1' does not match pattern '^[a-z]+$'"],
    ['extra=1', "- at '': additional properties 'extra' not allowed"],
    ['ports[0].name=a', "- at '/ports/0': missing property 'port'"],
    ['replicas=1.5', "- at '/replicas': got string, want integer"],
  ];
  for (const [set, msg] of cases) {
    it(`--set ${set}`, () => {
      const r = render('schema', { set: [set] });
      expect(r.errors.length).toBe(1);
      expect(r.errors[0].file.endsWith('values.schema.json')).toBe(true);
      expect(r.errors[0].message).toBe(`values don't meet the specifications of the schema(s) in the following chart(s):\nschema:\n${msg}`);
    });
  }
  it('valid values pass', () => {
    expect(render('schema').errors).toEqual([]);
  });
});

describe('--set parsing errors, worded as helm words them', () => {
  const strvals = import('../src/render/helm/strvals.js');
  const set = async (expr: string) => {
    const d: Record<string, unknown> = {};
    (await strvals).parseSetInto(d, expr, 'typed');
    return JSON.parse(JSON.stringify(d));
  };
  const err = async (expr: string) => {
    try {
      (await strvals).parseSetInto({}, expr, 'typed');
      return '';
    } catch (e) {
      return (e as Error).message;
    }
  };

  it('names the last key segment, unescaped', async () => {
    // helm v4: `failed parsing --set data: key "enabled" has no value`
    expect(await err('metrics.serviceMonitor.enabled')).toBe('key "enabled" has no value');
    expect(await err('foo')).toBe('key "foo" has no value');
    expect(await err('a=1,x\\.y')).toBe('key "x.y" has no value');
  });

  // What helm v4 gave for each (`helm template x CHART --set EXPR`, printing toJson .Values)
  it('an index with nothing after it sets the list as this expression has it; data after an index is an error', async () => {
    expect(await set('a.list[0]')).toEqual({ a: { list: [] } });
    expect(await set('a.b.c[3]')).toEqual({ a: { b: { c: [] } } });
    expect(await set('a.list[0]=5,a.list[1]')).toEqual({ a: { list: [{ t: 'int64', v: 5 }] } }); // an int64, as --set types 5
    expect(await set('a[0][1]')).toEqual({ a: [] });
    expect(await set('a.list[1]=2')).toEqual({ a: { list: [null, { t: 'int64', v: 2 }] } });
    expect(await err('a.list[0],a.y=2')).toBe("unexpected data at end of array index: [',' 'a']");
    expect(await err('a.list[0]x')).toBe("unexpected data at end of array index: ['x']");
    expect(await err('a.list[0]x=1')).toBe("unexpected data at end of array index: ['x']");
    expect(await err('a.list[0].b')).toBe('key "b" has no value');
  });
});
