// Preloaded into a benchmarked child process: reports its peak resident set size on exit.
process.on('exit', () => {
  process.stderr.write(`BENCH_MAX_RSS_KB=${process.resourceUsage().maxRSS}\n`);
});
