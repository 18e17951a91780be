// Listing executions: every page, the query parameters, order, and the listing as a Promise and an async iterable.
import type { Execution } from '../../../lambda/client';
import { functionArn } from '../../support/lambda-api-server';
import { serveWorkflowClient } from '../../support/serve-lambda-api';

const api = serveWorkflowClient();

describe('list', () => {
  test('follows NextMarker to the last page and returns every execution', async () => {
    api.server.addExecutions(2500, 'orders');

    const { executions } = await api.workflows.list('orders:1', {});

    expect(executions).toHaveLength(2500);
    expect(new Set(executions.map((e) => e.arn)).size).toBe(2500);
    const pages = api.server.requests.filter((r) => r.operation === 'ListDurableExecutionsByFunction');
    expect(pages.map((r) => [r.query.get('MaxItems'), r.query.has('Marker')])).toEqual([['1000', false], ['1000', true], ['1000', true]]);
    expect(pages[2].query.get('Marker')).not.toBe(pages[1].query.get('Marker'));
  });

  test('sends several statuses, the name and the time window as query parameters', async () => {
    api.server.addFunction('orders', { aliases: { live: '1' } });
    const from = new Date('2025-01-01T00:00:10Z');
    const to = new Date('2025-01-01T00:00:20Z');
    const at = (second: number) => new Date(Date.UTC(2025, 0, 1, 0, 0, second));
    api.server.addExecution({ functionName: 'orders', name: 'order-7', status: 'FAILED', startedAt: at(15) });
    api.server.addExecution({ functionName: 'orders', name: 'order-7', status: 'RUNNING', startedAt: at(12) });
    api.server.addExecution({ functionName: 'orders', name: 'order-7', status: 'SUCCEEDED', startedAt: at(13) });
    api.server.addExecution({ functionName: 'orders', name: 'order-7', status: 'FAILED', startedAt: at(30) });
    api.server.addExecution({ functionName: 'orders', name: 'order-8', status: 'FAILED', startedAt: at(14) });

    const { executions } = await api.workflows.list({ name: 'orders', qualifier: 'live' }, {
      status: ['RUNNING', 'FAILED'], name: 'order-7', createdAt: { from, to, order: 'desc' }, pageSize: 50,
    });

    expect(executions.map((e) => [e.status, e.createdAt])).toEqual([['FAILED', at(15)], ['RUNNING', at(12)]]);

    const request = api.last();
    expect(request.method).toBe('GET');
    expect(request.rawPath).toBe('/2025-12-01/functions/orders/durable-executions');
    expect(request.query.get('Qualifier')).toBe('live');
    expect(request.query.getAll('Statuses')).toEqual(['RUNNING', 'FAILED']);
    expect(request.query.get('DurableExecutionName')).toBe('order-7');
    expect(new Date(request.query.get('StartedAfter')!)).toEqual(from);
    expect(new Date(request.query.get('StartedBefore')!)).toEqual(to);
    expect(request.query.get('ReverseOrder')).toBe('false'); // the API's own order is newest first
    expect(request.query.get('MaxItems')).toBe('50');
  });

  test.each([
    ['oldest first by default', undefined, 'true', ['first', 'second', 'third']],
    ["oldest first with order 'asc'", 'asc', 'true', ['first', 'second', 'third']],
    ["newest first with order 'desc'", 'desc', 'false', ['third', 'second', 'first']],
  ] as const)('lists %s: ListDurableExecutionsByFunction is newest first unless ReverseOrder', async (_what, order, reverse, names) => {
    api.server.addExecutions(3, 'orders', (i) => ({ name: ['first', 'second', 'third'][i] }));

    const { executions } = await api.workflows.list('orders:1', { createdAt: { order } });

    expect(api.last().query.get('ReverseOrder')).toBe(reverse);
    expect(executions.map((e) => e.name)).toEqual(names);
  });

  test('filters by several statuses across pages', async () => {
    const statuses = ['RUNNING', 'SUCCEEDED', 'FAILED', 'STOPPED'] as const;
    api.server.addExecutions(40, 'orders', (i) => ({ status: statuses[i % 4] }));

    const { executions } = await api.workflows.list('orders:1', { status: ['FAILED', 'STOPPED'], pageSize: 7 });

    expect(executions).toHaveLength(20);
    expect(new Set(executions.map((e) => e.status))).toEqual(new Set(['FAILED', 'STOPPED']));
    expect(api.server.requestCount('ListDurableExecutionsByFunction')).toBe(3);
  });

  test('is an async iterator that fetches the next page only when the consumer needs it', async () => {
    api.server.addExecutions(30, 'orders');

    const seen: Execution[] = [];
    for await (const execution of api.workflows.list('orders:1', { pageSize: 10 })) {
      seen.push(execution);
      if (seen.length === 15) break;
    }

    const stored = [...api.server.executions.values()].slice(0, 15);
    expect(seen.map((e) => e.arn)).toEqual(stored.map((e) => e.arn));
    expect(api.server.requestCount('ListDurableExecutionsByFunction')).toBe(2);
  });

  test('an unqualified name lists every version; the mapped executions carry status and dates', async () => {
    api.server.addExecution({ functionName: 'orders', name: 'v1', version: '1', status: 'SUCCEEDED', endedAt: new Date('2025-02-01T00:00:00Z') });
    api.server.addExecution({ functionName: 'orders', name: 'v2', version: '2', status: 'RUNNING' });

    const { executions } = await api.workflows.list('orders', {});

    expect(api.last().query.has('Qualifier')).toBe(false);
    expect(executions.map((e) => [e.name, e.status, e.functionArn, e.endedAt])).toEqual([
      ['v1', 'SUCCEEDED', functionArn('orders', '1'), new Date('2025-02-01T00:00:00Z')],
      ['v2', 'RUNNING', functionArn('orders', '2'), undefined],
    ]);
  });

  test.each([
    [{ status: 'DONE' }, /status "DONE" is not one of RUNNING, SUCCEEDED, FAILED, TIMED_OUT, STOPPED/],
    [{ createdAt: { from: new Date(2000), to: new Date(1000) } }, /createdAt.from \(.*\) is after createdAt.to/],
    [{ createdAt: { from: new Date('nope') } }, /createdAt.from must be a valid Date/],
    [{ createdAt: { order: 'newest' } }, /createdAt.order must be 'asc' or 'desc', got newest/],
    [{ pageSize: 1001 }, /pageSize must be an integer from 1 to 1000, got 1001/],
    [{ name: 'bad name' }, /Execution name "bad name" \(8 characters\) is invalid/],
  ])('bad query %p rejects the listing (awaited or iterated) before any request', async (query, message) => {
    const listing = api.workflows.list('orders:1', query as never);
    await expect(listing).rejects.toThrow(message);
    await expect(listing.catch((error: unknown) => (error as Error).message)).resolves.toMatch(message);
    await expect((async () => {
      for await (const _execution of api.workflows.list('orders:1', query as never)) break;
    })()).rejects.toThrow(message);
    expect(api.server.requestCount()).toBe(0);
  });
});
