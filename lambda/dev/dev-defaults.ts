// What the dev server uses unless told otherwise; apart from the server, so the CLI's help loads nothing else.
import { join } from 'node:path';

/** The port on 127.0.0.1 (9229 is Node.js's inspector). */
export const DEFAULT_PORT = 8911;

/** The state file, relative to the app's folder. */
export const DEFAULT_STATE_FILE = join('.cdk-durable-workflow', 'dev.sqlite');
