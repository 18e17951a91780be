// cdk-durable-workflow/runtime as DurableWorkflow bundles a handler (the `cdk-durable-workflow-handler` export
// condition): the same exports, but `workflow` holds the handler side only. esbuild keeps every property of an object
// it bundles, so a `workflow` that also held the client would put the whole client in every handler (the named exports,
// exports.ts, cost nothing unless imported). Handler code that calls the client imports it from
// `cdk-durable-workflow/runtime/client`.
import { RollbackError } from './errors';
import { handler } from './handler';
import type { workflow as FullWorkflow } from './index';

function clientOnly(): never {
  throw new Error("In a DurableWorkflow handler, import the client from 'cdk-durable-workflow/runtime/client'");
}

/** `workflow.handler` and `workflow.RollbackError`; the client calls say where to import them from. */
export const workflow: typeof FullWorkflow = {
  handler,
  RollbackError,
  start: clientOnly,
  describe: clientOnly,
  list: clientOnly,
  history: clientOnly,
  stop: clientOnly,
  succeed: clientOnly,
  fail: clientOnly,
  heartbeat: clientOnly,
};

export * from './exports';
