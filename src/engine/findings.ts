/** A finding as the rules stage makes it, before suppressions, and the helpers that turn it into a Finding. */
import { createRequire } from 'node:module';
import { sha256Hex } from '../util/sha256.js';
import type { Finding, Location, RelatedLocation, Severity } from '../types.js';
import type { Rule } from '../rule.js';
import type { SourceText } from '../parse/source.js';
import type { Resource } from '../graph/resource.js';

export interface RawFinding {
  rule: Rule;
  severity: Severity;
  message: string;
  hint: string;
  resource: Resource | null;
  source: SourceText | null;
  /** Source-coordinate line (for comment directives); 0 when not in a source. */
  srcLine: number;
  loc: Location;
  related?: RelatedLocation[];
  fingerprint: string;
  context?: string;
}

export interface RawParts {
  message: string;
  resource: Resource | null;
  source: SourceText | null;
  srcLine: number;
  loc: Location;
  related?: RelatedLocation[];
  hint?: string;
  keyPath: string;
  uncertain?: string;
  /** The report's own severity (ReportDescriptor.severity), in place of the rule's. */
  severity?: Severity;
}

/** Raw findings at each rule's effective severity (info when the rule says it cannot be sure). */
export function rawFindingMaker(severityOf: Map<string, Severity>): (rule: Rule, partial: RawParts) => RawFinding {
  return (rule: Rule, partial: RawParts): RawFinding => ({
    rule,
    severity: partial.uncertain ? 'info' : (partial.severity ?? severityOf.get(rule.id)!),
    message: partial.uncertain ? `${partial.message}; ${partial.uncertain}` : partial.message,
    hint: partial.hint ?? rule.meta.docs.remediation,
    resource: partial.resource,
    source: partial.source,
    srcLine: partial.srcLine,
    loc: partial.loc,
    related: partial.related,
    context: withLineContext(partial.source, partial.srcLine),
    fingerprint: fingerprint(rule.id, partial.loc.file, partial.resource?.key ?? '', partial.keyPath, partial.resource ? '' : partial.message),
  });
}

function withLineContext(src: SourceText | null, line: number): string | undefined {
  if (!src) return undefined;
  const extra = line > 0 ? src.contextAt?.(line) : undefined;
  return extra ? (src.context ? `${src.context}; ${extra}` : extra) : src.context;
}

export function toFinding(f: RawFinding): Finding {
  const out: Finding = {
    ruleId: f.rule.id,
    severity: f.severity,
    message: f.message,
    ...f.loc,
    resource: f.resource?.ref ?? null,
    hint: f.hint,
  };
  if (f.context) out.context = f.context;
  if (f.related?.length) out.related = f.related;
  out.fingerprint = f.fingerprint;
  return out;
}

/**
 * The first fingerprints of a run are hashed in JavaScript (src/util/sha256.ts), the rest with node:crypto: the
 * same SHA-256. Loading node:crypto costs a one-file run about 3 ms of CPU, more than its few findings take to
 * hash in JavaScript; on a large repository node:crypto is the faster once loaded (the JavaScript hash only
 * gets fast after V8 optimises it, and thousands of findings would pay for that).
 */
const JS_HASHES = 32;
let hashed = 0;
let nodeSha256: ((text: string) => string) | undefined;

export function fingerprint(...parts: string[]): string {
  const text = parts.join('\u0000');
  if (hashed < JS_HASHES) {
    hashed++;
    return sha256Hex(text).slice(0, 32);
  }
  if (!nodeSha256) {
    const { createHash } = createRequire(import.meta.url)('node:crypto') as typeof import('node:crypto');
    // (the first 16 bytes as hex: one 32-character string, not a slice that keeps the whole 64-character digest)
    nodeSha256 = (t) => createHash('sha256').update(t).digest().toString('hex', 0, 16);
  }
  return nodeSha256(text);
}
