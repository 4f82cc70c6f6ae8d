import { lazy, type ComponentType, type LazyExoticComponent } from 'react';
import type { FilterKey } from '@/lib/filters';
import { filtersOfView } from '@/app/view-filter-keys';
import { whenIdle } from '@/lib/idle';

/** One dashboard view: add an entry here and a folder under `src/features/` to add a view. */
export interface ViewDefinition {
  id: string;
  label: string;
  /** One line under the view's heading saying what question it answers. */
  summary: string;
  /** The shared filters that apply to this view; the filter bar disables the others. */
  filters: readonly FilterKey[];
  component: LazyExoticComponent<ComponentType>;
  /** Loads the view's code (its chunk and styles); the component renders once it has. */
  load: () => Promise<{ default: ComponentType }>;
}

/**
 * A view's component, loaded on first render, and the loader itself, to load it ahead. Once
 * loaded, the component renders in the same pass, without suspending: React's lazy takes the
 * module from a thenable that calls back at once. That lets the page take over the prerendered
 * overview (src/main.tsx) with nothing in it left to hydrate later.
 */
function lazyView(load: () => Promise<{ default: ComponentType }>) {
  let loaded: { default: ComponentType } | undefined;
  const loadAndKeep = () =>
    load().then((module) => {
      loaded = module;
      return module;
    });
  const component = lazy(() => {
    const module = loaded;
    if (!module) return loadAndKeep();
    const ready = { then: (resolve: (value: typeof module) => void) => resolve(module) };
    return ready as unknown as Promise<typeof module>;
  });
  return { component, load: loadAndKeep };
}

/** The letter filters, and the tag filter: every view below that counts or lists themes. */

/** Every view, in navigation order; the first is the default. */
export const VIEWS: readonly ViewDefinition[] = [
  {
    id: 'overview',
    label: 'Overview',
    summary: 'What the letters cover and the weaknesses inspectors raised most often.',
    filters: filtersOfView('overview'),
    ...lazyView(() =>
      import('@/features/overview/overview-view').then((m) => ({ default: m.OverviewView })),
    ),
  },
  {
    id: 'themes-over-time',
    label: 'Themes over time',
    summary: 'How often chosen themes were raised in each reporting year.',
    filters: filtersOfView('themes-over-time'),
    ...lazyView(() =>
      import('@/features/themes-over-time/themes-over-time-view').then((m) => ({
        default: m.ThemesOverTimeView,
      })),
    ),
  },
  {
    id: 'heatmap',
    label: 'Council × theme',
    summary: 'Weakness and strength findings per council and theme; a cell opens its evidence.',
    filters: filtersOfView('heatmap'),
    ...lazyView(() =>
      import('@/features/heatmap/heatmap-view').then((m) => ({ default: m.HeatmapView })),
    ),
  },
  {
    id: 'compare',
    label: 'Compare councils',
    summary:
      'Up to five councils, each against its region, its statistical neighbours and England.',
    filters: filtersOfView('compare'),
    ...lazyView(() =>
      import('@/features/compare/compare-view').then((m) => ({ default: m.CompareView })),
    ),
  },
  {
    id: 'recurrence',
    label: 'Recurrence',
    summary:
      'Weaknesses raised again at a council’s next inspection, and findings letters mark as raised before.',
    filters: filtersOfView('recurrence'),
    ...lazyView(() =>
      import('@/features/recurrence/recurrence-view').then((m) => ({
        default: m.RecurrenceView,
      })),
    ),
  },
  {
    id: 'co-occurrence',
    label: 'Co-occurrence',
    summary: 'Which weaknesses inspectors raised together in the same letter.',
    filters: filtersOfView('co-occurrence'),
    ...lazyView(() =>
      import('@/features/co-occurrence/co-occurrence-view').then((m) => ({
        default: m.CoOccurrenceView,
      })),
    ),
  },
  {
    id: 'evidence',
    label: 'Evidence',
    summary: 'The findings behind a number, with the words that placed them under each theme.',
    filters: filtersOfView('evidence'),
    ...lazyView(() =>
      import('@/features/evidence/evidence-view').then((m) => ({ default: m.EvidenceView })),
    ),
  },
  {
    id: 'letter',
    label: 'Letters',
    summary: 'A whole letter with every finding marked and labelled.',
    filters: filtersOfView('letter'),
    ...lazyView(() =>
      import('@/features/letter/letter-view').then((m) => ({ default: m.LetterView })),
    ),
  },
  {
    id: 'trainers',
    label: 'Common weaknesses',
    summary: 'The weaknesses inspectors raised most widely, each with quotes to use in training.',
    filters: filtersOfView('trainers'),
    ...lazyView(() =>
      import('@/features/trainers/trainers-view').then((m) => ({ default: m.TrainersView })),
    ),
  },
  {
    id: 'methodology',
    label: 'Methodology',
    summary:
      'How findings and themes are read from the letters, how accurate that is, and what the data do not cover.',
    filters: filtersOfView('methodology'),
    ...lazyView(() =>
      import('@/features/methodology/methodology-view').then((m) => ({
        default: m.MethodologyView,
      })),
    ),
  },
  {
    id: 'add-letters',
    label: 'Add letters',
    summary:
      'Read your own letters (PDF, web pages, Word, text, or zips of them) in this browser, see them in every view, and download the data set.',
    filters: filtersOfView('add-letters'),
    ...lazyView(() =>
      import('@/features/add-letters/add-letters-view').then((m) => ({
        default: m.AddLettersView,
      })),
    ),
  },
  {
    id: 'council',
    label: 'Council profile',
    summary:
      'One council’s inspections, the weaknesses its letters raised against its statistical neighbours, region and England, what was raised again, and its findings in the letters’ words.',
    filters: filtersOfView('council'),
    ...lazyView(() =>
      import('@/features/council/council-view').then((m) => ({ default: m.CouncilView })),
    ),
  },
  {
    id: 'ranking',
    label: 'Theme ranking',
    summary:
      'Every council with letters ranked by the share of its letters that raised one theme as a weakness, with intervals and quartile bands.',
    filters: filtersOfView('ranking'),
    ...lazyView(() =>
      import('@/features/ranking/ranking-view').then((m) => ({ default: m.RankingView })),
    ),
  },
  {
    id: 'search',
    label: 'Search',
    summary:
      'Every finding that uses some words or phrases, with how many per council, reporting year and section.',
    filters: filtersOfView('search'),
    ...lazyView(() =>
      import('@/features/search/search-view').then((m) => ({ default: m.SearchView })),
    ),
  },
];

/** The view for an id from the URL, falling back to the first view. */
export function findView(id: string | null): ViewDefinition {
  return VIEWS.find((v) => v.id === id) ?? VIEWS[0]!;
}

/**
 * Loads every view's code, one view at a time while the page is idle, so that a view opened
 * later renders without the network: the page works offline once it has loaded. Marks the page
 * `data-views-loaded="all"`, or `"failed"` (with a console error) if a view could not be loaded.
 */
export async function loadEveryView(): Promise<void> {
  const root = document.documentElement;
  try {
    for (const view of VIEWS) {
      await whenIdle();
      await view.load();
    }
    root.dataset.viewsLoaded = 'all';
  } catch (error) {
    console.error('Could not load every view ahead:', error);
    root.dataset.viewsLoaded = 'failed';
  }
}
