/** Reporter units: GitHub escaping, stylish layout, JSON round trip. */
import { describe, expect, it } from 'vitest';
import { Chalk } from 'chalk';
import { escapeData, escapeProperty, formatGithub } from '../src/report/github.js';
import { formatStylish } from '../src/report/stylish.js';
import { formatJson, formatJsonPieces } from '../src/report/json.js';
import type { Report } from '../src/types.js';

const report: Report = {
  tool: { name: 'k8s-audit', version: '1.2.3' },
  findings: [
    { ruleId: 'a-rule', severity: 'error', message: '100% broken,\r\nreally: yes', file: 'dir,x/a:b.yaml', line: 3, column: 5, endLine: 3, endColumn: 9, resource: null, hint: '' },
    { ruleId: 'b-rule', severity: 'info', message: 'note', file: 'z.yaml', line: 1, column: 1, endLine: 1, endColumn: 2, resource: null, hint: 'do x' },
  ],
  suppressed: [],
  summary: { files: 2, resources: 0, errors: 1, warnings: 0, infos: 1, suppressed: 0, skipped: 0 },
};

describe('github workflow commands', () => {
  it('escapes % CR LF in data, and : , in properties', () => {
    expect(escapeData('100%\r\nx')).toBe('100%25%0D%0Ax');
    expect(escapeProperty('a:b,c%')).toBe('a%3Ab%2Cc%25');
  });
  it('one line per finding, severity mapped to error/warning/notice', () => {
    const out = formatGithub(report).trimEnd().split('\n');
    expect(out).toHaveLength(2);
    expect(out[0]).toBe('::error file=dir%2Cx/a%3Ab.yaml,line=3,col=5,endLine=3,endColumn=9,title=k8s-audit a-rule::100%25 broken,%0D%0Areally: yes');
    expect(out[1]).toMatch(/^::notice file=z\.yaml,.*::note%0AFix: do x$/);
  });
});

describe('stylish', () => {
  it('groups by file and ends with a summary', () => {
    const out = formatStylish(report, { chalk: new Chalk({ level: 0 }) });
    expect(out.split('\n')[0]).toBe('dir,x/a:b.yaml');
    expect(out).toMatch(/✖ 1 error, 0 warnings, 1 info \(2 files, 0 resources\)\n$/);
  });
});

describe('json', () => {
  it('round-trips the report', () => {
    expect(JSON.parse(formatJson(report))).toEqual(report);
  });
  it('in pieces, the same text (lists, nested objects, empty lists, absent values; pieces of any size)', () => {
    const related = [{ file: 'a.yaml', line: 1, column: 1, endLine: 1, endColumn: 4, message: 'the "other" one' }];
    const full: Report = {
      ...report,
      findings: [...report.findings, { ...report.findings[1], resource: { apiVersion: 'v1', kind: 'Service', name: 's', namespace: 'n' }, related, context: undefined }],
      suppressed: [{ ...report.findings[0], suppression: { kind: 'comment', justification: 'ok' } } as Report['suppressed'][number]],
    };
    // (a top-level entry JSON leaves out: undefined, a function; one with toJSON)
    const odd = { ...full, extra: undefined, fn: () => 1, when: new Date(0) } as unknown as Report;
    for (const r of [report, full, { ...full, findings: [] }, odd]) {
      for (const size of [1, 64, 1 << 20]) {
        const pieces = [...formatJsonPieces(r, size)];
        expect(pieces.join('')).toBe(formatJson(r));
        if (size === 1) expect(pieces.length).toBeGreaterThan(5);
      }
    }
  });
});
