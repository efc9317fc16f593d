/**
 * The rules stage: document rules on every parsed document, resource rules on every deployment unit with the
 * unit's graph; then what a unit does not satisfy is checked against the rest of the scan, and a kustomize base
 * loses what every overlay supplies.
 */
import type { Path, RelatedLocation } from '../types.js';
import type { Rule, RuleContext, RuleSettings } from '../rule.js';
import { formatMessage } from '../rule.js';
import { mapPosition } from '../parse/source.js';
import type { ParsedDocument } from '../parse/documents.js';
import type { Resource } from '../graph/resource.js';
import { ResourceGraph } from '../graph/graph.js';
import { CUSTOM_RESOURCE_PODS, expandKinds } from '../graph/kinds.js';
import { crPodsCompletedElsewhere, hasCrPods } from '../graph/cr-pod-templates.js';
import { plainUnits, searchedIn } from '../graph/units.js';
import { type RawFinding, type RawParts } from './findings.js';
import { PositionBatch, type Position } from './positions.js';
import type { Timing } from './timing.js';

export interface RulesStage {
  enabled: Rule[];
  baseSettings: Omit<RuleSettings, 'partial'>;
  makeRaw: (rule: Rule, parts: RawParts) => RawFinding;
  /** A whole directory was scanned (its plain manifests are a stack, not a fragment). */
  scannedDirectory: boolean;
  timing?: Timing;
}

export function runDocumentRules(docs: ParsedDocument[], stage: RulesStage, raws: RawFinding[]): void {
  const { enabled, baseSettings, makeRaw } = stage;
  const safely = guard(stage.timing);
  const docRules = enabled.filter((r) => r.checkDocument);
  for (const d of docs) {
    const settings: RuleSettings = { ...baseSettings, partial: d.source.origin !== 'file' };
    for (const rule of docRules) {
      if (d.source.valuesOnly && !rule.meta.readsValues) continue;
      safely(rule, d.source.file, rule.checkDocument!, d, {
          settings,
          report: (rep) => {
            const s = mapPosition(d.source, rep.line, rep.column);
            const e = mapPosition(d.source, rep.endLine ?? rep.line, rep.endColumn ?? rep.column + 1);
            const loc = { file: s.file, line: s.line, column: s.column, endLine: e.file === s.file ? e.line : s.line, endColumn: e.file === s.file ? e.column : s.column + 1 };
            const message = formatMessage(rule.meta.messages[rep.messageId], rep.data);
            raws.push(makeRaw(rule, { message, resource: null, source: d.source.text ? d.source : null, srcLine: rep.line, loc, keyPath: `${d.index}:${rep.messageId}` }));
          },
        });
    }
  }
}

/** A resource rule's report, kept until every rule has run and the positions it needs are resolved together. */
interface PendingReport {
  rule: Rule;
  target: Resource;
  /** The answer for the finding's own position in the PositionBatch, and those of its related locations. */
  at: number;
  related?: { at: number; message: string }[];
  parts: Omit<RawParts, 'srcLine' | 'loc' | 'related'>;
  /** Set when the finding says something was not found in its unit (checked against the whole scan). */
  notFound?: Omit<NotFound, 'raw'>;
}

interface NotFound {
  raw: RawFinding;
  rule: Rule;
  resource: Resource;
  unit: number;
  key: string;
  settings: RuleSettings;
}

export function runResourceRules(groups: Map<string, Resource[]>, stage: RulesStage, raws: RawFinding[]): void {
  const { enabled, baseSettings, makeRaw, scannedDirectory } = stage;
  const { timing } = stage;
  const safely = guard(timing);
  const resRules = enabled.filter((r) => r.check).map((r) => ({ rule: r, kinds: expandKinds(r.meta.kinds) }));
  // The rules that may apply to a kind, in rule order, worked out once per kind rather than per object and rule:
  // those naming the kind (or every kind), and pod rules meeting a kind that may be a custom resource with pods.
  const perKind = new Map<string, { rule: Rule; viaCrPods: boolean }[]>();
  const rulesFor = (kind: string) => {
    let list = perKind.get(kind);
    if (!list) {
      list = [];
      for (const { rule, kinds } of resRules) {
        if (!kinds || kinds.has(kind)) list.push({ rule, viaCrPods: false });
        else if (kinds.has(CUSTOM_RESOURCE_PODS)) list.push({ rule, viaCrPods: true });
      }
      perKind.set(kind, list);
    }
    return list;
  };
  const units = deploymentUnits(groups);
  // Rules that say what they searched: their findings are checked against the rest of the scan.
  const searching = new Set(resRules.filter(({ rule }) => Object.values(rule.meta.messages).some((m) => m.includes('{{searched}}'))).map(({ rule }) => rule));
  // Positions are resolved once every rule has run, a document at a time (positions.ts).
  const positions = new PositionBatch();
  const pending: PendingReport[] = [];
  const scanGraph = units.length > 1 ? new ResourceGraph(units.flatMap((u) => u.resources)) : undefined;
  units.forEach((unit, u) => {
    const { group, resources } = unit;
    const graph = new ResourceGraph(resources);
    // A kustomize overlay is a whole deployment; a chart, a guide, a kustomize base or stdin is a fragment.
    const partial = (group !== '' && !group.startsWith('kustomize:')) || !scannedDirectory || resources.every((r) => r.doc.source.origin === 'stdin');
    // (a fragment's conventions are its own: a chart's Secrets are created out of band whatever the rest declares)
    graph.scan = partial ? undefined : scanGraph;
    const settings: RuleSettings = { ...baseSettings, partial };
    // An excerpt (a guide block shown as a patch, or with parts elided): what it lacks was only left out.
    const excerptSettings: RuleSettings = { ...settings, partial: true, excerpt: true };
    // One context per unit and kind of settings, pointing at the rule and resource being checked: a check runs
    // synchronously, so its reports belong to the current pair (no closure per rule and resource).
    let rule!: Rule;
    let r!: Resource;
    let used!: RuleSettings;
    const report: RuleContext['report'] = (rep) => {
      const target = rep.resource ?? r;
      const p: Path = rep.path ?? ['metadata', 'name'];
      const template = rule.meta.messages[rep.messageId];
      const message = formatMessage(template, { searched: unit.searched, ...rep.data });
      pending.push({
        rule,
        target,
        at: positions.add(target, p),
        related: rep.related?.map((x) => ({ at: positions.add(x.resource, x.path ?? ['metadata', 'name']), message: flat(x.message) })),
        parts: { message, resource: target, source: target.doc.source, hint: rep.hint, keyPath: [p.join('.'), rep.messageId].join(':'), uncertain: rep.uncertain, severity: rep.severity },
        notFound: units.length > 1 && !rep.uncertain && searching.has(rule) ? { rule, resource: r, unit: u, key: reportKey(target, p, rep.messageId), settings: used } : undefined,
      });
    };
    const ctx: RuleContext = { graph, settings, report };
    const excerptCtx: RuleContext = { graph, settings: excerptSettings, report };
    for (r of resources) {
      const excerpt = !!r.doc.source.excerpt;
      used = excerpt ? excerptSettings : settings;
      // Whether it is a custom resource carrying pods: asked once, and only when a pod rule meets another kind.
      let crPods: boolean | undefined;
      for (const entry of rulesFor(r.kind)) {
        rule = entry.rule;
        // Rules that check pods also run on custom resources that carry them (graph/cr-pod-templates.ts)...
        if (entry.viaCrPods) {
          if (!(crPods ??= hasCrPods(r))) continue;
          // ...where what the operator's cluster-wide pod defaults may supply is not missing.
          if (rule.meta.completeness && crPodsCompletedElsewhere(r)) continue;
        }
        if (excerpt && rule.meta.completeness) continue;
        const c = excerpt ? excerptCtx : ctx;
        if (timing) safely(rule, r.file, rule.check!, r, c);
        else {
          // (called here rather than through safely: the hottest call of a run, about a million on 10,000 objects)
          try {
            rule.check!(r, c);
          } catch (e) {
            ruleFailed(rule, r.file, e);
          }
        }
      }
    }
  });
  const notFound = rawFindingsOf(pending, positions, makeRaw, raws);
  if (notFound.length && scanGraph) resolveAcrossUnits(notFound, units, scanGraph);
  dropWhatOverlaysSupply(raws, new Set([...groups.keys()].filter((g) => g.startsWith('kustomize')).map((g) => g.slice(g.indexOf(':') + 1))));
}

/**
 * The raw findings of the reports, in the order reported, once their positions are resolved; and those to check
 * against the rest of the scan. A report in a document that could not be located is lost (as it was when
 * locating it made the rule that reported it fail), and standard error says so.
 */
function rawFindingsOf(pending: PendingReport[], positions: PositionBatch, makeRaw: RulesStage['makeRaw'], raws: RawFinding[]): NotFound[] {
  const resolved = positions.resolve((resource, e) => process.stderr.write(`k8s-audit: positions in ${resource.file} could not be resolved: ${(e as Error)?.stack ?? e}\n`));
  const notFound: NotFound[] = [];
  for (let i = 0; i < pending.length; i++) {
    const q = pending[i];
    // (each report let go once its finding is made: the two lists are not both held whole)
    pending[i] = undefined!;
    const own = resolved[q.at];
    const related = q.related?.map((x) => relatedAt(resolved[x.at], x.message));
    if (!own || related?.includes(undefined)) continue;
    const raw = makeRaw(q.rule, { ...q.parts, srcLine: own.srcLine, loc: own.loc, related: related as RelatedLocation[] | undefined });
    raws.push(raw);
    if (q.notFound) notFound.push({ raw, ...q.notFound });
  }
  return notFound;
}

/**
 * A related location as one flat object. (Spread from the position, each object got hidden classes of its own,
 * twice its own size.)
 */
function relatedAt(pos: Position | undefined, message: string): RelatedLocation | undefined {
  if (!pos) return undefined;
  const { file, line, column, endLine, endColumn } = pos.loc;
  return { file, line, column, endLine, endColumn, message };
}

/**
 * The same text as one sequential string (JSON's round trip copies it; V8 keeps a concatenation as pieces): a
 * related location's message, which a rule builds piece by piece, is kept as one string from its report on.
 */
function flat(s: string): string {
  return JSON.parse(JSON.stringify(s)) as string;
}

/**
 * A kustomize base is linted on its own and inside each overlay that uses it. What every overlay supplies (the
 * selector labels of its commonLabels, the tag of its images:, a namespace, the object a patch replaces) is no
 * defect of what is deployed: a base finding stays only when one of the overlays built in the scan has it too,
 * at the same source position (or when none of them built).
 */
function dropWhatOverlaysSupply(raws: RawFinding[], builtDirs: Set<string>): void {
  const at = (f: RawFinding) => `${f.rule.id}\u0000${f.loc.file}\u0000${f.loc.line}\u0000${f.loc.column}`;
  const byBuild = new Map<string, Set<string>>();
  for (const f of raws) {
    const g = f.source?.group;
    if (!g || !(g.startsWith('kustomize:') || g.startsWith('kustomize-base:'))) continue;
    const dir = g.slice(g.indexOf(':') + 1);
    let s = byBuild.get(dir);
    if (!s) byBuild.set(dir, (s = new Set()));
    s.add(at(f));
  }
  let n = 0;
  for (const f of raws) {
    const overlays = f.source?.group.startsWith('kustomize-base:') ? f.source.overlays : undefined;
    if (overlays?.length) {
      const built = overlays.filter((d) => builtDirs.has(d));
      if (built.length && !built.some((d) => byBuild.get(d)?.has(at(f)))) continue;
    }
    raws[n++] = f;
  }
  raws.length = n;
}

/** A rule's report, as far as telling the same defect in two runs apart goes. */
function reportKey(target: Resource, p: Path, messageId: string): string {
  return [target.key, p.join('.'), messageId].join('\u0000');
}

/**
 * The loaders' groups as deployment units: plain manifests split so that alternatives are never joined
 * (src/graph/units.ts), standard input on its own, every other group (a build, a rendering, a guide) whole.
 */
function deploymentUnits(groups: Map<string, Resource[]>): { group: string; resources: Resource[]; searched: string }[] {
  const out: { group: string; resources: Resource[]; searched: string }[] = [];
  for (const [group, resources] of groups) {
    if (group !== '') {
      out.push({ group, resources, searched: searchedIn(group, resources[0]) });
      continue;
    }
    const stdin = resources.filter((r) => r.doc.source.origin === 'stdin');
    const files = resources.filter((r) => r.doc.source.origin !== 'stdin');
    if (stdin.length) out.push({ group, resources: stdin, searched: 'in standard input' });
    for (const unit of plainUnits(files)) out.push({ group, ...unit });
  }
  // One unit in all: it is the whole scan, as messages have always said.
  if (out.length === 1) out[0].searched = 'among the scanned files';
  return out;
}

/**
 * A reference that its own unit does not satisfy but another part of the scan does (a ConfigMap another overlay
 * defines, pods of a sibling folder): whether the two are deployed together is not known, so the finding is
 * kept at info and says where the objects are. The rule runs again on the whole scan; if the finding goes, the
 * units that complete it are looked for one at a time.
 */
function resolveAcrossUnits(
  pending: NotFound[],
  units: { resources: Resource[]; searched: string }[],
  all: ResourceGraph,
): void {
  const pairGraphs = new Map<string, ResourceGraph>();
  // the units holding objects of each namespace ('' for cluster-scoped ones), in unit order
  const unitsIn = new Map<string, number[]>();
  units.forEach((u, i) => {
    for (const ns of new Set(u.resources.map((r) => r.namespace))) {
      let l = unitsIn.get(ns);
      if (!l) unitsIn.set(ns, (l = []));
      l.push(i);
    }
  });
  const stillReported = (graph: ResourceGraph, p: (typeof pending)[number]): boolean => {
    let seen = false;
    try {
      p.rule.check!(p.resource, { graph, settings: p.settings, report: (rep) => void (seen ||= reportKey(rep.resource ?? p.resource, rep.path ?? ['metadata', 'name'], rep.messageId) === p.key) });
    } catch {
      return true;
    }
    return seen;
  };
  for (const p of pending) {
    if (stillReported(all, p)) {
      p.raw.message += '; nor does any other part of the scan';
      continue;
    }
    let where: string | undefined;
    const ns = p.resource.namespace;
    const candidates = (ns ? [...new Set([...(unitsIn.get(ns) ?? []), ...(unitsIn.get('') ?? [])])].sort((a, b) => a - b) : units.map((_, i) => i)).filter((i) => i !== p.unit);
    for (const v of candidates.slice(0, 25)) {
      const k = `${p.unit}:${v}`;
      let g = pairGraphs.get(k);
      if (!g) {
        pairGraphs.set(k, (g = new ResourceGraph([...units[p.unit].resources, ...units[v].resources])));
        // the same view of the repository's conventions as the unit's own run
        g.scan = p.settings.partial ? undefined : all;
      }
      if (!stillReported(g, p)) {
        where = units[v].searched;
        break;
      }
    }
    p.raw.severity = 'info';
    p.raw.message += `; what it looks for is found ${where ?? 'elsewhere in the scan'}, a separate deployment unit, so whether the two are deployed together is not known`;
  }
}

/** Run a rule so that one that throws reports on standard error and the run goes on; times it when asked. */
function guard(timing: Timing | undefined): <T, C>(rule: Rule, file: string, check: (this: Rule, target: T, ctx: C) => void, target: T, ctx: C) => void {
  return (rule, file, check, target, ctx) => {
    const t0 = timing ? performance.now() : 0;
    try {
      check.call(rule, target, ctx);
    } catch (e) {
      ruleFailed(rule, file, e);
    }
    if (timing) timing.rule(rule.id, performance.now() - t0);
  };
}

function ruleFailed(rule: Rule, file: string, e: unknown): void {
  process.stderr.write(`k8s-audit: rule ${rule.id} failed on ${file}: ${(e as Error)?.stack ?? e}\n`);
}
