// addQueueSource: an SQS queue feeding a durable workflow through a dispatcher function (src/queue-dispatcher.lambda.ts)
// that starts one execution per message, asynchronously, named after the message. The props classes, their synth-time
// checks, and the wiring: the dispatcher, its role and log group, and its event source mapping.
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Annotations, Duration, Names, Token } from 'aws-cdk-lib/core';
import { Construct, IConstruct } from 'constructs';
import type { IDurableWorkflow } from './durable-workflow-base';
import { acknowledgeRule, COMPLIANCE, INLINE_POLICY_REASON, SERVERLESS } from './nag-acknowledgements';
import { executionNameSourceProblem, queueDispatcherEnvironment } from './queue-dispatcher-config';
import type { ExecutionNameSource, PayloadSource } from './queue-dispatcher-config';
import { QueueDispatcherFunction } from './queue-dispatcher-function';
import { describeValue, PropValidator } from './validation';

/**
 * Where each message's execution name comes from. The same message always gives the same name, so a
 * message delivered twice starts one execution. A value of 1 to 64 characters of `[A-Za-z0-9_-]` is the
 * name as it is; any other value is made valid and hashed (see the README).
 */
export class QueueExecutionName {
  /**
   * The SQS message id: a message delivered twice starts one execution, but the same order sent twice
   * (two messages) starts two.
   */
  public static fromMessageId(): QueueExecutionName {
    return new QueueExecutionName({ kind: 'messageId' });
  }

  /**
   * A string or number in the JSON body, for example `$.orderId` or `$.items[0].sku`: `$` followed by
   * `.key` (letters, digits, `_`, `-`) or `[index]` steps. A message without it is reported, not started.
   */
  public static fromJsonPath(path: string): QueueExecutionName {
    return new QueueExecutionName({ kind: 'jsonPath', path });
  }

  /**
   * A String or Number message attribute. A message without it is reported, not started.
   */
  public static fromMessageAttribute(name: string): QueueExecutionName {
    return new QueueExecutionName({ kind: 'messageAttribute', name });
  }

  /** @internal */
  public readonly _source: ExecutionNameSource;

  private constructor(source: ExecutionNameSource) {
    this._source = source;
  }
}

/**
 * What each message starts its execution with.
 */
export class QueuePayload {
  /**
   * The body, which must be JSON, as it was sent: the handler receives the parsed value.
   */
  public static jsonBody(): QueuePayload {
    return new QueuePayload('jsonBody');
  }

  /**
   * The body as a JSON string, whatever it holds.
   */
  public static rawBody(): QueuePayload {
    return new QueuePayload('rawBody');
  }

  /**
   * The SQS record (message id, body, attributes, message attributes), without what changes on each
   * delivery (`receiptHandle`, `ApproximateReceiveCount`), so a redelivery starts nothing new.
   */
  public static record(): QueuePayload {
    return new QueuePayload('record');
  }

  /** @internal */
  public readonly _source: PayloadSource;

  private constructor(source: PayloadSource) {
    this._source = source;
  }
}

/**
 * Options for `addQueueSource`.
 */
export interface QueueSourceOptions {
  /**
   * Where each message's execution name comes from.
   *
   * @default QueueExecutionName.fromMessageId()
   */
  readonly executionName?: QueueExecutionName;

  /**
   * What each message starts its execution with.
   *
   * @default QueuePayload.jsonBody()
   */
  readonly payload?: QueuePayload;

  /**
   * Messages per dispatcher invocation: 1 to 10, or up to 10,000 with a `maxBatchingWindow` of at least
   * 1 second. At most 10 for a FIFO queue.
   *
   * @default 10
   */
  readonly batchSize?: number;

  /**
   * How long Lambda gathers messages before invoking the dispatcher (whole seconds, up to 5 minutes).
   * Not for FIFO queues.
   *
   * @default - none: the dispatcher is invoked as soon as messages are available
   */
  readonly maxBatchingWindow?: Duration;

  /**
   * The most dispatchers this queue invokes at once (2 to 1,000). Lambda allows 300 starts a second
   * per Region: a start refused for throttling is reported and counts towards the queue's `maxReceiveCount`.
   *
   * @default - no limit but the account's concurrency
   */
  readonly maxConcurrency?: number;

  /**
   * The dispatcher's timeout (1 second to 15 minutes). It must not exceed the queue's visibility
   * timeout (Lambda refuses the mapping otherwise), and AWS recommends a visibility timeout of at least
   * 6 times it: with an `sqs.Queue` of this app, the first is an error at synth and the second a warning.
   *
   * @default - 5 seconds, or 1 second per 20 messages of `batchSize` when that is longer
   */
  readonly timeout?: Duration;
}

/**
 * A queue feeding a workflow: the dispatcher that starts an execution per message, its event source
 * mapping and its log group, for alarms and dashboards.
 */
export interface IQueueSource extends IConstruct {
  /** The queue the dispatcher consumes. */
  readonly queue: sqs.IQueue;

  /** The dispatcher function (`metricErrors()`, `metricThrottles()`, `metricDuration()`). */
  readonly dispatcher: lambda.IFunction;

  /** The event source mapping from the queue to the dispatcher. */
  readonly eventSourceMapping: lambda.IEventSourceMapping;

  /** The dispatcher's log group: one JSON line per message not started, one per batch. */
  readonly logGroup: logs.ILogGroup;
}

/** Lambda's SQS limits: 10 messages a batch without a batching window (and always for FIFO), 10,000 with one. */
const MAX_BATCH_SIZE = 10_000;
const MAX_UNWINDOWED_BATCH_SIZE = 10;
const MAX_BATCHING_WINDOW = Duration.minutes(5);
/** The default timeout allows 20 starts a second (10 in flight), ample for a batch of 10. */
const MIN_DEFAULT_TIMEOUT_SECONDS = 5;
const DEFAULT_STARTS_PER_SECOND = 20;
/** SQS's default visibility timeout, when a queue sets none. */
const SQS_DEFAULT_VISIBILITY = Duration.seconds(30);
/** AWS: "set the source queue's visibility timeout to at least six times the timeout that you configure on your function". */
const VISIBILITY_FACTOR = 6;

/** The options, checked, with their defaults. */
interface ResolvedQueueSource {
  readonly executionName: ExecutionNameSource;
  readonly payload: PayloadSource;
  readonly batchSize?: number;
  readonly maxBatchingWindow?: Duration;
  readonly maxConcurrency?: number;
  readonly timeout: Duration;
  /** Known for an `sqs.Queue` of this app (a literal or SQS's default), unknown for an imported one. */
  readonly visibilityTimeout?: Duration;
}

/**
 * Adds the queue source of `queue` to `workflow` (its child `QueueSource:<queue id>`): one dispatcher per workflow
 * and queue. `v` reports bad options in the workflow's message shape.
 */
export function addQueueSource(v: PropValidator, workflow: IDurableWorkflow, queue: sqs.IQueue, options?: QueueSourceOptions): IQueueSource {
  if (typeof queue !== 'object' || queue === null || typeof queue.queueArn !== 'string') {
    v.fail(`queue must be an sqs.IQueue, got ${describeValue(queue)}`);
  }
  const id = `QueueSource:${Names.nodeUniqueId(queue.node)}`;
  if (workflow.node.tryFindChild(id)) {
    v.fail('queue must not already feed this workflow (one dispatcher per workflow and queue: give all its options to one '
      + `addQueueSource), got '${queue.node.path}' a second time`);
  }
  return new QueueSource(workflow, id, workflow, queue, resolveQueueSource(v, queue, options ?? {}));
}

function resolveQueueSource(v: PropValidator, queue: sqs.IQueue, options: QueueSourceOptions): ResolvedQueueSource {
  if (typeof options !== 'object' || options === null) v.fail(`options must be an object (QueueSourceOptions), got ${describeValue(options)}`);
  const executionName = v.instance('executionName', options.executionName,
    'a QueueExecutionName (fromMessageId, fromJsonPath or fromMessageAttribute)', '_source')?._source ?? { kind: 'messageId' };
  const problem = executionNameSourceProblem(executionName);
  if (problem) v.fail(`executionName: ${problem}`);
  const payload = v.instance('payload', options.payload, 'a QueuePayload (jsonBody, rawBody or record)', '_source')?._source ?? 'jsonBody';

  const maxBatchingWindow = v.duration('maxBatchingWindow', options.maxBatchingWindow, Duration.seconds(0), MAX_BATCHING_WINDOW);
  if (maxBatchingWindow !== undefined && queue.fifo) {
    v.fail(`maxBatchingWindow must not be set for a FIFO queue (Lambda has no batching window for FIFO queues), got ${maxBatchingWindow.toHumanString()}`);
  }
  const batchSize = v.count('batchSize', options.batchSize, 1, MAX_BATCH_SIZE);
  if (batchSize !== undefined && !Token.isUnresolved(batchSize) && batchSize > MAX_UNWINDOWED_BATCH_SIZE) {
    if (queue.fifo) v.fail(`batchSize must be from 1 to ${MAX_UNWINDOWED_BATCH_SIZE} for a FIFO queue, got ${batchSize}`);
    const windowed = maxBatchingWindow !== undefined && (maxBatchingWindow.isUnresolved() || maxBatchingWindow.toSeconds() >= 1);
    if (!windowed) {
      v.fail(`batchSize must be from 1 to ${MAX_UNWINDOWED_BATCH_SIZE} without a maxBatchingWindow of at least 1 second `
        + `(up to ${MAX_BATCH_SIZE} with one), got ${batchSize}`);
    }
  }
  const maxConcurrency = v.count('maxConcurrency', options.maxConcurrency, 2, 1000);

  const given = v.duration('timeout', options.timeout, Duration.seconds(1), Duration.minutes(15));
  const timeout = given ?? defaultTimeout(batchSize);
  const visibilityTimeout = visibilityTimeoutOf(queue);
  if (visibilityTimeout && !timeout.isUnresolved() && timeout.toSeconds() > visibilityTimeout.toSeconds()) {
    const why = given ? '' : ` (the default for batchSize ${batchSize ?? MAX_UNWINDOWED_BATCH_SIZE})`;
    v.fail(`timeout must be at most the visibility timeout of queue '${queue.node.path}' (${visibilityTimeout.toHumanString()}): `
      + `Lambda refuses an SQS mapping whose function may run longer, got ${timeout.toHumanString()}${why}. `
      + `Raise the queue's visibilityTimeout (${VISIBILITY_FACTOR} times the timeout is what AWS recommends) or lower timeout`);
  }
  return { executionName, payload, batchSize, maxBatchingWindow, maxConcurrency, timeout, visibilityTimeout };
}

/** Long enough for `batchSize` starts at 20 a second, and never under 5 seconds. */
function defaultTimeout(batchSize: number | undefined): Duration {
  const size = batchSize === undefined || Token.isUnresolved(batchSize) ? MAX_UNWINDOWED_BATCH_SIZE : batchSize;
  return Duration.seconds(Math.max(MIN_DEFAULT_TIMEOUT_SECONDS, Math.ceil(size / DEFAULT_STARTS_PER_SECOND)));
}

/** The visibility timeout of an `sqs.Queue` defined in this app; undefined when unknown at synth (imported, or a token). */
function visibilityTimeoutOf(queue: sqs.IQueue): Duration | undefined {
  const cfn = queue.node.defaultChild;
  if (!sqs.CfnQueue.isCfnQueue(cfn)) return undefined;
  const seconds = cfn.visibilityTimeout;
  if (seconds === undefined) return SQS_DEFAULT_VISIBILITY;
  return Token.isUnresolved(seconds) ? undefined : Duration.seconds(seconds);
}

/** The dispatcher of one queue for one workflow, with its own role and log group. */
class QueueSource extends Construct implements IQueueSource {
  public readonly queue: sqs.IQueue;
  public readonly dispatcher: lambda.IFunction;
  public readonly eventSourceMapping: lambda.IEventSourceMapping;
  public readonly logGroup: logs.ILogGroup;

  constructor(scope: Construct, id: string, workflow: IDurableWorkflow, queue: sqs.IQueue, resolved: ResolvedQueueSource) {
    super(scope, id);
    this.queue = queue;
    this.logGroup = new logs.LogGroup(this, 'LogGroup', { retention: logs.RetentionDays.ONE_MONTH });

    // No managed policy (AWSLambdaBasicExecutionRole allows logs on `*`): its own log streams only.
    const role = new iam.Role(this, 'ServiceRole', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    iam.Grant.addToPrincipal({ grantee: role, actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resourceArns: [this.logGroup.logGroupArn] });

    const dispatcher = new QueueDispatcherFunction(this, 'Dispatcher', {
      description: 'Starts one durable execution per SQS message, named after it (cdk-durable-workflow addQueueSource)',
      role,
      timeout: resolved.timeout,
      // Lambda's default, stated: the dispatcher waits on Invoke calls, it does not compute.
      memorySize: 128,
      logGroup: this.logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      environment: queueDispatcherEnvironment({
        workflowArn: workflow.qualifiedArn,
        executionName: resolved.executionName,
        payload: resolved.payload,
      }),
    });
    this.dispatcher = dispatcher;

    // In the role's default policy, which the dispatcher and so its mapping wait for: InvokeFunction on the
    // alias only; receive, delete and change visibility on this queue only (and decrypt with its key, if any).
    workflow.grants.start(dispatcher);
    queue.grantConsumeMessages(dispatcher);
    this.eventSourceMapping = dispatcher.addEventSourceMapping('Mapping', {
      eventSourceArn: queue.queueArn,
      batchSize: resolved.batchSize,
      maxBatchingWindow: resolved.maxBatchingWindow,
      maxConcurrency: resolved.maxConcurrency,
      // Only the messages not started go back to the queue.
      reportBatchItemFailures: true,
    });

    this.warnOnShortVisibility(resolved);
    this.acknowledgeFindings(role);
  }

  /** What cdk-nag asks of any function, and the dispatcher does without, each for its reason. */
  private acknowledgeFindings(role: iam.IRole): void {
    const viaQueue = 'Its event source mapping invokes it synchronously: a message not started goes back to the queue, and to '
      + 'the queue\'s own dead-letter queue after its maxReceiveCount (Lambda has no on-failure destination for SQS mappings)';
    acknowledgeRule(this.dispatcher, [...SERVERLESS, ...COMPLIANCE], 'LambdaDLQ', viaQueue);
    acknowledgeRule(this.eventSourceMapping, SERVERLESS, 'LambdaEventSourceMappingDestination', viaQueue);
    acknowledgeRule(this.dispatcher, SERVERLESS, 'LambdaTracing', 'It makes one Invoke call per message and logs each '
      + 'message it could not start as a JSON line; tracing would add X-Ray permissions on *');
    acknowledgeRule(this.dispatcher, COMPLIANCE, 'LambdaConcurrency', 'Its concurrency is the mapping\'s maxConcurrency '
      + '(QueueSourceOptions.maxConcurrency), which AWS recommends over reserved concurrency for SQS: a reserved limit '
      + 'throttles batches, and every throttled receive counts towards the queue\'s maxReceiveCount');
    acknowledgeRule(this.dispatcher, COMPLIANCE, 'LambdaInsideVPC', 'It calls the SQS and Lambda APIs only, on their public '
      + 'endpoints; in a VPC it would need a NAT gateway or interface endpoints');
    acknowledgeRule(this.logGroup, COMPLIANCE, 'CloudWatchLogGroupEncrypted', 'Its lines hold message ids, execution names '
      + 'and errors, no payload: only the parse error of a body that is not JSON quotes its first characters');
    acknowledgeRule(role, COMPLIANCE, 'IAMNoInlinePolicy', INLINE_POLICY_REASON);
  }

  /**
   * Lambda accepts a visibility timeout down to the function's timeout, but a batch throttled and retried by Lambda
   * may then reappear in the queue first. A message that reappears is started once all the same (its name is the
   * same), but each receive counts towards the queue's maxReceiveCount: a warning, not an error.
   */
  private warnOnShortVisibility(resolved: ResolvedQueueSource): void {
    const { timeout, visibilityTimeout } = resolved;
    if (!visibilityTimeout || timeout.isUnresolved()) return;
    const recommended = Duration.seconds(VISIBILITY_FACTOR * timeout.toSeconds());
    if (visibilityTimeout.toSeconds() >= recommended.toSeconds()) return;
    Annotations.of(this).addWarningV2(
      'cdk-durable-workflow:queueSourceVisibilityTimeout',
      `The visibility timeout of queue '${this.queue.node.path}' (${visibilityTimeout.toHumanString()}) is less than `
      + `${VISIBILITY_FACTOR} times the dispatcher's timeout (${timeout.toHumanString()}), which AWS recommends so that Lambda `
      + 'can retry a throttled batch before its messages reappear. Each reappearance counts towards the queue\'s maxReceiveCount. '
      + `Raise the queue's visibilityTimeout to ${recommended.toHumanString()} or more, or lower the queue source's timeout.`,
    );
  }
}
