// The bundle benchmark's peer: helper-handler.ts's saga on SST's `sst/aws/workflow` (SST has no human durations and
// no waitForCallbackJson, so the wait is an SDK object and the answer is parsed by hand).
import { workflow } from 'sst/aws/workflow';

export const handler = workflow.handler(async (order, ctx) => {
  try {
    const reservation = await ctx.stepWithRollback('reserve', {
      run: async () => ({ reservationId: `res-${order.orderId}` }),
      undo: async (_error, reserved) => console.log('release', reserved.reservationId),
    });
    const payment = await ctx.stepWithRollback('charge', {
      run: async () => ({ paymentId: `pay-${order.orderId}`, amount: order.amount }),
      undo: async (_error, charged) => console.log('refund', charged.paymentId),
    });
    await ctx.wait('cool-off', { hours: 1 });
    const answer = await ctx.waitForCallback('approval', async (callbackId) => {
      console.log('approve with', callbackId);
    });
    const approval = answer ? JSON.parse(answer) : undefined;
    if (!approval?.approved) throw new Error(`order ${order.orderId} was rejected`);
    return { reservation, payment };
  } catch (error) {
    await ctx.rollbackAll(error);
    throw error;
  }
});
