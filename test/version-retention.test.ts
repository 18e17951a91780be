// versionRetention: which versions a workflow keeps, and whether its stack gets a version pruner at all.
import { Template } from 'aws-cdk-lib/assertions';
import { DurableWorkflowProps, VersionRetention } from '../src';
import { inlineWorkflow, logicalId, newStack } from './support/synth';

const PRUNER_DESCRIPTION = 'Deletes versions of durable workflows that no alias, newest-n or RUNNING execution needs (cdk-durable-workflow)';

function synth(props: Partial<DurableWorkflowProps>) {
  const stack = newStack();
  const wf = inlineWorkflow(stack, props);
  return { stack, wf, template: Template.fromStack(stack) };
}

/** The pruner's PRUNE_TARGETS as CloudFormation gets it, or undefined when the stack has no pruner. */
function pruneTargets(template: Template): unknown {
  const pruners = Object.values<any>(template.findResources('AWS::Lambda::Function', { Properties: { Description: PRUNER_DESCRIPTION } }));
  expect(pruners.length).toBeLessThanOrEqual(1);
  return pruners[0]?.Properties.Environment.Variables.PRUNE_TARGETS;
}

test('default: the newest 3 are kept, the stack\'s pruner prunes the rest', () => {
  const { stack, wf, template } = synth({ versionRetention: undefined });
  expect(pruneTargets(template)).toEqual({
    'Fn::Join': ['', ['[[3,"', { Ref: logicalId(stack, wf.function) }, '"]]']],
  });
});

test('keepLatest(n) keeps the newest n', () => {
  const { stack, wf, template } = synth({ versionRetention: VersionRetention.keepLatest(10) });
  expect(pruneTargets(template)).toEqual({
    'Fn::Join': ['', ['[[10,"', { Ref: logicalId(stack, wf.function) }, '"]]']],
  });
  expect(VersionRetention.keepLatest(10).keepLatestCount).toBe(10);
});

test('all(): no pruner resources at all, as before versionRetention existed', () => {
  const { template } = synth({ versionRetention: VersionRetention.all() });
  expect(pruneTargets(template)).toBeUndefined();
  expect(Object.keys(template.toJSON().Resources).map((id) => template.toJSON().Resources[id].Type).sort()).toEqual([
    'AWS::IAM::Policy', 'AWS::IAM::Policy', 'AWS::IAM::Role', 'AWS::Lambda::Alias', 'AWS::Lambda::Function', 'AWS::Lambda::Version', 'AWS::Logs::LogGroup',
    'AWS::SQS::Queue', 'AWS::SQS::QueuePolicy',
  ]);
  expect(VersionRetention.all().keepLatestCount).toBeUndefined();
});

test.each([
  ['default', undefined],
  ['keepLatest(1)', VersionRetention.keepLatest(1)],
  ['all()', VersionRetention.all()],
])('%s: the version stays RETAIN in CloudFormation, the pruner is what deletes', (_name, versionRetention) => {
  const { stack, wf, template } = synth({ versionRetention });
  expect(template.findResources('AWS::Lambda::Version')[logicalId(stack, wf.version)]).toMatchObject({
    DeletionPolicy: 'Retain',
    UpdateReplacePolicy: 'Retain',
  });
});

describe('bad input fails at synth, naming the prop and the value', () => {
  test.each([
    [0, 'number 0'],
    [-1, 'number -1'],
    [2.5, 'number 2.5'],
    [Number.NaN, 'number NaN'],
    ['3' as unknown as number, "'3'"],
  ])('keepLatest(%p)', (count, shown) => {
    expect(() => synth({ versionRetention: VersionRetention.keepLatest(count) }))
      .toThrow(`DurableWorkflow 'Stack/Flow': versionRetention.keepLatest(n) must be a whole number of at least 1, got ${shown}`);
  });

  test('a number where a VersionRetention belongs', () => {
    expect(() => synth({ versionRetention: 3 as unknown as VersionRetention })).toThrow("DurableWorkflow 'Stack/Flow': versionRetention must be a "
      + 'VersionRetention (VersionRetention.keepLatest(n) or VersionRetention.all()), got number 3');
  });
});
