/**
 * K8S_AUDIT_TIMING=1: where a run's time goes, on standard error (like ESLint's TIMING): each phase, and the
 * rules that took longest (a rule's time includes resolving the positions of its findings). A number above 1
 * lists that many rules.
 */
export class Timing {
  private last = 0;
  private readonly phases: [string, number][] = [];
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
    this.phases.push([name, now - this.last]);
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
    const rows: [string, number][] = [...this.phases, ['', 0], ...rules.map(([id, ms]): [string, number] => [`  rule ${id}`, ms])];
    const width = Math.max(...rows.map(([k]) => k.length));
    process.stderr.write([...rows.map(([k, ms]) => (k ? `${k.padEnd(width)}  ${ms.toFixed(1).padStart(8)} ms` : '')), ...(this.notes.length ? ['', ...this.notes] : [])].join('\n') + '\n');
  }
}

/** The timer the environment asks for, if any. */
export function timingFromEnv(value = process.env.K8S_AUDIT_TIMING): Timing | undefined {
  if (!value || value === '0') return undefined;
  const n = Number(value);
  return new Timing(n > 1 ? n : 10);
}
