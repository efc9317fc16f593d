// Helm --set / --set-string / --set-file / --set-json parsing (strvals semantics).
import { int, isMap } from './values.js';

type Mode = 'typed' | 'string' | 'json' | 'file';

function typedVal(v: string): unknown {
  if (v.toLowerCase() === 'true') return true;
  if (v.toLowerCase() === 'false') return false;
  if (v.toLowerCase() === 'null') return null;
  if (v === '0') return int(0, 'int64');
  if (/^[-+]?[1-9][0-9]*$/.test(v) && Math.abs(Number(v)) <= Number.MAX_SAFE_INTEGER) return int(Number(v), 'int64');
  return v;
}

/** Split on unescaped `sep` at top level (not inside {...} lists). */
function splitTop(s: string, sep: string): string[] {
  const out: string[] = [];
  let cur = '';
  let depth = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '\\' && i + 1 < s.length) { cur += c + s[i + 1]; i++; continue; }
    if (c === '{') depth++;
    if (c === '}') depth = Math.max(0, depth - 1);
    if (c === sep && depth === 0) { out.push(cur); cur = ''; continue; }
    cur += c;
  }
  out.push(cur);
  return out;
}

function unescape(s: string): string {
  return s.replace(/\\(.)/g, '$1');
}

interface KeyPart { key: string; index?: number[] }

function parseKey(k: string): KeyPart[] {
  const parts: KeyPart[] = [];
  let cur = '';
  let i = 0;
  const push = () => { parts.push({ key: unescape(cur) }); cur = ''; };
  while (i < k.length) {
    const c = k[i];
    if (c === '\\' && i + 1 < k.length) { cur += c + k[i + 1]; i += 2; continue; }
    if (c === '.') { push(); i++; continue; }
    if (c === '[') {
      const e = k.indexOf(']', i);
      const idx = parseInt(k.slice(i + 1, e), 10);
      if (Number.isNaN(idx) || idx < 0) throw new Error(`negative or invalid list index in ${k}`);
      if (cur !== '' || parts.length === 0 || parts[parts.length - 1].index === undefined || k[i - 1] !== ']') {
        parts.push({ key: unescape(cur), index: [idx] });
        cur = '';
      } else {
        parts[parts.length - 1].index!.push(idx);
      }
      i = e + 1;
      if (k[i] === '.') i++;
      continue;
    }
    cur += c;
    i++;
  }
  if (cur !== '' || parts.length === 0) push();
  return parts;
}

function parseValue(raw: string, mode: Mode, readFile?: (p: string) => string): unknown {
  if (mode === 'json') return JSON.parse(raw);
  if (mode === 'file') return readFile ? readFile(raw) : '';
  if (raw.startsWith('{') && raw.endsWith('}')) {
    const inner = raw.slice(1, -1);
    if (inner === '') return [];
    return splitTop(inner, ',').map((p) => (mode === 'string' ? unescape(p) : typedVal(unescape(p))));
  }
  return mode === 'string' ? unescape(raw) : typedVal(unescape(raw));
}

function setPath(root: Record<string, unknown>, parts: KeyPart[], value: unknown): void {
  let cur: unknown = root;
  for (let p = 0; p < parts.length; p++) {
    const last = p === parts.length - 1;
    const { key, index } = parts[p];
    const m = cur as Record<string, unknown>;
    if (!index) {
      if (last) { m[key] = value; return; }
      if (!isMap(m[key])) m[key] = {};
      cur = m[key];
      continue;
    }
    if (!Array.isArray(m[key])) m[key] = [];
    let arr = m[key] as unknown[];
    for (let j = 0; j < index.length; j++) {
      const idx = index[j];
      while (arr.length <= idx) arr.push(null);
      const lastIdx = j === index.length - 1;
      if (lastIdx) {
        if (last) { arr[idx] = value; return; }
        if (!isMap(arr[idx])) arr[idx] = {};
        cur = arr[idx];
      } else {
        if (!Array.isArray(arr[idx])) arr[idx] = [];
        arr = arr[idx] as unknown[];
      }
    }
  }
}

export function parseSetInto(dest: Record<string, unknown>, expr: string, mode: Mode, readFile?: (p: string) => string): void {
  const assigns = mode === 'json' ? splitJsonAssignments(expr) : splitTop(expr, ',');
  for (let n = 0; n < assigns.length; n++) {
    const a = assigns[n];
    if (a === '') continue;
    let eq = -1;
    for (let i = 0; i < a.length; i++) {
      if (a[i] === '\\') { i++; continue; }
      if (a[i] === '=') { eq = i; break; }
    }
    // After an index helm reads on to the next '[', '.' or '='. Whatever it reads there is data it did not
    // expect (named rune by rune, and across the following assignments); reaching the end of the expression
    // instead sets the list as it stands in this expression (empty if it named none before), so
    // `--set a.list[0]` replaces a.list with [].
    const keyText = eq < 0 ? a : a.slice(0, eq);
    const idx = /\[[0-9]+\](?![[.])/.exec(keyText);
    if (idx) {
      const at = idx.index + idx[0].length;
      const after = (keyText.slice(at) + (eq < 0 && n < assigns.length - 1 ? ',' + assigns.slice(n + 1).join(',') : '')).match(/^[^[.=]*/)![0];
      if (after) throw new Error(`unexpected data at end of array index: [${[...after].map((c) => `'${c}'`).join(' ')}]`);
      if (eq < 0) {
        const parts = parseKey(a.replace(/(\[[0-9]+\])+$/, ''));
        if (parts.every((p) => !p.index)) {
          const existing = parts.reduce<unknown>((o, p) => (isMap(o) ? o[p.key] : undefined), dest);
          setPath(dest, parts, Array.isArray(existing) ? existing : []);
          continue;
        }
      }
    }
    // helm names the last segment it was reading: `a.b.enabled` -> key "enabled" has no value
    if (eq < 0) throw new Error(`key "${a.split(/(?<!\\)\./).pop()!.replace(/\\(.)/g, '$1')}" has no value`);
    const key = a.slice(0, eq);
    const raw = a.slice(eq + 1);
    const value = parseValue(raw, mode, readFile);
    setPath(dest, parseKey(key), value);
  }
}

function splitJsonAssignments(s: string): string[] {
  // key=<json>, key2=<json>: split at commas outside of JSON brackets/strings
  const out: string[] = [];
  let cur = '';
  let depth = 0;
  let inStr = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (inStr) {
      cur += c;
      if (c === '\\') { cur += s[++i] ?? ''; continue; }
      if (c === '"') inStr = false;
      continue;
    }
    if (c === '"') inStr = true;
    if (c === '{' || c === '[') depth++;
    if (c === '}' || c === ']') depth--;
    if (c === ',' && depth === 0) { out.push(cur); cur = ''; continue; }
    cur += c;
  }
  out.push(cur);
  return out;
}
