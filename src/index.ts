export * from './durable-workflow-base';
