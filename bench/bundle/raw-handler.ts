// The bundle benchmark's baseline: helper-handler.ts's saga written on the raw SDK the obvious way.
import { withDurableExecution } from '@aws/durable-execution-sdk-js';
import type { DurableContext } from '@aws/durable-execution-sdk-js';

interface Order {
  readonly orderId: string;
  readonly amount: number;
}

export const handler = withDurableExecution(async (order: Order, ctx: DurableContext) => {
  const compensations: { name: string; undo: () => Promise<void> }[] = [];
  try {
    const reservation = await ctx.step('reserve', async () => ({ reservationId: `res-${order.orderId}` }));
    compensations.push({ name: 'reserve', undo: async () => console.log('release', reservation.reservationId) });
    const payment = await ctx.step('charge', async () => ({ paymentId: `pay-${order.orderId}`, amount: order.amount }));
    compensations.push({ name: 'charge', undo: async () => console.log('refund', payment.paymentId) });
    await ctx.wait('cool-off', { hours: 1 });
    const answer = await ctx.waitForCallback<string>('approval', async (callbackId) => {
      console.log('approve with', callbackId);
    });
    const approval = answer ? JSON.parse(answer) as { approved: boolean } : undefined;
    if (!approval?.approved) throw new Error(`order ${order.orderId} was rejected`);
    return { reservation, payment };
  } catch (error) {
    for (const { name, undo } of compensations.reverse()) await ctx.step(`Undo '${name}'`, undo);
    throw error;
  }
});
