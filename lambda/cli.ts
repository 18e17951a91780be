#!/usr/bin/env node
// `npx cdk-durable-workflow <command>`: the commands live in lambda/cli/, one file each.
import type { Command } from './cli/command';
import { UsageError } from './cli/command';
import { devCommand } from './cli/dev';
import { replayCommand } from './cli/replay';
import { runCommand } from './cli/run';

const COMMANDS: readonly Command[] = [runCommand, replayCommand, devCommand];

const USAGE = `Usage: cdk-durable-workflow <command> [options]

Commands:
${COMMANDS.map((command) => `  ${command.name.padEnd(10)}${command.summary}`).join('\n')}

Run cdk-durable-workflow <command> --help for a command's options.
`;

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '-h' || name === '--help') {
    if (name === undefined) throw new UsageError(`No command given.\n\n${USAGE}`);
    process.stdout.write(USAGE);
    return 0;
  }
  const command = COMMANDS.find((candidate) => candidate.name === name);
  if (!command) throw new UsageError(`Unknown command "${name}": the commands are ${COMMANDS.map((c) => c.name).join(', ')}.\n\n${USAGE}`);
  return command.run(rest);
}

// Stack traces from the bundled workflow point at its source files.
process.setSourceMapsEnabled?.(true);
// `... | head` closing the pipe early is not an error worth a stack trace.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
});
main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (error: Error) => {
    const known = error instanceof UsageError || error.name === 'LocalRunError';
    process.stderr.write(`cdk-durable-workflow: ${known ? error.message : error.stack ?? error.message}\n`);
    process.exitCode = 2;
  },
);
