// Preloaded into a benchmarked child process: reports its peak resident set size and the CPU
// time of all its threads (user and system, in microseconds) on exit.
process.on('exit', () => {
  const usage = process.resourceUsage();
  process.stderr.write(`BENCH_MAX_RSS_KB=${usage.maxRSS}\n`);
  process.stderr.write(`BENCH_CPU_US=${usage.userCPUTime + usage.systemCPUTime}\n`);
});
