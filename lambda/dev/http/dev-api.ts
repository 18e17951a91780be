// The dev server's own routes, under /_dev/ (no AWS API lives there): what the viewer and the CLI need beyond the
// Lambda API. Timestamps here are ISO 8601 strings; errors are { code, message }. docs/dev-server.md describes them.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Event } from '@aws-sdk/client-lambda';
import type { ChangeStream } from './change-stream';
import { apiErrorOf, ApiError } from './wire';
import { parseJsonOrText } from '../../json';
import { isRollbackStep } from '../../rollback';
import { functionArn } from '../../testing/engine/arn';
import type { DurableEngine } from '../../testing/engine/durable-engine';
import type { ExecutionRecord } from '../../testing/engine/store/execution-store';
import { timelineFromHistory, toTimelineError } from '../../testing/history-timeline';
import { renderTimelineSvg } from '../../testing/svg-timeline';
import type { SkippedFunction, WorkflowDefinition } from '../assembly/discover-workflows';
import type { FunctionVersions } from '../functions/function-versions';
import type { SqliteExecutionStore } from '../store/sqlite-execution-store';

export interface DevApiOptions {
  readonly engine: DurableEngine;
  readonly store: SqliteExecutionStore;
  readonly versions: FunctionVersions;
  readonly changes: ChangeStream;
  /** The assembly's workflows as last read, and the functions it could not serve. */
  readonly assembly: () => { readonly workflows: readonly WorkflowDefinition[]; readonly skipped: readonly SkippedFunction[] };
  /** Facts about the server shown with the workflows. */
  readonly about: { readonly assembly: string; readonly stateFile: string; readonly speed: number; readonly region: string };
}

const TERMINAL_EVENTS: Record<string, string> = {
  ExecutionStarted: 'RUNNING',
  ExecutionSucceeded: 'SUCCEEDED',
  ExecutionFailed: 'FAILED',
  ExecutionTimedOut: 'TIMED_OUT',
  ExecutionStopped: 'STOPPED',
};

export class DevApi {
  constructor(private readonly options: DevApiOptions) {}

  /** Answers a request under /_dev/; returns false when no route matches. */
  public handle(req: IncomingMessage, res: ServerResponse, url: URL): boolean {
    const path = url.pathname;
    try {
      if (req.method === 'GET' && path === '/_dev/workflows') {
        json(res, 200, this.workflows());
      } else if (req.method === 'GET' && path === '/_dev/events') {
        this.options.changes.attach(req, res);
      } else if (req.method === 'POST' && /^\/_dev\/executions\/[^/]+\/skip$/.test(path)) {
        json(res, 200, this.skip(decodeURIComponent(path.split('/')[3])));
      } else if (req.method === 'GET' && /^\/_dev\/executions\/[^/]+\/operations$/.test(path)) {
        json(res, 200, { operations: this.options.engine.operations(this.execution(decodeURIComponent(path.split('/')[3])).arn) });
      } else if (req.method === 'GET' && /^\/_dev\/executions\/[^/]+\/timeline$/.test(path)) {
        json(res, 200, this.timeline(decodeURIComponent(path.split('/')[3])));
      } else {
        return false;
      }
    } catch (caught) {
      const error = apiErrorOf(caught);
      json(res, error.status, { code: error.code, message: error.message });
    }
    return true;
  }

  /** Tells the viewer what changed in an execution's history, as it happens. */
  public historyRecorded(executionArn: string, events: readonly Event[]): void {
    const execution = this.options.engine.describe(executionArn);
    const status = events.map((event) => TERMINAL_EVENTS[event.EventType ?? '']).filter(Boolean).at(-1);
    this.options.changes.publish('history', {
      executionArn,
      functionName: execution?.functionName,
      ...(status ? { status } : {}),
      events: events.map((event) => ({
        EventId: event.EventId,
        EventType: event.EventType,
        EventTimestamp: event.EventTimestamp,
        Id: event.Id,
        Name: event.Name,
        SubType: event.SubType,
        CallbackId: event.CallbackStartedDetails?.CallbackId,
      })),
    });
  }

  private workflows(): unknown {
    const { workflows, skipped } = this.options.assembly();
    const { about, versions, store } = this.options;
    return {
      ...about,
      workflows: workflows.map((workflow) => ({
        path: workflow.path,
        stackName: workflow.stackName,
        functionName: workflow.functionName,
        functionArn: functionArn(about.region, workflow.functionName),
        aliases: workflow.aliases.map((name) => ({ name, arn: functionArn(about.region, workflow.functionName, name) })),
        version: versions.newest(workflow.functionName)?.version,
        versions: versions.list(workflow.functionName).map((version) => ({
          version: version.version, codeHash: version.definition.codeHash, publishedAt: version.publishedAt,
        })),
        runtime: workflow.runtime,
        handler: workflow.handler,
        timeoutSeconds: workflow.timeoutSeconds,
        memorySize: workflow.memorySize,
        executionTimeoutSeconds: workflow.executionTimeoutSeconds,
        retentionPeriodDays: workflow.retentionPeriodDays,
        unresolvedEnvironment: workflow.unresolvedEnvironment,
        executions: store.countByStatus(workflow.functionName),
      })),
      skipped,
    };
  }

  /**
   * The execution's timeline, the model `run --svg` draws: its operations (attempts, results, errors; the steps of a
   * rollback marked), its invocations, and the SVG picture of it.
   */
  private timeline(reference: string): unknown {
    const execution = this.execution(reference);
    const timeline = timelineFromHistory(this.options.engine.history(execution.arn));
    const svg = renderTimelineSvg({
      ...timeline,
      status: execution.status,
      result: execution.status === 'SUCCEEDED' ? parseJsonOrText(execution.result) : undefined,
      error: toTimelineError(execution.error),
    }, { title: execution.name });
    return {
      executionArn: execution.arn,
      status: execution.status,
      durationMs: timeline.durationMs,
      invocations: timeline.invocationSpans,
      operations: timeline.operations.map((operation) => ({ ...operation, rollback: isRollbackStep(operation.name) })),
      svg,
    };
  }

  /** Moves a running execution's clock to its next timer. */
  private skip(reference: string): unknown {
    const execution = this.execution(reference);
    if (execution.status !== 'RUNNING') throw new ApiError(409, 'ExecutionEnded', `Execution ${execution.arn} has ended (${execution.status})`);
    const timer = this.options.engine.skip(execution.arn);
    if (!timer) {
      throw new ApiError(409, 'NothingToSkip', `Execution ${execution.name} has no timer to skip to: it waits for a callback or another execution`);
    }
    return { executionArn: execution.arn, skippedTo: timer.due, timer: timer.kind, operationId: timer.operationId };
  }

  /** An execution by ARN, or by name when one running execution has it. */
  private execution(reference: string): ExecutionRecord {
    const { engine, store } = this.options;
    const byArn = engine.describe(reference);
    if (byArn) return byArn;
    const named = store.listExecutions('RUNNING').filter((execution) => execution.name === reference);
    if (named.length === 1) return named[0];
    if (named.length > 1) throw new ApiError(409, 'AmbiguousName', `${named.length} running executions are named ${reference}: give its ARN`);
    throw new ApiError(404, 'ResourceNotFoundException', `No execution ${reference} (give an execution ARN, or the name of a running execution)`);
  }
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}
