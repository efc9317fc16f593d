/**
 * Here-documents inside shell blocks of a Markdown guide: `kubectl apply -f - <<EOF`, `cat <<EOF | kubectl
 * apply -f -`, `cat > file.yaml <<'EOF'`, `helm install ... --values - <<EOF`, with `<<-` tab stripping.
 * Shell expansions in an unquoted here-document are not literal text: they are replaced by a neutral
 * placeholder of the same length so positions stay exact and nothing flags them as invalid names.
 */

export type HeredocConsumer =
  /** Piped to `kubectl apply|create|replace -f -`. */
  | { kind: 'kubectl' }
  /** Written to a file: `cat > path`, `cat <<EOF > path`, `tee path`. */
  | { kind: 'file'; path: string }
  /** Read as values by `helm install|upgrade|template ... -f -`. */
  | { kind: 'helm-values'; command: string }
  | { kind: 'other'; command: string };

export interface Heredoc {
  /** 0-based index (in the block's lines) of the line holding `<<EOF`. */
  commandLine: number;
  /** 0-based index of the first body line. */
  bodyStart: number;
  /** The body, one entry per line (tabs stripped for `<<-`, expansions neutralised when unquoted). */
  lines: string[];
  /** The body as written (tabs stripped for `<<-`, expansions kept): what `extract` writes. */
  raw: string[];
  /** Per body line: characters removed from its start (`<<-` tabs). */
  stripped: number[];
  delimiter: string;
  quoted: boolean;
  /** The closing delimiter line was found. */
  terminated: boolean;
  consumer: HeredocConsumer;
}

const OPERATOR = /(^|[^<])<<(-?)[ \t]*(?:'([^'\n]+)'|"([^"\n]+)"|\\([A-Za-z_][\w.-]*)|([A-Za-z_][\w.-]*))/g;

/** Find here-documents in the lines of a shell block. */
export function findHeredocs(lines: string[]): Heredoc[] {
  const out: Heredoc[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i];
    const code = stripShellComment(line);
    const ops: { strip: boolean; delimiter: string; quoted: boolean }[] = [];
    OPERATOR.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = OPERATOR.exec(code))) {
      const delimiter = m[3] ?? m[4] ?? m[5] ?? m[6];
      ops.push({ strip: m[2] === '-', delimiter, quoted: m[6] === undefined });
    }
    if (!ops.length) {
      i++;
      continue;
    }
    // The logical command: continuation lines before this one, this line, and continuations after it.
    let first = i;
    const floor = out.length ? out[out.length - 1].bodyStart + out[out.length - 1].lines.length + 1 : 0;
    while (first > floor && /\\\s*$/.test(lines[first - 1])) first--;
    const command = lines
      .slice(first, i + 1)
      .map((l) => stripShellComment(l).replace(/\\\s*$/, ' '))
      .join(' ');
    let next = i + 1;
    for (const op of ops) {
      const body: string[] = [];
      const raw: string[] = [];
      const stripped: number[] = [];
      const bodyStart = next;
      let terminated = false;
      let j = next;
      for (; j < lines.length; j++) {
        let l = lines[j];
        let s = 0;
        if (op.strip) {
          const t = /^\t*/.exec(l)![0].length;
          l = l.slice(t);
          s = t;
        }
        if (l === op.delimiter || l.trimEnd() === op.delimiter) {
          terminated = true;
          break;
        }
        body.push(op.quoted ? l : neutraliseExpansions(l));
        raw.push(l);
        stripped.push(s);
      }
      const consumer = consumerOf(command, op.delimiter);
      // `<<` that never finds its delimiter and feeds nothing we read is not a here-document (`echo "a << b"`).
      if (!terminated && consumer.kind === 'other') continue;
      out.push({ commandLine: i, bodyStart, lines: body, raw, stripped, delimiter: op.delimiter, quoted: op.quoted, terminated, consumer });
      next = terminated ? j + 1 : j;
    }
    i = Math.max(next, i + 1);
  }
  return out;
}

function stripShellComment(line: string): string {
  // A '#' starts a comment at the start of a word, outside quotes.
  let q: string | null = null;
  for (let k = 0; k < line.length; k++) {
    const c = line[k];
    if (q) {
      if (c === q) q = null;
      else if (c === '\\' && q === '"') k++;
      continue;
    }
    if (c === '\\') {
      k++;
      continue;
    }
    if (c === "'" || c === '"') q = c;
    else if (c === '#' && (k === 0 || /\s/.test(line[k - 1]))) return line.slice(0, k);
  }
  return line;
}

function consumerOf(command: string, _delimiter: string): HeredocConsumer {
  const c = command.replace(/\s+/g, ' ').trim();
  if (/\b(?:kubectl|oc|k)\b[^|;&]*\b(apply|create|replace)\b[^|;&]*(?:-f|--filename)(?:=|\s*)-(?:\s|$)/.test(c)) return { kind: 'kubectl' };
  if (/\bhelm\b[^|;&]*\b(install|upgrade|template)\b[^|;&]*(?:-f|--values)(?:=|\s*)-(?:\s|$)/.test(c)) return { kind: 'helm-values', command: c };
  const segments = c.split(/\|/);
  // `cat > path <<EOF`, `cat <<EOF > path`, `cat >> path`, `tee [-a] path <<EOF`, `cat <<EOF | tee path`.
  for (const seg of segments) {
    if (/\bcat\b/.test(seg)) {
      const r = /(?:^|\s)>>?\s*(['"]?)([^\s'"|;&<>]+)\1/.exec(seg.replace(/<<-?\s*\S+/g, ' '));
      if (r && !/^\/dev\//.test(r[2]) && !/^&/.test(r[2])) return { kind: 'file', path: r[2] };
    }
    const t = /\btee\s+(?:-a\s+)?(['"]?)([^\s'"|;&<>-][^\s'"|;&<>]*)\1/.exec(seg);
    if (t && !/^\/dev\//.test(t[2])) return { kind: 'file', path: t[2] };
  }
  return { kind: 'other', command: c };
}

/** Keys whose values are numbers in Kubernetes objects: an expansion there becomes a number. */
const NUMERIC_KEY = /(?:replicas|port|count|number|seconds|threshold|weight|revisionhistorylimit|minavailable|maxunavailable|averageutilization|priority|uid|gid|runasuser|runasgroup|fsgroup)$/i;

/**
 * Replace `$(...)`, `$((...))`, `${...}`, `$NAME`, `$1`, `$?` and backquoted commands with a placeholder of
 * the same length: `x`s (a valid DNS-label fragment), or spaces and `1` where the expansion is the whole
 * value of a numeric key such as `replicas:`.
 */
export function neutraliseExpansions(line: string): string {
  if (!line.includes('$') && !line.includes('`')) return line;
  const spans: [number, number][] = [];
  for (let k = 0; k < line.length; k++) {
    const c = line[k];
    if (c === '\\') {
      k++;
      continue;
    }
    if (c === '`') {
      const e = line.indexOf('`', k + 1);
      if (e === -1) break;
      spans.push([k, e + 1]);
      k = e;
      continue;
    }
    if (c !== '$' || k + 1 >= line.length) continue;
    const n = line[k + 1];
    let end = -1;
    if (n === '(' || n === '{') {
      const open = n;
      const close = n === '(' ? ')' : '}';
      let depth = 0;
      for (let e = k + 1; e < line.length; e++) {
        if (line[e] === open) depth++;
        else if (line[e] === close && --depth === 0) {
          end = e + 1;
          break;
        }
      }
      if (end === -1) end = line.length;
    } else if (/[A-Za-z_]/.test(n)) {
      end = k + 1;
      while (end < line.length && /\w/.test(line[end])) end++;
    } else if (/[0-9@*#?$!-]/.test(n)) {
      end = k + 2;
    }
    if (end !== -1) {
      spans.push([k, end]);
      k = end - 1;
    }
  }
  if (!spans.length) return line;
  let out = '';
  let pos = 0;
  for (const [s, e] of spans) {
    out += line.slice(pos, s);
    const before = line.slice(0, s);
    const after = line.slice(e);
    const key = /^\s*(?:-\s+)?([\w.-]+):\s*$/.exec(before);
    const len = e - s;
    if (key && NUMERIC_KEY.test(key[1]) && !after.trim()) out += ' '.repeat(len - 1) + '1';
    else out += 'x'.repeat(len);
    pos = e;
  }
  return out + line.slice(pos);
}

/**
 * In a YAML block, `${NAME}` and `${NAME:-default}` are envsubst placeholders, not literal text: give them the
 * same-length placeholder. `$(NAME)` is left alone (it is Kubernetes' own syntax in command and args).
 */
export function neutraliseBraced(line: string): string {
  if (!line.includes('${')) return line;
  return line.replace(/\$\{[A-Za-z_][\w]*(?:[:?+=-][^}]*)?\}/g, (m, offset: number) => {
    const before = line.slice(0, offset);
    const after = line.slice(offset + m.length);
    const key = /^\s*(?:-\s+)?([\w.-]+):\s*$/.exec(before);
    return key && NUMERIC_KEY.test(key[1]) && !after.trim() ? ' '.repeat(m.length - 1) + '1' : 'x'.repeat(m.length);
  });
}
