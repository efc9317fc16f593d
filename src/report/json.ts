import type { Report } from '../types.js';

/** The JSON contract: tool, findings, suppressed, summary. */
export function formatJson(report: Report): string {
  return JSON.stringify(report, null, 2) + '\n';
}

/**
 * formatJson's text, in pieces of about `size` characters (joined, the same text): the CLI writes a large
 * report a piece at a time instead of holding it whole twice, as one string and as the bytes written (58 MB
 * for the 21,428 findings of 50,000 generated resources, at the run's peak of memory).
 */
export function* formatJsonPieces(report: Report, size = 1 << 20): Generator<string> {
  let pending = '';
  for (const s of reportPieces(report)) {
    pending += s;
    if (pending.length >= size) {
      yield pending;
      pending = '';
    }
  }
  yield pending + '\n';
}

/** JSON.stringify(report, null, 2) a top-level entry or a list element at a time. */
function* reportPieces(report: Report): Generator<string> {
  // (what JSON.stringify leaves out of an object: undefined, functions and symbols; tested without
  // stringifying the value, which for the findings was the whole report once more)
  const entries = Object.entries(report).filter(([k, v]) => {
    const j = v !== null && typeof v === 'object' && typeof (v as { toJSON?: unknown }).toJSON === 'function' ? (v as { toJSON(k: string): unknown }).toJSON(k) : v;
    return j !== undefined && typeof j !== 'function' && typeof j !== 'symbol';
  });
  if (!entries.length) return yield '{}';
  yield '{';
  for (const [i, [key, value]] of entries.entries()) {
    yield `${i ? ',' : ''}\n  ${JSON.stringify(key)}: `;
    if (Array.isArray(value) && value.length) {
      yield '[';
      for (let j = 0; j < value.length; j++) yield `${j ? ',' : ''}\n    ${indented(value[j], '    ')}`;
      yield '\n  ]';
    } else yield indented(value, '  ');
  }
  yield '\n}';
}

/** One value as JSON.stringify(value, null, 2) writes it at this indentation (a list's hole as null). */
function indented(value: unknown, indent: string): string {
  return (JSON.stringify(value, null, 2) ?? 'null').replace(/\n/g, `\n${indent}`);
}
