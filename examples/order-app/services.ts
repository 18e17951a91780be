// Stand-ins for the systems an order touches. They compute their answers, so the demo runs
// offline and every run is the same; in a real app each function is a call to an API.
import type { Order } from './order';

/** Payment providers reject this test card: the demo's "card declined" scenario uses it. */
export const DECLINED_CARD = 'tok_declined';

export class CardDeclinedError extends Error {
  constructor(orderId: string) {
    super(`card declined for order ${orderId}`);
    this.name = 'CardDeclinedError';
  }
}

export const inventory = {
  async reserve(order: Order): Promise<string> {
    return `rsv-${order.orderId}`;
  },
  async release(_reservationId: string): Promise<void> {},
};

export const payments = {
  async charge(order: Order): Promise<string> {
    if (order.cardToken === DECLINED_CARD) throw new CardDeclinedError(order.orderId);
    return `ch-${order.orderId}`;
  },
  async refund(_chargeId: string): Promise<void> {},
};

export const approvals = {
  /** Would e-mail the approver a link that calls `workflow.succeed(callbackId, decision)`. */
  async request(_order: Order, _callbackId: string): Promise<void> {},
};

export const shipping = {
  async ship(order: Order): Promise<string> {
    return `trk-${order.orderId}`;
  },
};
