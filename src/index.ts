export * from './durable-workflow-base';
export * from './durable-workflow';
export * from './alarms';
export * from './execution-events';
export * from './triggers';
