import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ServerDeps } from './deps.js';

/**
 * Client-side routes of the dashboard (relative to its mount point). Keep in step with the router in
 * web/src/state/router.ts; none may share a first segment with an API route (/runs, /models, /metrics...).
 */
export const DASHBOARD_ROUTES = ['', 'trends', 'compare', 'registry', 'run', 'run/*'] as const;

export interface DashboardOptions {
  /** Where the UI is mounted: `/` (the `dashboard` command) or a folder such as `/dashboard/`. */
  mount: string;
  /** The built UI (index.html + assets/); default: dist/web of this package. */
  root?: string;
}

// Built by `npm run build:web`; from src/ (tests through tsx) the built copy in dist/ is used.
const BUILT_WEB = [new URL('../web/', import.meta.url), new URL('../../dist/web/', import.meta.url)].map(
  (u) => fileURLToPath(u),
);

const SECURITY_HEADERS = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'same-origin',
  // The UI talks only to its own origin; inline styles are set by the chart library at run time.
  'content-security-policy':
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'",
};

const NOT_BUILT_PAGE = `<!doctype html><meta charset="utf-8"><title>BalanceOps dashboard</title>
<body style="font-family: system-ui, sans-serif; padding: 3rem; color: #1f2937">
<h1>The dashboard is not built</h1>
<p>Run <code>npm run build</code> (or <code>npm run build:web</code>) in the BalanceOps checkout, then restart the server.</p>
<p>The API itself is up: see <a href="/docs">/docs</a>.</p></body>`;

function normalizeMount(mount: string): string {
  const trimmed = mount.replace(/^\/+|\/+$/g, '');
  return trimmed === '' ? '/' : `/${trimmed}/`;
}

/** Finds the built UI folder, or null when it has not been built. */
export function findDashboardRoot(root?: string): string | null {
  const candidates = root === undefined ? BUILT_WEB : [root];
  return candidates.find((dir) => existsSync(`${dir}/index.html`)) ?? null;
}

/**
 * The web dashboard as a server plugin: its index page at `mount` and at every client-side route below it
 * (so a copied link reopens the view), and its content-hashed assets at `<mount>assets/`.
 *
 * @example
 *   await startServer({ settings, host, port, plugins: [dashboardPlugin({ mount: '/dashboard/' })] });
 */
export function dashboardPlugin(
  options: DashboardOptions,
): (app: FastifyInstance, deps: ServerDeps) => Promise<void> {
  const mount = normalizeMount(options.mount);
  return async (app) => {
    const root = findDashboardRoot(options.root);
    // The page is read once; <base> makes its relative asset URLs and links work under any mount.
    const page =
      root === null
        ? null
        : readFileSync(`${root}/index.html`, 'utf8').replace(
            /<head>/i,
            `<head>\n    <base href="${mount}" />`,
          );
    if (root === null) app.log.warn({ searched: BUILT_WEB }, 'dashboard not built; run `npm run build:web`');

    const sendIndex = (reply: FastifyReply) =>
      reply
        .headers(SECURITY_HEADERS)
        .header('cache-control', 'no-cache')
        .type('text/html; charset=utf-8')
        .code(page === null ? 503 : 200)
        .send(page ?? NOT_BUILT_PAGE);

    const paths = DASHBOARD_ROUTES.map((route) => `${mount}${route}`);
    // `/dashboard` without its slash is the same page; <base> keeps its URLs right.
    if (mount !== '/') paths.push(mount.slice(0, -1));
    for (const path of paths) {
      app.get(path, { schema: { hide: true } }, async (_request, reply) => sendIndex(reply));
    }

    if (root !== null) {
      await app.register(fastifyStatic, {
        root: `${root}/assets`,
        prefix: `${mount}assets/`,
        decorateReply: false,
        index: false,
        // Asset names carry a content hash: a changed file is a new URL, so browsers may keep them for good.
        immutable: true,
        maxAge: '365d',
        setHeaders: (res) => {
          res.setHeader('x-content-type-options', 'nosniff');
        },
      });
    }
  };
}
