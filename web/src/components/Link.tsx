import type { ReactNode } from 'react';
import { hrefFor, onLinkClick } from '../state/router';

/** A link to a dashboard route; a plain click stays in the page, a modified click opens a new tab. */
export function Link({
  to,
  children,
  className,
  title,
}: {
  to: string;
  children: ReactNode;
  className?: string;
  title?: string;
}) {
  return (
    <a href={hrefFor(to)} className={className} title={title} onClick={(event) => onLinkClick(event, to)}>
      {children}
    </a>
  );
}
