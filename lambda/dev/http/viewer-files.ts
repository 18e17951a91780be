// The execution viewer: its page at `/`, its scripts and styles under /_dev/viewer/. The files live in
// lambda/dev/viewer (compile:runtime copies them to lib/runtime/dev/viewer) and are read once, at start: only they
// are served, whatever path is asked.
import { readdirSync, readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join } from 'node:path';

const VIEWER_DIRECTORY = join(__dirname, '..', 'viewer');
const PREFIX = '/_dev/viewer/';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
};

/** The page loads nothing from elsewhere and runs no inline script; the browser enforces it. */
const CONTENT_SECURITY_POLICY = "default-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

interface ViewerFile {
  readonly contentType: string;
  readonly body: Buffer;
}

export class ViewerFiles {
  private readonly files = new Map<string, ViewerFile>();

  constructor(directory: string = VIEWER_DIRECTORY) {
    let names: string[];
    try {
      names = readdirSync(directory);
    } catch (error) {
      throw new Error(`The viewer's files are missing from ${directory} (a build that did not copy lambda/dev/viewer?): ${(error as Error).message}`);
    }
    for (const name of names) {
      const contentType = CONTENT_TYPES[extname(name)];
      if (contentType) this.files.set(name, { contentType, body: readFileSync(join(directory, name)) });
    }
  }

  /** Answers a GET of the page or one of its files; returns false for any other request. */
  public handle(req: IncomingMessage, res: ServerResponse, url: URL): boolean {
    if (req.method !== 'GET' && req.method !== 'HEAD') return false;
    const name = url.pathname === '/' ? 'index.html' : url.pathname.startsWith(PREFIX) ? url.pathname.slice(PREFIX.length) : undefined;
    const file = name === undefined ? undefined : this.files.get(name);
    if (!file) return false;
    res.writeHead(200, {
      'content-type': file.contentType,
      'content-length': file.body.length,
      'cache-control': 'no-cache',
      'content-security-policy': CONTENT_SECURITY_POLICY,
      'x-content-type-options': 'nosniff',
    });
    res.end(req.method === 'HEAD' ? undefined : file.body);
    return true;
  }
}
