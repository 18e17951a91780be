import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as eventsTargets from 'aws-cdk-lib/aws-events-targets';
import * as sns from 'aws-cdk-lib/aws-sns';
import { DurableWorkflow, ExecutionStatus, IDurableWorkflow } from '../src';
import { ALIAS_ARN, ENV, FN_ARN, inlineWorkflow, newStack, onlyResource } from './support/synth';

// Events the workflow emits: Lambda's `Durable Execution Status Change` on the default bus.

describe('onExecutionStatusChange', () => {
  function statusRule(setup: (wf: IDurableWorkflow, stack: Stack) => void): any {
    const stack = newStack({ env: ENV });
    setup(DurableWorkflow.fromQualifiedArn(stack, 'Wf', ALIAS_ARN), stack);
    return onlyResource(Template.fromStack(stack), 'AWS::Events::Rule');
  }

  test('matches this function\'s status change events on the default bus', () => {
    const rule = statusRule((wf) => wf.onExecutionStatusChange('Status'));
    expect(rule.EventBusName).toBeUndefined();
    expect(rule.EventPattern).toEqual({
      'source': ['aws.lambda'],
      'detail-type': ['Durable Execution Status Change'],
      'detail': { functionArn: [{ prefix: `${FN_ARN}:` }] },
    });
  });

  test('filters statuses and routes to the target', () => {
    let topic: sns.Topic;
    const rule = statusRule((wf, stack) => {
      topic = new sns.Topic(stack, 'Topic');
      wf.onExecutionStatusChange('Done', {
        statuses: [ExecutionStatus.SUCCEEDED, ExecutionStatus.STOPPED],
        target: new eventsTargets.SnsTopic(topic),
        description: 'finished orders',
      });
    });
    expect(rule.EventPattern.detail).toEqual({ functionArn: [{ prefix: `${FN_ARN}:` }], status: ['SUCCEEDED', 'STOPPED'] });
    expect(rule.Description).toBe('finished orders');
    expect(rule.Targets).toEqual([expect.objectContaining({ Arn: { Ref: expect.stringMatching(/^Topic/) } })]);
  });

  test('merges an extra event pattern', () => {
    const rule = statusRule((wf) => wf.onExecutionStatusChange('Vip', {
      eventPattern: { detail: { durableExecutionName: [{ prefix: 'vip-' }] } },
    }));
    expect(rule.EventPattern.detail).toEqual({
      durableExecutionName: [{ prefix: 'vip-' }],
      functionArn: [{ prefix: `${FN_ARN}:` }],
    });
  });

  test('onExecutionFailed matches FAILED and TIMED_OUT', () => {
    const rule = statusRule((wf) => wf.onExecutionFailed('Failed'));
    expect(rule.EventPattern.detail).toEqual({ functionArn: [{ prefix: `${FN_ARN}:` }], status: ['FAILED', 'TIMED_OUT'] });
  });

  test('an owned workflow matches by its function ARN', () => {
    const stack = newStack();
    const wf = inlineWorkflow(stack, {}, 'Wf');
    wf.onExecutionFailed('Failed');
    const rule = onlyResource(Template.fromStack(stack), 'AWS::Events::Rule');
    expect(rule.EventPattern.detail.functionArn).toEqual([{ prefix: stack.resolve(`${wf.functionArn}:`) }]);
  });

  test.each([
    [['SUCCEEDED', 'DONE'], "DurableWorkflow 'Stack/Wf': statuses must contain only RUNNING, SUCCEEDED, FAILED, TIMED_OUT, STOPPED, got 'DONE'"],
    [[], "DurableWorkflow 'Stack/Wf': statuses must name at least one of RUNNING, SUCCEEDED, FAILED, TIMED_OUT, STOPPED (omit it to match every status), got an empty list"],
    ['FAILED', "DurableWorkflow 'Stack/Wf': statuses must be a list of RUNNING, SUCCEEDED, FAILED, TIMED_OUT, STOPPED, got 'FAILED'"],
  ])('rejects statuses %j', (statuses, message) => {
    const wf = DurableWorkflow.fromQualifiedArn(newStack({ env: ENV }), 'Wf', ALIAS_ARN);
    expect(() => wf.onExecutionStatusChange('Bad', { statuses: statuses as ExecutionStatus[] })).toThrow(message);
  });
});
