import * as iam from 'aws-cdk-lib/aws-iam';
import { IResource, Resource } from 'aws-cdk-lib/core';

/** Actions that read executions: describe, history, list. */
const READ_ACTIONS = [
  'lambda:GetDurableExecution',
  'lambda:GetDurableExecutionHistory',
  'lambda:ListDurableExecutionsByFunction',
];

/** Actions that answer a `waitForCallback` / `createCallback` operation. */
const SEND_CALLBACK_ACTIONS = [
  'lambda:SendDurableExecutionCallbackSuccess',
  'lambda:SendDurableExecutionCallbackFailure',
  'lambda:SendDurableExecutionCallbackHeartbeat',
];

/**
 * A durable workflow: a Lambda durable function invoked through a qualifier (an alias).
 *
 * Implemented by `DurableWorkflow` and by imported workflows.
 */
export interface IDurableWorkflow extends IResource, iam.IGrantable {
  /**
   * The function's name.
   *
   * @attribute
   */
  readonly functionName: string;

  /**
   * The unqualified function ARN. Durable functions refuse unqualified invokes: start executions
   * with `qualifiedArn`.
   *
   * @attribute
   */
  readonly functionArn: string;

  /**
   * The qualifier every start, permission and trigger uses (the alias name).
   *
   * @attribute
   */
  readonly qualifier: string;

  /**
   * The qualified ARN (`functionArn:qualifier`) that callers invoke to start an execution.
   *
   * @attribute
   */
  readonly qualifiedArn: string;

  /**
   * Grant the given identity permission to start executions: `lambda:InvokeFunction` on the
   * qualified ARN only.
   */
  grantStart(grantee: iam.IGrantable): iam.Grant;

  /**
   * Grant the given identity permission to describe executions, read their history and list them.
   */
  grantRead(grantee: iam.IGrantable): iam.Grant;

  /**
   * Grant the given identity permission to stop executions.
   */
  grantStop(grantee: iam.IGrantable): iam.Grant;

  /**
   * Grant the given identity permission to complete, fail and heartbeat callbacks of executions.
   */
  grantSendCallback(grantee: iam.IGrantable): iam.Grant;

  /**
   * Grant the given identity custom actions on this workflow's executions.
   *
   * The resource is the execution ARN pattern `functionArn:*`: execution ARNs are qualified by
   * the version an execution runs on, never by the alias.
   */
  grant(grantee: iam.IGrantable, ...actions: string[]): iam.Grant;
}

/**
 * What owned and imported durable workflows share: grants, metrics and execution events.
 */
export abstract class DurableWorkflowBase extends Resource implements IDurableWorkflow {
  public abstract readonly functionName: string;
  public abstract readonly functionArn: string;
  public abstract readonly qualifier: string;
  public abstract readonly qualifiedArn: string;
  public abstract readonly grantPrincipal: iam.IPrincipal;

  public grantStart(grantee: iam.IGrantable): iam.Grant {
    return iam.Grant.addToPrincipal({
      grantee,
      actions: ['lambda:InvokeFunction'],
      resourceArns: [this.qualifiedArn],
    });
  }

  public grantRead(grantee: iam.IGrantable): iam.Grant {
    return iam.Grant.addToPrincipal({
      grantee,
      actions: READ_ACTIONS,
      // ListDurableExecutionsByFunction authorizes on the function itself; the others on execution ARNs.
      resourceArns: [this.functionArn, this.executionArnPattern],
    });
  }

  public grantStop(grantee: iam.IGrantable): iam.Grant {
    return this.grant(grantee, 'lambda:StopDurableExecution');
  }

  public grantSendCallback(grantee: iam.IGrantable): iam.Grant {
    return this.grant(grantee, ...SEND_CALLBACK_ACTIONS);
  }

  public grant(grantee: iam.IGrantable, ...actions: string[]): iam.Grant {
    return iam.Grant.addToPrincipal({
      grantee,
      actions,
      resourceArns: [this.executionArnPattern],
    });
  }

  /**
   * `arn:...:function:NAME:*`: matches every execution ARN of this function
   * (`...:function:NAME:VERSION/durable-execution/NAME/ID`).
   */
  protected get executionArnPattern(): string {
    return `${this.functionArn}:*`;
  }
}
