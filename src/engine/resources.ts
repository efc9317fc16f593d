/**
 * Parse what was loaded into documents (a problem becomes a document that carries it), and turn documents into
 * resources, grouped as the loaders grouped them (a kustomize build, a chart rendering, a guide, plain files).
 * CustomResourceDefinitions and admission webhooks act on the whole cluster, so every group sees them.
 */
import { parseSource, ParsedDocument, type ParseProblem } from '../parse/documents.js';
import type { SourceText } from '../parse/source.js';
import type { Expanded } from '../load/expand.js';
import { Resource } from '../graph/resource.js';
import { setScanWide } from '../graph/scan.js';
import { setScannedCrds } from '../schema/crd.js';
import { isKubeLike, isObjectLike, isToolConfig, isValidObject } from './objects.js';

export function parseInputs(expanded: Expanded[]): ParsedDocument[] {
  const docs: ParsedDocument[] = [];
  for (const ex of expanded) {
    for (const src of ex.sources) docs.push(...parseSource(src));
    if (ex.documents) docs.push(...ex.documents);
    for (const p of ex.problems) {
      const src: SourceText = { file: p.file, text: '', format: 'yaml', origin: 'file', group: '' };
      const kind = p.problem.kind;
      const prob: ParseProblem = { kind, message: p.problem.message, line: p.line, column: p.column, endLine: p.line, endColumn: p.column + 1 };
      docs.push(new ParsedDocument(src, 0, 0, '', undefined, [prob]));
    }
  }

  return docs;
}

export function groupResources(docs: ParsedDocument[], defaultNamespace: string): { groups: Map<string, Resource[]>; skipped: number } {
  const groups = new Map<string, Resource[]>();
  let skipped = 0;
  for (const d of docs) {
    // a chart installed into its own namespace (a charts: entry) puts the objects that name none there
    const made = resourcesOf(d, d.source.namespace ?? defaultNamespace);
    if (made === 'skip') {
      // (a chart's values files are read for their credentials, not as documents someone meant as objects)
      if (!d.source.valuesOnly) skipped++;
      continue;
    }
    for (const r of made) {
      let g = groups.get(r.group);
      if (!g) groups.set(r.group, (g = []));
      g.push(r);
    }
  }

  // CustomResourceDefinitions are cluster-wide: one found in any unit validates custom resources in every other.
  setScannedCrds(
    [...groups.values()].flatMap((list) =>
      list.filter((r) => r.kind === 'CustomResourceDefinition').map((r) => ({ object: r.object, apiVersion: r.apiVersion, name: r.name, origin: `found in ${r.doc.source.context ?? r.file}` })),
    ),
  );

  setScanWide([...groups.values()].flat());

  return { groups, skipped };
}

/** The base path of an object that is its whole document: one empty path for all (Resource never changes it). */
const WHOLE_DOCUMENT: readonly (string | number)[] = Object.freeze([]);

/** The API server's limit on a request body (apiserver's MaxRequestBodyBytes, 3 MiB). */
const MAX_OBJECT_BYTES = 3 * 1024 * 1024;

/** Turn a parsed document into resources; 'skip' for documents that are not Kubernetes objects. */
function resourcesOf(d: ParsedDocument, defaultNamespace: string): Resource[] | 'skip' {
  const v = d.value;
  if (d.problems.some((p) => p.kind !== 'duplicate-key')) return [];
  if (!isObjectLike(v)) return 'skip';
  if (d.text.length > MAX_OBJECT_BYTES && isKubeLike(v)) {
    // (nothing in it can reach the cluster, and rules that walk every key of a million-key object take minutes)
    const mib = (d.text.length / 1048576).toFixed(1);
    d.problems.push({ kind: 'too-large', message: `this object is ${mib} MiB of YAML, over the 3 MiB the API server accepts in one request ("Request entity too large"), so it cannot be applied; its contents were not linted`, line: d.startLine + 1, column: 1, endLine: d.startLine + 1, endColumn: 2 });
    return [];
  }
  if (isToolConfig(v)) return 'skip';
  if (!isValidObject(v)) return isKubeLike(v) ? [] : 'skip';
  if (/List$/.test(String(v.kind)) && Array.isArray(v.items)) {
    const out: Resource[] = [];
    v.items.forEach((it: unknown, i: number) => {
      if (isObjectLike(it) && isValidObject(it)) out.push(new Resource(it, d, ['items', i], defaultNamespace));
    });
    return out;
  }
  return [new Resource(v, d, WHOLE_DOCUMENT, defaultNamespace)];
}

