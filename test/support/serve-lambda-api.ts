import type { LambdaClient } from '@aws-sdk/client-lambda';
import { LambdaApiServer, type RecordedRequest } from './lambda-api-server';
import { WorkflowClient } from '../../lambda/client';

/**
 * One local Lambda API server for a test file: started before its tests, reset before each (so executions
 * and scripted errors never leak between tests), closed after. `use` receives it with a LambdaClient pointed at it.
 */
export function serveLambdaApi(use: (server: LambdaApiServer, client: LambdaClient) => void): void {
  let server: LambdaApiServer;
  let client: LambdaClient;
  beforeAll(async () => {
    server = await LambdaApiServer.start();
    client = server.client();
    use(server, client);
  });
  afterAll(async () => {
    client.destroy();
    await server.close();
  });
  beforeEach(() => server.reset());
}

/** A test file's local Lambda API server with the WorkflowClient under test on it (both set once it has started). */
export interface ServedWorkflowClient {
  readonly server: LambdaApiServer;
  readonly workflows: WorkflowClient;
  /** The request the server received last. */
  last(): RecordedRequest;
}

/** `serveLambdaApi` for the client's tests: a WorkflowClient on the server's LambdaClient. */
export function serveWorkflowClient(): ServedWorkflowClient {
  const served = {
    last: () => served.server.requests[served.server.requests.length - 1],
  } as { server: LambdaApiServer; workflows: WorkflowClient; last(): RecordedRequest };
  serveLambdaApi((server, client) => {
    served.server = server;
    served.workflows = new WorkflowClient({ client });
  });
  return served;
}
