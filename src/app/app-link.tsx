import type { AnchorHTMLAttributes, MouseEvent } from 'react';
import { hrefFor, navigate } from '@/app/url-state';

/** Props of {@link AppLink}. */
export interface AppLinkProps extends Omit<AnchorHTMLAttributes<HTMLAnchorElement>, 'href'> {
  params: URLSearchParams;
}

/** A real link to a view state: opens in a new tab as usual, navigates in place on a plain click. */
export function AppLink({ params, onClick, children, ...rest }: AppLinkProps) {
  const href = hrefFor(params);
  const handleClick = (event: MouseEvent<HTMLAnchorElement>) => {
    onClick?.(event);
    if (event.defaultPrevented || event.button !== 0) return;
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    navigate(href);
  };
  return (
    <a href={href} onClick={handleClick} {...rest}>
      {children}
    </a>
  );
}
