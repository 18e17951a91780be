import { createHash } from 'node:crypto';

/** What the SDK's NonDeterministicExecutionError says: the operation, and what differs. */
export interface SdkMismatch {
  /** The operation id in the history (the SDK's hash of its step id). */
  readonly operationId?: string;
  readonly field?: 'type' | 'name' | 'subtype';
  readonly expected?: string;
  /** What the new code passed; undefined for an unnamed operation. */
  readonly got?: string;
}

/**
 * Reads the SDK's determinism error ("Operation name mismatch for step "2". Expected name "a", but got "b"."). The
 * SDK names the operation by its step id (`2`, `4-1` inside the context of step 4); the history holds the first 16
 * hex digits of its MD5, as the SDK stores it. Whatever the text does not say stays undefined.
 */
export function readSdkMismatch(message: string): SdkMismatch {
  const stepId = /mismatch for step "([^"]+)"/.exec(message)?.[1];
  const differs = /Expected (type|name|subtype) "([^"]*)", but got "([^"]*)"/.exec(message);
  const field = differs?.[1] as SdkMismatch['field'];
  // The SDK prints a missing name (or subtype) as "undefined".
  const value = (text: string | undefined) => (text === undefined || (field !== 'type' && text === 'undefined') ? undefined : text);
  return {
    operationId: stepId === undefined ? undefined : createHash('md5').update(stepId).digest('hex').substring(0, 16),
    field,
    expected: value(differs?.[2]),
    got: value(differs?.[3]),
  };
}
