// What every `cdk-durable-workflow <command>` shares: its shape, and the errors and argument helpers of a command line.
import { parseArgs, type ParseArgsOptionsConfig } from 'node:util';
import type * as Testing from '../testing';

/** One command of the CLI: `cdk-durable-workflow <name> ...`. */
export interface Command {
  readonly name: string;
  /** One line for the command list. */
  readonly summary: string;
  /** The command's whole help text. */
  readonly usage: string;
  /** Runs with the arguments after the command's name; resolves to the exit status. */
  run(argv: string[]): Promise<number>;
}

/** A problem with the command line or its input: printed without a stack trace, exit status 2. */
export class UsageError extends Error {}

/** Parses a command's arguments (positionals allowed); an unknown or malformed option is a UsageError naming the command's help. */
export function parseCommandLine<T extends ParseArgsOptionsConfig>(command: string, argv: string[], options: T) {
  try {
    return parseArgs({ args: argv, allowPositionals: true, options });
  } catch (error) {
    throw new UsageError(`${(error as Error).message}\nRun cdk-durable-workflow ${command} --help for the options.`);
  }
}

export function parseJson(text: string, option: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${option} is not valid JSON: ${(error as Error).message}. Got: ${text}`);
  }
}

export function parseSeconds(text: string, option: string): number {
  const seconds = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(seconds)) throw new UsageError(`${option} expects a whole number of seconds, got "${text}"`);
  return seconds;
}

/** Splits `<name>=<value>` (the value may contain `=`). */
export function splitSpec(spec: string, option: string, shape: string): [string, string] {
  const at = spec.indexOf('=');
  if (at <= 0) throw new UsageError(`${option} expects ${shape}, got "${spec}"`);
  return [spec.slice(0, at), spec.slice(at + 1)];
}

/** Packages a command loads on demand: the user installs them beside their CDK app. */
const PEER_PACKAGES = ['@aws/durable-execution-sdk-js', '@aws-sdk/client-lambda', 'aws-cdk-lib'];

/** Loads what a command needs, turning a missing package into the line that installs it. */
export async function loadForCommand<T>(command: string, load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (error) {
    const missing = (error as { code?: string }).code === 'MODULE_NOT_FOUND'
      ? PEER_PACKAGES.find((name) => (error as Error).message.includes(`'${name}`))
      : undefined;
    if (missing) throw new UsageError(`cdk-durable-workflow ${command} needs ${missing}: npm install --save-dev ${missing}`);
    throw error;
  }
}

/** The testing entry point, loaded on demand: it needs the durable SDK, which the user installs. */
export function loadTesting(command: string): Promise<typeof Testing> {
  return loadForCommand(command, () => import('../testing'));
}
