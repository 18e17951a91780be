import * as iam from 'aws-cdk-lib/aws-iam';
import { Annotations, Aspects, Resource } from 'aws-cdk-lib/core';
import { Construct, Dependable, DependencyGroup, IConstruct } from 'constructs';
import { statementText } from './policy-text';

/**
 * Whether every policy added to `role` is dropped: a role imported with `mutable: false` (or from another account), or
 * `withoutPolicyUpdates()`. aws-cdk-lib wraps those in its (unexported) ImmutableRole, which reports statements as added.
 */
export function isImmutableRole(role: iam.IRole): boolean {
  return (role.constructor as { PROPERTY_INJECTION_ID?: string }).PROPERTY_INJECTION_ID === 'aws-cdk-lib.aws-iam.ImmutableRole';
}

/**
 * Stands in for an immutable role wherever the workflow and its function would give it permissions: it attaches
 * nothing, and at synthesis lists every statement and managed policy they asked for in one acknowledgeable warning,
 * for the role's owner to grant. Everything else is the role's. The warning is on this construct, a child of the
 * workflow: aws-cdk-lib honours an acknowledgement made before a warning only on an ancestor of where it is added.
 */
export class ImmutableRoleReport extends Resource implements iam.IRole {
  public readonly grantPrincipal: iam.IPrincipal = this;
  public readonly assumeRoleAction: string;
  public readonly policyFragment: iam.PrincipalPolicyFragment;
  public readonly principalAccount?: string;
  public readonly roleArn: string;
  public readonly roleName: string;

  private readonly statements: iam.PolicyStatement[] = [];
  private readonly managedPolicies: iam.IManagedPolicy[] = [];

  constructor(scope: Construct, id: string, private readonly role: iam.IRole) {
    super(scope, id, { account: role.env.account, region: role.env.region });
    this.assumeRoleAction = role.assumeRoleAction;
    this.policyFragment = role.policyFragment;
    this.principalAccount = role.principalAccount;
    this.roleArn = role.roleArn;
    this.roleName = role.roleName;
    Dependable.implement(this, { dependencyRoots: [role] });
    Aspects.of(this).add({ visit: (node: IConstruct) => node === this && this.warn() });
  }

  public get roleRef(): iam.RoleReference {
    return this.role.roleRef;
  }

  /** Nothing to record: an `iam.Policy` names its roles itself (the workflow never attaches one to this role). */
  public attachInlinePolicy(_policy: iam.Policy): void {}

  public addManagedPolicy(policy: iam.IManagedPolicy): void {
    this.managedPolicies.push(policy);
  }

  public addToPolicy(statement: iam.PolicyStatement): boolean {
    return this.addToPrincipalPolicy(statement).statementAdded;
  }

  /** Recorded, and reported as added (as aws-cdk-lib's ImmutableRole does), so that grants do not fall back to resource policies. */
  public addToPrincipalPolicy(statement: iam.PolicyStatement): iam.AddToPrincipalPolicyResult {
    this.statements.push(statement);
    return { statementAdded: true, policyDependable: new DependencyGroup() };
  }

  public grant(grantee: iam.IPrincipal, ...actions: string[]): iam.Grant {
    return this.role.grant(grantee, ...actions);
  }

  public grantPassRole(grantee: iam.IPrincipal): iam.Grant {
    return this.role.grantPassRole(grantee);
  }

  public grantAssumeRole(grantee: iam.IPrincipal): iam.Grant {
    return this.role.grantAssumeRole(grantee);
  }

  private warn(): void {
    const lines = this.statements.map((statement) => statementText(this, statement));
    const managed = this.managedPolicies.map((policy) => policy.managedPolicyArn);
    Annotations.of(this).addWarningV2('cdk-durable-workflow:immutableRole',
      `role ${this.role.node.path} is immutable (imported with mutable: false, from another account, or withoutPolicyUpdates()), `
      + 'so DurableWorkflow attached nothing to it. The function cannot log, checkpoint or use what was granted to it until the '
      + `role's owner grants these ${lines.length} statements${managed.length ? ` and managed policies ${managed.join(', ')}` : ''}: `
      + `${lines.join(' ')}`);
  }
}
