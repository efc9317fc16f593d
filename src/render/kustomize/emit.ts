/**
 * Built objects back to YAML text, one origin per output line: the text k8s-audit lints, and the map from
 * each of its lines to the file line that produced it.
 */
import { isObj, originOfItem, originOfKey, originOfNode, type Obj, type Origin } from './nodes.js';

export interface LineOrigin {
  origin: Origin | undefined;
  /** 1-based column in the output line where the node the origin belongs to starts. */
  column: number;
}

export interface Emitted {
  text: string;
  lines: LineOrigin[];
}

const YAML11_WORDS = /^(y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF|null|Null|NULL|~)$/;

function plainSafe(s: string): boolean {
  return /^[A-Za-z_/$][A-Za-z0-9_./$@+=-]*(?: [A-Za-z0-9_./$@+=()-]+)*$/.test(s) && !YAML11_WORDS.test(s) && s.length < 200;
}

function keyText(k: string): string {
  return plainSafe(k) || /^[0-9][A-Za-z0-9_.-]*[A-Za-z_-][A-Za-z0-9_.-]*$/.test(k) ? k : JSON.stringify(k);
}

function scalarText(v: unknown, origin: Origin | undefined): string {
  if (origin?.raw !== undefined && Object.is(origin.rawValue, v)) return origin.raw;
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number') return Number.isNaN(v) ? '.nan' : v === Infinity ? '.inf' : v === -Infinity ? '-.inf' : String(v);
  if (typeof v === 'bigint') return String(v);
  const s = String(v);
  return plainSafe(s) ? s : JSON.stringify(s);
}

/** A multi-line string as a literal block, when it can be one. */
function literal(s: string): { header: string; lines: string[] } | undefined {
  if (!s.includes('\n') || /[\r\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\ufeff]/.test(s)) return undefined;
  if (/^[ \t]/.test(s) || /^\s*$/.test(s)) return undefined;
  const trailing = /\n*$/.exec(s)![0].length;
  const body = s.slice(0, s.length - trailing);
  if (/[ \t]\n|[ \t]$/.test(body)) return undefined; // trailing blanks would be invisible in the output
  const header = trailing === 0 ? '|-' : trailing === 1 ? '|' : '|+';
  const lines = body.split('\n');
  for (let i = 1; i < trailing; i++) lines.push('');
  return { header, lines };
}

export function emitDocuments(docs: unknown[]): Emitted {
  const out: string[] = [];
  const lines: LineOrigin[] = [];
  const push = (text: string, origin: Origin | undefined, column: number) => {
    out.push(text);
    lines.push({ origin, column });
  };

  const emitValue = (prefix: string, indent: number, v: unknown, origin: Origin | undefined, col: number) => {
    // `prefix` is the text before the value on its first line ("key:" or "-"), already indented.
    if (Array.isArray(v)) {
      if (v.length === 0) return push(`${prefix} []`, origin, col);
      push(prefix, origin, col);
      emitSeq(indent, v);
      return;
    }
    if (isObj(v)) {
      if (Object.keys(v).length === 0) return push(`${prefix} {}`, origin, col);
      push(prefix, origin, col);
      emitMap(indent + 2, v);
      return;
    }
    if (typeof v === 'string') {
      const lit = origin?.raw !== undefined && Object.is(origin.rawValue, v) ? undefined : literal(v);
      if (lit) {
        push(`${prefix} ${lit.header}`, origin, col);
        for (const l of lit.lines) push(l ? `${' '.repeat(indent + 2)}${l}` : '', origin, col);
        return;
      }
    }
    push(`${prefix} ${scalarText(v, origin)}`, origin, col);
  };

  const emitMap = (indent: number, o: Obj, firstPrefix?: string) => {
    let first = true;
    for (const k of Object.keys(o)) {
      const v = o[k];
      if (v === undefined) continue;
      const origin = originOfKey(o, k);
      const lead = first && firstPrefix !== undefined ? firstPrefix : ' '.repeat(indent);
      first = false;
      emitValue(`${lead}${keyText(k)}:`, indent, v, origin, indent + 1);
    }
  };

  const emitSeq = (indent: number, a: unknown[]) => {
    a.forEach((item, i) => {
      const origin = originOfItem(a, i) ?? originOfNode(item);
      const pad = ' '.repeat(indent);
      if (isObj(item) && Object.keys(item).length) {
        const start = lines.length;
        emitMap(indent + 2, item, `${pad}- `);
        // the dash line belongs to the item (its first key shares it)
        if (lines[start] && origin && !lines[start].origin) lines[start] = { origin, column: indent + 1 };
      } else if (Array.isArray(item) && item.length) {
        push(`${pad}-`, origin, indent + 1);
        emitSeq(indent + 2, item);
      } else emitValue(`${pad}-`, indent, item, origin, indent + 1);
    });
  };

  docs.forEach((d, i) => {
    void i;
    push('---', originOfNode(d), 1);
    if (isObj(d)) emitMap(0, d);
    else push(scalarText(d, undefined), undefined, 1);
  });
  return { text: out.join('\n') + '\n', lines };
}
