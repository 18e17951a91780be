// The dev server's viewer in a real browser (headless Chromium): executions started through the Lambda API show up
// and update live, a callback is answered in the page, a failed saga shows its error and rollback, the stop button
// stops, filters filter, and the page asks nothing of any other host.
import { GetDurableExecutionCommand, InvokeCommand } from '@aws-sdk/client-lambda';
import type { LambdaClient } from '@aws-sdk/client-lambda';
import type { CounterApp } from '../fixtures/dev/counter-app';
import { openBrowser, type Browser } from '../support/browser';
import { serveCounterApp, stopCounterApp, type DevServerProcess } from '../support/dev-server';

let app: CounterApp;
let server: DevServerProcess;
let lambda: LambdaClient;
let browser: Browser;
beforeAll(async () => {
  ({ app, server } = await serveCounterApp({ withSaga: true }));
  lambda = server.client();
  browser = await openBrowser();
}, 180_000);
afterAll(async () => {
  await browser?.close();
  await stopCounterApp(app, server);
});

async function start(functionName: string, name: string, payload: unknown): Promise<string> {
  const started = await lambda.send(new InvokeCommand({
    FunctionName: functionName,
    Qualifier: 'live',
    InvocationType: 'Event',
    DurableExecutionName: name,
    Payload: new TextEncoder().encode(JSON.stringify(payload)),
  }));
  return started.DurableExecutionArn!;
}

/** The list's row of the execution named `name`. */
function listRow(name: string) {
  return browser.page.locator('table.executions tbody tr').filter({ has: browser.page.getByRole('link', { name, exact: true }) });
}

/** Waits until the open execution's heading shows `status`. */
async function detailStatus(status: string) {
  await browser.page.locator('.title-row .badge', { hasText: status }).waitFor({ timeout: 30_000 });
}

function section(title: string) {
  return browser.page.getByRole('region', { name: title, exact: true });
}

async function listedNames(): Promise<string[]> {
  return browser.page.locator('table.executions tbody tr td:first-child').allTextContents();
}

test('an execution started through the API is listed, opened, its callback answered in the page, and shown SUCCEEDED', async () => {
  const { page } = browser;
  await page.goto(`${server.url}/`);
  await page.getByRole('link', { name: 'CounterApp/Counter' }).waitFor();
  // Started after the page opened: the list learns of it from the change stream.
  const note = '<img src=x id=injected>';
  const arn = await start(app.functionName, 'viewer-order', { id: 'viewer-order', waitSeconds: 1, note });
  await listRow('viewer-order').waitFor();
  expect(await listRow('viewer-order').locator('td').nth(1).textContent()).toBe('CounterApp/Counter');

  await page.getByRole('link', { name: 'viewer-order', exact: true }).click();
  expect(decodeURIComponent(page.url())).toContain(`#/executions/${arn}`);
  // The wait ends and the callback starts waiting while the page is open.
  const form = page.getByRole('region', { name: 'Callback approval' });
  await form.waitFor({ timeout: 30_000 });
  expect(await page.locator('.title-row .badge').textContent()).toBe('RUNNING');
  // Payloads are shown as text, never as markup.
  expect(await section('Input').textContent()).toContain(note);
  expect(await page.locator('#injected').count()).toBe(0);

  await form.getByLabel(/Result/).fill('{"approved": true, "by": "<b>ops</b>"}');
  await form.getByRole('button', { name: 'Succeed callback' }).click();
  await detailStatus('SUCCEEDED');
  expect(await section('Result').textContent()).toContain('<b>ops</b>');
  expect(await page.locator('b', { hasText: 'ops' }).count()).toBe(0);
  await expect(lambda.send(new GetDurableExecutionCommand({ DurableExecutionArn: arn }))).resolves.toMatchObject({ Status: 'SUCCEEDED' });

  // Every operation with its outcome; the callbacks section is gone once answered.
  const operations = section('Operations (6)');
  for (const [name, status] of [['prepare', 'SUCCEEDED'], ['pause', 'SUCCEEDED'], ['approval', 'SUCCEEDED'], ['finish', 'SUCCEEDED']]) {
    const row = operations.locator('tbody tr').filter({ has: page.locator('td.operation-name', { hasText: new RegExp(`^${name}$`) }) });
    expect(await row.locator('.badge').textContent()).toBe(status);
  }
  expect(await operations.textContent()).toContain('"approved": true');
  expect(await page.getByRole('region', { name: 'Callbacks waiting' }).count()).toBe(0);
  // The timeline is the SVG picture, with each invocation's start marked (one before the wait, one after, one after the answer).
  const timeline = page.getByRole('img', { name: 'Timeline of viewer-order' });
  expect(await timeline.locator('title', { hasText: /^invocation 3:/ }).count()).toBe(1);
  expect(await timeline.locator('text', { hasText: 'finish' }).count()).toBeGreaterThan(0);

  await page.getByRole('link', { name: '← All executions' }).click();
  expect(await listRow('viewer-order').locator('.badge').textContent()).toBe('SUCCEEDED');
});

test('a failed saga shows its error, the failed attempts and the rollback steps', async () => {
  const { page } = browser;
  const arn = await start(app.sagaFunctionName!, 'viewer-saga', { id: 'viewer-saga', failShipping: true });
  await page.goto(`${server.url}/#/executions/${encodeURIComponent(arn)}`);
  await detailStatus('FAILED');

  expect(await page.locator('.facts').textContent()).toContain('CounterApp/Saga');
  expect(await section('Error').textContent()).toContain('no courier for viewer-saga');
  const rollback = section('Rollback');
  expect(await rollback.locator('td.operation-name').allTextContents()).toEqual([
    'Rollback planrollback', "Undo 'charge card'rollback", "Undo 'reserve stock'rollback",
  ]);
  expect(await rollback.locator('tbody .badge').allTextContents()).toEqual(['SUCCEEDED', 'SUCCEEDED', 'SUCCEEDED']);

  const courier = section('Operations (6)').locator('tbody tr').filter({ has: page.locator('td.operation-name', { hasText: /^book courier$/ }) });
  expect(await courier.locator('.badge').textContent()).toBe('FAILED');
  expect(await courier.locator('td.count').textContent()).toBe('2');
  expect(await courier.locator('td.outcome').textContent()).toContain('attempt 1 failed: Error: no courier for viewer-saga');
  expect(await page.getByRole('button', { name: 'Stop execution' }).count()).toBe(0);
});

test('the stop button stops a running execution', async () => {
  const { page } = browser;
  const arn = await start(app.functionName, 'viewer-stopped', { id: 'viewer-stopped', waitSeconds: 3600 });
  await page.goto(`${server.url}/#/executions/${encodeURIComponent(arn)}`);
  await detailStatus('RUNNING');
  await page.getByRole('button', { name: 'Stop execution' }).click();
  await detailStatus('STOPPED');
  expect(await page.getByRole('button', { name: 'Stop execution' }).count()).toBe(0);
  await expect(lambda.send(new GetDurableExecutionCommand({ DurableExecutionArn: arn }))).resolves.toMatchObject({ Status: 'STOPPED' });
});

test('the list filters by workflow, status and name', async () => {
  const { page } = browser;
  await start(app.sagaFunctionName!, 'viewer-saga-ok', { id: 'viewer-saga-ok' });
  await page.goto(`${server.url}/`);
  await listRow('viewer-saga-ok').locator('.badge', { hasText: 'SUCCEEDED' }).waitFor({ timeout: 30_000 });
  expect((await listedNames()).sort()).toEqual(['viewer-order', 'viewer-saga', 'viewer-saga-ok', 'viewer-stopped']);

  await page.getByLabel('Workflow', { exact: true }).selectOption({ label: 'CounterApp/Saga' });
  await listRow('viewer-order').waitFor({ state: 'detached' });
  expect((await listedNames()).sort()).toEqual(['viewer-saga', 'viewer-saga-ok']);

  await page.getByLabel('Status', { exact: true }).selectOption('FAILED');
  await listRow('viewer-saga-ok').waitFor({ state: 'detached' });
  expect(await listedNames()).toEqual(['viewer-saga']);

  await page.getByLabel('Workflow', { exact: true }).selectOption({ label: 'All workflows' });
  await page.getByLabel('Status', { exact: true }).selectOption('SUCCEEDED');
  await listRow('viewer-order').waitFor();
  expect((await listedNames()).sort()).toEqual(['viewer-order', 'viewer-saga-ok']);

  await page.getByLabel('Name', { exact: true }).fill('saga');
  await listRow('viewer-order').waitFor({ state: 'detached' });
  expect(await listedNames()).toEqual(['viewer-saga-ok']);
  // The filters are in the address: a reload keeps them.
  await page.reload();
  await listRow('viewer-saga-ok').waitFor();
  expect(await listedNames()).toEqual(['viewer-saga-ok']);
});

test('two filters changed before the list is drawn again both hold', async () => {
  const { page } = browser;
  await page.goto(`${server.url}/#/?status=FAILED`);
  await listRow('viewer-saga').waitFor();
  // Listing answers slowly: the second change is made on the list drawn before the first.
  const slowly = '**/2025-12-01/functions/*/durable-executions?*';
  await page.route(slowly, async (route) => {
    await new Promise((resolve) => setTimeout(resolve, 500));
    await route.continue();
  });
  try {
    await page.getByLabel('Workflow', { exact: true }).selectOption({ label: 'CounterApp/Counter' });
    await page.getByLabel('Status', { exact: true }).selectOption('SUCCEEDED');
    await listRow('viewer-order').waitFor();
    expect(new URL(page.url()).hash).toBe(`#/?workflow=${app.functionName}&status=SUCCEEDED`);
    expect(await listedNames()).toEqual(['viewer-order']);
  } finally {
    await page.unroute(slowly);
  }
});

test('the viewer serves its own files only, under a policy that lets the page load nothing from elsewhere', async () => {
  const page = await fetch(`${server.url}/`);
  expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
  expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
  expect(await page.text()).toContain('<script type="module" src="/_dev/viewer/app.js">');
  expect((await fetch(`${server.url}/_dev/viewer/app.js`)).headers.get('content-type')).toBe('text/javascript; charset=utf-8');
  for (const path of ['/_dev/viewer/missing.js', '/_dev/viewer/%2e%2e%2fhttp%2fviewer-files.js', '/_dev/viewer/']) {
    expect((await fetch(`${server.url}${path}`)).status).toBe(404);
  }
});

test('the page requested nothing but the dev server', () => {
  expect(browser.requests.length).toBeGreaterThan(10);
  expect(browser.requests.filter((url) => !url.startsWith(`${server.url}/`))).toEqual([]);
});
