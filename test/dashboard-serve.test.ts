import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import {
  browserSkipReason,
  eventually,
  launchBrowser,
  openPage,
  screenshot,
  textMatches,
} from './dashboard-browser.js';
import {
  CLI,
  cleanEnv,
  REPO_ROOT,
  type ServerProcess,
  sandboxEnv,
  startCliServer,
  tempDir,
} from './helpers.js';

const ASSETS = join(REPO_ROOT, 'dist', 'web', 'assets');
const builtAsset = (ext: string) => {
  const name = readdirSync(ASSETS).find((f) => f.endsWith(ext));
  assert.ok(name, `a built ${ext} asset in dist/web/assets (run npm run build)`);
  return name;
};

describe('the dashboard over HTTP (no browser)', () => {
  let serve: ServerProcess;
  let dashboard: ServerProcess;

  before(async () => {
    const cwd = tempDir();
    const env = sandboxEnv(cwd);
    [serve, dashboard] = await Promise.all([
      startCliServer(['serve', '--log-level', 'warn'], { cwd, env }),
      startCliServer(['dashboard', '--log-level', 'warn'], { cwd, env }),
    ]);
  });

  after(async () => {
    await Promise.all([serve?.stop(), dashboard?.stop()]);
  });

  it('serve mounts the UI at /dashboard/: index uncached with its <base>, hashed assets cached for good', async () => {
    assert.match(serve.output(), /dashboard: http:\/\/127\.0\.0\.1:\d+\/dashboard\//);
    for (const path of [
      '/dashboard',
      '/dashboard/',
      '/dashboard/trends',
      '/dashboard/run/some-id',
      '/dashboard/registry',
    ]) {
      const res = await fetch(`${serve.url}${path}`);
      assert.equal(res.status, 200, path);
      assert.equal(res.headers.get('content-type'), 'text/html; charset=utf-8', path);
      assert.equal(res.headers.get('cache-control'), 'no-cache', path);
      assert.match(res.headers.get('content-security-policy') ?? '', /default-src 'self'/);
      const html = await res.text();
      assert.match(html, /<base href="\/dashboard\/" \/>/, path);
      assert.match(html, /<div id="root">/);
    }
    const js = await fetch(`${serve.url}/dashboard/assets/${builtAsset('.js')}`);
    assert.equal(js.status, 200);
    assert.match(js.headers.get('content-type') ?? '', /^(text|application)\/javascript/);
    assert.match(js.headers.get('cache-control') ?? '', /max-age=31536000.*immutable/);
    const css = await fetch(`${serve.url}/dashboard/assets/${builtAsset('.css')}`);
    assert.match(css.headers.get('content-type') ?? '', /^text\/css/);
  });

  it('leaves the API alone: its routes, its JSON 404s, and an OpenAPI document without UI routes', async () => {
    for (const server of [serve, dashboard]) {
      const runs = await fetch(`${server.url}/runs`);
      assert.equal(runs.status, 200);
      assert.match(runs.headers.get('content-type') ?? '', /application\/json/);
      const missing = await fetch(`${server.url}/no-such-route`);
      assert.equal(missing.status, 404);
      assert.equal(((await missing.json()) as { error: { code: string } }).error.code, 'NOT_FOUND');
      const paths = Object.keys(
        ((await (await fetch(`${server.url}/openapi.json`)).json()) as { paths: object }).paths,
      );
      assert.ok(paths.includes('/runs'));
      assert.ok(
        !paths.some((p) => p.startsWith('/dashboard') || p === '/' || p.includes('assets')),
        paths.join(' '),
      );
    }
    const asset = await fetch(`${serve.url}/dashboard/assets/missing-0000.js`);
    assert.equal(asset.status, 404);
    assert.equal(((await asset.json()) as { error: { code: string } }).error.code, 'NOT_FOUND');
  });

  it('dashboard serves the UI at / and its client routes, beside the API', async () => {
    assert.match(dashboard.output(), /\[OK\] BalanceOps dashboard on http:\/\/127\.0\.0\.1:\d+/);
    for (const path of ['/', '/trends', '/compare', '/registry', '/run', '/run/abc']) {
      const res = await fetch(`${dashboard.url}${path}`);
      assert.equal(res.status, 200, path);
      assert.match(await res.text(), /<base href="\/" \/>/, path);
    }
    const js = await fetch(`${dashboard.url}/assets/${builtAsset('.js')}`);
    assert.equal(js.status, 200);
    assert.equal((await fetch(`${dashboard.url}/health`)).status, 200);
  });

  it('start prints the dashboard URL and serves it', async () => {
    const cwd = tempDir();
    const child = spawn(process.execPath, [CLI, 'start', '--port', '0'], {
      cwd,
      // like the other CLI tests: only the sandbox's BALANCEOPS_* settings
      env: cleanEnv(sandboxEnv(cwd)),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      let out = '';
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
      });
      const url = await eventually(
        async () => /dashboard {2}(http:\/\/\S+)/.exec(out)?.[1],
        (u) => u !== undefined,
        'the dashboard line of `start`',
        60_000,
      );
      assert.match(url ?? '', /\/dashboard\/$/);
      const res = await fetch(url ?? '');
      assert.equal(res.status, 200);
      assert.match(await res.text(), /<base href="\/dashboard\/" \/>/);
    } finally {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
  });
});

describe('the dashboard in Chromium: empty database, API unreachable', { skip: browserSkipReason() }, () => {
  let server: ServerProcess;
  let browser: Browser;

  before(async () => {
    const cwd = tempDir();
    server = await startCliServer(['serve', '--log-level', 'warn'], { cwd, env: sandboxEnv(cwd) });
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('says which command to run in every empty view, then names the cause when the API goes away', async () => {
    const { page, errors, close } = await openPage(browser, `${server.url}/dashboard/`);
    try {
      const empty = '[data-testid="empty-state"]';
      const runs = await textMatches(page, empty, /No runs yet/);
      assert.match(runs, /npx balanceops demo-run/);
      assert.match(runs, /npx balanceops train-dummy/);
      await textMatches(
        page,
        '[data-testid="current-model"]',
        /No model promoted yet.*npx balanceops train-dummy/s,
      );
      await screenshot(page, 'empty-runs');

      await page.getByRole('link', { name: 'Trends' }).click();
      assert.match(page.url(), /\/dashboard\/trends$/);
      await textMatches(page, empty, /No runs yet[\s\S]*npx balanceops demo-run/);
      await page.getByRole('link', { name: 'Run detail' }).click();
      await textMatches(page, empty, /No runs yet[\s\S]*npx balanceops demo-run/);
      await page.getByRole('link', { name: 'Compare' }).click();
      await textMatches(page, empty, /Pick at least two runs/);
      await page.getByRole('link', { name: 'Registry' }).click();
      await textMatches(
        page,
        '[data-testid="history-card"] [data-testid="empty-state"]',
        /npx balanceops train-dummy/,
      );

      // Reloading a client route under /dashboard/ works too (the server answers it with the page).
      await page.reload();
      await textMatches(page, '[data-testid="versions-card"]', /No model versions yet/);
      assert.equal(await page.locator('[data-testid="api-banner"]').count(), 0);

      assert.equal(await server.stop(), 0);
      await page.getByRole('button', { name: 'Refresh', exact: true }).click();
      const banner = await textMatches(page, '[data-testid="api-banner"]', /API unreachable/);
      assert.match(
        banner,
        new RegExp(
          `API unreachable at ${server.url.replace(/[.]/g, '\\.')}: no response \\(connection refused`,
        ),
      );
      await screenshot(page, 'unreachable');
      assert.deepEqual(errors, []);
    } finally {
      await close();
    }
  });
});
