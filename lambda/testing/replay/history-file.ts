import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import type { Event } from '@aws-sdk/client-lambda';
import { LocalRunError } from '../local-run-error';
import { readHistory } from './history-input';

/** A history read from a file. */
export interface HistoryFile {
  /** The file, relative to the working folder when it is inside it. */
  readonly file: string;
  readonly events: Event[];
}

/**
 * Reads saved histories (golden histories): each path is a JSON file, or a folder whose `.json` files (not its
 * subfolders) are read in name order. Throws a LocalRunError naming the file that is missing, not JSON, or not a
 * history, and for a folder without any.
 */
export function readHistoryFiles(...paths: string[]): HistoryFile[] {
  return paths.flatMap((path) => {
    const full = resolve(path);
    if (!existsSync(full)) throw new LocalRunError(`No such history file or folder: ${path}`);
    if (!statSync(full).isDirectory()) return [readHistoryFile(full)];
    const files = readdirSync(full).filter((name) => name.endsWith('.json')).sort();
    if (files.length === 0) throw new LocalRunError(`${path} is a folder without any .json history file`);
    return files.map((name) => readHistoryFile(join(full, name)));
  });
}

/**
 * Writes a history as `GetDurableExecutionHistory`'s response (`{ "Events": [...] }`, times as ISO 8601 strings),
 * creating the folder it goes in.
 */
export function writeHistoryFile(file: string, events: readonly Event[]): void {
  mkdirSync(dirname(resolve(file)), { recursive: true });
  writeFileSync(file, `${JSON.stringify({ Events: events }, null, 2)}\n`);
}

function readHistoryFile(full: string): HistoryFile {
  const shown = relative(process.cwd(), full);
  const file = shown.startsWith('..') ? full : shown;
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(full, 'utf8'));
  } catch (error) {
    throw new LocalRunError(`${file} is not valid JSON: ${(error as Error).message}`);
  }
  return { file, events: readHistory(json, file) };
}
