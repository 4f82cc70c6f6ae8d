import { afterAll, describe, expect, it } from 'vitest';
import { cpSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PRERENDER_LOADER_SCRIPT } from '@/app/prerender-gate';
import { prerenderSite } from '../../scripts/prerender';
import { builtSite } from '../support/browser-harness';

// The build's prerender step (scripts/prerender.ts) on a copy of the built test site: run again it
// writes the same page; without an overview.json to draw from it gives the page back as Vite wrote
// it, and run once more the prerendered page again.

const work = mkdtempSync(join(tmpdir(), 'prerender-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('the prerender step', () => {
  it('replaces what it wrote, and puts the page back as built when there is nothing to draw', async () => {
    const site = await builtSite();
    const dist = join(work, 'dist');
    cpSync(site.distDir, dist, { recursive: true });
    const index = join(dist, 'index.html');
    const prerendered = readFileSync(index, 'utf8');
    expect(prerendered).toContain('data-prerendered="overview"');

    // Again over its own output: the same bytes.
    const again = await prerenderSite(dist);
    expect(again?.markupBytes).toBeGreaterThan(10_000);
    expect(readFileSync(index, 'utf8')).toBe(prerendered);

    // No overview.json: the page as Vite wrote it, its entry a module script again.
    renameSync(join(dist, 'data', 'overview.json'), join(work, 'overview.json'));
    expect(await prerenderSite(dist)).toBeNull();
    const plain = readFileSync(index, 'utf8');
    expect(plain).toContain('<div id="root"></div>');
    expect(plain).toMatch(/<script type="module" crossorigin src="\.\/assets\/index-[^"]+\.js">/);
    expect(plain).toContain('rel="modulepreload"');
    for (const gone of [
      'data-modulepreload',
      'data-prerendered="overview"',
      '<!--prerender',
      PRERENDER_LOADER_SCRIPT,
    ])
      expect(plain).not.toContain(gone);

    // And back: the same prerendered page as the build's.
    renameSync(join(work, 'overview.json'), join(dist, 'data', 'overview.json'));
    await prerenderSite(dist);
    expect(readFileSync(index, 'utf8')).toBe(prerendered);
  }, 180_000);
});
