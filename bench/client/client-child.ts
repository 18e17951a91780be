// Listing 5,000 executions through the real @aws-sdk/client-lambda against the local Lambda REST API server:
// `node client-child.js <executions> <runs>`. workflow.list (the helper) against the SDK's own paginator (the floor),
// alternating after one warm-up each; every run's requests are counted and checked.
import { paginateListDurableExecutionsByFunction } from '@aws-sdk/client-lambda';
import type { LambdaClient } from '@aws-sdk/client-lambda';
import { workflow } from '../../lambda';
import { LambdaApiServer } from '../../test/support/lambda-api-server';
import { runMain } from '../child';
import { nowMs } from '../clock';
import { abFirst } from '../stats';

export interface ClientRun {
  readonly executions: number;
  /** ListDurableExecutionsByFunction requests of one run, and the MaxItems each asked for. */
  readonly helperRequests: Requests;
  readonly paginatorRequests: Requests;
  readonly helperMs: number[];
  readonly paginatorMs: number[];
}

export interface Requests {
  readonly count: number;
  readonly maxItems: (string | null)[];
}

const FUNCTION = 'orders';

async function helperList(client: LambdaClient): Promise<number> {
  const { executions } = await workflow.list(`${FUNCTION}:live`, {}, { client });
  return executions.length;
}

async function paginatorList(client: LambdaClient): Promise<number> {
  let count = 0;
  const pages = paginateListDurableExecutionsByFunction({ client, pageSize: 1000 }, { FunctionName: FUNCTION, Qualifier: 'live' });
  for await (const page of pages) count += page.DurableExecutions?.length ?? 0;
  return count;
}

runMain(async (): Promise<ClientRun> => {
  const executions = Number(process.argv[2]);
  const runs = Number(process.argv[3]);
  if (!Number.isInteger(executions) || !Number.isInteger(runs)) throw new Error('usage: client-child <executions> <runs>');
  const server = await LambdaApiServer.start();
  try {
    server.addFunction(FUNCTION, { versions: ['1'], aliases: { live: '1' } });
    server.addExecutions(executions, FUNCTION, (i) => ({ status: i % 3 === 0 ? 'SUCCEEDED' : 'RUNNING' }));
    const client = server.client();

    const measure = async (list: (c: LambdaClient) => Promise<number>) => {
      server.clearRequests();
      const start = nowMs();
      const listed = await list(client);
      const ms = nowMs() - start;
      if (listed !== executions) throw new Error(`listed ${listed} executions, expected ${executions}`);
      return ms;
    };
    await measure(helperList);
    await measure(paginatorList);

    const requestsOfLastRun = (): Requests => {
      const list = server.requests.filter((r) => r.operation === 'ListDurableExecutionsByFunction');
      return { count: list.length, maxItems: list.map((r) => r.query.get('MaxItems')) };
    };
    const helperMs: number[] = [];
    const paginatorMs: number[] = [];
    let helperRequests: Requests = { count: 0, maxItems: [] };
    let paginatorRequests: Requests = { count: 0, maxItems: [] };
    for (let run = 0; run < runs; run++) {
      for (const which of abFirst(run) ? ['helper', 'paginator'] : ['paginator', 'helper']) {
        if (which === 'helper') {
          helperMs.push(await measure(helperList));
          helperRequests = requestsOfLastRun();
        } else {
          paginatorMs.push(await measure(paginatorList));
          paginatorRequests = requestsOfLastRun();
        }
      }
    }
    return { executions, helperRequests, paginatorRequests, helperMs, paginatorMs };
  } finally {
    await server.close();
  }
});
