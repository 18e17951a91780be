import { Annotations as CdkAnnotations, Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as events from 'aws-cdk-lib/aws-events';
import * as eventsTargets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambdaEventSources from 'aws-cdk-lib/aws-lambda-event-sources';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as schedulerTargets from 'aws-cdk-lib/aws-scheduler-targets';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { DurableWorkflow, DurableWorkflowProps, EventRuleOptions, ScheduleOptions } from '../src';
import { ALIAS_ARN, ENV, FN_ARN, inlineWorkflow, logicalId, newStack as newStackIn, onlyResource } from './support/synth';

const NO_NAME_WARNING = 'cdk-durable-workflow:eventSourceNoExecutionName';
const TIMEOUT_WARNING = 'cdk-durable-workflow:eventSourceExecutionTimeout';

const newStack = () => newStackIn({ env: ENV });
const owned = (stack: Stack, props: Partial<DurableWorkflowProps> = {}) => inlineWorkflow(stack, props, 'Wf');

/** The alias ARN as the template spells it: what every trigger must point at. */
function aliasRef(stack: Stack, wf: DurableWorkflow): any {
  return { Ref: logicalId(stack, wf.alias) };
}

/** The invoke permission EventBridge needs: on the alias, for this rule only. */
function rulePermission(stack: Stack, wf: DurableWorkflow, rule: events.Rule) {
  return {
    Action: 'lambda:InvokeFunction',
    FunctionName: aliasRef(stack, wf),
    Principal: 'events.amazonaws.com',
    SourceArn: { 'Fn::GetAtt': [logicalId(stack, rule), 'Arn'] },
  };
}

/** All IAM statements of the role a scheduler target assumes. */
function scheduleRoleStatements(template: Template): any[] {
  const schedule = onlyResource(template, 'AWS::Scheduler::Schedule');
  const roleId = schedule.Target.RoleArn['Fn::GetAtt'][0];
  const policies = Object.values(template.findResources('AWS::IAM::Policy')) as any[];
  return policies
    .filter((p) => p.Properties.Roles.some((r: any) => r.Ref === roleId))
    .flatMap((p) => p.Properties.PolicyDocument.Statement);
}

describe('addSchedule', () => {
  test('invokes the alias with a role that may invoke the alias only', () => {
    const stack = newStack();
    const wf = owned(stack);
    const schedule = wf.addSchedule('Nightly', {
      schedule: scheduler.ScheduleExpression.cron({ hour: '2', minute: '0' }),
      input: scheduler.ScheduleTargetInput.fromObject({ report: 'daily' }),
    });
    expect(schedule).toBeInstanceOf(scheduler.Schedule);
    const template = Template.fromStack(stack);
    const props = onlyResource(template, 'AWS::Scheduler::Schedule');
    expect(props.ScheduleExpression).toBe('cron(0 2 * * ? *)');
    expect(props.Target.Arn).toEqual(aliasRef(stack, wf));
    expect(props.Target.Input).toBe('{"report":"daily"}');
    expect(scheduleRoleStatements(template)).toEqual([
      { Action: 'lambda:InvokeFunction', Effect: 'Allow', Resource: aliasRef(stack, wf) },
    ]);
    // The workflow's own role for its schedules, trusted for this account's schedules only.
    const role = wf.node.findChild('ScheduleRole') as iam.Role;
    expect(props.Target.RoleArn).toEqual({ 'Fn::GetAtt': [logicalId(stack, role), 'Arn'] });
    expect(template.findResources('AWS::IAM::Role')[logicalId(stack, role)].Properties.AssumeRolePolicyDocument.Statement).toEqual([{
      Action: 'sts:AssumeRole',
      Condition: { StringEquals: { 'aws:SourceAccount': ENV.account } },
      Effect: 'Allow',
      Principal: { Service: 'scheduler.amazonaws.com' },
    }]);
  });

  test('passes schedule and retry options through', () => {
    const stack = newStack();
    const wf = owned(stack);
    wf.addSchedule('Hourly', {
      schedule: scheduler.ScheduleExpression.rate(Duration.hours(1)),
      scheduleName: 'orders-hourly',
      enabled: false,
      retryAttempts: 3,
      maxEventAge: Duration.hours(1),
    });
    expect(onlyResource(Template.fromStack(stack), 'AWS::Scheduler::Schedule')).toMatchObject({
      Name: 'orders-hourly',
      State: 'DISABLED',
      ScheduleExpression: 'rate(1 hour)',
      Target: { RetryPolicy: { MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: 3600 } },
    });
  });

  test('the standard LambdaInvoke target on workflow.alias gives the same wiring', () => {
    const stack = newStack();
    const wf = owned(stack);
    new scheduler.Schedule(stack, 'ByHand', {
      schedule: scheduler.ScheduleExpression.rate(Duration.hours(1)),
      target: new schedulerTargets.LambdaInvoke(wf.alias),
    });
    const template = Template.fromStack(stack);
    expect(onlyResource(template, 'AWS::Scheduler::Schedule').Target.Arn).toEqual(aliasRef(stack, wf));
    expect(scheduleRoleStatements(template)).toEqual([
      { Action: 'lambda:InvokeFunction', Effect: 'Allow', Resource: aliasRef(stack, wf) },
    ]);
  });

  test('on an imported workflow, invokes and scopes the role to the qualified ARN', () => {
    const stack = newStack();
    DurableWorkflow.fromQualifiedArn(stack, 'Wf', ALIAS_ARN)
      .addSchedule('Nightly', { schedule: scheduler.ScheduleExpression.rate(Duration.days(1)) });
    const template = Template.fromStack(stack);
    expect(onlyResource(template, 'AWS::Scheduler::Schedule').Target.Arn).toBe(ALIAS_ARN);
    expect(scheduleRoleStatements(template)).toEqual([
      { Action: 'lambda:InvokeFunction', Effect: 'Allow', Resource: ALIAS_ARN },
    ]);
  });
});

describe('addEventRule', () => {
  const pattern = { source: ['shop.orders'], detailType: ['Order Placed'] };

  test('targets the alias and permits the rule to invoke the alias', () => {
    const stack = newStack();
    const wf = owned(stack);
    const rule = wf.addEventRule('OrderPlaced', { eventPattern: pattern, input: events.RuleTargetInput.fromEventPath('$.detail') });
    expect(rule).toBeInstanceOf(events.Rule);
    const template = Template.fromStack(stack);
    const props = onlyResource(template, 'AWS::Events::Rule');
    expect(props.EventPattern).toEqual({ 'source': ['shop.orders'], 'detail-type': ['Order Placed'] });
    expect(props.EventBusName).toBeUndefined();
    expect(props.Targets).toEqual([expect.objectContaining({ Arn: aliasRef(stack, wf), InputPath: '$.detail' })]);
    expect(onlyResource(template, 'AWS::Lambda::Permission')).toEqual(rulePermission(stack, wf, rule));
  });

  test('listens on the given bus', () => {
    const stack = newStack();
    const bus = new events.EventBus(stack, 'Bus');
    owned(stack).addEventRule('OrderPlaced', { eventPattern: pattern, eventBus: bus });
    expect(onlyResource(Template.fromStack(stack), 'AWS::Events::Rule').EventBusName)
      .toEqual({ Ref: logicalId(stack, bus) });
  });

  test('the standard LambdaFunction target on workflow.alias gives the same wiring', () => {
    const stack = newStack();
    const wf = owned(stack);
    new events.Rule(stack, 'ByHand', { eventPattern: pattern, targets: [new eventsTargets.LambdaFunction(wf.alias)] });
    const template = Template.fromStack(stack);
    expect(onlyResource(template, 'AWS::Events::Rule').Targets[0].Arn).toEqual(aliasRef(stack, wf));
    expect(onlyResource(template, 'AWS::Lambda::Permission').FunctionName).toEqual(aliasRef(stack, wf));
  });

  test('on an imported workflow, targets and permits the qualified ARN', () => {
    const stack = newStack();
    DurableWorkflow.fromQualifiedArn(stack, 'Wf', ALIAS_ARN).addEventRule('OrderPlaced', { eventPattern: pattern });
    const template = Template.fromStack(stack);
    expect(onlyResource(template, 'AWS::Events::Rule').Targets[0].Arn).toBe(ALIAS_ARN);
    expect(onlyResource(template, 'AWS::Lambda::Permission')).toMatchObject({ FunctionName: ALIAS_ARN, Principal: 'events.amazonaws.com' });
  });
});

describe('scheduleTarget and ruleTarget: the same wiring for schedules and rules of your own', () => {
  test('scheduleTarget: invokes the alias; the schedule\'s role may invoke the alias only', () => {
    const stack = newStack();
    const wf = owned(stack);
    new scheduler.Schedule(stack, 'Mine', {
      schedule: scheduler.ScheduleExpression.rate(Duration.hours(1)),
      target: wf.scheduleTarget({ input: scheduler.ScheduleTargetInput.fromObject({ source: 'mine' }), retryAttempts: 2 }),
    });
    const template = Template.fromStack(stack);
    expect(onlyResource(template, 'AWS::Scheduler::Schedule').Target).toMatchObject({
      Arn: aliasRef(stack, wf), Input: '{"source":"mine"}', RetryPolicy: { MaximumRetryAttempts: 2 },
    });
    expect(scheduleRoleStatements(template)).toEqual([
      { Action: 'lambda:InvokeFunction', Effect: 'Allow', Resource: aliasRef(stack, wf) },
    ]);
  });

  test('ruleTarget: targets the alias; only that rule may invoke it', () => {
    const stack = newStack();
    const wf = owned(stack);
    const rule = new events.Rule(stack, 'Mine', { eventPattern: { source: ['shop.orders'] } });
    rule.addTarget(wf.ruleTarget({ input: events.RuleTargetInput.fromEventPath('$.detail'), retryAttempts: 1 }));
    const template = Template.fromStack(stack);
    expect(onlyResource(template, 'AWS::Events::Rule').Targets).toEqual([expect.objectContaining({
      Arn: aliasRef(stack, wf), InputPath: '$.detail', RetryPolicy: { MaximumRetryAttempts: 1 },
    })]);
    expect(onlyResource(template, 'AWS::Lambda::Permission')).toEqual(rulePermission(stack, wf, rule));
  });

  test('on an imported workflow, both name the qualified ARN', () => {
    const stack = newStack();
    const wf = DurableWorkflow.fromQualifiedArn(stack, 'Wf', ALIAS_ARN);
    new scheduler.Schedule(stack, 'Mine', { schedule: scheduler.ScheduleExpression.rate(Duration.hours(1)), target: wf.scheduleTarget() });
    new events.Rule(stack, 'MyRule', { eventPattern: { source: ['shop.orders'] }, targets: [wf.ruleTarget()] });
    const template = Template.fromStack(stack);
    expect(scheduleRoleStatements(template)).toEqual([{ Action: 'lambda:InvokeFunction', Effect: 'Allow', Resource: ALIAS_ARN }]);
    expect(onlyResource(template, 'AWS::Events::Rule').Targets[0].Arn).toBe(ALIAS_ARN);
    expect(onlyResource(template, 'AWS::Lambda::Permission')).toMatchObject({ FunctionName: ALIAS_ARN, Principal: 'events.amazonaws.com' });
  });
});

describe('addEventSource', () => {
  test('maps the source to the alias', () => {
    const stack = newStack();
    const wf = owned(stack, { executionTimeout: Duration.minutes(10) });
    const queue = new sqs.Queue(stack, 'Queue');
    wf.addEventSource(new lambdaEventSources.SqsEventSource(queue));
    const mapping = onlyResource(Template.fromStack(stack), 'AWS::Lambda::EventSourceMapping');
    expect(mapping.FunctionName).toEqual(stack.resolve(wf.alias.functionName));
    // The qualified name `NAME:live`, taken from the alias ARN: the mapping waits for the alias.
    expect(JSON.stringify(mapping.FunctionName)).toContain(JSON.stringify(aliasRef(stack, wf)));
    expect(JSON.stringify(mapping.FunctionName)).toContain(':live');
  });

  test('the queue grant is in the role\'s default policy: the function, its alias and so the mapping wait for it', () => {
    const stack = newStack();
    const wf = owned(stack, { executionTimeout: Duration.minutes(10) });
    const queue = new sqs.Queue(stack, 'Queue');
    wf.addEventSource(new lambdaEventSources.SqsEventSource(queue));
    const template = Template.fromStack(stack);
    const defaultPolicyId = logicalId(stack, wf.role!.node.findChild('DefaultPolicy'));
    expect(template.findResources('AWS::IAM::Policy')[defaultPolicyId].Properties.PolicyDocument.Statement).toContainEqual(expect.objectContaining({
      Action: expect.arrayContaining(['sqs:ReceiveMessage', 'sqs:DeleteMessage']),
      Resource: { 'Fn::GetAtt': [logicalId(stack, queue), 'Arn'] },
    }));
    const fnId = logicalId(stack, wf.function);
    expect(template.findResources('AWS::Lambda::Function')[fnId].DependsOn).toContain(defaultPolicyId);
    // The mapping names the alias, which names the version, which names the function.
    const aliasId = aliasRef(stack, wf).Ref;
    expect(JSON.stringify(onlyResource(template, 'AWS::Lambda::EventSourceMapping').FunctionName)).toContain(aliasId);
    expect(JSON.stringify(template.findResources('AWS::Lambda::Alias')[aliasId].Properties.FunctionName)).toContain(fnId);
  });

  test('always warns that records can start duplicate executions, saying what to do', () => {
    const stack = newStack();
    owned(stack, { executionTimeout: Duration.minutes(10) }).addEventSource(new lambdaEventSources.SqsEventSource(new sqs.Queue(stack, 'Queue')));
    const annotations = Annotations.fromStack(stack);
    annotations.hasWarning('/Stack/Wf', Match.stringLikeRegexp('cannot pass an execution name.*two executions.*idempotent.*execution name'));
    annotations.hasWarning('/Stack/Wf', Match.stringLikeRegexp('For an SQS queue, use addQueueSource\\(queue\\) instead'));
    annotations.hasWarning('/Stack/Wf', Match.stringLikeRegexp(NO_NAME_WARNING));
    annotations.hasNoWarning('/Stack/Wf', Match.stringLikeRegexp(TIMEOUT_WARNING));
  });

  test('warns when the execution timeout exceeds what a synchronous invoke allows', () => {
    const stack = newStack();
    owned(stack, { executionTimeout: Duration.hours(2) }).addEventSource(new lambdaEventSources.SqsEventSource(new sqs.Queue(stack, 'Queue')));
    Annotations.fromStack(stack).hasWarning('/Stack/Wf', Match.stringLikeRegexp(
      'executionTimeout is 2 hours, but event source mappings invoke synchronously, which ends an execution after 15 minutes.*'
      + 'addQueueSource for an SQS queue.*' + TIMEOUT_WARNING));
  });

  test('a user can acknowledge the warnings by id', () => {
    const stack = newStack();
    const wf = owned(stack);
    wf.addEventSource(new lambdaEventSources.SqsEventSource(new sqs.Queue(stack, 'Queue')));
    CdkAnnotations.of(wf).acknowledgeWarning(NO_NAME_WARNING, 'orders are keyed by message id');
    CdkAnnotations.of(wf).acknowledgeWarning(TIMEOUT_WARNING, 'every order finishes within minutes');
    Annotations.fromStack(stack).hasNoWarning('*', Match.anyValue());
  });

  test('on an imported workflow, maps the qualified name and warns about duplicates only', () => {
    const stack = newStack();
    const wf = DurableWorkflow.fromQualifiedArn(stack, 'Wf', ALIAS_ARN);
    wf.addEventSource(new lambdaEventSources.SqsEventSource(new sqs.Queue(stack, 'Queue')));
    expect(onlyResource(Template.fromStack(stack), 'AWS::Lambda::EventSourceMapping').FunctionName).toBe('orders:live');
    const annotations = Annotations.fromStack(stack);
    annotations.hasWarning('/Stack/Wf', Match.stringLikeRegexp(NO_NAME_WARNING));
    annotations.hasNoWarning('/Stack/Wf', Match.stringLikeRegexp(TIMEOUT_WARNING));
  });
});

describe('imported workflow with its role', () => {
  test('an event source grants the function\'s role what it needs to read the source', () => {
    const stack = newStack();
    const role = iam.Role.fromRoleArn(stack, 'FnRole', 'arn:aws:iam::123456789012:role/orders-role');
    const wf = DurableWorkflow.fromWorkflowAttributes(stack, 'Wf', { functionArn: FN_ARN, qualifier: 'live', role });
    const queue = new sqs.Queue(stack, 'Queue');
    wf.addEventSource(new lambdaEventSources.SqsEventSource(queue));
    const template = Template.fromStack(stack);
    expect(onlyResource(template, 'AWS::Lambda::EventSourceMapping').FunctionName).toBe('orders:live');
    template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: ['orders-role'],
      PolicyDocument: {
        Statement: [Match.objectLike({
          Action: Match.arrayWith(['sqs:ReceiveMessage', 'sqs:DeleteMessage']),
          Resource: { 'Fn::GetAtt': [logicalId(stack, queue), 'Arn'] },
        })],
      },
    });
  });
});

describe('bad trigger input', () => {
  const imported = () => DurableWorkflow.fromQualifiedArn(newStack(), 'Wf', ALIAS_ARN);
  const DAILY = scheduler.ScheduleExpression.rate(Duration.days(1));
  const PATTERN = { source: ['shop'] };

  test('addSchedule without a schedule names what it needs', () => {
    expect(() => imported().addSchedule('Nightly', {} as ScheduleOptions))
      .toThrow("DurableWorkflow 'Stack/Wf': schedule must be a scheduler.ScheduleExpression (rate, cron or at), got undefined");
    expect(() => imported().addSchedule('Nightly', { schedule: 'rate(1 day)' } as unknown as ScheduleOptions))
      .toThrow("DurableWorkflow 'Stack/Wf': schedule must be a scheduler.ScheduleExpression (rate, cron or at), got 'rate(1 day)'");
  });

  test('addEventRule without an event pattern names what it needs', () => {
    expect(() => imported().addEventRule('OrderPlaced', {} as EventRuleOptions))
      .toThrow("DurableWorkflow 'Stack/Wf': eventPattern must be an events.EventPattern, got undefined");
  });

  test.each<[string, (wf: ReturnType<typeof imported>) => unknown, string]>([
    ['a NaN maxEventAge of a schedule', (wf) => wf.addSchedule('S', { schedule: DAILY, maxEventAge: Duration.hours(NaN) }),
      'maxEventAge must be between 1 minute and 1 day (86400 s), got NaN seconds'],
    ['an Infinity maxEventAge of a rule', (wf) => wf.addEventRule('R', { eventPattern: PATTERN, maxEventAge: Duration.hours(Infinity) }),
      'maxEventAge must be between 1 minute and 1 day (86400 s), got Infinity seconds'],
    ['186 retries of a rule target', (wf) => wf.ruleTarget({ retryAttempts: 186 }), 'retryAttempts must be a whole number from 0 to 185, got number 186'],
    ['a queue ARN as deadLetterQueue', (wf) => wf.scheduleTarget({ deadLetterQueue: 'arn:aws:sqs:us-east-1:123456789012:dlq' as unknown as sqs.IQueue }),
      "deadLetterQueue must be an sqs.IQueue, got 'arn:aws:sqs:us-east-1:123456789012:dlq'"],
    ['a role ARN as role', (wf) => wf.addSchedule('S', { schedule: DAILY, role: 'arn:aws:iam::123456789012:role/r' as unknown as iam.IRole }),
      "role must be an iam.IRole, got 'arn:aws:iam::123456789012:role/r'"],
    ['a string as input', (wf) => wf.addEventRule('R', { eventPattern: PATTERN, input: '{}' as unknown as events.RuleTargetInput }),
      "input must be an events.RuleTargetInput, got '{}'"],
    ['a bus name as eventBus', (wf) => wf.addEventRule('R', { eventPattern: PATTERN, eventBus: 'orders' as unknown as events.IEventBus }),
      "eventBus must be an events.IEventBus, got 'orders'"],
    ['a group name as scheduleGroup', (wf) => wf.addSchedule('S', { schedule: DAILY, scheduleGroup: 'nightly' as unknown as scheduler.IScheduleGroup }),
      "scheduleGroup must be a scheduler.IScheduleGroup, got 'nightly'"],
    ['an invalid start date', (wf) => wf.addSchedule('S', { schedule: DAILY, start: new Date('soon') }), 'start must be a valid Date, got an object (Date)'],
    ['a target ARN as target', (wf) => wf.onExecutionFailed('F', { target: 'arn:aws:sqs:us-east-1:123456789012:q' as unknown as events.IRuleTarget }),
      "target must be an events.IRuleTarget, got 'arn:aws:sqs:us-east-1:123456789012:q'"],
  ])('%s names the option', (_what, call, message) => {
    expect(() => call(imported())).toThrow(`DurableWorkflow 'Stack/Wf': ${message}`);
  });

  test('addEventSource with something else than an event source', () => {
    const stack = newStack();
    expect(() => owned(stack).addEventSource('arn:aws:sqs:us-east-1:123456789012:orders' as unknown as lambdaEventSources.SqsEventSource))
      .toThrow("DurableWorkflow 'Stack/Wf': source must be a lambda.IEventSource, got 'arn:aws:sqs:us-east-1:123456789012:orders'");
  });
});
