/** Plain-word helpers for schema messages: field paths, values, "did you mean". */

/** ['spec', 'containers', 0, 'ports'] -> spec.containers[0].ports */
export function fieldPath(p: readonly (string | number)[]): string {
  let out = '';
  for (const seg of p) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(seg)) out += out ? `.${seg}` : seg;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out;
}

export function describeValue(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  if (typeof v === 'string') return `the string ${JSON.stringify(v.length > 40 ? `${v.slice(0, 37)}...` : v)}`;
  if (typeof v === 'boolean') return `the boolean ${v}`;
  return `the number ${String(v)}`;
}

export function editDistance(a: string, b: string): number {
  const n = b.length;
  let prevPrev: number[] = [];
  let prev = Array.from({ length: n + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= n; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
      // Transposition (Damerau): "contianers" is one edit from "containers".
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) cur[j] = Math.min(cur[j], prevPrev[j - 2] + 1);
    }
    prevPrev = prev;
    prev = cur;
  }
  return prev[n];
}

/** The candidate closest to `word`, when it is close enough to be a likely typo. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  const lower = word.toLowerCase();
  let best: string | undefined;
  let bestD = Infinity;
  for (const c of candidates) {
    if (c.toLowerCase() === lower) return c;
    const d = editDistance(lower, c.toLowerCase());
    if (d < bestD) {
      bestD = d;
      best = c;
    }
  }
  const limit = word.length <= 4 ? 1 : word.length <= 8 ? 2 : 3;
  return bestD <= limit ? best : undefined;
}

/**
 * A template placeholder left in a manifest: "${PORT}", "etcd-{{cell}}", "<ADD LUN ID Here>", or the mapping
 * YAML makes of an unquoted {{replicas}}. The file is a template, not something anyone applies as written.
 */
export function isPlaceholder(v: unknown): boolean {
  if (typeof v === 'string') return /\$\{[^}]*\}|\{\{.*\}\}|^<[^<>]+>$/.test(v);
  if (v && typeof v === 'object' && !Array.isArray(v)) {
    const keys = Object.keys(v);
    // Depending on the YAML library's options the mapping key is stringified as "{ x }" or "[object Object]".
    return keys.length === 1 && /^(\{ .* \}|\[object Object\])$/.test(keys[0]) && (v as Record<string, unknown>)[keys[0]] === null;
  }
  return false;
}
