// Handlers written as SST's `sst/aws/workflow` documentation shows them (sst.dev/docs/component/aws/workflow and the
// examples in SST's workflow SDK source). The only change is the import line below, which in SST reads
//   import { workflow } from "sst/aws/workflow";
// (unused parameters carry a `_` prefix and quotes are single, as this repository's compiler and lint settings require).
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { OperationType } from '@aws/durable-execution-sdk-js';
import { LocalDurableTestRunner, WaitingOperationStatus } from '@aws/durable-execution-sdk-js-testing';
import { workflow } from '../../lambda';

beforeAll(() => LocalDurableTestRunner.setupTestEnvironment({ skipTime: true }));
afterAll(() => LocalDurableTestRunner.teardownTestEnvironment());

test('the minimal example: ctx.step and ctx.wait with a human duration', async () => {
  // --- from SST's docs, unchanged ---
  const handler = workflow.handler(async (_event, ctx) => {
    const user = await ctx.step('load-user', async () => {
      return { id: 'user_123', email: 'alice@example.com' };
    });

    await ctx.wait('pause-before-email', '1 minute');

    return ctx.step('send-email', async () => {
      return { sent: true, userId: user.id };
    });
  });
  // ---

  const result = await new LocalDurableTestRunner({ handlerFunction: handler }).run({ payload: {} });

  expect(result.getResult()).toEqual({ sent: true, userId: 'user_123' });
  expect(result.getOperations().map((op) => [op.getName(), op.getType()])).toEqual([
    ['load-user', OperationType.STEP],
    ['pause-before-email', OperationType.WAIT],
    ['send-email', OperationType.STEP],
  ]);
  expect(result.getOperations()[1].getWaitDetails()?.waitSeconds).toBe(60);
});

test('stepWithRollback and rollbackAll: the undo runs and the original error fails the execution', async () => {
  // The documented undo calls fetch(`https://example.com/orders/${id}`, { method: "DELETE" }); here it calls a
  // local HTTP server instead, which counts the DELETE requests it receives.
  const deletes: string[] = [];
  const api = createServer((req, res) => {
    deletes.push(`${req.method} ${req.url}`);
    res.end();
  });
  await new Promise<void>((resolve) => api.listen(0, '127.0.0.1', resolve));
  const exampleCom = `http://127.0.0.1:${(api.address() as AddressInfo).port}`;

  // --- from SST's SDK source example, unchanged but for the host ---
  const handler = workflow.handler(async (_event, ctx) => {
    try {
      const order = await ctx.stepWithRollback('create-order', {
        run: async () => ({ orderId: 'order_123' }),
        undo: async (_error, result) => {
          await fetch(`${exampleCom}/orders/${result.orderId}`, {
            method: 'DELETE',
          });
        },
      });

      await ctx.step('charge-card', async () => {
        throw new Error('Card declined');
      });

      return order;
    } catch (error) {
      await ctx.rollbackAll(error);
      throw error;
    }
  });
  // ---

  try {
    const result = await new LocalDurableTestRunner({ handlerFunction: handler }).run({ payload: {} });

    expect(result.getStatus()).toBe('FAILED');
    expect(result.getError()).toMatchObject({ errorType: 'StepError', errorMessage: 'Card declined' });
    expect(deletes).toEqual(['DELETE /orders/order_123']);
  } finally {
    await new Promise((resolve) => api.close(resolve));
  }
});

test('waitUntil: resume at a known time', async () => {
  // --- from SST's SDK source example, unchanged ---
  const handler = workflow.handler(
    async (_event, ctx) => {
      const resumeAt = new Date();
      resumeAt.setMinutes(resumeAt.getMinutes() + 10);

      await ctx.waitUntil('wait-for-follow-up', resumeAt);

      return ctx.step('send-follow-up', async () => {
        return { delivered: true };
      });
    },
  );
  // ---

  const result = await new LocalDurableTestRunner({ handlerFunction: handler }).run({ payload: {} });

  expect(result.getResult()).toEqual({ delivered: true });
  const waits = result.getOperations().filter((op) => op.getType() === OperationType.WAIT);
  expect(waits).toHaveLength(1);
  expect(waits[0].getWaitDetails()?.waitSeconds).toBe(600);
});

test('a cron-invoked workflow logging through the step context', async () => {
  // --- from SST's docs, unchanged ---
  const handler = workflow.handler(async (_event, ctx) => {
    await ctx.step('start', async ({ logger }) => {
      logger.info({ message: 'Workflow invoked by cron' });
    });
  });
  // ---

  const result = await new LocalDurableTestRunner({ handlerFunction: handler }).run({ payload: { source: 'aws.events' } });

  expect(result.getStatus()).toBe('SUCCEEDED');
  expect(result.getOperations().map((op) => op.getName())).toEqual(['start']);
});

test('waitForCallback keeps the SDK behaviour: the raw string the approver sent', async () => {
  const sent: string[] = [];
  // SST passes ctx.waitForCallback straight through to the SDK.
  const handler = workflow.handler(async (_event, ctx: workflow.Context) => {
    const approval = await ctx.waitForCallback('wait-for-approval', async (callbackId) => {
      sent.push(callbackId);
    }, { timeout: { hours: 1 } });
    return ctx.step('record-approval', async () => ({ approval }));
  });
  const runner = new LocalDurableTestRunner({ handlerFunction: handler });

  const running = runner.run({ payload: {} });
  const approval = runner.getOperation('wait-for-approval');
  await approval.waitForData(WaitingOperationStatus.SUBMITTED);
  await approval.sendCallbackSuccess('{"approved":true}');
  const result = await running;

  expect(sent).toHaveLength(1);
  expect(result.getResult()).toEqual({ approval: '{"approved":true}' });
});

test('a failed undo surfaces as workflow.RollbackError with the step, the undo error and the original error', async () => {
  const noRetry = { retryStrategy: () => ({ shouldRetry: false }) };
  // --- written as for SST (its RollbackError carries stepName, undoError and originalError) ---
  const handler = workflow.handler(async (_event, ctx) => {
    try {
      await ctx.stepWithRollback('create-order', {
        run: async () => ({ orderId: 'order_123' }),
        undo: async () => {
          throw new Error('orders API down');
        },
      }, { undoConfig: noRetry });
      await ctx.step('charge-card', async () => {
        throw new Error('Card declined');
      }, noRetry);
      return 'charged';
    } catch (error) {
      try {
        await ctx.rollbackAll(error);
      } catch (rollbackError) {
        if (rollbackError instanceof workflow.RollbackError) {
          return {
            step: rollbackError.stepName,
            undo: (rollbackError.undoError as Error).message,
            original: (rollbackError.originalError as Error).message,
          };
        }
      }
      throw error;
    }
  });
  // ---

  const result = await new LocalDurableTestRunner({ handlerFunction: handler }).run({ payload: {} });

  expect(result.getResult()).toEqual({ step: 'create-order', undo: 'orders API down', original: 'Card declined' });
});
