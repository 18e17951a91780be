// cdk-durable-workflow/runtime/testing: run durable workflows on this machine, without an AWS account.
// Needs @aws/durable-execution-sdk-js; the official runner (runner: 'official') also @aws/durable-execution-sdk-js-testing.
export * from './run-workflow-locally';
export * from './history-timeline';
export * from './text-timeline';
export * from './svg-timeline';
export * from './timeline-layout';
export * from './load-handler';
export * from './assembly-workflows';
export * from './replay/check-replay';
export type { RecordedOperation, ReplayCompatible, ReplayDivergence, ReplayOperation, ReplayResult } from './replay/replay-result';
export * from './replay/history-input';
export * from './replay/history-file';
export { formatDuration, formatOffset } from './time-format';
