import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import type { IDurableWorkflow } from './durable-workflow-base';
import { stateKeyConditions } from './encryption-keys';
import { acknowledgeRule, COMPLIANCE, INLINE_POLICY_REASON } from './nag-acknowledgements';
import { describeValue, PropValidator } from './validation';

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
 * The actions for which Lambda decrypts durable state with the caller's credentials, so that a caller needs
 * `kms:Decrypt` with a state key: AWS lists "GetDurableExecution, GetDurableExecutionHistory with
 * IncludeExecutionData=true, GetDurableExecutionState, StopDurableExecution, and the callback APIs", and the execution
 * role's Decrypt "to read state and progress the execution" (checkpoints). Not InvokeFunction (Lambda encrypts the input
 * as the service) nor ListDurableExecutionsByFunction (metadata only).
 */
const DECRYPTING_ACTIONS = new Set([
  'lambda:GetDurableExecution',
  'lambda:GetDurableExecutionHistory',
  'lambda:GetDurableExecutionState',
  'lambda:CheckpointDurableExecution',
  'lambda:StopDurableExecution',
  ...SEND_CALLBACK_ACTIONS,
]);

/** Actions that start executions: they belong on the alias, through `start`. */
const INVOKE_ACTIONS = ['lambda:InvokeFunction', 'lambda:InvokeAsync'];

/**
 * The grants of a durable workflow: who may start its executions, read them, stop them and answer
 * their callbacks.
 *
 * Executions are authorized on execution ARNs (`arn:...:function:NAME:VERSION/durable-execution/...`),
 * qualified by the version an execution runs on and never by the alias, so every grant except `start`
 * names `arn:...:function:NAME:*`. With a state encryption key, `read`, `stop`, `sendCallback` (and
 * `actions` with one of their actions) also allow decrypting this function's state through Lambda, with which Lambda
 * decrypts for those APIs; `start` needs no key permission (Lambda encrypts the input as the service).
 */
export class DurableWorkflowGrants {
  /**
   * The grants of the given workflow.
   */
  public static fromWorkflow(workflow: IDurableWorkflow): DurableWorkflowGrants {
    return new DurableWorkflowGrants(workflow);
  }

  private constructor(private readonly workflow: IDurableWorkflow) {}

  /**
   * Grant the given identity permission to start executions: `lambda:InvokeFunction` on the
   * qualified ARN only. Lambda encrypts the input as the service, so no key permission is added.
   */
  public start(grantee: iam.IGrantable): iam.Grant {
    return iam.Grant.addToPrincipal({
      grantee: this.principalFor(grantee),
      actions: ['lambda:InvokeFunction'],
      resourceArns: [this.workflow.qualifiedArn],
    });
  }

  /**
   * Grant the given identity permission to describe executions, read their history and list them. With a state
   * encryption key, also `kms:Decrypt` through Lambda: reading with `IncludeExecutionData=true` (as the client's
   * `describe` and `history` do, for inputs, results and errors) decrypts with the caller's credentials.
   */
  public read(grantee: iam.IGrantable): iam.Grant {
    return this.withStateDecrypt(grantee, READ_ACTIONS, iam.Grant.addToPrincipal({
      grantee: this.principalFor(grantee),
      actions: READ_ACTIONS,
      // ListDurableExecutionsByFunction authorizes on the function itself; the others on execution ARNs.
      resourceArns: [this.workflow.functionArn, executionArns(this.workflow.functionArn)],
    }));
  }

  /**
   * Grant the given identity permission to stop executions.
   */
  public stop(grantee: iam.IGrantable): iam.Grant {
    return this.actions(grantee, 'lambda:StopDurableExecution');
  }

  /**
   * Grant the given identity permission to complete, fail and heartbeat callbacks of executions.
   */
  public sendCallback(grantee: iam.IGrantable): iam.Grant {
    return this.actions(grantee, ...SEND_CALLBACK_ACTIONS);
  }

  /**
   * Grant the given identity custom actions on this workflow's executions (`functionArn:*`). Only `lambda:` actions,
   * named in full: not `lambda:InvokeFunction` (it would allow every version and `$LATEST`: use `start`, which allows
   * the alias only) and no wildcard.
   */
  public actions(grantee: iam.IGrantable, ...actions: string[]): iam.Grant {
    const v = PropValidator.of(this.workflow, 'DurableWorkflow');
    if (actions.length === 0) v.fail('actions must name at least one lambda: action, got none');
    for (const action of actions) {
      if (typeof action !== 'string' || !/^lambda:[A-Za-z]+$/.test(action)) {
        v.fail('actions must be lambda: actions named in full (no wildcard: this grant is on every execution ARN, so '
          + `a wildcard would allow whatever Lambda adds), got ${describeValue(action)}`);
      }
      if (INVOKE_ACTIONS.includes(action)) {
        v.fail(`actions must not include ${action}: on functionArn:* it would allow every version and $LATEST. `
          + 'Use grantStart (grants.start), which allows the alias only');
      }
    }
    return this.withStateDecrypt(grantee, actions, iam.Grant.addToPrincipal({
      grantee: this.principalFor(grantee),
      actions,
      resourceArns: [executionArns(this.workflow.functionArn)],
    }));
  }

  /**
   * Who receives a grant: the grantee, except that a grant to this workflow's own role (given as its
   * function, alias or role) goes to the workflow itself, whose policy nothing depends on. In the
   * role's default policy, which the function depends on, a statement naming the function would be a
   * dependency cycle.
   */
  private principalFor(grantee: iam.IGrantable): iam.IGrantable {
    const role = this.workflow.role;
    return role && grantee.grantPrincipal === role.grantPrincipal ? this.workflow : grantee;
  }

  /**
   * Adds `kms:Decrypt` of this workflow's state to a grant of `actions`, when state is encrypted and one of them has
   * Lambda decrypt with the caller's credentials. In the identity policy, so it works for imported keys whose key
   * policy delegates to IAM, as the default key policy does.
   */
  private withStateDecrypt(grantee: iam.IGrantable, actions: string[], grant: iam.Grant): iam.Grant {
    const key = this.workflow.stateEncryptionKey;
    if (!key || !actions.some((action) => DECRYPTING_ACTIONS.has(action))) return grant;
    return grant.combine(iam.Grant.addToPrincipal({
      grantee: this.principalFor(grantee),
      actions: ['kms:Decrypt'],
      resourceArns: [key.keyArn],
      conditions: stateKeyConditions(this.workflow),
    }));
  }
}

/**
 * `arn:...:function:NAME:*`: matches every execution ARN of the function
 * (`...:function:NAME:VERSION/durable-execution/NAME/ID`).
 */
export function executionArns(functionArn: string): string {
  return `${functionArn}:*`;
}

/**
 * A `DurableWorkflow` as a principal: its role, with every identity statement given to the workflow
 * (grants on the workflow itself or on anything else, `addToRolePolicy`) in a policy of this workflow's
 * own, created on first use and attached to the role.
 *
 * The function depends on its role and the role's default policy, so a statement there that names the
 * function, its alias, or anything that depends on them (`wf.grantStart(wf)`, two workflows that
 * start each other, `fn.grantInvoke(wf)` where `fn`'s environment holds `wf.qualifiedArn`) is a
 * dependency cycle. Nothing depends on this policy. Two workflows that share a role each keep their
 * own policy, and a workflow removed from the app takes only its own statements with it. The price:
 * on a first deploy, these statements may attach a few seconds after the function exists.
 */
export class WorkflowPrincipal implements iam.IPrincipal {
  public readonly grantPrincipal: iam.IPrincipal = this;
  private policy?: iam.Policy;

  /**
   * `scope` is the workflow: the policy becomes its child `PrincipalPolicy`. Without `attach` (an immutable role),
   * statements go to `role` itself, which reports them.
   */
  constructor(private readonly scope: Construct, private readonly role: iam.IRole, private readonly attach = true) {}

  public get assumeRoleAction(): string {
    return this.role.assumeRoleAction;
  }

  public get policyFragment(): iam.PrincipalPolicyFragment {
    return this.role.policyFragment;
  }

  public get principalAccount(): string | undefined {
    return this.role.principalAccount;
  }

  public addToPrincipalPolicy(statement: iam.PolicyStatement): iam.AddToPrincipalPolicyResult {
    if (!this.attach) return this.role.addToPrincipalPolicy(statement);
    if (!this.policy) {
      this.policy = new iam.Policy(this.scope, 'PrincipalPolicy', { roles: [this.role] });
      acknowledgeRule(this.policy, COMPLIANCE, 'IAMNoInlinePolicy', INLINE_POLICY_REASON);
    }
    this.policy.addStatements(statement);
    return { statementAdded: true, policyDependable: this.policy };
  }

  /** aws-cdk-lib keys some grants on this (`grantInvoke` caches per principal): one per workflow. */
  public toString(): string {
    return `DurableWorkflow(${this.scope.node.path})`;
  }
}
