// cdk-durable-workflow/runtime as DurableWorkflow bundles a handler (the `cdk-durable-workflow-handler` export
// condition): the same exports, but `workflow` holds the handler side only. esbuild keeps every property of an object
// it bundles, so a `workflow` that also held the client would put the whole client in every handler (the named exports,
// exports.ts, cost nothing unless imported). Handler code that calls the client imports it from
// `cdk-durable-workflow/runtime/client`.
import { RollbackError } from './errors';
import { handler } from './handler';
import type { workflow as FullWorkflow } from './index';

const CLIENT_CALLS = ['start', 'describe', 'list', 'history', 'stop', 'succeed', 'fail', 'heartbeat'] as const;

function clientOnly(call: string): () => never {
  return () => {
    throw new Error(`workflow.${call} is not part of a DurableWorkflow handler's bundle: in handler code, `
      + "import { workflow } from 'cdk-durable-workflow/runtime/client' for the client calls");
  };
}

/** `workflow.handler` and `workflow.RollbackError`; the client calls tell where to import them from. */
export const workflow = {
  handler,
  RollbackError,
  ...Object.fromEntries(CLIENT_CALLS.map((call) => [call, clientOnly(call)])),
} as typeof FullWorkflow;

export * from './exports';
