import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';
import react from '@vitejs/plugin-react';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';

/** Whether a test file drives the built site in Chromium (and so waits for the site's build). */
function isBrowserTest(spec: TestSpecification): boolean {
  return /[\\/]tests[\\/]browser[\\/]/.test(spec.moduleId);
}

/**
 * The order test files are handed to the workers: vitest's own (files that failed last time
 * first, then the longest, then the largest), except that one browser test comes first, then
 * every other file, then the other browser tests. The first browser test builds the site
 * (tests/support/built-site.ts) while the other workers run files that need no site, instead of
 * sitting in browser tests that wait for that build; at the end the browser tests, each with a
 * browser of its own, share the workers.
 */
class SiteFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const browser = sorted.filter(isBrowserTest);
    if (browser.length === 0) return sorted;
    return [browser[0]!, ...sorted.filter((f) => !isBrowserTest(f)), ...browser.slice(1)];
  }
}

export default defineConfig({
  plugins: [react()],
  resolve: {
    alias: { '@': fileURLToPath(new URL('./src', import.meta.url)) },
  },
  test: {
    include: ['tests/**/*.test.ts', 'tests/**/*.test.tsx'],
    environment: 'node',
    // Serves the site for browser tests; the build itself happens once, on first use.
    globalSetup: ['tests/support/browser-global-setup.ts'],
    testTimeout: 60_000,
    // How long expect.poll waits for its condition: vitest's 1 s default failed a browser test
    // whose view was still answering on a loaded two-core machine; a condition met sooner returns
    // at once.
    expect: { poll: { timeout: 15_000 } },
    hookTimeout: 180_000,
    fileParallelism: true,
    // Vitest's default (one worker fewer than the cores), but two at least: on a 2-core machine
    // the default runs one file at a time, while most files spend much of their time waiting on
    // a child process (the ingest CLI, Chromium) rather than on their own core.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    // One browser test first (it builds the site), then the files that need no site.
    sequence: { sequencer: SiteFirstSequencer },
    reporters: ['default', 'json'],
    outputFile: { json: 'test-results/vitest.json' },
  },
});
