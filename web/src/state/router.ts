import { type MouseEvent, useSyncExternalStore } from 'react';

/**
 * Client-side routes, relative to where the UI is mounted. Keep in step with DASHBOARD_ROUTES in
 * src/server/dashboard.ts, which answers each of them with the index page so that links reopen a view.
 */
export type View = 'runs' | 'trends' | 'run' | 'compare' | 'registry' | 'not-found';

export interface AppLocation {
  view: View;
  /** The run of `run/<id>`; null for `run` (the latest run). */
  runId: string | null;
  query: URLSearchParams;
}

/** The mount point (`/` or `/dashboard/`), as the server's <base href> says; `/` in the dev server. */
export const BASE_PATH = document.querySelector('base')?.getAttribute('href') ?? '/';

function parse(): AppLocation {
  const { pathname, search } = window.location;
  const rest = pathname.startsWith(BASE_PATH)
    ? pathname.slice(BASE_PATH.length)
    : pathname.replace(/^\//, '');
  const [first = '', second] = rest.split('/');
  const query = new URLSearchParams(search);
  const views: Record<string, View> = {
    '': 'runs',
    trends: 'trends',
    compare: 'compare',
    registry: 'registry',
  };
  if (first === 'run') return { view: 'run', runId: second ? decodeURIComponent(second) : null, query };
  return { view: (second === undefined ? views[first] : undefined) ?? 'not-found', runId: null, query };
}

let current = parse();
const listeners = new Set<() => void>();

function changed(): void {
  current = parse();
  for (const listener of listeners) listener();
}

window.addEventListener('popstate', changed);

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** The current route; re-renders on navigation and on the browser's back/forward. */
export function useLocation(): AppLocation {
  return useSyncExternalStore(subscribe, () => current);
}

/** The href of a route (`run/<id>?tab=params`), under the mount point. */
export function hrefFor(to: string): string {
  return `${BASE_PATH}${to}`;
}

/** Goes to a route; `replace` rewrites the current history entry (filters typed, defaults resolved). */
export function navigate(to: string, options: { replace?: boolean } = {}): void {
  const href = hrefFor(to);
  if (href === `${window.location.pathname}${window.location.search}`) return;
  if (options.replace) window.history.replaceState(null, '', href);
  else window.history.pushState(null, '', href);
  changed();
}

/** Route path of a view with its query (empty values dropped). */
export function routeTo(path: string, query: Record<string, string | null | undefined> = {}): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== null && value !== undefined && value !== '') params.set(key, value);
  }
  const qs = params.toString();
  return qs === '' ? path : `${path}?${qs}`;
}

/** The run detail route of a run (and tab). */
export function runRoute(runId: string, tab?: string): string {
  return routeTo(`run/${encodeURIComponent(runId)}`, { tab });
}

/** Click handler for in-app links: plain clicks navigate without a page load; modified clicks open tabs. */
export function onLinkClick(event: MouseEvent<HTMLAnchorElement>, to: string): void {
  if (event.defaultPrevented || event.button !== 0) return;
  if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  event.preventDefault();
  navigate(to);
}

/** Merges a patch into the current URL's query (null or '' removes a key) and goes there. */
export function updateQuery(patch: Record<string, string | null>, replace = false): void {
  const next = new URLSearchParams(window.location.search);
  for (const [key, value] of Object.entries(patch)) {
    if (value === null || value === '') next.delete(key);
    else next.set(key, value);
  }
  const path = window.location.pathname.startsWith(BASE_PATH)
    ? window.location.pathname.slice(BASE_PATH.length)
    : '';
  const qs = next.toString();
  navigate(qs === '' ? path : `${path}?${qs}`, { replace });
}

/** The current view's query, kept in the URL so that a copied link reopens the same filters and tab. */
export function useQueryState(): [URLSearchParams, typeof updateQuery] {
  return [useLocation().query, updateQuery];
}
