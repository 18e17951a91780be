// The dev server's viewer (lambda/dev/viewer: HTML, CSS, browser JavaScript) is no TypeScript for tsc to emit:
// it is copied beside the compiled dev server, which serves it from there.
import { cpSync } from 'node:fs';

cpSync('lambda/dev/viewer', 'lib/runtime/dev/viewer', { recursive: true });
