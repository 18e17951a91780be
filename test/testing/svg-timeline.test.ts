import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { layoutTexts, layoutTimeline, renderTimelineSvg, runWorkflowLocally, writeTimelineSvg, type LocalRunResult } from '../../lambda/testing';
import { handler } from '../fixtures/runner/approval-workflow';

let outDir: string;
let run: LocalRunResult;
beforeAll(async () => {
  outDir = mkdtempSync(join(tmpdir(), 'svg-timeline-test-'));
  // The answer comes later than at once: the handler is invoked again, so there are two invocations to mark.
  run = await runWorkflowLocally(handler, {
    payload: { orderId: 'o-9', paymentFailures: 1 },
    callbacks: { approval: () => new Promise((resolve) => setTimeout(() => resolve({ result: { approved: true, note: 'n'.repeat(400) } }), 50)) },
  });
});
afterAll(() => rmSync(outDir, { recursive: true, force: true }));

/** The texts of an SVG document, unescaped. */
function svgTexts(svg: string): Array<{ x: number; y: number; text: string }> {
  return [...svg.matchAll(/<text x="([\d.]+)" y="([\d.]+)"[^>]*>([^<]*)<\/text>/g)]
    .map((match) => ({ x: Number(match[1]), y: Number(match[2]), text: match[3].replace(/&#(\d+);/g, (_, code) => String.fromCharCode(Number(code))) }));
}

test('the picture names every operation, shows the compressed gaps and is written where asked', () => {
  const path = writeTimelineSvg(run, join(outDir, 'nested', 'run.svg'), { title: 'order <o-9>' });
  expect(path).toBe(join(outDir, 'nested', 'run.svg'));
  const svg = readFileSync(path, 'utf8');
  expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
  expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
  const texts = svgTexts(svg).map((text) => text.text);
  for (const op of run.operations) expect(texts).toContain(op.label);
  expect(texts).toContain('order <o-9>');
  // The 30 s retry delay and the two-day wait are axis breaks labelled with their length.
  expect(texts).toEqual(expect.arrayContaining(['30s', '2d']));
  expect(svg).toContain(`callback id ${run.callbacks[0].callbackId}`);
});

test('it draws the layout: every text where the layout put it, one marker per invocation', () => {
  const svg = renderTimelineSvg(run);
  const layout = layoutTimeline(run);
  expect(svgTexts(svg)).toEqual(expect.arrayContaining(layoutTexts(layout).map(({ x, y, text }) => ({ x, y, text }))));
  expect(layout.invocations).toHaveLength(2);
  for (const invocation of layout.invocations) {
    expect(svg).toContain(`<line x1="${invocation.x}" y1="${layout.chart.axisY}" x2="${invocation.x}" y2="${layout.chart.rowsBottom + 3}"`);
  }
  expect(svgTexts(svg).map((text) => text.text)).toEqual(expect.arrayContaining(['#1', '#2']));
});

test('a text shortened to fit keeps its whole content as a tooltip', () => {
  const svg = renderTimelineSvg(run);
  const note = layoutTimeline(run).rows.find((row) => row.operation.type === 'CALLBACK')!.note!;
  expect(note.text.endsWith('…')).toBe(true);
  expect(note.full).toBe(`answer ${JSON.stringify({ approved: true, note: 'n'.repeat(400) })}`);
  expect(svg).toContain(`<title>answer {&#34;approved&#34;:true,&#34;note&#34;:&#34;${'n'.repeat(400)}&#34;}</title>`);
});
