// A function the library ships pre-bundled (src/<name>.lambda.ts), built with the very command projen's
// `bundle:<name>.lambda` task runs (read from .projen/tasks.json), so a test loads what the package ships, fresh.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '..', '..');

/** Bundles src/<name>.lambda.ts into assets/<name>.lambda/ and returns the bundle's path. */
export function bundleShippedFunction(name: string): string {
  const task = JSON.parse(readFileSync(join(ROOT, '.projen', 'tasks.json'), 'utf8')).tasks[`bundle:${name}.lambda`];
  if (!task) throw new Error(`No bundle:${name}.lambda task: is src/${name}.lambda.ts there, and was \`npx projen\` run?`);
  const [command, ...args]: string[] = task.steps[0].execArgs;
  execFileSync(join(ROOT, 'node_modules', '.bin', command), args, { cwd: ROOT, stdio: 'pipe' });
  return join(ROOT, args.find((arg) => arg.startsWith('--outfile='))!.slice('--outfile='.length));
}
