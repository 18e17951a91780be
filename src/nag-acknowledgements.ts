import { Validations } from 'aws-cdk-lib/core';
import { IConstruct } from 'constructs';

/** The cdk-nag packs whose findings on this library's own resources are acknowledged (and tested). */
export const AWS_SOLUTIONS = ['AwsSolutions'];
export const SERVERLESS = ['Serverless'];
/** HIPAA.Security and NIST.800.53.R5 share these rules' names. */
export const COMPLIANCE = ['HIPAA.Security', 'NIST.800.53.R5'];

/**
 * Acknowledges cdk-nag's `rule` of each of `packs` on `scope` (and what it contains), with the reason: for a rule
 * that reports findings (IAM4, IAM5), only the one `appliesTo` names (`Resource::*`), as cdk-nag prints it.
 *
 * Written as `Validations.acknowledge` records it, under `Validations.ACKNOWLEDGED_RULES_METADATA_KEY`, which
 * cdk-nag reads on a resource and its ancestors: `acknowledge` itself (aws-cdk-lib 2.257) refuses ids with more than
 * one '::', and an IAM4 finding names a policy ARN (`arn:<AWS::Partition>:iam::aws:...`).
 */
export function acknowledgeRule(scope: IConstruct, packs: readonly string[], rule: string, reason: string, appliesTo?: string): void {
  const finding = appliesTo === undefined ? '' : `[${appliesTo}]`;
  for (const pack of packs) {
    scope.node.addMetadata(Validations.ACKNOWLEDGED_RULES_METADATA_KEY, { [`${pack}-${rule}${finding}`]: reason });
  }
}

/** Why a policy DurableWorkflow (or one of its parts) creates for a role of its own is inline. */
export const INLINE_POLICY_REASON = 'A policy for one role, created, changed and deleted with it in this stack (its versions are '
  + 'the stack\'s): a managed policy would add a resource that nothing else may attach, and in the role\'s default policy the '
  + 'statements that name the function would be a dependency cycle';
