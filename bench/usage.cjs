// Preloaded (`node --require bench/usage.cjs`) into a benched CLI run: on exit, writes the process's own CPU time
// and peak resident memory to the file named by K8S_AUDIT_BENCH_USAGE. The machine is shared, so the bench
// compares CPU time (user + system), not wall time; maxRSS is what the process itself held at its peak.
const fs = require('node:fs');

const out = process.env.K8S_AUDIT_BENCH_USAGE;
if (out) {
  process.on('exit', () => {
    const u = process.resourceUsage();
    fs.writeFileSync(out, JSON.stringify({ cpuMs: (u.userCPUTime + u.systemCPUTime) / 1000, maxRssKiB: u.maxRSS }));
  });
}
