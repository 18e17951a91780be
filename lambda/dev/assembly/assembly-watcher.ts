import { createHash } from 'node:crypto';
import { existsSync, readFileSync, unwatchFile, watchFile } from 'node:fs';
import type { Stats } from 'node:fs';
import { join } from 'node:path';

/** How often manifest.json is looked at, and how long after it changed the assembly is read (it is written last). */
const POLL_MS = 400;
const SETTLE_MS = 300;

/**
 * Calls `changed` when the cloud assembly is written again (`cdk synth`): its manifest.json, which synthesis writes
 * last, has other contents. Polling the file, not watching the folder, survives a cdk.out that is deleted and written
 * again, and works on every file system.
 */
export function watchAssembly(directory: string, changed: () => void): () => void {
  const manifest = join(directory, 'manifest.json');
  let seen = contentsOf(manifest);
  let settle: NodeJS.Timeout | undefined;
  const listener = (current: Stats, previous: Stats) => {
    if (current.mtimeMs === previous.mtimeMs && current.size === previous.size) return;
    clearTimeout(settle);
    settle = setTimeout(() => {
      const contents = contentsOf(manifest);
      if (contents === undefined || contents === seen) return;
      seen = contents;
      changed();
    }, SETTLE_MS);
  };
  watchFile(manifest, { interval: POLL_MS, persistent: false }, listener);
  return () => {
    clearTimeout(settle);
    unwatchFile(manifest, listener);
  };
}

function contentsOf(file: string): string | undefined {
  return existsSync(file) ? createHash('sha256').update(readFileSync(file)).digest('hex') : undefined;
}
