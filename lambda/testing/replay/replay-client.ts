// eslint-disable-next-line import/no-extraneous-dependencies -- installed by the user, never a dependency of this jsii package
import { DurableExecutionClientError } from '@aws/durable-execution-sdk-js';
import type {
  CheckpointDurableExecutionRequest,
  CheckpointDurableExecutionResponse,
  DurableExecutionClient,
  GetDurableExecutionStateRequest,
  GetDurableExecutionStateResponse,
  Operation,
  OperationUpdate,
} from '@aws/durable-execution-sdk-js';
import { validateUpdates } from '../engine/checkpoint/validate-updates';
import { statePage } from '../engine/execution-state';
import { ServiceError } from '../engine/service-errors';

/** Where a replay left what the history holds: its first checkpoint. */
export type ReplayStop =
  /** Updates the service would take: work beyond the history (none: the SDK asked for news of an operation it waits on). */
  | { readonly kind: 'checkpoint'; readonly updates: readonly OperationUpdate[] }
  /** Updates the service would refuse, with its error and the first update it refuses. */
  | { readonly kind: 'refused'; readonly updates: readonly OperationUpdate[]; readonly error: ServiceError; readonly refused: OperationUpdate };

/**
 * The replay check's `DurableExecutionClient`: it stands where the service stands for one invocation, with no AWS
 * call. It pages out the operations the execution resumes with, and ends the invocation at the handler's first
 * checkpoint: replaying recorded operations checkpoints nothing, so a checkpoint is the first work past the point
 * the history reached. The updates are checked under the service's rules first, against what the history holds.
 */
export class ReplayClient implements DurableExecutionClient {
  /** Set once the handler checkpoints. */
  public stop?: ReplayStop;
  private readonly recorded: Map<string, Operation>;

  constructor(private readonly token: string, private readonly snapshot: readonly Operation[], recorded: readonly Operation[]) {
    this.recorded = new Map(recorded.map((operation) => [operation.Id!, operation]));
  }

  public async getExecutionState(request: GetDurableExecutionStateRequest): Promise<GetDurableExecutionStateResponse> {
    this.checkToken(request.CheckpointToken);
    const page = statePage(this.snapshot, request.Marker, request.MaxItems);
    return { Operations: page.items, NextMarker: page.nextMarker };
  }

  public async checkpoint(request: CheckpointDurableExecutionRequest): Promise<CheckpointDurableExecutionResponse> {
    this.checkToken(request.CheckpointToken);
    const updates = request.Updates ?? [];
    const error = this.refusal(updates);
    if (error) {
      const refused = updates.find((_update, index) => this.refusal(updates.slice(0, index + 1)))!;
      this.stop = { kind: 'refused', updates, error, refused };
    } else {
      this.stop = { kind: 'checkpoint', updates };
    }
    // The SDK ends the invocation on a failed checkpoint: nothing past the recorded point is taken.
    throw new DurableExecutionClientError('The replay check ends the invocation at its first checkpoint', { scope: 'INVOCATION' });
  }

  /** The service's error for these updates, if it would refuse them. */
  private refusal(updates: readonly OperationUpdate[]): ServiceError | undefined {
    try {
      validateUpdates(updates, (id) => this.recorded.get(id));
      return undefined;
    } catch (error) {
      if (error instanceof ServiceError) return error;
      throw error;
    }
  }

  private checkToken(token: string | undefined): void {
    if (this.stop || token !== this.token) {
      throw new DurableExecutionClientError('Invalid Checkpoint Token', { scope: 'INVOCATION' });
    }
  }
}
