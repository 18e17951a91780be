// The public API, by name: the base class, the imported workflow class and the helpers that build
// them stay internal.
export { DurableWorkflow } from './durable-workflow';
export type { DurableWorkflowProps } from './durable-workflow-props';
export type { DurableWorkflowAttributes, IDurableWorkflow } from './durable-workflow-base';
export { DurableWorkflowGrants } from './durable-workflow-grants';
export { DurableWorkflowAlarms, type DurableWorkflowAlarmsProps } from './alarms';
export { ExecutionStatus, type ExecutionStatusChangeOptions } from './execution-events';
export type { EventRuleOptions, RuleTargetOptions, ScheduleOptions, ScheduleTargetOptions } from './triggers';
export { QueueExecutionName, QueuePayload, type IQueueSource, type QueueSourceOptions } from './queue-source';
export { VersionRetention } from './version-retention';
