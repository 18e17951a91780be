// The bundle benchmark's handler on the runtime helper: an order saga with a cool-off wait and an approval callback.
// Imports the helper by package name, as users do: the compiled lib/runtime, through the package's `exports` (so the
// construct's bundling picks the handler-side build).
import { workflow } from 'cdk-durable-workflow/runtime';

interface Order {
  readonly orderId: string;
  readonly amount: number;
}

export const handler = workflow.handler(async (order: Order, ctx) => {
  try {
    const reservation = await ctx.stepWithRollback('reserve', {
      run: async () => ({ reservationId: `res-${order.orderId}` }),
      undo: async (_error, reserved) => console.log('release', reserved.reservationId),
    });
    const payment = await ctx.stepWithRollback('charge', {
      run: async () => ({ paymentId: `pay-${order.orderId}`, amount: order.amount }),
      undo: async (_error, charged) => console.log('refund', charged.paymentId),
    });
    await ctx.wait('cool-off', '1 hour');
    const approval = await ctx.waitForCallbackJson<{ approved: boolean }>('approval', async (callbackId) => {
      console.log('approve with', callbackId);
    });
    if (!approval?.approved) throw new Error(`order ${order.orderId} was rejected`);
    return { reservation, payment };
  } catch (error) {
    await ctx.rollbackAll(error);
    throw error;
  }
});
