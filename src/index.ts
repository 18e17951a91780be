export * from './durable-workflow-base';
export * from './alarms';
export * from './execution-events';
export * from './imported-workflow';
export * from './triggers';
