import type { TestProject } from 'vitest/node';
import { mkdirSync } from 'node:fs';
import {
  buildInputsHash,
  claimFolder,
  pruneCache,
  releaseFolder,
  siteFolders,
  SUB_PATH,
} from './built-site';
import { serveStatic } from '../../scripts/bench/static-server';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Where the browser tests find the built site (built lazily by the first test that needs it). */
    browserSite: { url: string; dir: string; dataDir: string; distDir: string };
  }
}

/**
 * Vitest global set-up: serves the cached build folder for the current sources on loopback under
 * a sub-path. It builds nothing itself, so runs without browser tests stay cheap; the first
 * browser test file to start builds the site once (see `ensureBuilt`) and the others reuse it.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const hash = buildInputsHash();
  const folders = siteFolders(hash);
  mkdirSync(folders.dir, { recursive: true });
  // Claimed before pruning, so that a concurrent run (another checkout state) keeps its build.
  claimFolder(folders.dir);
  pruneCache(hash);
  const site = await serveStatic(folders.distDir, SUB_PATH);
  project.provide('browserSite', { url: site.url, ...folders });
  return async () => {
    await site.close();
    releaseFolder(folders.dir);
  };
}
