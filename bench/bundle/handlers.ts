// The bundle benchmark's three handlers: the same saga on the runtime helper, on the raw SDK, and on SST's
// `sst/aws/workflow` (the peer, installed in bench/peer, its own npm project).
import * as path from 'node:path';

/** The saga on the runtime helper, on the raw SDK, and on SST's `sst/aws/workflow` (the peer). */
export const HANDLERS = ['helper', 'raw', 'sst'] as const;
export type HandlerKind = typeof HANDLERS[number];

/** Each handler's entry and the project it is bundled in (SST's lives in bench/peer, its own npm project). */
export function handlerProject(root: string, handler: HandlerKind): { entry: string; projectRoot: string } {
  return handler === 'sst'
    ? { entry: path.join(root, 'bench', 'peer', 'sst-handler.mjs'), projectRoot: path.join(root, 'bench', 'peer') }
    : { entry: path.join(root, 'bench', 'bundle', `${handler}-handler.ts`), projectRoot: root };
}
