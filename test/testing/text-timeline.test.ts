import { formatTimeline, runWorkflowLocally, type LocalRunResult } from '../../lambda/testing';
import { handler } from '../fixtures/runner/approval-workflow';
import { handler as branchClocks } from '../fixtures/runner/branch-clocks';
import { handler as parallelApprovals } from '../fixtures/runner/parallel-approvals';

describe('formatTimeline', () => {
  let run: LocalRunResult;
  beforeAll(async () => {
    run = await runWorkflowLocally(handler, {
      payload: { orderId: 'o-9', paymentFailures: 1 },
      callbacks: { approval: { result: { approved: true } } },
    });
  });

  test('a line per operation with offset, type, name, status and attempt, then the answers and the result', () => {
    const text = formatTimeline(run, { title: 'order' });
    const lines = text.split('\n');
    expect(lines[0]).toMatch(/^order: SUCCEEDED after 2d 00:00:3\d\.\d{3} of simulated time, 8 operations, \d+ invocations?$/);
    expect(lines[1]).toMatch(/#\s+offset\s+type\s+operation\s+status\s+attempt\s+duration/);
    expect(text).toMatch(/\n\s+2\s+\+00:00:00\.\d{3}\s+STEP\s+charge\s+SUCCEEDED\s+2\s+30s\n/);
    expect(text).toMatch(/attempt 1 failed: Error: card declined on attempt 1/);
    expect(text).toMatch(/\n\s+3\s+\+00:00:30\.\d{3}\s+WAIT\s+cool-off\s+SUCCEEDED\s+2d\n/);
    expect(text).toMatch(/\n\s+5\s+\+2d 00:00:30\.\d{3}\s+CALLBACK\s+ {2}approval \(callback\) \[1\]\s+SUCCEEDED\s+\d+ms\n/);
    expect(text).toContain('  approval [1] succeeded with {"approved":true}\n');
    expect(text).toContain('Result: {"reservation":"res-o-9","payment":"pay-o-9","tracking":"trk-o-9"}');
  });

  test('callback ids stay out of the table: a mark on the row and the answer, each full id once at the end', async () => {
    // The official runner's ids are about 200 characters, as long as the service's.
    const parallel = await runWorkflowLocally(parallelApprovals, { callbacks: { legal: { result: 'ok' }, finance: { result: 'fine' } }, runner: 'official' });
    const callbacks = parallel.operations.filter((operation) => operation.type === 'CALLBACK');
    expect(callbacks).toHaveLength(2);
    for (const callback of callbacks) expect(callback.callbackId!.length).toBeGreaterThan(100);

    const text = formatTimeline(parallel);
    const [table, ids] = text.split('Callback ids:\n');
    for (const callback of callbacks) {
      expect(table).not.toContain(callback.callbackId);
      expect(text.split(callback.callbackId!)).toHaveLength(2);
    }
    for (const line of table.split('\n')) expect(line.length).toBeLessThan(100);
    // The marks lead from each callback's row and answer to its id.
    const marks = new Map(ids.trimEnd().split('\n').map((line) => line.trim().split(' ') as [string, string]));
    expect([...marks.keys()]).toEqual(['[1]', '[2]']);
    for (const callback of callbacks) {
      const mark = [...marks].find(([, id]) => id === callback.callbackId)![0];
      expect(table).toContain(`${callback.label} ${mark}`);
      expect(table).toMatch(new RegExp(`\\n  ${callback.label.replace(/ \(callback\)$/, '')} ${mark.replace(/[[\]]/g, '\\$&')} succeeded with "(ok|fine)"\\n`));
    }
  });

  test('a run without callbacks has no answers or ids section', async () => {
    const text = formatTimeline(await runWorkflowLocally(branchClocks));
    expect(text).not.toContain('Callbacks answered:');
    expect(text).not.toContain('Callback ids:');
  });
});
