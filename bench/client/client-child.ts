// Listing 5,000 executions through the real @aws-sdk/client-lambda against the local Lambda REST API server:
// `node client-child.js <executions> <runs>`. WorkflowClient.list (the helper) against the SDK's own paginator (the floor),
// alternating after one warm-up each; every run's requests are counted and checked.
import { paginateListDurableExecutionsByFunction } from '@aws-sdk/client-lambda';
import type { LambdaClient } from '@aws-sdk/client-lambda';
import { WorkflowClient } from '../../lambda';
import { LambdaApiServer } from '../../test/support/lambda-api-server';
import { runMain } from '../child';
import { nowMs } from '../clock';
import { abFirst } from '../stats';

export interface ClientRun {
  readonly executions: number;
  /** ListDurableExecutionsByFunction requests of every timed run, and the MaxItems each asked for. */
  readonly helperRequests: Requests[];
  readonly paginatorRequests: Requests[];
  readonly helperMs: number[];
  readonly paginatorMs: number[];
}

export interface Requests {
  readonly count: number;
  readonly maxItems: (string | null)[];
}

const FUNCTION = 'orders';

// Each lister returns the ARNs it got, so a run is checked for every execution listed once (a paginator that
// repeated a page would still reach the total).
async function helperList(client: LambdaClient): Promise<string[]> {
  const { executions } = await new WorkflowClient({ client }).list(`${FUNCTION}:live`);
  return executions.map((e) => e.arn);
}

async function paginatorList(client: LambdaClient): Promise<string[]> {
  const arns: string[] = [];
  const pages = paginateListDurableExecutionsByFunction({ client, pageSize: 1000 }, { FunctionName: FUNCTION, Qualifier: 'live' });
  for await (const page of pages) arns.push(...(page.DurableExecutions ?? []).map((e) => e.DurableExecutionArn!));
  return arns;
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

    // Every run is checked: it listed every execution, and its requests are kept for the page count.
    const measure = async (list: (c: LambdaClient) => Promise<string[]>): Promise<{ ms: number; requests: Requests }> => {
      server.clearRequests();
      const start = nowMs();
      const listed = await list(client);
      const ms = nowMs() - start;
      const distinct = new Set(listed).size;
      if (listed.length !== executions || distinct !== executions) {
        throw new Error(`listed ${listed.length} executions (${distinct} distinct), expected ${executions}`);
      }
      const pages = server.requests.filter((r) => r.operation === 'ListDurableExecutionsByFunction');
      return { ms, requests: { count: pages.length, maxItems: pages.map((r) => r.query.get('MaxItems')) } };
    };
    await measure(helperList);
    await measure(paginatorList);

    const helperMs: number[] = [];
    const paginatorMs: number[] = [];
    const helperRequests: Requests[] = [];
    const paginatorRequests: Requests[] = [];
    for (let run = 0; run < runs; run++) {
      for (const which of abFirst(run) ? ['helper', 'paginator'] : ['paginator', 'helper']) {
        const { ms, requests } = await measure(which === 'helper' ? helperList : paginatorList);
        (which === 'helper' ? helperMs : paginatorMs).push(ms);
        (which === 'helper' ? helperRequests : paginatorRequests).push(requests);
      }
    }
    return { executions, helperRequests, paginatorRequests, helperMs, paginatorMs };
  } finally {
    await server.close();
  }
});
