import * as iam from 'aws-cdk-lib/aws-iam';

/**
 * Grants between workflows, routed away from the grantee role's default policy.
 *
 * A function depends on its role's default policy. A statement there that names a workflow's
 * function or alias is a dependency cycle as soon as that workflow depends back on the grantee:
 * always for `wf.grantStart(wf)` or `wf.grantRead(wf)`, and for `a.grantStart(b)` together with
 * `b.grantStart(a)`. So when the grantee runs as a `DurableWorkflow`, workflow grants go into a
 * policy of that workflow's own that nothing depends on. (On a first deploy, the grant may
 * then attach a few seconds after the grantee's alias exists.)
 */
const policyOfWorkflowRole = new WeakMap<iam.IPrincipal, () => iam.Policy>();

/** Routes workflow grants to `role` (the role of a `DurableWorkflow`) into `policy`, created on first use. */
export function routeWorkflowGrants(role: iam.IPrincipal, policy: () => iam.Policy): void {
  policyOfWorkflowRole.set(role, policy);
}

/** The grantee to give a workflow permission to: `grantee` itself, or its workflow's grants policy. */
export function workflowGrantee(grantee: iam.IGrantable): iam.IGrantable {
  const policy = policyOfWorkflowRole.get(grantee.grantPrincipal);
  return policy ? new PolicyPrincipal(grantee.grantPrincipal, policy) : grantee;
}

/** The role, as a principal whose identity statements go into the given policy. */
class PolicyPrincipal implements iam.IPrincipal {
  public readonly grantPrincipal: iam.IPrincipal = this;
  public readonly assumeRoleAction: string;
  public readonly policyFragment: iam.PrincipalPolicyFragment;
  public readonly principalAccount?: string;

  constructor(role: iam.IPrincipal, private readonly policy: () => iam.Policy) {
    this.assumeRoleAction = role.assumeRoleAction;
    this.policyFragment = role.policyFragment;
    this.principalAccount = role.principalAccount;
  }

  public addToPrincipalPolicy(statement: iam.PolicyStatement): iam.AddToPrincipalPolicyResult {
    const policy = this.policy();
    policy.addStatements(statement);
    return { statementAdded: true, policyDependable: policy };
  }
}
