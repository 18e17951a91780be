import type { IncomingMessage, ServerResponse } from 'node:http';

/** How often an idle stream sends a comment, so proxies and browsers keep it open. */
const KEEP_ALIVE_MS = 15_000;

/**
 * Server-Sent Events: every page (or client) that opened the stream gets each change as it happens, `event: <type>`
 * with a JSON `data` line. A browser's EventSource reconnects by itself; what it missed meanwhile it reads again.
 */
export class ChangeStream {
  private readonly clients = new Set<ServerResponse>();
  private readonly keepAlive = setInterval(() => this.write(': keep-alive\n\n'), KEEP_ALIVE_MS).unref();

  public attach(req: IncomingMessage, res: ServerResponse): void {
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', 'connection': 'keep-alive' });
    res.write('retry: 1000\n\n');
    this.clients.add(res);
    req.on('close', () => this.clients.delete(res));
  }

  public publish(type: string, data: unknown): void {
    if (this.clients.size > 0) this.write(`event: ${type}\ndata: ${JSON.stringify(data)}\n\n`);
  }

  public close(): void {
    clearInterval(this.keepAlive);
    for (const res of this.clients) res.end();
    this.clients.clear();
  }

  private write(text: string): void {
    for (const res of this.clients) res.write(text);
  }
}
