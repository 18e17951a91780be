// The order process, written with the runtime helper as a user would. DurableWorkflow bundles this
// file (its `entry`); `cdk-durable-workflow/runtime` resolves through the package's `exports`.
import { createRetryStrategy, JitterStrategy } from '@aws/durable-execution-sdk-js';
import type { ApprovalDecision, Order, Shipment } from './order';
import { approvals, inventory, payments, shipping } from './services';
import { workflow } from 'cdk-durable-workflow/runtime';

export class OrderRejectedError extends Error {
  constructor(orderId: string, decision: ApprovalDecision) {
    super(`order ${orderId} rejected by ${decision.approver}${decision.reason ? `: ${decision.reason}` : ''}`);
    this.name = 'OrderRejectedError';
  }
}

export const handler = workflow.handler<Order, Shipment>(async (order, ctx) => {
  try {
    const reservationId = await ctx.stepWithRollback('reserve-stock', {
      run: async () => inventory.reserve(order),
      undo: async (_error, id) => inventory.release(id),
    });
    const chargeId = await ctx.stepWithRollback('charge-card', {
      run: async () => payments.charge(order),
      undo: async (_error, id) => payments.refund(id),
    }, {
      // A declined card is retried twice, 10 s then 20 s later, before the order gives up.
      retryStrategy: createRetryStrategy({ maxAttempts: 3, initialDelay: { seconds: 10 }, backoffRate: 2, jitter: JitterStrategy.NONE }),
    });

    // The customer may still cancel for free.
    await ctx.wait('cooling-off-period', '2 days');

    const decision = await ctx.waitForCallbackJson<ApprovalDecision>('manager-approval',
      async (callbackId) => approvals.request(order, callbackId));
    if (!decision.approved) throw new OrderRejectedError(order.orderId, decision);

    const trackingNumber = await ctx.step('ship', async () => shipping.ship(order));
    return { orderId: order.orderId, reservationId, chargeId, trackingNumber, approvedBy: decision.approver };
  } catch (error) {
    // Refund, then release the stock: compensations run newest first.
    await ctx.rollbackAll(error);
    throw error;
  }
});
