// How both synth-benchmark apps lay out their workflows: over stacks of WORKFLOWS_PER_STACK, under CloudFormation's 500
// resources (9 a workflow, 9 for the pruner, and the overflow policies of the pruner's role: 54 workflows at most) and the
// 60 workflows with generated function names that the stack's one version pruner takes (its PRUNE_TARGETS must fit
// Lambda's 4 KB of environment). 40, as the README's synth figures were measured.
import { App, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';

export const WORKFLOWS_PER_STACK = 40;

/**
 * Calls `add` for each of `count` workflows, opening a new stack every WORKFLOWS_PER_STACK. Every workflow runs the
 * prebuilt code in `codeDir` (one asset per stack: CDK does not share a Code between stacks).
 */
export function forEachWorkflow(app: App, count: number, codeDir: string, add: (scope: Construct, id: string, code: lambda.Code) => void): void {
  let stack: Stack | undefined;
  let code: lambda.Code | undefined;
  for (let i = 0; i < count; i++) {
    if (i % WORKFLOWS_PER_STACK === 0) {
      stack = new Stack(app, `Workflows${i / WORKFLOWS_PER_STACK}`);
      code = lambda.Code.fromAsset(codeDir);
    }
    add(stack!, `Workflow${i}`, code!);
  }
}
