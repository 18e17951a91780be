import type { LambdaClient } from '@aws-sdk/client-lambda';
import { LambdaApiServer } from './lambda-api-server';

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
