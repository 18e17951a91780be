import { unwatchFile, watchFile } from 'node:fs';
import type { Stats } from 'node:fs';
import { join } from 'node:path';

/** How often manifest.json is looked at, and how long after it changed the assembly is read (it is written last). */
const POLL_MS = 400;
const SETTLE_MS = 300;

/**
 * Calls `changed` when the cloud assembly is written again (`cdk synth`): its manifest.json, which synthesis writes
 * last, is written anew (its contents may well be the same: templates and assets live in other files). Polling the
 * file, not watching the folder, survives a cdk.out that is deleted and written again, and works on every file system.
 */
export function watchAssembly(directory: string, changed: () => void): () => void {
  const manifest = join(directory, 'manifest.json');
  let settle: NodeJS.Timeout | undefined;
  const listener = (current: Stats, previous: Stats) => {
    if (current.mtimeMs === previous.mtimeMs || current.mtimeMs === 0) return;
    clearTimeout(settle);
    settle = setTimeout(changed, SETTLE_MS);
  };
  watchFile(manifest, { interval: POLL_MS, persistent: false }, listener);
  return () => {
    clearTimeout(settle);
    unwatchFile(manifest, listener);
  };
}
