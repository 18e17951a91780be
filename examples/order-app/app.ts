// The example CDK app: one stack with the order workflow. `npm run demo` synthesizes it and runs
// the synthesized bundle locally; `cdk deploy --app 'npx ts-node examples/order-app/app.ts'` deploys it.
import { join } from 'node:path';
import { App, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import { DurableWorkflow } from '../../src';

export class OrderStack extends Stack {
  public readonly workflow: DurableWorkflow;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);
    this.workflow = new DurableWorkflow(this, 'OrderWorkflow', {
      entry: join(__dirname, 'workflow.ts'),
      description: 'Order process: reserve stock, charge the card, wait two days, manager approval, ship',
      // Two days of cooling off plus up to five days for the approval.
      executionTimeout: Duration.days(7),
    });

    // The back office that answers the approval callback may do only that.
    const approver = new iam.Role(this, 'ApproverRole', { assumedBy: new iam.AccountRootPrincipal() });
    this.workflow.grants.sendCallback(approver);
  }
}

/** The app with its one stack, synthesizing into `outdir`. */
export function createOrderApp(outdir?: string): { app: App; stack: OrderStack } {
  const app = new App({ outdir });
  const stack = new OrderStack(app, 'OrderApp');
  return { app, stack };
}

if (require.main === module) {
  createOrderApp().app.synth();
}
