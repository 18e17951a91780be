import { App, Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as fc from 'fast-check';
import { DurableWorkflow, DurableWorkflowProps } from '../src';

const MAX_EXECUTION_SECONDS = 31_622_400; // 366 days
const SUPPORTED = [
  lambda.Runtime.NODEJS_22_X, lambda.Runtime.NODEJS_24_X, lambda.Runtime.PYTHON_3_13, lambda.Runtime.PYTHON_3_14,
  lambda.Runtime.JAVA_17, lambda.Runtime.JAVA_21, lambda.Runtime.JAVA_25, lambda.Runtime.DOTNET_8, lambda.Runtime.DOTNET_10,
];
const UNSUPPORTED = [
  lambda.Runtime.NODEJS_18_X, lambda.Runtime.NODEJS_20_X, lambda.Runtime.PYTHON_3_12, lambda.Runtime.JAVA_11,
  lambda.Runtime.PROVIDED_AL2023, lambda.Runtime.RUBY_3_3, lambda.Runtime.DOTNET_6,
];
/** Every prop whose value must be a construct or a class instance of aws-cdk-lib. */
const CONSTRUCT_PROPS = [
  'code', 'role', 'logGroup', 'stateEncryptionKey', 'logGroupEncryptionKey', 'vpc', 'securityGroups', 'deadLetterQueue',
  'deadLetterTopic', 'layers', 'filesystem', 'events', 'initialPolicy', 'environmentEncryption', 'codeSigningConfig',
  'profilingGroup', 'insightsVersion', 'paramsAndSecrets', 'adotInstrumentation', 'architecture', 'runtimeManagementMode',
  'snapStart', 'tenancyConfig', 'deploymentConfig', 'deploymentAlarms', 'versionRetention',
] as const;
const NOT_SYMMETRIC: Array<[kms.KeySpec, kms.KeyUsage]> = [
  [kms.KeySpec.RSA_2048, kms.KeyUsage.ENCRYPT_DECRYPT], [kms.KeySpec.RSA_4096, kms.KeyUsage.SIGN_VERIFY],
  [kms.KeySpec.ECC_NIST_P384, kms.KeyUsage.SIGN_VERIFY], [kms.KeySpec.HMAC_256, kms.KeyUsage.GENERATE_VERIFY_MAC],
  [kms.KeySpec.HMAC_512, kms.KeyUsage.GENERATE_VERIFY_MAC],
];
const ALIAS_CHARS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_'.split('');

/** A duration of `seconds`, in the largest unit that expresses it exactly (users write all of them). */
function inSomeUnit(seconds: number): fc.Arbitrary<Duration> {
  const units = [fc.constant(Duration.seconds(seconds)), fc.constant(Duration.millis(seconds * 1000))];
  if (seconds % 60 === 0) units.push(fc.constant(Duration.minutes(seconds / 60)));
  if (seconds % 3600 === 0) units.push(fc.constant(Duration.hours(seconds / 3600)));
  if (seconds % 86400 === 0) units.push(fc.constant(Duration.days(seconds / 86400)));
  return fc.oneof(...units);
}

interface ValidCase {
  readonly props: Partial<DurableWorkflowProps>;
  readonly executionSeconds: number;
  readonly retentionDays: number;
  readonly timeoutSeconds: number;
}

const validAliasName = fc.array(fc.constantFrom(...ALIAS_CHARS), { minLength: 1, maxLength: 128 })
  .map((chars) => chars.join(''))
  .filter((name) => !/^\d+$/.test(name));

const validCase: fc.Arbitrary<ValidCase> = fc.record({
  executionSeconds: fc.oneof(
    fc.integer({ min: 1, max: MAX_EXECUTION_SECONDS }),
    fc.integer({ min: 1, max: 366 }).map((days) => days * 86400),
    fc.constantFrom(1, 900, MAX_EXECUTION_SECONDS),
  ),
  retentionDays: fc.integer({ min: 1, max: 90 }),
  timeoutSeconds: fc.integer({ min: 1, max: 900 }),
  aliasName: fc.option(validAliasName, { nil: undefined }),
  runtime: fc.option(fc.constantFrom(...SUPPORTED), { nil: undefined }),
  memorySize: fc.option(fc.integer({ min: 128, max: 10240 }), { nil: undefined }),
}).chain((r) => {
  const timeoutSeconds = Math.min(r.timeoutSeconds, r.executionSeconds);
  return fc.record({
    executionTimeout: inSomeUnit(r.executionSeconds),
    retentionPeriod: fc.oneof(fc.constant(Duration.days(r.retentionDays)), fc.constant(Duration.hours(r.retentionDays * 24))),
    timeout: inSomeUnit(timeoutSeconds),
  }).map((durations) => ({
    props: { ...durations, aliasName: r.aliasName, runtime: r.runtime, memorySize: r.memorySize },
    executionSeconds: r.executionSeconds,
    retentionDays: r.retentionDays,
    timeoutSeconds,
  }));
});

/** One invalid prop, named, applied on top of valid props. */
interface InvalidCase {
  readonly prop: string;
  readonly override: Partial<DurableWorkflowProps>;
}

const invalid = (prop: string, override: fc.Arbitrary<Partial<DurableWorkflowProps>>): fc.Arbitrary<InvalidCase> =>
  override.map((o) => ({ prop, override: o }));

const invalidCase: fc.Arbitrary<InvalidCase> = fc.oneof(
  invalid('executionTimeout', fc.oneof(
    fc.constant({ executionTimeout: Duration.seconds(0) }),
    fc.integer({ min: MAX_EXECUTION_SECONDS + 1, max: 2 ** 40 }).map((s) => ({ executionTimeout: Duration.seconds(s) })),
    fc.integer({ min: 367, max: 100_000 }).map((d) => ({ executionTimeout: Duration.days(d) })),
    fc.integer({ min: 1001, max: 3_600_000 }).filter((ms) => ms % 1000 !== 0).map((ms) => ({ executionTimeout: Duration.millis(ms) })),
    fc.oneof(fc.integer(), fc.string(), fc.constant(null), fc.constant({})).map((v) => ({ executionTimeout: v as unknown as Duration })),
  )),
  invalid('retentionPeriod', fc.oneof(
    fc.constant({ retentionPeriod: Duration.days(0) }),
    fc.integer({ min: 91, max: 100_000 }).map((d) => ({ retentionPeriod: Duration.days(d) })),
    fc.integer({ min: 1, max: 90 * 24 }).filter((h) => h % 24 !== 0).map((h) => ({ retentionPeriod: Duration.hours(h) })),
    fc.oneof(fc.integer(), fc.string()).map((v) => ({ retentionPeriod: v as unknown as Duration })),
  )),
  invalid('timeout', fc.oneof(
    fc.integer({ min: 901, max: 1_000_000 }).map((s) => ({ timeout: Duration.seconds(s), executionTimeout: Duration.days(1) })),
    fc.integer({ min: 1, max: 899 }).chain((exec) => fc.integer({ min: exec + 1, max: 900 })
      .map((t) => ({ executionTimeout: Duration.seconds(exec), timeout: Duration.seconds(t) }))),
    fc.integer({ min: 1, max: 899_999 }).filter((ms) => ms % 1000 !== 0).map((ms) => ({ timeout: Duration.millis(ms) })),
  )),
  invalid('aliasName', fc.oneof(
    fc.stringMatching(/^\d{1,20}$/).map((aliasName) => ({ aliasName })),
    fc.tuple(validAliasName, fc.string({ minLength: 1, maxLength: 3 }).filter((s) => /[^a-zA-Z0-9_-]/.test(s)))
      .map(([name, bad]) => ({ aliasName: `${name}${bad}`.slice(0, 128) }))
      .filter((o) => /[^a-zA-Z0-9_-]/.test(o.aliasName)),
    fc.integer({ min: 129, max: 400 }).map((n) => ({ aliasName: 'a'.repeat(n) })),
    fc.constant({ aliasName: '' }),
    fc.constant({ aliasName: '$LATEST' }),
  )),
  invalid('runtime', fc.constantFrom(...UNSUPPORTED).map((runtime) => ({ runtime }))),
  invalid('logFormat', fc.string().filter((s) => s !== 'JSON').map((logFormat) => ({ logFormat }))),
  // Durations a JavaScript caller can make that are no length at all: aws-cdk-lib's own error names no prop.
  ...(['executionTimeout', 'retentionPeriod', 'timeout', 'maxEventAge'] as const).map((prop) => invalid(prop,
    fc.constantFrom(NaN, Infinity).chain((amount) => fc.constantFrom(Duration.seconds(amount), Duration.minutes(amount), Duration.days(amount)))
      .map((d) => ({ [prop]: d, ...(prop === 'timeout' ? { executionTimeout: Duration.days(1) } : {}) } as Partial<DurableWorkflowProps>)))),
  // Construct-typed props given something else (JavaScript callers can): still a named error.
  ...CONSTRUCT_PROPS.map((prop) => invalid(prop,
    fc.oneof(fc.string(), fc.integer(), fc.constant(null), fc.constant({})).map((value) => ({ [prop]: value } as Partial<DurableWorkflowProps>)))),
  // Destinations: durable functions support none.
  ...(['onFailure', 'onSuccess'] as const).map((prop) => invalid(prop,
    fc.oneof(fc.string(), fc.constant({}), fc.constant(null)).map((value) => ({ [prop]: value } as Partial<DurableWorkflowProps>)))),
  invalid('retryAttempts', fc.oneof(fc.integer({ max: -1 }), fc.integer({ min: 3 }), fc.double({ noInteger: true }))
    .map((retryAttempts) => ({ retryAttempts }))),
  invalid('memorySize', fc.oneof(fc.integer({ max: 127 }), fc.integer({ min: 10_241 })).map((memorySize) => ({ memorySize }))),
  // Keys neither Lambda durable state nor CloudWatch Logs can use: anything but a symmetric encryption key.
  ...(['stateEncryptionKey', 'logGroupEncryptionKey'] as const).map((prop) => invalid(prop, fc.constantFrom(...NOT_SYMMETRIC)
    .map(([keySpec, keyUsage]) => ({ [prop]: new kms.Key(new Stack(), 'Key', { keySpec, keyUsage }) } as Partial<DurableWorkflowProps>)))),
);

function build(props: Partial<DurableWorkflowProps>) {
  const stack = new Stack(new App(), 'Stack');
  const code = lambda.Code.fromBucket(s3.Bucket.fromBucketName(stack, 'Artifacts', 'artifacts'), 'flow.zip');
  const workflow = new DurableWorkflow(stack, 'Flow', { code, handler: 'index.handler', ...props } as DurableWorkflowProps);
  return { stack, workflow };
}

test('random valid props always synthesize with the durable config they ask for', () => {
  fc.assert(fc.property(validCase, (c) => {
    const { stack, workflow } = build(c.props);
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Lambda::Function', {
      DurableConfig: { ExecutionTimeout: c.executionSeconds, RetentionPeriodInDays: c.retentionDays },
      Timeout: c.timeoutSeconds,
      Runtime: (c.props.runtime ?? lambda.Runtime.NODEJS_24_X).name,
    });
    template.hasResourceProperties('AWS::Lambda::Alias', { Name: c.props.aliasName ?? 'live' });
    expect(workflow.qualifier).toBe(c.props.aliasName ?? 'live');
  }), { numRuns: 60 });
});

test('random invalid props always fail with an Error naming the prop, never a TypeError', () => {
  fc.assert(fc.property(validCase, invalidCase, (base, bad) => {
    let error: unknown;
    try {
      build({ ...base.props, ...bad.override });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(TypeError);
    expect((error as Error).message.startsWith(`DurableWorkflow 'Stack/Flow': ${bad.prop} must `)).toBe(true);
  }), { numRuns: 300 });
});
