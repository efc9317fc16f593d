/**
 * K8S_AUDIT_TIMING=1: where a run's time goes, on standard error (like ESLint's TIMING): each phase, and the
 * rules that took longest (the positions of findings are resolved after every rule has run, in the rules
 * phase, src/engine/positions.ts). A number above 1
 * lists that many rules. Each phase also shows the heap in use and the resident memory at its end, and the
 * last line the process's peak resident memory so far (what the memory target of issue 31 measures).
 */
export class Timing {
  private last = 0;
  private readonly phases: [string, number, string][] = [];
  private readonly rules = new Map<string, number>();
  private readonly notes: string[] = [];

  constructor(private readonly top: number) {}

  start(): void {
    this.last = performance.now();
    this.phases.length = 0;
    this.rules.clear();
    this.notes.length = 0;
  }

  phase(name: string): void {
    const now = performance.now();
    this.phases.push([name, now - this.last, memory()]);
    this.last = now;
  }

  rule(id: string, ms: number): void {
    this.rules.set(id, (this.rules.get(id) ?? 0) + ms);
  }

  /** A line printed after the times (how something was loaded, say). */
  note(text: string): void {
    this.notes.push(text);
  }

  print(): void {
    const rules = [...this.rules].sort((a, b) => b[1] - a[1]).slice(0, this.top);
    const peak = `peak resident memory ${mib(process.resourceUsage().maxRSS * 1024)}`;
    const rows: [string, number, string][] = [...this.phases, ['', 0, ''], ...rules.map(([id, ms]): [string, number, string] => [`  rule ${id}`, ms, ''])];
    const width = Math.max(...rows.map(([k]) => k.length));
    const lines = rows.map(([k, ms, mem]) => (k ? `${k.padEnd(width)}  ${ms.toFixed(1).padStart(8)} ms${mem ? `  ${mem}` : ''}` : ''));
    process.stderr.write([...lines, ...(this.notes.length ? ['', ...this.notes] : []), peak].join('\n') + '\n');
  }
}

function mib(bytes: number): string {
  return `${(bytes / 1048576).toFixed(0)} MiB`;
}

/** Heap in use and resident memory now (garbage not yet collected included). */
function memory(): string {
  const m = process.memoryUsage();
  return `heap ${mib(m.heapUsed).padStart(8)}, resident ${mib(m.rss).padStart(8)}`;
}

/** The timer the environment asks for, if any. */
export function timingFromEnv(value = process.env.K8S_AUDIT_TIMING): Timing | undefined {
  if (!value || value === '0') return undefined;
  const n = Number(value);
  return new Timing(n > 1 ? n : 10);
}
