/** What starts an order workflow (the execution's input). */
export interface Order {
  readonly orderId: string;
  readonly items: ReadonlyArray<{ readonly sku: string; readonly quantity: number }>;
  readonly amountCents: number;
  readonly cardToken: string;
}

/** A manager's answer to the approval callback. */
export interface ApprovalDecision {
  readonly approved: boolean;
  readonly approver: string;
  readonly reason?: string;
}

/** What a shipped order returns (the execution's result). */
export interface Shipment {
  readonly orderId: string;
  readonly reservationId: string;
  readonly chargeId: string;
  readonly trackingNumber: string;
  readonly approvedBy: string;
}
