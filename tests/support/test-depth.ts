/**
 * How many random cases the randomised suites try (the fuzzer's cases, the ingest fault suite's
 * kills at random moments). In CI (`CI` set, as `.ci/run` and CI services set it) they try fewer,
 * so that the whole run keeps within its time; everywhere else, and in CI with
 * `DASHBOARD_TEST_FULL=1`, they try the full count. The cases come from fixed seeds, so the fewer
 * cases are the first ones of the full run, and every named case (each stage of the fault suite)
 * runs either way.
 */

/** Whether the suites run at full length: off CI, or asked for with `DASHBOARD_TEST_FULL=1`. */
export function fullLength(env: NodeJS.ProcessEnv = process.env): boolean {
  const full = env.DASHBOARD_TEST_FULL;
  if (full !== undefined && full !== '' && full !== '0' && full !== 'false') return true;
  const ci = env.CI;
  return ci === undefined || ci === '' || ci === '0' || ci === 'false';
}

/** The number of random cases: `full` at full length, else `inCi`. */
export function randomCases(
  full: number,
  inCi: number,
  env: NodeJS.ProcessEnv = process.env,
): number {
  return fullLength(env) ? full : Math.min(full, inCi);
}
