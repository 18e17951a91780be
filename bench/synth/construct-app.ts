// The synth benchmark's candidate: N DurableWorkflows with their defaults and one prebuilt code asset (no bundling).
import { App } from 'aws-cdk-lib';
import { forEachWorkflow } from './stacks';
import { DurableWorkflow } from '../../src';

export function addWorkflows(app: App, count: number, codeDir: string): void {
  forEachWorkflow(app, count, codeDir, (scope, id, code) => new DurableWorkflow(scope, id, { code, handler: 'index.handler' }));
}
