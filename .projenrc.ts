import { awscdk, javascript, typescript } from 'projen';

// Versions the runtime helper, the tests and the demo are built and checked against.
const DURABLE_SDK = '@aws/durable-execution-sdk-js@^2.4.0';
const DURABLE_SDK_TESTING = '@aws/durable-execution-sdk-js-testing@^1.1.4';
const CLIENT_LAMBDA = '@aws-sdk/client-lambda@^3.1162.0';

// How the shipped functions are bundled. @aws-sdk/client-lambda goes into the bundle rather than coming from the
// runtime: the durable APIs (ListDurableExecutionsByFunction) date from December 2025, and the SDK a Lambda runtime
// ships lags npm's and changes without a deploy; bundled, a function runs the very client its tests ran. Minified,
// the pruner is about 0.54 MB instead of 1.3 MB. Typed as addBundle()'s options, which projen spreads
// lambdaOptions.bundlingOptions into (BundlingOptions alone has no `minify`).
const LAMBDA_BUNDLING: javascript.AddBundleOptions = {
  target: awscdk.LambdaRuntime.NODEJS_24_X.esbuildTarget,
  platform: 'node',
  externals: [],
  minify: true,
  watchTask: false,
};

const project = new awscdk.AwsCdkConstructLibrary({
  name: 'cdk-durable-workflow',
  description:
    'AWS CDK construct for AWS Lambda durable functions: durable config, retained versions, alias, '
    + 'least-privilege checkpoint IAM, execution grants, triggers, metrics and a typed runtime helper.',
  keywords: ['awscdk', 'aws-cdk', 'cdk', 'aws-lambda', 'durable-functions', 'durable-execution', 'workflow', 'saga'],
  author: 'cdk-durable-workflow maintainers',
  authorAddress: 'maintainers@users.noreply.h-seed-2c0c7d03.example',
  repositoryUrl: 'https://github.com/maintainers/cdk-durable-workflow.git',
  license: 'Apache-2.0',
  defaultReleaseBranch: 'main',
  packageManager: javascript.NodePackageManager.NPM,
  projenrcTs: true,
  // The durable SDKs require Node 22 (Lambda runs 22 and 24); the construct library follows them.
  minNodeVersion: '22.0.0',

  // cdk-nag 3 needs aws-cdk-lib >= 2.257.0; the peer range follows from it.
  cdkVersion: '2.257.0',
  jsiiVersion: '~6.0.0',
  publishToPypi: {
    distName: 'cdk-durable-workflow',
    module: 'cdk_durable_workflow',
  },

  // No GitHub here: CI is .ci/run, releases are manual.
  github: false,
  release: false,
  depsUpgrade: false,

  // `ms` parses SST-style human durations ("2 hours") in the runtime helper; tiny, so bundled for everyone.
  bundledDeps: ['ms@^2.1.3'],
  devDeps: [
    '@types/ms@^2.1.0',
    // SQS event and batch response types for the queue dispatcher (src/queue-dispatcher.lambda.ts).
    '@types/aws-lambda@^8.10.0',
    DURABLE_SDK,
    DURABLE_SDK_TESTING,
    CLIENT_LAMBDA,
    'cdk-nag@^3.0.2',
    'fast-check@^4.10.0',
    '@aws-cdk/integ-runner@2.197.10',
    '@aws-cdk/integ-tests-alpha@2.245.0-alpha.0',
    // Drives Debian's Chromium (/usr/bin/chromium) in the dev server viewer's tests; it downloads no browser.
    'playwright-core@^1.65.1',
  ],

  jestOptions: {
    // `jest --ci`: a snapshot that drifts fails instead of being rewritten.
    updateSnapshot: javascript.UpdateSnapshot.NEVER,
    jestConfig: {
      testMatch: ['<rootDir>/test/**/*.test.ts'],
      // Coverage of the library and the runtime only: tests also load synthesized bundles from
      // .demo-out/, which they delete before the coverage report is written.
      collectCoverageFrom: ['src/**/*.ts', 'lambda/**/*.ts'],
      testTimeout: 60_000,
      // Coverage counted by instrumenting src/ and lambda/ only: V8's precise coverage counts every script, so
      // aws-cdk-lib's synth, the TypeScript compiler and the durable SDK ran about half as fast under it.
      coverageProvider: 'babel',
      // Jest runs in band below 3 cores (workers = cores - 1); the files mostly wait on synth, esbuild and child
      // processes, so on 2 cores two workers finish sooner.
      maxWorkers: '100%',
    },
  },
  // Tests are transpiled to CommonJS: the runtime helper loads @aws-sdk/client-lambda with `import()` on first
  // use, which jest runs only as CommonJS `require` (ESM dynamic import needs --experimental-vm-modules).
  tsJestOptions: {
    transformOptions: {
      tsconfig: typescript.TsJestTsconfig.custom({ module: 'commonjs', isolatedModules: true }),
    },
  },
  eslintOptions: {
    dirs: ['src', 'lambda'],
    devdirs: ['test', 'integ', 'bench', 'examples'],
  },
  tsconfigDev: {
    include: ['../lambda/**/*.ts', '../integ/**/*.ts', '../bench/**/*.ts', '../examples/**/*.ts'],
  },

  // Functions the library ships ready to deploy (src/<name>.lambda.ts): projen bundles each into assets/<name>.lambda/
  // at build time and generates src/<name>-function.ts, a lambda.Function subclass, so users need neither esbuild
  // nor Docker. Those classes stay internal: constructs of this library create them, src/index.ts does not export them.
  bundlerOptions: { esbuildVersion: '^0.28.0' },
  lambdaOptions: {
    // Pinned, not NODEJS_REGIONAL_LATEST (a per-region lookup at synth): nodejs24.x is the newest Node.js runtime
    // aws-cdk-lib 2.257 knows, which is what cdk-nag's AwsSolutions-L1 asks for; raise it with cdkVersion.
    runtime: awscdk.LambdaRuntime.NODEJS_24_X,
    bundlingOptions: LAMBDA_BUNDLING,
  },

  gitignore: ['.jsii.tabl.json', 'cdk.out/', '*.cdk.out/', '.demo-out/', 'bench/results/', 'bench/peer/node_modules/', 'integ/**/*.snapshot/**/asset.*'],
});

// The npm tarball carries the construct library and the compiled runtime helper (lib/), nothing else.
for (const ignored of ['/lambda/', '/scripts/', '/docs/', '/rosetta/', '/integ/', '/bench/', '/examples/', '/.ci/', 'cdk.out/', '/.demo-out/']) {
  project.addPackageIgnore(ignored);
}

// The handlers' sources compiled by jsii into lib/ are not the shipped code (assets/ is) and import devDependencies.
project.addPackageIgnore('/lib/**/*.lambda.*');

// The registry lacks some platform builds of unrs-resolver 1.13 (eslint's import resolver): `npm ci` fails without this.
project.package.addPackageResolutions('unrs-resolver@1.12.2');

// The JUnit report names each suite by its test file, so its `time` attributes are the per-file times.
project.package.file.addOverride('jest.reporters.1', ['jest-junit', { outputDirectory: 'test-reports', suiteNameTemplate: '{filepath}' }]);

// One package, four entry points: the jsii construct library, the runtime helper, its client alone, and its local
// test runner. DurableWorkflow's `entry` bundling sets the `cdk-durable-workflow-handler` condition, which gives
// handlers a runtime whose `workflow` leaves the client out (lambda/handler-side.ts). `typesVersions` serves
// TypeScript consumers that still resolve modules the node10 way.
project.package.addField('exports', {
  '.': { types: './lib/index.d.ts', default: './lib/index.js' },
  './runtime': {
    'types': './lib/runtime/index.d.ts',
    'cdk-durable-workflow-handler': { import: './lib/runtime/handler-side.mjs', require: './lib/runtime/handler-side.js' },
    'import': './lib/runtime/index.mjs',
    'require': './lib/runtime/index.js',
  },
  './runtime/client': {
    types: './lib/runtime/client/index.d.ts',
    import: './lib/runtime/client/index.mjs',
    require: './lib/runtime/client/index.js',
  },
  './runtime/testing': {
    types: './lib/runtime/testing/index.d.ts',
    import: './lib/runtime/testing/index.mjs',
    require: './lib/runtime/testing/index.js',
  },
  './.jsii': './.jsii',
  './package.json': './package.json',
});
project.package.addField('typesVersions', {
  '*': {
    'runtime': ['lib/runtime/index.d.ts'],
    'runtime/client': ['lib/runtime/client/index.d.ts'],
    'runtime/testing': ['lib/runtime/testing/index.d.ts'],
  },
});
project.addBins({ 'cdk-durable-workflow': 'lib/runtime/cli.js' });

// Keeps the AWS SDK (integ-runner, synth) from probing instance metadata for a region.
project.tasks.addEnvironment('AWS_REGION', 'us-east-1');

// The runtime helper (lambda/) is plain TypeScript outside the jsii API: type-check and emit it to lib/runtime.
const runtimeCompile = project.addTask('compile:runtime', {
  description: 'Type-check and compile the runtime helper (lambda/) to lib/runtime (CJS + .d.ts) and an ESM build',
  steps: [
    // From scratch: a stale lib/runtime/x.js from an older layout would shadow a new lib/runtime/x/index.js.
    { exec: 'rm -rf lib/runtime' },
    { exec: 'tsc -p lambda/tsconfig.json' },
    { exec: 'node lambda/build-esm.mjs' },
    { exec: 'node lambda/copy-viewer.mjs' },
  ],
});
project.compileTask.spawn(runtimeCompile);

// The runtime helper and CLI are outside jsii's view: check the tarball carries every export and bin target.
project.tasks.tryFind('package:js')!.exec('node scripts/check-tarball.mjs');

// Python wheel offline: stock `jsii-pacmak --target python` pip-installs build tools from PyPI, unreachable here.
const pythonTask = project.tasks.tryFind('package:python');
if (pythonTask) {
  pythonTask.reset();
  pythonTask.exec('rm -rf dist/.pysrc dist/python');
  pythonTask.exec('jsii-pacmak --target python --code-only --outdir dist/.pysrc');
  pythonTask.exec('/usr/bin/python3 -m pip wheel --no-deps --no-build-isolation --no-index -w dist/python dist/.pysrc/python');
  pythonTask.exec('node scripts/check-wheel.mjs');
}

// The build packages npm and Python everywhere: projen's default builds only npm under CI=true (it expects
// other languages in separate CI jobs), but .ci/run is this project's whole CI.
project.packageTask.reset();
project.packageTask.spawn(project.tasks.tryFind('package-all')!);

// README examples must compile (jsii-rosetta strict), not only look right.
const rosetta = project.addTask('rosetta', {
  description: 'Compile the README examples with jsii-rosetta --strict',
  exec: 'jsii-rosetta extract --strict',
});
project.postCompileTask.spawn(rosetta);

// integ-runner snapshot tests in integ/, offline (no deploy). Pinned devDeps, not projen's experimental runner.
project.addTask('integ', {
  description: 'Verify the integ/ snapshots (no deploy)',
  exec: 'integ-runner --directory integ --language typescript --parallel-regions us-east-1 --max-workers 1',
  env: { TS_NODE_TRANSPILE_ONLY: '1' },
});
project.testTask.spawn(project.tasks.tryFind('integ')!);
project.addTask('integ:update', {
  description: 'Write the integ/ snapshots without deploying',
  exec: 'integ-runner --directory integ --language typescript --update-on-failed --dry-run --parallel-regions us-east-1 --max-workers 1',
  env: { TS_NODE_TRANSPILE_ONLY: '1' },
});

// The bundle benchmark's handler imports the runtime by package name (lib/runtime), so it is compiled first.
const bench = project.addTask('bench', {
  description: 'Benchmarks against their floors (bench/): synth, bundle, replay, client, test speed, engine; --quick for a smoke check',
  env: { TS_NODE_TRANSPILE_ONLY: '1' },
});
bench.spawn(runtimeCompile);
bench.exec('ts-node --project test/tsconfig.json bench/run.ts', { receiveArgs: true });

// README command one, on a fresh clone: the shipped functions are bundled first (the example stack's version pruner
// is one), and the runtime helper compiled (the example handler imports it by package name; the dev server runs it).
const demo = project.addTask('demo', {
  description: 'Synthesize the example app, run its workflow locally, then on the dev server (see examples/)',
});
demo.spawn(project.tasks.tryFind('bundle')!);
demo.spawn(runtimeCompile);
demo.exec('ts-node --project test/tsconfig.json examples/demo.ts');

project.synth();
