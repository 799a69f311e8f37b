import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { RegistryEventJson, RunsPageJson } from '../src/contract.js';
import {
  browserSkipReason,
  eventually,
  launchBrowser,
  openPage,
  screenshot,
  type TestPage,
  textMatches,
  textOf,
} from './dashboard-browser.js';
import { type Seeded, seedSandbox } from './dashboard-seed.js';
import { type ServerProcess, sandboxEnv, startCliServer, tempDir } from './helpers.js';

const getJson = async <T>(url: string): Promise<T> => (await fetch(url)).json() as Promise<T>;

/** Run ids of the rows the runs table shows, top to bottom. */
const rowIds = (page: Page) =>
  page
    .locator('[data-testid="runs-table"] tbody tr')
    .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-run-id')));

const countText = (page: Page, pattern: RegExp) => textMatches(page, '[data-testid="runs-count"]', pattern);

describe('balanceops dashboard in Chromium (seeded sandbox)', { skip: browserSkipReason() }, () => {
  let cwd: string;
  let seeded: Seeded;
  let server: ServerProcess;
  let browser: Browser;
  const pages: TestPage[] = [];

  before(async () => {
    cwd = tempDir();
    const env = sandboxEnv(cwd);
    seeded = await seedSandbox(cwd, env);
    server = await startCliServer(['dashboard', '--log-level', 'warn'], { cwd, env });
    browser = await launchBrowser();
  });

  after(async () => {
    for (const p of pages) {
      assert.deepEqual(p.errors, [], 'the page raised no errors');
      await p.close();
    }
    await browser?.close();
    await server?.stop();
  });

  const open = async (path = '/') => {
    const p = await openPage(browser, `${server.url}${path}`);
    pages.push(p);
    return p.page;
  };

  it('shows the current model, the API build and where things are stored in the header', async () => {
    const page = await open('/');
    const version = await getJson<{ package: { version: string }; git: { commit: string; branch: string } }>(
      `${server.url}/version`,
    );
    const t1 = seeded.trained[0]?.run_id ?? '';
    // After the rollback, version 1 (seed 1) is current again.
    const model = await textMatches(page, '[data-testid="current-model"]', /balance_model/);
    assert.match(model, /v1\b/);
    assert.match(model, new RegExp(t1.slice(0, 8)));
    assert.match(model, /bal_acc/);
    const build = await textMatches(page, '[data-testid="api-build"]', /balanceops/);
    assert.match(build, new RegExp(`balanceops ${version.package.version.replace(/\./g, '\\.')}`));
    assert.match(build, new RegExp(`main@${version.git.commit.slice(0, 8)}`));
    assert.match(build, /dirty/, 'the sandbox checkout has a tracked change');
    assert.match(build, /node 20|node 2\d/);
    const settings = await textMatches(page, '[data-testid="settings"]', /database/);
    assert.match(settings, /balanceops\.db/);
    assert.match(settings, /current\.json/);
    await screenshot(page, 'runs');
  });

  it('lists runs with server-side search, kind, dirty, limit, paging, sorting and the metrics toggle', async () => {
    const page = await open('/');
    await countText(page, new RegExp(`^Showing 20 / ${seeded.total} runs$`));
    assert.equal((await rowIds(page)).length, 20);

    await page.getByRole('button', { name: 'Next ›' }).click();
    await countText(page, new RegExp(`^Showing ${seeded.total - 20} / ${seeded.total} runs$`));
    assert.match(page.url(), /page=2/);

    await page.getByLabel('Rows per page').selectOption('50');
    await countText(page, new RegExp(`^Showing ${seeded.total} / ${seeded.total} runs$`));
    assert.doesNotMatch(page.url(), /page=/, 'a new page size starts from the first page');

    await page.getByLabel('Kind filter').selectOption('train_dummy');
    await countText(page, /^Showing 4 \/ 4 runs$/);

    await page.getByRole('button', { name: 'Dirty', exact: true }).click();
    await countText(page, /^Showing 2 \/ 2 runs$/);
    const dirtyIds = new Set([seeded.trained[2]?.run_id, seeded.trained[3]?.run_id]);
    assert.deepEqual(new Set(await rowIds(page)), dirtyIds);

    await page.getByRole('button', { name: 'Clean', exact: true }).click();
    // Same count as the dirty page (2 / 2): wait for the rows themselves to change.
    const cleanIds = [seeded.trained[0]?.run_id, seeded.trained[1]?.run_id].sort().join();
    await eventually(
      () => rowIds(page),
      (ids) => [...ids].sort().join() === cleanIds,
      'the clean train_dummy runs',
    );
    await countText(page, /^Showing 2 \/ 2 runs$/);

    await page.getByRole('button', { name: 'All', exact: true }).click();
    await page.getByLabel('Kind filter').selectOption('');
    await countText(page, new RegExp(`^Showing ${seeded.total} / ${seeded.total} runs$`));

    // Search by a run id prefix, then by a note.
    const t2 = seeded.trained[1]?.run_id ?? '';
    await page.getByLabel('Search runs').fill(t2.slice(0, 8));
    await countText(page, /^Showing 1 \/ 1 runs$/);
    assert.deepEqual(await rowIds(page), [t2]);
    await page.getByLabel('Search runs').fill('sweep #1');
    await countText(page, /^Showing 11 \/ 11 runs$/); // #1 and #10..#19
    await page.getByLabel('Search runs').fill('');
    await countText(page, new RegExp(`^Showing ${seeded.total} / ${seeded.total} runs$`));

    // Sorting by a metric column is done by the server: the same order as the API's.
    const apiOrder = async (order: string) =>
      (await getJson<RunsPageJson>(`${server.url}/runs?limit=50&sort=metric:acc&order=${order}`)).items.map(
        (r) => r.run_id,
      );
    await page.getByRole('button', { name: 'acc', exact: true }).click();
    const desc = await apiOrder('desc');
    await eventually(
      () => rowIds(page),
      (ids) => JSON.stringify(ids) === JSON.stringify(desc),
      'rows in descending acc order',
    );
    assert.match(page.url(), /sort=metric%3Aacc/);
    assert.equal(desc[0], seeded.demo, 'the demo run has the highest acc (0.9)');
    await page.getByRole('button', { name: 'acc', exact: true }).click();
    const asc = await apiOrder('asc');
    await eventually(
      () => rowIds(page),
      (ids) => JSON.stringify(ids) === JSON.stringify(asc),
      'rows in ascending acc order',
    );
    assert.equal(asc[0], seeded.sweeps[0], 'sweep #0 has the lowest acc (0.5)');
    assert.equal(
      await page.getByRole('columnheader', { name: 'acc', exact: true }).getAttribute('aria-sort'),
      'ascending',
    );

    // The metrics toggle drops the metric columns and asks the API for no metrics.
    const metricsHeader = page.getByRole('columnheader', { name: 'Metrics', exact: true });
    await metricsHeader.waitFor();
    const request = page.waitForRequest(
      (r) => r.url().includes('/runs?') && r.url().includes('include_metrics=false'),
    );
    await page.getByLabel('Include metrics').uncheck();
    await request;
    await metricsHeader.waitFor({ state: 'detached' });
    assert.match(page.url(), /metrics=0/);
    await page.getByLabel('Include metrics').check();
    await metricsHeader.waitFor();
  });

  it('draws metric trends over time with the values table, drops runs missing the metrics, and limits to the latest N', async () => {
    const page = await open('/trends');
    const chart = page.locator('[data-testid="chart"]');
    await chart.locator('canvas').first().waitFor();
    const drawn = Number(await chart.getAttribute('data-values'));
    assert.ok(drawn > seeded.total, `the chart drew the default metrics of every run (${drawn} values)`);
    const rows = page.locator('[data-testid="trends-table"] tbody tr');
    await eventually(
      () => rows.count(),
      (n) => n === seeded.total,
      'a table row per run',
    );
    await screenshot(page, 'trends');

    // Only `loss`: the demo run alone logged it, the others are dropped...
    await page.getByRole('button', { name: /^Metrics/ }).click();
    await page.getByRole('button', { name: 'Clear' }).click();
    await page.getByRole('checkbox', { name: 'loss', exact: true }).check();
    await page.keyboard.press('Escape');
    await eventually(
      () => rows.count(),
      (n) => n === 1,
      'one row: the demo run',
    );
    assert.equal(await chart.getAttribute('data-series'), '1');
    // ...unless asked to keep them.
    await page.getByLabel('Drop runs without these metrics').uncheck();
    await eventually(
      () => rows.count(),
      (n) => n === seeded.total,
      'every run kept',
    );
    await page.getByLabel('Latest N runs').fill('10');
    await eventually(
      () => rows.count(),
      (n) => n === 10,
      'the latest 10 runs',
    );
    assert.match(page.url(), /n=10/);
    assert.match(page.url(), /m=loss/);
  });

  it('shows a run: params, metrics with the step curve, artifacts with a working download, manifest', async () => {
    const page = await open('/?kind=demo');
    await page.getByRole('link', { name: new RegExp(`_demo_${seeded.demo.slice(0, 8)}$`) }).click();
    await page.locator(`[data-testid="run-detail"][data-run-id="${seeded.demo}"]`).waitFor();
    assert.match(page.url(), new RegExp(`/run/${seeded.demo}$`));

    const params = page.getByRole('table', { name: 'Params' });
    await eventually(
      () => textOf(params),
      (t) => /seed\s+42/.test(t),
      'the seed param',
    );
    await page.getByRole('button', { name: 'JSON' }).click();
    await textMatches(page, '.json', /"seed": 42/);

    await page.getByRole('tab', { name: /Metrics/ }).click();
    assert.match(page.url(), /tab=metrics/);
    const latest = page.getByRole('table', { name: 'Latest metrics' });
    await eventually(
      () => textOf(latest),
      (t) => /acc\s+0\.9/.test(t) && /loss\s+0\.26/.test(t),
      'latest values',
    );
    const curve = page.getByRole('figure', { name: 'loss by step' });
    await curve.locator('canvas').first().waitFor();
    assert.equal(await curve.getAttribute('data-values'), '20', 'the 20 logged steps of loss');
    await screenshot(page, 'run-metrics');

    await page.getByRole('tab', { name: /Artifacts/ }).click();
    await textMatches(page, '[data-testid="empty-state"]', /no artifacts/);

    // Another run, same tab: the trained model's file downloads byte for byte.
    const t1 = seeded.trained[0];
    assert.ok(t1);
    await page.getByLabel('Select run').selectOption(t1.run_id);
    await page.locator(`[data-testid="run-detail"][data-run-id="${t1.run_id}"]`).waitFor();
    assert.match(page.url(), /tab=artifacts/);
    const link = page.getByRole('link', { name: /^Download .*candidates/ });
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    const saved = await download.path();
    assert.deepEqual(readFileSync(saved), readFileSync(join(cwd, t1.candidate_path)));
    await screenshot(page, 'run-artifacts');

    await page.getByRole('tab', { name: /Manifest/ }).click();
    await textMatches(page, '.json', new RegExp(`"run_id": "${t1.run_id}"`));
    await textMatches(page, '[data-testid="run-detail"]', /manifest\.json/);

    // Latest jumps to the newest run (the last train-dummy), keeping the tab, and names it in the URL.
    const newest = seeded.trained[3]?.run_id ?? '';
    await page.getByRole('button', { name: 'Latest', exact: true }).click();
    await page.locator(`[data-testid="run-detail"][data-run-id="${newest}"]`).waitFor();
    await eventually(
      async () => page.url(),
      (url) => url.includes(`/run/${newest}?tab=manifest`),
      'the URL names the run',
    );
  });

  it('compares runs: params diff marks differing values, metrics side by side, overlaid step curves', async () => {
    const [t1, t2] = seeded.trained;
    assert.ok(t1 && t2);
    const page = await open('/?kind=train_dummy&dirty=clean');
    await countText(page, /^Showing 2 \/ 2 runs$/);
    await page.locator(`tr[data-run-id="${t1.run_id}"] input[type=checkbox]`).check();
    await page.locator(`tr[data-run-id="${t2.run_id}"] input[type=checkbox]`).check();
    await page.getByRole('link', { name: 'Compare 2 runs' }).click();

    const params = page.getByRole('table', { name: 'Params comparison' });
    await params.waitFor();
    assert.equal(await params.locator('tr[data-key="seed"]').getAttribute('data-differs'), 'true');
    assert.equal(await params.locator('tr[data-key="n_samples"]').getAttribute('data-differs'), 'false');
    // The first run is the baseline: the other run's seed cell is the one marked as changed.
    const seedCells = params.locator('tr[data-key="seed"] td');
    assert.deepEqual(await seedCells.evaluateAll((tds) => tds.map((td) => td.getAttribute('data-changed'))), [
      'false',
      'true',
    ]);
    await textMatches(page, '[data-testid="params-diff-count"]', /^1 of \d+ differ$/);
    const metrics = page.getByRole('table', { name: 'Metrics comparison' });
    assert.equal(await metrics.locator('tr[data-key="bal_acc"]').getAttribute('data-differs'), 'true');

    await page.getByLabel('Only differences').check();
    await params.locator('tr[data-key="n_samples"]').waitFor({ state: 'detached' });
    assert.equal(await params.locator('tbody tr').count(), 1);

    // Add the demo run: its loss curve is overlaid (the other two have none).
    await page.getByLabel('Add run').selectOption(seeded.demo);
    const curve = page.getByRole('figure', { name: 'loss by step, all runs' });
    await curve.locator('canvas').first().waitFor();
    assert.equal(await curve.getAttribute('data-series'), '3');
    assert.equal(await curve.getAttribute('data-values'), '20');
    assert.match(decodeURIComponent(page.url()), new RegExp(`runs=${t1.run_id},${t2.run_id},${seeded.demo}`));
    await screenshot(page, 'compare');
  });

  it('keeps the view in the URL: a copied link reopens filters, sort, run, tab and compare set', async () => {
    const page = await open('/');
    await page.getByLabel('Kind filter').selectOption('train_dummy');
    await page.getByRole('button', { name: 'Dirty', exact: true }).click();
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await countText(page, /^Showing 2 \/ 2 runs$/);
    const copied = page.url();

    const again = await open(copied.slice(server.url.length));
    await countText(again, /^Showing 2 \/ 2 runs$/);
    assert.equal(await again.getByLabel('Kind filter').inputValue(), 'train_dummy');
    assert.equal(
      await again.getByRole('button', { name: 'Dirty', exact: true }).getAttribute('aria-pressed'),
      'true',
    );
    assert.equal(
      await again.getByRole('columnheader', { name: 'Run', exact: true }).getAttribute('aria-sort'),
      'ascending',
    );

    const t3 = seeded.trained[2]?.run_id ?? '';
    await again.goto(`${server.url}/run/${t3}?tab=manifest`);
    await again.reload();
    await again.locator(`[data-testid="run-detail"][data-run-id="${t3}"]`).waitFor();
    assert.equal(await again.getByRole('tab', { name: /Manifest/ }).getAttribute('aria-selected'), 'true');

    // The back button returns to the filtered list.
    await again.goBack();
    await countText(again, /^Showing 2 \/ 2 runs$/);
  });

  it('shows the promotion history as a timeline: promote, decline and rollback with reasons and who', async () => {
    const page = await open('/registry');
    const history = await getJson<{ events: RegistryEventJson[] }>(`${server.url}/models/history`);
    const items = page.locator('[data-testid="timeline"] li');
    await eventually(
      () => items.count(),
      (n) => n === history.events.length,
      'one item per event',
    );
    const actions = await items.evaluateAll((els) => els.map((el) => el.getAttribute('data-action')));
    assert.deepEqual(actions, ['rollback', 'decline', 'promote', 'decline', 'promote']);
    assert.deepEqual(
      actions,
      history.events.map((e) => e.action),
    );
    const first = await textOf(items.first());
    assert.match(first, /Rolled back/);
    assert.match(first, /v3 → v1/);
    assert.match(first, new RegExp(history.events[0]?.actor ?? 'no actor'));
    const decline = await textOf(items.nth(1));
    assert.match(decline, /not enough improvement/);
    await screenshot(page, 'registry');
  });

  it('shows times in the browser zone, or in UTC when asked', async () => {
    const page = await open(`/run/${seeded.demo}`);
    const detail = await getJson<{ created_at: string }>(`${server.url}/runs/${seeded.demo}`);
    const asUtc = detail.created_at.slice(0, 19).replace('T', ' ');
    // The test browser runs in Asia/Seoul (UTC+9, no daylight saving).
    const asSeoul = new Date(Date.parse(detail.created_at) + 9 * 3600_000)
      .toISOString()
      .slice(0, 19)
      .replace('T', ' ');
    const created = page.locator('.facts-grid time').first();
    await eventually(
      () => textOf(created),
      (t) => t === asSeoul,
      'local time',
    );
    await page.getByRole('button', { name: 'UTC', exact: true }).click();
    await eventually(
      () => textOf(created),
      (t) => t === asUtc,
      'UTC time',
    );
    await page.reload();
    await eventually(
      () => textOf(page.locator('.facts-grid time').first()),
      (t) => t === asUtc,
      'UTC kept',
    );
  });
});
