import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import type { CurrentModelJson, TrainResultJson } from '../src/contract.js';
import {
  browserSkipReason,
  eventually,
  launchBrowser,
  openPage,
  screenshot,
  textMatches,
  textOf,
} from './dashboard-browser.js';
import {
  parseJsonOutput,
  runCli,
  type ServerProcess,
  sandboxEnv,
  startCliServer,
  tempDir,
} from './helpers.js';

const TOKEN = 'dashboard-test-token';

describe('promote and roll back from the dashboard, with an API token', { skip: browserSkipReason() }, () => {
  let server: ServerProcess;
  let browser: Browser;
  let first: TrainResultJson;
  let second: TrainResultJson;
  let demo: string;

  before(async () => {
    const cwd = tempDir();
    const env = sandboxEnv(cwd);
    const train = async (seed: string) =>
      parseJsonOutput<TrainResultJson>(
        await runCli(['train-dummy', '--seed', seed, '--no-auto-promote', '--json'], { cwd, env }),
      );
    first = await train('1');
    second = await train('2');
    demo = parseJsonOutput<{ run_id: string }>(await runCli(['demo-run', '--json'], { cwd, env })).run_id;
    const promoted = await runCli(['promote', '--run-id', first.run_id], { cwd, env });
    assert.equal(promoted.code, 0, promoted.stderr);
    server = await startCliServer(['dashboard', '--log-level', 'warn'], {
      cwd,
      env: { ...env, BALANCEOPS_API_TOKEN: TOKEN },
    });
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  const currentRunId = async () =>
    ((await (await fetch(`${server.url}/model`)).json()) as Partial<CurrentModelJson>).run_id;

  it('asks for the token, shows the API error for a wrong one, promotes with the right one, then rolls back', async () => {
    const { page, errors, close } = await openPage(browser, `${server.url}/run/${second.run_id}`);
    try {
      await page.locator(`[data-testid="run-detail"][data-run-id="${second.run_id}"]`).waitFor();
      await textMatches(page, '[data-testid="settings"]', /bearer token required/);

      await page.getByRole('button', { name: 'Promote', exact: true }).click();
      const dialog = page.getByRole('dialog', { name: "Promote this run's model" });
      await dialog.getByLabel('API token').fill('not-the-token');
      await dialog.getByRole('button', { name: 'Promote', exact: true }).click();
      const alert = dialog.getByRole('alert');
      await eventually(
        () => textOf(alert),
        (t) => /HTTP 401 UNAUTHORIZED: Missing or invalid bearer token/.test(t),
        'the API error',
      );
      assert.equal(await currentRunId(), first.run_id, 'a rejected promotion changes nothing');
      assert.equal(
        await page.evaluate("sessionStorage.getItem('balanceops.token')"),
        null,
        'a rejected token is not kept',
      );
      await screenshot(page, 'promote-error');

      await dialog.getByLabel('API token').fill(TOKEN);
      await dialog.getByRole('button', { name: 'Promote', exact: true }).click();
      await dialog.waitFor({ state: 'detached' });
      assert.equal(await currentRunId(), second.run_id);
      await textMatches(page, '[role="status"].toasts', /is now current/);
      // The header follows without a reload.
      await textMatches(page, '[data-testid="current-model"]', new RegExp(second.run_id.slice(0, 8)));
      assert.equal(await page.evaluate("sessionStorage.getItem('balanceops.token')"), TOKEN);

      // Roll back from the header: the token is remembered for this tab.
      await page.locator('[data-testid="current-model"]').getByRole('button', { name: 'Roll back' }).click();
      const rollback = page.getByRole('dialog', { name: 'Roll back the current model' });
      assert.equal(await rollback.getByLabel('API token').inputValue(), TOKEN);
      await rollback.getByRole('button', { name: 'Roll back', exact: true }).click();
      await rollback.waitFor({ state: 'detached' });
      assert.equal(await currentRunId(), first.run_id);

      // The registry view records both changes, made over HTTP from this machine.
      await page.getByRole('link', { name: 'Registry', exact: true }).click();
      const items = page.locator('[data-testid="timeline"] li');
      await eventually(
        () => items.count(),
        (n) => n === 3,
        'promote, promote, rollback',
      );
      const top = await textOf(items.first());
      assert.match(top, /Rolled back/);
      assert.match(top, /by api:127\.0\.0\.1/);
      assert.match(await textOf(items.nth(1)), new RegExp(`manual promote of run ${second.run_id}`));
      await screenshot(page, 'registry-after');
      assert.deepEqual(errors, []);
    } finally {
      await close();
    }
  });

  it('promotes a version from the versions table', async () => {
    const { page, errors, close } = await openPage(browser, `${server.url}/registry`);
    try {
      const row = page.getByRole('table', { name: 'Model versions' }).locator('tbody tr', { hasText: 'v2' });
      await row.getByRole('button', { name: 'Promote' }).click();
      const dialog = page.getByRole('dialog', { name: 'Promote balance_model v2' });
      await dialog.getByLabel('API token').fill(TOKEN);
      await dialog.getByRole('button', { name: 'Promote', exact: true }).click();
      await dialog.waitFor({ state: 'detached' });
      assert.equal(await currentRunId(), second.run_id);
      await textMatches(page, '[data-testid="versions-card"] tr.selected', /v2/);
      assert.deepEqual(errors, []);
    } finally {
      await close();
    }
  });

  it("shows the API's reason when a run has no model to promote", async () => {
    const { page, errors, close } = await openPage(browser, `${server.url}/run/${demo}`);
    try {
      await page.getByRole('button', { name: 'Promote', exact: true }).click();
      const dialog = page.getByRole('dialog');
      await dialog.getByLabel('API token').fill(TOKEN);
      await dialog.getByRole('button', { name: 'Promote', exact: true }).click();
      await eventually(
        () => textOf(dialog.getByRole('alert')),
        (t) => new RegExp(`NO_MODEL_ARTIFACT: run ${demo} \\(demo\\) has no model artifact`).test(t),
        'the API error naming the run',
      );
      await textMatches(page, '.modal [role="alert"]', /Train one with/); // the API's hint
      assert.equal(await currentRunId(), second.run_id, 'nothing changed');
      assert.deepEqual(errors, []);
    } finally {
      await close();
    }
  });
});
