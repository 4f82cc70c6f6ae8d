import { chromium, type Browser } from 'playwright-core';

/** Debian's Chromium (`apt-get install chromium`); nothing downloads a browser of its own. */
export const CHROMIUM_PATH = '/usr/bin/chromium';

/** The flags it runs with, in the tests and the benchmark: headless, no GPU, no background network. */
export const CHROMIUM_ARGS: readonly string[] = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Starts Debian's Chromium with {@link CHROMIUM_ARGS}. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS] });
}
