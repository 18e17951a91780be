// The JSON log lines the functions this library ships write to stdout (src/json-log.ts), as Lambda receives them.

/** A JSON log line a shipped function wrote. */
export interface LogLine {
  readonly level: string;
  readonly message: string;
  readonly [field: string]: unknown;
}

/** Runs `action` and returns what it resolved to and the JSON lines it wrote to stdout (other output passes through). */
export async function withLogs<T>(action: () => Promise<T>): Promise<{ result: T; logs: LogLine[] }> {
  const logs: LogLine[] = [];
  const write = process.stdout.write.bind(process.stdout);
  const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array, ...rest: unknown[]) => {
    const text = String(chunk);
    if (text.startsWith('{"level":')) {
      logs.push(JSON.parse(text) as LogLine);
      return true;
    }
    return write(chunk, ...(rest as []));
  });
  try {
    return { result: await action(), logs };
  } finally {
    spy.mockRestore();
  }
}
