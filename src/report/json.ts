import type { Report } from '../types.js';

/** The JSON contract: tool, findings, suppressed, summary. */
export function formatJson(report: Report): string {
  return JSON.stringify(report, null, 2) + '\n';
}
