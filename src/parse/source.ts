/**
 * A SourceText is text that holds YAML or JSON documents, plus how to map a position inside it back
 * to the file a user edits: a plain file maps to itself, a fenced block to its Markdown guide, a rendered
 * Helm template to its template lines.
 */

export interface MappedPosition {
  file: string;
  line: number;
  column: number;
}

export interface SourceDirective {
  /** Rule ids; empty means every rule. */
  rules: string[];
  reason: string;
  /** Where the directive sits (reported when it suppresses nothing). */
  file: string;
  line: number;
  column: number;
}

export interface SourceText {
  /** Display path (relative to cwd, forward slashes) of the real file findings are reported in. */
  file: string;
  /** The text to parse. */
  text: string;
  format: 'yaml' | 'json';
  origin: 'file' | 'stdin' | 'markdown' | 'helm' | 'kustomize';
  /** Maps a 1-based line/column inside `text` to the position in the real file. Identity when absent. */
  mapPosition?: (line: number, column: number) => MappedPosition;
  /** A few words naming where in `file` this text came from (a guide's virtual file, a chart scenario). */
  context?: string;
  /** Extra context for a finding at a line of `text` (a chart: the values the template line reads). */
  contextAt?: (line: number) => string | undefined;
  /** Resource set key: cross-resource rules only see resources of the same group. */
  group: string;
  /** Suppressions that cover the whole text (a Markdown `<!-- k8s-audit-ignore -->` before a block). */
  directives?: SourceDirective[];
  /** Whether `# k8s-audit-ignore` comments inside the text are honoured (not for rendered templates). */
  comments?: boolean;
  /** A Helm values file (a chart's values.yaml, a -f file, a ci/ scenario, a guide's values block). */
  role?: 'helm-values';
  /** Read only by the rules that look into values (`meta.readsValues`), not linted as documents. */
  valuesOnly?: boolean;
  /**
   * Every file a built text was made from (a kustomize build's kustomizations, bases, patches and generator
   * inputs; a chart rendering's chart directory and values files), as absolute real paths; a directory stands
   * for everything under it. --changed-since reports a build's findings when one of these changed.
   */
  inputs?: readonly string[];
  /** The namespace of objects that name none, when not the run's (a chart released into its own namespace). */
  namespace?: string;
  /** A kustomize base: the directories of the builds in the scan that use it. */
  overlays?: string[];
  /** A guide block presented as a patch or an excerpt (why, in a few words): its objects are excerpts. */
  excerpt?: string;
  /** A chart's values file: the names its rendered templates give Secrets or refer to them by (a value equal to one names that Secret). */
  secretNames?: ReadonlySet<string>;
  /** Strings a Helm chart generated while rendering this text (randAlphaNum, genPrivateKey): not committed values. */
  generated?: ReadonlySet<string>;
  /** Comment directives of text built from other files (kustomize), in this text's line coordinates. */
  commentDirectives?: () => import('../suppress.js').CommentDirective[];
}

/** Offsets of line starts, for offset -> line/column conversion by binary search. */
export class LineIndex {
  private readonly starts: number[];
  constructor(text: string) {
    const starts = [0];
    let i = text.indexOf('\n');
    while (i !== -1) {
      starts.push(i + 1);
      i = text.indexOf('\n', i + 1);
    }
    this.starts = starts;
  }
  get lineCount(): number {
    return this.starts.length;
  }
  lineStart(line: number): number {
    return this.starts[Math.min(Math.max(line, 1), this.starts.length) - 1];
  }
  /** 1-based line and column of an offset. */
  position(offset: number): { line: number; column: number } {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - this.starts[lo] + 1 };
  }
}

export function mapPosition(src: SourceText, line: number, column: number): MappedPosition {
  return src.mapPosition ? src.mapPosition(line, column) : { file: src.file, line, column };
}
