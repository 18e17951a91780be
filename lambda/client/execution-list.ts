// workflow.list's result: a Promise of every execution, and an async iterable of them page by page.
import type { Execution, ListResponse } from './workflow-client';

/**
 * Every execution matching a `workflow.list` query, fetched page by page (following NextMarker to the end).
 * Await it for `{ executions }`, or iterate it with `for await` to process each page as it arrives.
 */
export class ExecutionList implements Promise<ListResponse>, AsyncIterable<Execution> {
  /** The collected listing, fetched once however often it is awaited (iterating fetches afresh). */
  private collected?: Promise<ListResponse>;

  constructor(private readonly pages: () => AsyncIterable<Execution[]>) {}

  get [Symbol.toStringTag](): string {
    return 'ExecutionList';
  }

  async *[Symbol.asyncIterator](): AsyncIterator<Execution> {
    for await (const page of this.pages()) yield* page;
  }

  then<TResult1 = ListResponse, TResult2 = never>(
    onfulfilled?: ((value: ListResponse) => TResult1 | PromiseLike<TResult1>) | null,
    onrejected?: ((reason: unknown) => TResult2 | PromiseLike<TResult2>) | null,
  ): Promise<TResult1 | TResult2> {
    this.collected ??= this.collect();
    return this.collected.then(onfulfilled, onrejected);
  }

  // catch and finally too: SST's list returns a Promise, and its callers may chain them.
  catch<TResult = never>(onrejected?: ((reason: unknown) => TResult | PromiseLike<TResult>) | null): Promise<ListResponse | TResult> {
    return this.then(undefined, onrejected);
  }

  finally(onfinally?: (() => void) | null): Promise<ListResponse> {
    return this.then().finally(onfinally);
  }

  private async collect(): Promise<ListResponse> {
    const executions: Execution[] = [];
    for await (const page of this.pages()) executions.push(...page);
    return { executions };
  }
}
