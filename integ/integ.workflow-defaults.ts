import { join } from 'node:path';
import { IntegTest } from '@aws-cdk/integ-tests-alpha';
import { App, Stack } from 'aws-cdk-lib';
import { DurableWorkflow } from '../src';
import { assertApprovedExecution } from './execution-assertions';

// A TypeScript-entry workflow with every default: Node.js 24, 14-day execution timeout, 30-day
// retention, alias `live`, least-privilege role, JSON logs kept a month.
const app = new App();
const stack = new Stack(app, 'DurableWorkflowDefaults');
const workflow = new DurableWorkflow(stack, 'Workflow', {
  entry: join(__dirname, 'fixtures', 'approval-workflow.ts'),
});

const integ = new IntegTest(app, 'WorkflowDefaults', { testCases: [stack] });
assertApprovedExecution(integ, workflow, { orderId: 'integ-defaults' });
app.synth();
