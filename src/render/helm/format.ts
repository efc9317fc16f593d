// `helm template`-style output: split documents, sort by kind install order, hooks last.
import { loadYaml, goPlainIsNotString } from './yaml.js';
import { loadBlockYaml } from '../../parse/block-yaml.js';
import { isMap } from './values.js';
import type { RenderResult, HelmError } from './types.js';

export const INSTALL_ORDER = [
  'PriorityClass', 'Namespace', 'NetworkPolicy', 'ResourceQuota', 'LimitRange', 'PodSecurityPolicy', 'PodDisruptionBudget', 'ServiceAccount',
  'Secret', 'SecretList', 'ConfigMap', 'StorageClass', 'PersistentVolume', 'PersistentVolumeClaim', 'CustomResourceDefinition', 'ClusterRole',
  'ClusterRoleList', 'ClusterRoleBinding', 'ClusterRoleBindingList', 'Role', 'RoleList', 'RoleBinding', 'RoleBindingList', 'Service', 'DaemonSet',
  'Pod', 'ReplicationController', 'ReplicaSet', 'Deployment', 'HorizontalPodAutoscaler', 'StatefulSet', 'Job', 'CronJob', 'IngressClass', 'Ingress',
  'APIService', 'MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration',
];

export interface ManifestDoc {
  template: string;
  content: string;
  kind: string;
  hook: boolean;
}

/** Helm's SplitManifests: split on (?:^|\s*\n)---\s* after trimming; drop empty docs. */
export function splitManifests(text: string): string[] {
  return splitManifestsWithOffsets(text).map((d) => d.content);
}

/**
 * What the output check and the install-order sort need of a rendered document: whether it parses, the
 * shape of its value (a mapping, null, or what else), its kind and whether it is a hook. Each document is
 * read once per render result: `render` asks manifestErrors, then formatAsHelmTemplate, about the same
 * documents (keyed by the result's templates array, so the memo goes with the result).
 */
type Shape = 'map' | 'null' | 'array' | 'string' | 'bool' | 'number';
type Parsed = { shape: Shape; kind: string; hook: boolean } | { error: Error };
const parsedDocs = new WeakMap<object, Map<string, Parsed>>();

function parseDoc(owner: object, doc: string): Parsed {
  let memo = parsedDocs.get(owner);
  if (!memo) parsedDocs.set(owner, (memo = new Map()));
  let p = memo.get(doc);
  if (!p) memo.set(doc, (p = documentHead(doc)));
  return p;
}

/** A document's head: through the block-YAML loader when it decides, else js-yaml (`viaBlockLoader` false: always). */
export function documentHead(doc: string, viaBlockLoader = true): Parsed {
  const fast = viaBlockLoader ? blockHead(doc) : undefined;
  if (fast) return fast;
  try {
    return headOf(loadYaml(doc));
  } catch (e) {
    return { error: e as Error };
  }
}

function headOf(v: unknown): Parsed {
  if (!isMap(v)) {
    const shape: Shape = v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v === 'string' ? 'string' : typeof v === 'boolean' ? 'bool' : 'number';
    return { shape, kind: '', hook: false };
  }
  const md = isMap(v.metadata) ? v.metadata : {};
  const ann = isMap(md.annotations) ? md.annotations : {};
  return { shape: 'map', kind: typeof v.kind === 'string' ? v.kind : '', hook: Object.prototype.hasOwnProperty.call(ann, 'helm.sh/hook') };
}

/**
 * The head of a document through the block-YAML loader (src/parse/block-yaml.ts), which reads the plain block
 * YAML that templates render about twice as fast as js-yaml, and cold, with code a lint run has already
 * compiled. It takes only documents js-yaml reads without error (it gives up on anything else), so an error,
 * with go-yaml's wording, still comes from loadYaml. Its scalars are YAML 1.2's, not go-yaml's: structure and
 * string keys are the same, and a `kind` it reads as a string is one here too unless go-yaml would read that
 * text as a null, bool or number; any doubt (that, a kind that is not a string or spans lines, a value that is
 * not a mapping) goes to loadYaml. undefined when it does not decide.
 */
function blockHead(doc: string): Parsed | undefined {
  const v = loadBlockYaml(doc);
  if (!isMap(v)) return undefined;
  const kind = v.kind;
  // a kind with a line break is a block scalar, whose last line break go-yaml drops at the end of the text
  // (rendered documents are trimmed) where a YAML 1.2 reader keeps it: js-yaml with that rule decides
  if (kind !== undefined && (typeof kind !== 'string' || goPlainIsNotString(kind) || kind.includes('\n'))) return undefined;
  return headOf(v);
}

function head(owner: object, doc: string): { kind: string; hook: boolean } {
  const p = parseDoc(owner, doc);
  return 'error' in p ? { kind: '', hook: false } : p;
}

export function sortByKind<T extends { kind: string }>(docs: T[]): T[] {
  const order = new Map(INSTALL_ORDER.map((k, i) => [k, i]));
  return docs
    .map((d, i) => ({ d, i }))
    .sort((a, b) => {
      const oa = order.get(a.d.kind), ob = order.get(b.d.kind);
      if (oa === undefined && ob === undefined) {
        if (a.d.kind !== b.d.kind) return a.d.kind < b.d.kind ? -1 : 1;
        return a.i - b.i;
      }
      if (oa === undefined) return 1;
      if (ob === undefined) return -1;
      return oa !== ob ? oa - ob : a.i - b.i;
    })
    .map((x) => x.d);
}

export function manifestDocs(result: Pick<RenderResult, 'templates'>): { manifests: ManifestDoc[]; hooks: ManifestDoc[] } {
  const generic: ManifestDoc[] = [];
  const hooks: ManifestDoc[] = [];
  const tpls = [...result.templates].sort((a, b) => (a.template < b.template ? -1 : a.template > b.template ? 1 : 0));
  for (const t of tpls) {
    if (t.text.trim() === '') continue;
    for (const content of splitManifests(t.text)) {
      const h = head(result.templates, content);
      (h.hook ? hooks : generic).push({ template: t.template, content, kind: h.kind, hook: h.hook });
    }
  }
  return { manifests: sortByKind(generic), hooks: sortByKind(hooks) };
}

/** The text stream `helm template` prints for a rendered chart. */
export function formatAsHelmTemplate(result: Pick<RenderResult, 'templates' | 'crds' | 'includeCrds'>, opts: { includeCrds?: boolean } = {}): string {
  const { manifests, hooks } = manifestDocs(result);
  let m = '';
  if (opts.includeCrds ?? result.includeCrds) for (const c of result.crds ?? []) m += `---\n# Source: ${c.template}\n${c.text}\n`;
  for (const d of manifests) m += `---\n# Source: ${d.template}\n${d.content}\n`;
  let out = m.trim() + '\n';
  for (const d of hooks) out += `---\n# Source: ${d.template}\n${d.content}\n`;
  return out;
}

/** Documents of one rendered template with their 0-based start offsets in `text` (Helm's SplitManifests). */
export function splitManifestsWithOffsets(text: string): Array<{ content: string; offset: number }> {
  const lead = text.length - text.trimStart().length;
  const t = text.trim();
  const out: Array<{ content: string; offset: number }> = [];
  const re = /(?:^|\s*\n)---\s*/g;
  let last = 0;
  const push = (from: number, to: number) => {
    const raw = t.slice(from, to);
    const content = raw.trim();
    if (content) out.push({ content, offset: lead + from + (raw.length - raw.trimStart().length) });
  };
  let m: RegExpExecArray | null;
  while ((m = re.exec(t))) {
    if (m[0].length === 0) { re.lastIndex++; continue; }
    push(last, m.index);
    last = m.index + m[0].length;
  }
  push(last, t.length);
  return out;
}

/**
 * The errors `helm template` would raise after rendering: documents that are not valid YAML or not a mapping
 * ("YAML parse error on <template>: ..."), located through lineMap.
 */
/** True when the text opens with a flow mapping `{...}` that reads as a mapping on its own. */
function leadingFlowMapping(text: string): boolean {
  const lines = text.split('\n');
  let i = 0;
  while (i < lines.length && (/^\s*(#.*)?$/.test(lines[i]))) i++;
  const rest = lines.slice(i).join('\n');
  if (!rest.startsWith('{')) return false;
  let depth = 0;
  let quote = '';
  for (let j = 0; j < rest.length; j++) {
    const c = rest[j];
    if (quote) {
      if (c === '\\' && quote === '"') j++;
      else if (c === quote) quote = '';
      continue;
    }
    if (c === '"' || c === "'") quote = c;
    else if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') {
      depth--;
      if (depth === 0) {
        try {
          return isMap(loadYaml(rest.slice(0, j + 1)));
        } catch {
          return false;
        }
      }
    }
  }
  return false;
}

export function manifestErrors(result: Pick<RenderResult, 'templates'>): HelmError[] {
  const errs: HelmError[] = [];
  for (const t of result.templates) {
    if (t.text.trim() === '') continue;
    for (const d of splitManifestsWithOffsets(t.text)) {
      let problem: string | null = null;
      let lineInDoc = 0;
      const p = parseDoc(result.templates, d.content);
      if (!('error' in p)) {
        if (p.shape !== 'null' && p.shape !== 'map') {
          problem = `error unmarshaling JSON: while decoding JSON: json: cannot unmarshal ${p.shape} into Go value of type util.SimpleHead`;
        }
      } else {
        const e = p.error;
        // Helm's YAML reader (go-yaml) stops after a complete flow mapping at the start of a document and
        // ignores what follows it on the line (`{"a":1} true [a b]` reads as {a: 1}): so does this check.
        if (!leadingFlowMapping(d.content)) {
          problem = e.message;
          lineInDoc = Math.max(0, ((e as { line?: number }).line ?? 1) - 1);
        }
      }
      if (!problem) continue;
      const outLine = t.text.slice(0, d.offset).split('\n').length - 1 + lineInDoc;
      errs.push({ file: t.file, line: t.lineMap[outLine] ?? 1, message: `YAML parse error on ${t.template}: ${problem}` });
    }
  }
  return errs;
}
