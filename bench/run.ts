// Runs every benchmark and prints a markdown report; the figures also go to bench/results/ as JSON.
//   AWS_REGION=us-east-1 TS_NODE_TRANSPILE_ONLY=1 npx ts-node --project test/tsconfig.json bench/run.ts [--quick] [--only synth,bundle,...]
// Each measurement runs in fresh `node` processes (see child.ts); candidate and baseline alternate ABBA, and every
// ratio is the median of per-pair ratios from this run, never a figure from another day.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { buildChildren } from './build';
import type { ChildName } from './build';
import { minifiedBreakdown } from './bundle/breakdown';
import type { Breakdown } from './bundle/breakdown';
import type { BundleVariant } from './bundle/bundle-child';
import { HANDLERS, handlerProject } from './bundle/handlers';
import type { HandlerKind } from './bundle/handlers';
import type { LoadRun } from './bundle/load-child';
import { runChild } from './child';
import type { ClientRun } from './client/client-child';
import type { ConcurrentRun, StepsRun } from './engine/engine-child';
import type { ReplayRun } from './replay/replay-child';
import type { Summary } from './stats';
import { abFirst, fixed, median, pairedRatio, summarize } from './stats';
import { compareAssemblies } from './synth/fairness';
import { WORKFLOWS_PER_STACK } from './synth/stacks';
import type { SynthRun } from './synth/synth-child';
import type { TestSpeedRun } from './test-speed/test-speed-child';

const SUITES = ['synth', 'bundle', 'replay', 'client', 'test-speed', 'engine'] as const;
type Suite = typeof SUITES[number];

const FULL = {
  synthSizes: [10, 50, 200],
  synthRuns: 7,
  loadRuns: 40,
  replaySteps: 500,
  replayCompensations: 50,
  replayRuns: 5,
  clientRuns: 9,
  testSpeedRuns: 5,
  engineStepsRuns: 5,
  concurrentExecutions: 100,
  concurrentRuns: 3,
};
// A smoke check in under a minute: every suite, smaller sizes, fewer runs.
const QUICK = {
  synthSizes: [10],
  synthRuns: 3,
  loadRuns: 5,
  replaySteps: 50,
  replayCompensations: 10,
  replayRuns: 2,
  clientRuns: 3,
  testSpeedRuns: 3,
  engineStepsRuns: 2,
  concurrentExecutions: 100,
  concurrentRuns: 1,
};
type Settings = typeof FULL;

const TARGETS = {
  synthRatio: 1.15,
  bundleAddedBytes: 5 * 1024,
  loadRatio: 1.05,
  replayRatio: 1.05,
  pageSize: 1000,
  testSpeedMs: 1000,
  /** The local engine against the official runner: 500 steps (wall and CPU), a year-long wait with retries (wall). */
  stepsRatio: 0.1,
  stepsMs: 1000,
  yearRatio: 0.2,
};

const BENCH_DIR = __dirname;
const ROOT = path.resolve(BENCH_DIR, '..');
const RESULTS_DIR = path.join(BENCH_DIR, 'results');
const WORK_DIR = path.join(RESULTS_DIR, '.work');

type Scripts = Record<ChildName, string>;

/** One line of the report: a figure against its target. */
interface Verdict {
  readonly suite: Suite;
  readonly what: string;
  readonly value: string;
  readonly target: string;
  readonly met: boolean;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      quick: { type: 'boolean', default: false },
      only: { type: 'string', multiple: true },
    },
  });
  const only = (values.only ?? []).flatMap((s) => s.split(',')).filter((s) => s !== '');
  const unknown = only.filter((s) => !(SUITES as readonly string[]).includes(s));
  if (unknown.length > 0) throw new Error(`--only ${unknown.join(', ')}: not a suite; choose from ${SUITES.join(', ')}`);
  const suites = only.length > 0 ? (only as Suite[]) : [...SUITES];
  const settings = values.quick ? QUICK : FULL;

  fs.rmSync(WORK_DIR, { recursive: true, force: true });
  fs.mkdirSync(WORK_DIR, { recursive: true });
  const scripts = await buildChildren(BENCH_DIR, path.join(WORK_DIR, 'children'));

  const started = new Date();
  const results: Record<string, unknown> = {};
  const verdicts: Verdict[] = [];
  const sections: string[] = [];
  const suiteRunners: Record<Suite, () => Promise<void>> = {
    'synth': async () => collect(await synthSuite(scripts, settings)),
    'bundle': async () => collect(await bundleSuite(scripts, settings)),
    'replay': async () => collect(await replaySuite(scripts, settings)),
    'client': async () => collect(await clientSuite(scripts, settings)),
    'test-speed': async () => collect(await testSpeedSuite(scripts, settings)),
    'engine': async () => collect(await engineSuite(scripts, settings)),
  };
  function collect(outcome: SuiteOutcome): void {
    results[outcome.suite] = outcome.data;
    verdicts.push(...outcome.verdicts);
    sections.push(outcome.markdown);
  }
  for (const suite of suites) {
    process.stderr.write(`bench: ${suite}...\n`);
    await suiteRunners[suite]();
  }

  const environment = {
    node: process.version,
    cpus: `${os.cpus().length} x ${os.cpus()[0]?.model ?? 'unknown'}`,
    loadAverageAtStart: os.loadavg().map((l) => fixed(l, 2)).join(' '),
    mode: values.quick ? 'quick' : 'full',
  };
  const seconds = (Date.now() - started.getTime()) / 1000;
  const report = [
    `# Benchmarks (${environment.mode}, ${started.toISOString()}, ${fixed(seconds, 0)} s)`,
    '',
    `Node.js ${environment.node}, ${environment.cpus}, load average ${environment.loadAverageAtStart}. Medians; ratios are medians of`
    + ' back-to-back candidate/baseline pairs run in alternating order.',
    '',
    '## Targets',
    '',
    '| Suite | Figure | Value | Target | Met |',
    '|---|---|---|---|---|',
    ...verdicts.map((v) => `| ${v.suite} | ${v.what} | ${v.value} | ${v.target} | ${v.met ? 'yes' : '**no**'} |`),
    '',
    ...sections,
  ].join('\n');

  const json = { startedAt: started.toISOString(), seconds, environment, settings, verdicts, results };
  const stamp = started.toISOString().replace(/[:.]/g, '-');
  fs.writeFileSync(path.join(RESULTS_DIR, `bench-${stamp}.json`), `${JSON.stringify(json, null, 2)}\n`);
  fs.writeFileSync(path.join(RESULTS_DIR, 'latest.json'), `${JSON.stringify(json, null, 2)}\n`);
  fs.writeFileSync(path.join(RESULTS_DIR, 'latest.md'), `${report}\n`);
  fs.rmSync(WORK_DIR, { recursive: true, force: true });
  process.stdout.write(`${report}\n`);
}

interface SuiteOutcome {
  readonly suite: Suite;
  readonly data: unknown;
  readonly verdicts: Verdict[];
  readonly markdown: string;
}

function table(header: string[], rows: (string | number)[][]): string {
  return [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
}

// ---- 1. Synth -------------------------------------------------------------------------------------------------

type AppKind = 'construct' | 'baseline';

interface SynthSize {
  readonly workflows: number;
  readonly resources: number;
  readonly wallMs: Record<AppKind, Summary>;
  readonly cpuMs: Record<AppKind, Summary>;
  readonly rssMiB: Record<AppKind, Summary>;
  readonly buildMs: Record<AppKind, number>;
  readonly synthMs: Record<AppKind, number>;
  readonly wallRatio: number;
  readonly cpuRatio: number;
  readonly rssRatio: number;
  readonly runs: Record<AppKind, SynthRun[]>;
}

async function synthSuite(scripts: Scripts, settings: Settings): Promise<SuiteOutcome> {
  const codeDir = path.join(BENCH_DIR, 'synth', 'prebuilt');
  const sizes: SynthSize[] = [];
  for (const workflows of settings.synthSizes) {
    const runs: Record<AppKind, SynthRun[]> = { construct: [], baseline: [] };
    const outdir = (kind: AppKind) => path.join(WORK_DIR, `synth-${kind}-${workflows}`);
    for (let run = 0; run < settings.synthRuns; run++) {
      for (const kind of abFirst(run) ? ['construct', 'baseline'] as const : ['baseline', 'construct'] as const) {
        fs.rmSync(outdir(kind), { recursive: true, force: true });
        const { result } = await runChild<SynthRun>(scripts.synth, [kind, String(workflows), codeDir, outdir(kind)]);
        runs[kind].push(result);
      }
    }
    // A floor that deploys something else would prove nothing: the templates must match resource for resource.
    const fairness = compareAssemblies(outdir('construct'), outdir('baseline'));
    if (!fairness.identical) {
      throw new Error(`synth baseline differs from DurableWorkflow at N=${workflows}:\n${fairness.differences.join('\n')}`);
    }
    // Fairness compared the last run's templates in full; every timed run must have built that same app.
    const resources = Object.values(fairness.typeCounts).reduce((a, b) => a + b, 0);
    for (const run of [...runs.construct, ...runs.baseline]) {
      if (run.resources !== resources) throw new Error(`${run.kind} synth of ${workflows} workflows made ${run.resources} resources, expected ${resources}`);
    }
    const series = (kind: AppKind, field: 'totalMs' | 'cpuMs' | 'maxRssMiB' | 'buildMs' | 'synthMs') => runs[kind].map((r) => r[field]);
    const both = <T>(f: (kind: AppKind) => T): Record<AppKind, T> => ({ construct: f('construct'), baseline: f('baseline') });
    sizes.push({
      workflows,
      resources,
      wallMs: both((k) => summarize(series(k, 'totalMs'))),
      cpuMs: both((k) => summarize(series(k, 'cpuMs'))),
      rssMiB: both((k) => summarize(series(k, 'maxRssMiB'))),
      buildMs: both((k) => median(series(k, 'buildMs'))),
      synthMs: both((k) => median(series(k, 'synthMs'))),
      wallRatio: pairedRatio(series('construct', 'totalMs'), series('baseline', 'totalMs')),
      cpuRatio: pairedRatio(series('construct', 'cpuMs'), series('baseline', 'cpuMs')),
      rssRatio: pairedRatio(series('construct', 'maxRssMiB'), series('baseline', 'maxRssMiB')),
      runs,
    });
  }

  const ratioVerdict = (what: string, value: number): Verdict =>
    ({ suite: 'synth', what, value: fixed(value, 3), target: `<= ${TARGETS.synthRatio}`, met: value <= TARGETS.synthRatio });
  const verdicts: Verdict[] = sizes.flatMap((s) => [
    ratioVerdict(`time ratio, N=${s.workflows}`, s.wallRatio),
    ratioVerdict(`CPU time ratio, N=${s.workflows}`, s.cpuRatio),
    ratioVerdict(`peak memory ratio, N=${s.workflows}`, s.rssRatio),
  ]);

  // Linear in N: what each extra workflow costs must not grow with N. Quadratic growth would make the second slope
  // about 4x the first over these sizes; allow 1.5x for per-stack costs and noise. Judged on CPU time, which other
  // work on the machine disturbs far less than wall time.
  const slopes = sizes.slice(1).map((s, i) => {
    const before = sizes[i];
    const slope = (now: Summary, then: Summary) => (now.median - then.median) / (s.workflows - before.workflows);
    return {
      from: before.workflows,
      to: s.workflows,
      wallMs: { construct: slope(s.wallMs.construct, before.wallMs.construct), baseline: slope(s.wallMs.baseline, before.wallMs.baseline) },
      cpuMs: { construct: slope(s.cpuMs.construct, before.cpuMs.construct), baseline: slope(s.cpuMs.baseline, before.cpuMs.baseline) },
    };
  });
  if (slopes.length >= 2) {
    const growth = slopes[slopes.length - 1].cpuMs.construct / slopes[0].cpuMs.construct;
    verdicts.push({
      suite: 'synth',
      what: `linear in N: CPU ms per extra workflow, ${slopes.map((s) => `${s.from}->${s.to}`).join(' vs ')}`,
      value: `${slopes.map((s) => fixed(s.cpuMs.construct, 2)).join(' vs ')} (x${fixed(growth, 2)})`,
      target: 'growth <= x1.5',
      met: growth <= 1.5,
    });
  }

  const markdown = [
    '## 1. Synth: N DurableWorkflows vs the same app wired by hand',
    '',
    `Fresh process per synth; prebuilt code asset; ${settings.synthRuns} runs per side and N; ${WORKFLOWS_PER_STACK} workflows a stack (as`
    + ' many as its version pruner takes). Time = loading the app modules + building the tree + app.synth(), wall and CPU (user + system); memory = peak'
    + ' RSS of the process. Templates compared resource by resource (logical IDs aside): identical at every N.',
    '',
    table(['N', 'resources', 'construct ms', 'baseline ms', 'ratio', 'construct CPU ms', 'baseline CPU ms', 'CPU ratio',
      'construct ms/workflow', 'build ms (c/b)', 'synth ms (c/b)', 'construct MiB', 'baseline MiB', 'memory ratio'],
    sizes.map((s) => [
      s.workflows, s.resources,
      fixed(s.wallMs.construct.median), fixed(s.wallMs.baseline.median), fixed(s.wallRatio, 3),
      fixed(s.cpuMs.construct.median), fixed(s.cpuMs.baseline.median), fixed(s.cpuRatio, 3),
      fixed(s.wallMs.construct.median / s.workflows, 2),
      `${fixed(s.buildMs.construct)} / ${fixed(s.buildMs.baseline)}`,
      `${fixed(s.synthMs.construct)} / ${fixed(s.synthMs.baseline)}`,
      fixed(s.rssMiB.construct.median), fixed(s.rssMiB.baseline.median), fixed(s.rssRatio, 3),
    ])),
    '',
    ...(slopes.length > 0 ? [
      table(['N range', 'construct ms / extra workflow', 'baseline ms / extra workflow', 'construct CPU ms / extra workflow', 'baseline CPU ms / extra workflow'],
        slopes.map((s) => [`${s.from} -> ${s.to}`, fixed(s.wallMs.construct, 2), fixed(s.wallMs.baseline, 2), fixed(s.cpuMs.construct, 2), fixed(s.cpuMs.baseline, 2)])),
      '',
    ] : []),
  ].join('\n');
  return { suite: 'synth', data: { sizes, slopes }, verdicts, markdown };
}

// ---- 2. Bundle ------------------------------------------------------------------------------------------------

const PEER_DIR = path.join(BENCH_DIR, 'peer');

/**
 * Installs SST (the peer) into bench/peer from its lock file, without SST's platform binaries, and checks that it runs
 * on the same durable SDK as the project: the comparison is of the wrappers, not of two SDK versions.
 */
function installPeer(): void {
  const installed = path.join(PEER_DIR, 'node_modules', '.package-lock.json');
  if (!fs.existsSync(installed) || fs.statSync(installed).mtimeMs < fs.statSync(path.join(PEER_DIR, 'package-lock.json')).mtimeMs) {
    process.stderr.write('bench: installing the SST peer into bench/peer (npm ci --omit=optional)...\n');
    execFileSync('npm', ['ci', '--omit=optional', '--no-audit', '--no-fund'], { cwd: PEER_DIR, stdio: ['ignore', 'ignore', 'inherit'] });
  }
  const sdkVersion = (dir: string) =>
    (JSON.parse(fs.readFileSync(path.join(dir, 'node_modules', '@aws', 'durable-execution-sdk-js', 'package.json'), 'utf8')) as { version: string }).version;
  if (sdkVersion(PEER_DIR) !== sdkVersion(ROOT)) {
    throw new Error(`bench/peer runs SST on durable SDK ${sdkVersion(PEER_DIR)}, the project on ${sdkVersion(ROOT)}: update its package.json overrides and lock`);
  }
}

/** Each run loads the three bundles in another order, so none always goes first. */
const LOAD_ORDERS: readonly (readonly HandlerKind[])[] = [
  ['helper', 'raw', 'sst'], ['raw', 'sst', 'helper'], ['sst', 'helper', 'raw'], ['sst', 'raw', 'helper'], ['raw', 'helper', 'sst'], ['helper', 'sst', 'raw'],
];

type LoadMode = 'module' | 'first-invoke';

async function bundleSuite(scripts: Scripts, settings: Settings): Promise<SuiteOutcome> {
  installPeer();
  const { result: variants } = await runChild<BundleVariant[]>(scripts.bundle, [ROOT, path.join(WORK_DIR, 'bundle.out')]);
  // Loaded from inside the project, so the external @aws-sdk/* resolve from node_modules as Lambda's runtime provides them.
  const loadDir = path.join(WORK_DIR, 'bundles');
  fs.mkdirSync(loadDir, { recursive: true });
  const sized = variants.map((v) => {
    const file = path.join(loadDir, `${v.handler}${v.minify ? '.min' : ''}.js`);
    fs.copyFileSync(v.file, file);
    const body = fs.readFileSync(file);
    return { ...v, file, bytes: body.length, gzipBytes: gzipSync(body, { level: 9 }).length };
  });
  const find = (handler: HandlerKind, minify: boolean) => sized.find((v) => v.handler === handler && v.minify === minify)!;

  const load: Record<LoadMode, Record<HandlerKind, LoadRun[]>> = {
    'module': { helper: [], raw: [], sst: [] },
    'first-invoke': { helper: [], raw: [], sst: [] },
  };
  for (const mode of ['module', 'first-invoke'] as const) {
    for (let run = 0; run < settings.loadRuns; run++) {
      for (const handler of LOAD_ORDERS[run % LOAD_ORDERS.length]) {
        const { result } = await runChild<LoadRun>(scripts.load, [find(handler, true).file, mode]);
        load[mode][handler].push(result);
      }
    }
  }
  const series = (mode: LoadMode, handler: HandlerKind, clock: 'wall' | 'cpu') => load[mode][handler].map((r) => (mode === 'module'
    ? (clock === 'wall' ? r.moduleMs : r.moduleCpuMs)
    : (clock === 'wall' ? r.totalMs : r.totalCpuMs)));
  const ratio = (mode: LoadMode, handler: HandlerKind, clock: 'wall' | 'cpu') => pairedRatio(series(mode, handler, clock), series(mode, 'raw', clock));
  const added = (handler: HandlerKind, minify: boolean, field: 'bytes' | 'gzipBytes' = 'bytes') => find(handler, minify)[field] - find('raw', minify)[field];

  // What the added bytes are: an identical esbuild build of each handler checks the totals; the helper's share is then
  // built from lambda/'s sources to give each of its files.
  const parts = Object.fromEntries(await Promise.all(HANDLERS.map(async (handler) => {
    const { entry, projectRoot } = handlerProject(ROOT, handler);
    const breakdown = await minifiedBreakdown(entry, projectRoot);
    if (breakdown.bytes !== find(handler, true).bytes) {
      throw new Error(`the size breakdown build of the ${handler} handler (${breakdown.bytes} B) differs from the construct's (${find(handler, true).bytes} B)`);
    }
    return [handler, breakdown] as const;
  }))) as Record<HandlerKind, Breakdown>;
  const bySource = await minifiedBreakdown(handlerProject(ROOT, 'helper').entry, ROOT,
    { 'cdk-durable-workflow/runtime': path.join(ROOT, 'lambda', 'handler-side.ts') });
  const addedParts = Object.entries(bySource.byInput)
    .map(([input, bytes]) => [input, bytes - (parts.raw.byInput[input] ?? 0)] as const)
    .filter(([input, bytes]) => bytes !== 0 && !input.startsWith('bench/'))
    .sort((a, b) => b[1] - a[1]);

  const moduleCpu = ratio('module', 'helper', 'cpu');
  const verdicts: Verdict[] = [
    {
      suite: 'bundle',
      what: 'bytes the helper adds, minified',
      value: `${added('helper', true)} B (${fixed(added('helper', true) / 1024)} KiB)`,
      target: `<= ${TARGETS.bundleAddedBytes} B`,
      met: added('helper', true) <= TARGETS.bundleAddedBytes,
    },
    {
      suite: 'bundle',
      what: `cold require of the bundle, CPU time ratio (${settings.loadRuns} pairs)`,
      value: fixed(moduleCpu, 3),
      target: `<= ${TARGETS.loadRatio}`,
      met: moduleCpu <= TARGETS.loadRatio,
    },
  ];
  const name = { helper: 'helper (cdk-durable-workflow/runtime)', raw: 'raw SDK', sst: "SST's sst/aws/workflow" };
  const markdown = [
    "## 2. Bundle: one saga handler on the runtime helper, on the raw SDK, and on SST's sst/aws/workflow",
    '',
    "Each bundled by DurableWorkflow's `entry` bundling (NodejsFunction's esbuild: CommonJS, target node24, `@aws-sdk/*` external,"
    + ' the construct\'s export conditions), as the construct ships it (no minify) and with `bundling: { minify: true }`; SST 4.17.1'
    + ` on the project's durable SDK. Load: fresh \`node\` per run, ${settings.loadRuns} runs per handler in rotating order, minified`
    + ' bundles; ratios are medians of per-run pairs with the raw SDK, on CPU time (user + system) and wall time. "+ client-lambda"'
    + ' adds loading @aws-sdk/client-lambda, which the durable SDK imports during the first invocation anyway.',
    '',
    table(['handler', 'minified bytes', 'added', 'gzip bytes', 'added gzip', 'default bytes', 'added'],
      HANDLERS.map((h) => [name[h], find(h, true).bytes, added(h, true), find(h, true).gzipBytes, added(h, true, 'gzipBytes'),
        find(h, false).bytes, added(h, false)])),
    '',
    table(['where the helper\'s added minified bytes come from', 'bytes'], addedParts.map(([input, bytes]) => [input, bytes])),
    '',
    table(['load', ...HANDLERS.map((h) => `${h} ms (CPU)`), 'helper / raw CPU', 'helper / raw wall', 'SST / raw CPU', 'SST / raw wall'],
      (['module', 'first-invoke'] as const).map((mode) => [
        mode === 'module' ? 'require(bundle)' : 'require(bundle) + client-lambda',
        ...HANDLERS.map((h) => `${fixed(median(series(mode, h, 'wall')), 2)} (${fixed(median(series(mode, h, 'cpu')), 2)})`),
        fixed(ratio(mode, 'helper', 'cpu'), 3), fixed(ratio(mode, 'helper', 'wall'), 3),
        fixed(ratio(mode, 'sst', 'cpu'), 3), fixed(ratio(mode, 'sst', 'wall'), 3),
      ])),
    '',
  ].join('\n');
  const data = {
    sizes: sized.map(({ file: _file, ...rest }) => rest),
    addedParts: Object.fromEntries(addedParts),
    load,
    ratios: Object.fromEntries((['module', 'first-invoke'] as const).map((mode) => [mode, {
      helperCpu: ratio(mode, 'helper', 'cpu'),
      helperWall: ratio(mode, 'helper', 'wall'),
      sstCpu: ratio(mode, 'sst', 'cpu'),
      sstWall: ratio(mode, 'sst', 'wall'),
    }])),
  };
  return { suite: 'bundle', data, verdicts, markdown };
}

// ---- 3. Replay ------------------------------------------------------------------------------------------------

async function replaySuite(scripts: Scripts, settings: Settings): Promise<SuiteOutcome> {
  const runs: ReplayRun[] = [];
  for (const [workflow, size] of [['steps', settings.replaySteps], ['saga', settings.replayCompensations]] as const) {
    const { result } = await runChild<ReplayRun>(scripts.replay, [workflow, String(size), String(settings.replayRuns)]);
    runs.push(result);
  }
  const rows = runs.map((r) => {
    const wall = pairedRatio(r.helper.map((s) => s.wallMs), r.raw.map((s) => s.wallMs));
    const cpu = pairedRatio(r.helper.map((s) => s.cpuMs), r.raw.map((s) => s.cpuMs));
    const label = r.workflow === 'steps' ? `${r.size} steps, ${r.invocations} invocations` : `${r.size} compensations rolled back, ${r.invocations} invocations`;
    return { label, run: r, wall, cpu };
  });
  // Both ratios are judged. Wall time is mostly idle: skipTime's fake clock also fakes setImmediate and only moves every
  // 20 real ms, so each checkpoint waits about that long on either side, and the wall ratio stays near 1 whatever the
  // helper costs. CPU time is the work itself, so it is the figure that shows the helper's overhead.
  const ratioVerdict = (what: string, ratio: number): Verdict =>
    ({ suite: 'replay', what, value: fixed(ratio, 3), target: `<= ${TARGETS.replayRatio}`, met: ratio <= TARGETS.replayRatio });
  const verdicts: Verdict[] = rows.flatMap(({ label, wall, cpu }) =>
    [ratioVerdict(`wall time ratio, ${label}`, wall), ratioVerdict(`CPU time ratio, ${label}`, cpu)]);
  const markdown = [
    '## 3. Replay: helper vs raw SDK under LocalDurableTestRunner (skipTime)',
    '',
    `One process per workflow, warm-up first, then ${settings.replayRuns} runs per side alternating. Callback gates force the`
    + ' replays (the many-steps workflow replays after every fifth of its steps; the saga rolls back in an invocation that'
    + ' rebuilt its compensations by replay). Wall time on the real clock; CPU = user + system of the process. Wall time is'
    + " mostly the test runner's fake clock, which moves every 20 real ms and so holds each checkpoint about that long on"
    + ' both sides: the CPU ratio is the one that shows what the helper adds.',
    '',
    table(['workflow', 'operations (helper/raw)', 'helper ms', 'raw SDK ms', 'wall ratio', 'helper CPU ms', 'raw SDK CPU ms', 'CPU ratio'],
      rows.map(({ label, run, wall, cpu }) => [
        label, `${run.operations.helper} / ${run.operations.raw}`,
        fixed(median(run.helper.map((s) => s.wallMs))), fixed(median(run.raw.map((s) => s.wallMs))), fixed(wall, 3),
        fixed(median(run.helper.map((s) => s.cpuMs))), fixed(median(run.raw.map((s) => s.cpuMs))), fixed(cpu, 3),
      ])),
    '',
  ].join('\n');
  return { suite: 'replay', data: rows.map(({ run, wall, cpu }) => ({ ...run, wallRatio: wall, cpuRatio: cpu })), verdicts, markdown };
}

// ---- 4. Client ------------------------------------------------------------------------------------------------

async function clientSuite(scripts: Scripts, settings: Settings): Promise<SuiteOutcome> {
  const executions = 5000;
  const { result } = await runChild<ClientRun>(scripts.client, [String(executions), String(settings.clientRuns)]);
  const pages = Math.ceil(executions / TARGETS.pageSize);
  const ratio = pairedRatio(result.helperMs, result.paginatorMs);
  // Judged on every timed run, not just one.
  const counts = [...new Set(result.helperRequests.map((r) => r.count))];
  const maxItems = [...new Set(result.helperRequests.flatMap((r) => r.maxItems))];
  const verdicts: Verdict[] = [{
    suite: 'client',
    what: `workflow.list requests for ${executions} executions, each of ${settings.clientRuns} runs`,
    value: `${counts.join(', ')} (MaxItems ${maxItems.join(', ')})`,
    target: `= ${pages} pages of ${TARGETS.pageSize}`,
    met: counts.length === 1 && counts[0] === pages && maxItems.length === 1 && maxItems[0] === String(TARGETS.pageSize),
  }];
  const markdown = [
    '## 4. Client: listing 5,000 executions from the local Lambda API server',
    '',
    `Real @aws-sdk/client-lambda over HTTP to 127.0.0.1 (server in the same process); ${settings.clientRuns} runs per side alternating after a warm-up.`,
    '',
    table(['client', 'requests', 'median ms', 'min ms', 'max ms'], [
      ['workflow.list (helper)', result.helperRequests[0].count, fixed(median(result.helperMs)), fixed(Math.min(...result.helperMs)), fixed(Math.max(...result.helperMs))],
      ['paginateListDurableExecutionsByFunction (SDK)', result.paginatorRequests[0].count, fixed(median(result.paginatorMs)), fixed(Math.min(...result.paginatorMs)), fixed(Math.max(...result.paginatorMs))],
    ]),
    '',
    `Helper / paginator time ratio: ${fixed(ratio, 3)}.`,
    '',
  ].join('\n');
  return { suite: 'client', data: { ...result, ratio }, verdicts, markdown };
}

// ---- 5. Test speed --------------------------------------------------------------------------------------------

async function testSpeedSuite(scripts: Scripts, settings: Settings): Promise<SuiteOutcome> {
  const runs: Record<'local' | 'sdk', { run: TestSpeedRun; processMs: number }[]> = { local: [], sdk: [] };
  for (let run = 0; run < settings.testSpeedRuns; run++) {
    for (const runner of abFirst(run) ? ['local', 'sdk'] as const : ['sdk', 'local'] as const) {
      const { result, wallMs } = await runChild<TestSpeedRun>(scripts.testSpeed, [runner]);
      runs[runner].push({ run: result, processMs: wallMs });
    }
  }
  const runMs = (r: 'local' | 'sdk') => runs[r].map((x) => x.run.runMs);
  const cpuMs = (r: 'local' | 'sdk') => runs[r].map((x) => x.run.cpuMs);
  const processMs = (r: 'local' | 'sdk') => runs[r].map((x) => x.processMs);
  const localRun = median(runMs('local'));
  const simulatedDays = runs.local[0].run.simulatedDays;
  const localProcess = median(processMs('local'));
  const wallRatio = pairedRatio(runMs('local'), runMs('sdk'));
  const cpuRatio = pairedRatio(cpuMs('local'), cpuMs('sdk'));
  const what = 'runWorkflowLocally: 365-day wait + 10 retried failures';
  const verdict = (label: string, ms: number): Verdict =>
    ({ suite: 'test-speed', what: `${what}, ${label}`, value: `${fixed(ms)} ms`, target: `< ${TARGETS.testSpeedMs} ms`, met: ms < TARGETS.testSpeedMs });
  const verdicts: Verdict[] = [
    verdict('run', localRun),
    verdict('whole process', localProcess),
    { suite: 'test-speed', what: `${what}, wall time vs the official runner`, value: fixed(wallRatio, 3), target: `<= ${TARGETS.yearRatio}`, met: wallRatio <= TARGETS.yearRatio },
  ];
  const markdown = [
    '## 5. Test speed: a 365-day wait and 10 retried failures, run locally',
    '',
    `Fresh process per run, ${settings.testSpeedRuns} runs per runner alternating. Run = set-up, execution and tear-down of the local`
    + ' backend (CPU: the whole process over the run, worker threads included); process = spawn to exit (Node.js start-up and'
    + ` module loading included). Simulated time covered: ${fixed(simulatedDays, 3)} days.`,
    '',
    table(['runner', 'run ms', 'CPU ms', 'process ms'], [
      ['runWorkflowLocally on the local engine (cdk-durable-workflow/runtime/testing)', fixed(localRun), fixed(median(cpuMs('local'))), fixed(localProcess)],
      ['LocalDurableTestRunner directly (the official runner)', fixed(median(runMs('sdk'))), fixed(median(cpuMs('sdk'))), fixed(median(processMs('sdk')))],
    ]),
    '',
    `Engine / official runner: wall ${fixed(wallRatio, 3)}, CPU ${fixed(cpuRatio, 3)}.`,
    '',
  ].join('\n');
  return { suite: 'test-speed', data: { runs, wallRatio, cpuRatio }, verdicts, markdown };
}

// ---- 6. Engine --------------------------------------------------------------------------------------------------

async function engineSuite(scripts: Scripts, settings: Settings): Promise<SuiteOutcome> {
  const steps: Record<'engine' | 'official' | 'sdk', StepsRun[]> = { engine: [], official: [], sdk: [] };
  for (let run = 0; run < settings.engineStepsRuns; run++) {
    for (const runner of abFirst(run) ? ['engine', 'official', 'sdk'] as const : ['sdk', 'official', 'engine'] as const) {
      steps[runner].push((await runChild<StepsRun>(scripts.engine, ['steps', runner])).result);
    }
  }
  const stepCount = steps.engine[0].steps;
  const series = (runner: 'engine' | 'official' | 'sdk', when: 'cold' | 'warm', field: 'wallMs' | 'cpuMs') => steps[runner].map((r) => r[when][field]);
  const ratios = (when: 'cold' | 'warm') => ({
    wall: pairedRatio(series('engine', when, 'wallMs'), series('official', when, 'wallMs')),
    cpu: pairedRatio(series('engine', when, 'cpuMs'), series('official', when, 'cpuMs')),
  });
  const cold = ratios('cold');
  const warm = ratios('warm');

  const concurrent: ConcurrentRun[] = [];
  for (let run = 0; run < settings.concurrentRuns; run++) {
    concurrent.push((await runChild<ConcurrentRun>(scripts.engine, ['concurrent', String(settings.concurrentExecutions)])).result);
  }
  const concurrentWall = median(concurrent.map((r) => r.wallMs));
  const executions = settings.concurrentExecutions;
  const stepsPerExecution = concurrent[0].steps;

  const ratioVerdict = (what: string, ratio: number): Verdict =>
    ({ suite: 'engine', what, value: fixed(ratio, 3), target: `<= ${TARGETS.stepsRatio}`, met: ratio <= TARGETS.stepsRatio });
  const verdicts: Verdict[] = ([['cold', cold], ['warm', warm]] as const).flatMap(([when, ratio]) => [
    ratioVerdict(`${stepCount} steps (${when}), wall time vs the official runner`, ratio.wall),
    ratioVerdict(`${stepCount} steps (${when}), CPU time vs the official runner`, ratio.cpu),
  ]);
  const engineColdWall = median(series('engine', 'cold', 'wallMs'));
  verdicts.push(
    { suite: 'engine', what: `${stepCount} steps on the engine (cold), wall`, value: `${fixed(engineColdWall)} ms`, target: `< ${TARGETS.stepsMs} ms`, met: engineColdWall < TARGETS.stepsMs },
    {
      suite: 'engine',
      what: `${executions} concurrent executions, every run`,
      value: concurrent.map((r) => `${r.succeeded} SUCCEEDED, ${r.complete} complete`).join('; '),
      target: `${executions} SUCCEEDED with complete histories`,
      met: concurrent.every((r) => r.succeeded === executions && r.complete === executions),
    },
  );
  const row = (label: string, runner: 'engine' | 'official' | 'sdk') => [label,
    fixed(median(series(runner, 'cold', 'wallMs'))), fixed(median(series(runner, 'cold', 'cpuMs'))),
    fixed(median(series(runner, 'warm', 'wallMs'))), fixed(median(series(runner, 'warm', 'cpuMs')))];
  const markdown = [
    '## 6. The local engine',
    '',
    `A ${stepCount}-step workflow (raw SDK) through runWorkflowLocally on each runner: fresh process per run, ${settings.engineStepsRuns} runs per`
    + ' runner alternating, each process running it twice: cold (its first run, as a test file\'s first workflow) and warm. Wall'
    + ' and CPU of the run (the whole process, worker threads included). The floor runs the same handler as one invocation'
    + ' against a client that keeps nothing: what the durable SDK itself costs for these steps, whatever serves it. Then'
    + ` ${executions} executions of a ${stepsPerExecution}-step workflow with a one-hour wait, started together on one engine in one process`
    + ` (${settings.concurrentRuns} runs, fresh process each); every result and history checked.`,
    '',
    table(['runner', 'cold ms', 'cold CPU ms', 'warm ms', 'warm CPU ms'], [
      row('local engine', 'engine'),
      row('official runner (LocalDurableTestRunner, skipTime)', 'official'),
      row('the SDK alone, behind a client that echoes (a floor for both)', 'sdk'),
    ]),
    '',
    `Engine / official runner: cold wall ${fixed(cold.wall, 3)}, CPU ${fixed(cold.cpu, 3)}; warm wall ${fixed(warm.wall, 3)}, CPU ${fixed(warm.cpu, 3)}.`,
    '',
    table(['concurrent executions', 'total ms', 'CPU ms', 'ms per execution', 'invocations'], [[
      executions, fixed(concurrentWall), fixed(median(concurrent.map((r) => r.cpuMs))), fixed(concurrentWall / executions, 2),
      concurrent[0].invocations,
    ]]),
    '',
  ].join('\n');
  return { suite: 'engine', data: { steps, cold, warm, concurrent }, verdicts, markdown };
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
