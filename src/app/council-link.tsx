import type { ReactNode } from 'react';
import { AppLink } from '@/app/app-link';
import { viewParams } from '@/app/url-state';
import { councilSlug } from './council-ranking-sql';

export { councilSlug };

/** Parameters of a council's profile, the shared filters carried over. */
export function councilParams(
  name: string,
  current: URLSearchParams,
  extra: Record<string, string | undefined> = {},
): URLSearchParams {
  return viewParams('council', current, { council: councilSlug(name), ...extra });
}

/** Parameters of one theme's ranking of councils, the shared filters carried over. */
export function rankingParams(themeId: string, current: URLSearchParams): URLSearchParams {
  return viewParams('ranking', current, { theme: themeId });
}

/** A council's name as a link to its profile. */
export function CouncilLink({
  name,
  params,
  children,
}: {
  name: string;
  /** The page's current parameters (`useSearchParams()`), for the filters to carry over. */
  params: URLSearchParams;
  children?: ReactNode;
}) {
  return (
    <AppLink params={councilParams(name, params)} data-council-link={councilSlug(name)}>
      {children ?? name}
    </AppLink>
  );
}
