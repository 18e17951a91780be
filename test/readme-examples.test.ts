import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';

// jsii-rosetta compiles the README's `ts` blocks (construct code) in the build. Handler and client
// code uses the runtime helper, which is not part of the jsii API, so those blocks are fenced `mts`
// and type-checked here, strictly, against the runtime's source.

const ROOT = path.resolve(__dirname, '..');
const README = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');

function fencedBlocks(markdown: string, language: string): string[] {
  const blocks: string[] = [];
  const fence = new RegExp('^```' + language + '\\s*\\n([\\s\\S]*?)^```\\s*$', 'gm');
  for (let match = fence.exec(markdown); match; match = fence.exec(markdown)) {
    blocks.push(match[1]);
  }
  return blocks;
}

/** The runtime's sources and the declarations they import, parsed once for every program of this file. */
const parsed = new Map<string, ts.SourceFile | undefined>();

function typeCheck(files: Map<string, string>): string[] {
  const options: ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    skipLibCheck: true,
    types: ['node', 'jest'],
    baseUrl: ROOT,
    paths: {
      'cdk-durable-workflow/runtime': ['lambda/index.ts'],
      'cdk-durable-workflow/runtime/client': ['lambda/client/index.ts'],
      'cdk-durable-workflow/runtime/testing': ['lambda/testing/index.ts'],
    },
  };
  const host = ts.createCompilerHost(options);
  const { getSourceFile, fileExists, readFile } = host;
  host.fileExists = (name) => files.has(name) || fileExists.call(host, name);
  host.readFile = (name) => files.get(name) ?? readFile.call(host, name);
  host.getSourceFile = (name, languageVersion, ...rest) => {
    const text = files.get(name);
    return text !== undefined
      ? ts.createSourceFile(name, text, languageVersion, true)
      : parsed.get(name) ?? parsed.set(name, getSourceFile.call(host, name, languageVersion, ...rest)).get(name);
  };
  const program = ts.createProgram([...files.keys()], options, host);
  // The examples' own diagnostics only: checking every runtime source they import is the build's job (tsc -p lambda).
  return [...files.keys()].flatMap((name) => ts.getPreEmitDiagnostics(program, program.getSourceFile(name)))
    .filter((d) => d.file && files.has(d.file.fileName))
    .map((d) => {
      const { line } = d.file!.getLineAndCharacterOfPosition(d.start ?? 0);
      return `${path.basename(d.file!.fileName)}:${line + 1}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
    });
}

describe('README handler and client examples', () => {
  const blocks = fencedBlocks(README, 'mts');

  test('the README has runtime examples', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(2);
  });

  test('every runtime example type-checks strictly against the runtime helper', () => {
    const files = new Map(blocks.map((code, i) => [path.join(ROOT, `README.example-${i + 1}.mts`), code]));
    expect(typeCheck(files)).toEqual([]);
  });

  test('a broken example is caught', () => {
    // Guards the check itself: a wrong call must produce a diagnostic, not pass silently.
    const broken = "import { workflow } from 'cdk-durable-workflow/runtime';\nworkflow.start(42);\n";
    const diagnostics = typeCheck(new Map([[path.join(ROOT, 'README.broken.mts'), broken]]));
    expect(diagnostics.join('\n')).toMatch(/README\.broken\.mts:2/);
  });
});
