/**
 * The probe of global setup (scripts/suite/setup.ts): one connection attempt to `--base-url`
 * before any test, so an unreachable server is reported once, in one line naming the URL,
 * instead of once per test.
 */
import { connect } from 'node:net';

/** Why `baseUrl` cannot be reached within `timeoutMs`, or null when it accepts a connection. `open` is for tests. */
export function probe(baseUrl: string, timeoutMs: number, open: typeof connect = connect): Promise<string | null> {
  const url = new URL(baseUrl);
  const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
  const host = url.hostname.replace(/^\[|\]$/g, '');
  return new Promise((resolve) => {
    const socket = open({ host, port });
    const done = (problem: string | null) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(problem);
    };
    const timer = setTimeout(() => done(`cannot reach ${baseUrl}: no connection within ${timeoutMs} ms (--request-timeout)`), timeoutMs);
    socket.once('connect', () => done(null));
    socket.once('error', (error: NodeJS.ErrnoException) => {
      const why =
        error.code === 'ECONNREFUSED'
          ? 'connection refused'
          : error.code === 'ENOTFOUND' || error.code === 'EAI_AGAIN'
            ? 'host not found'
            : (error.code ?? error.message);
      done(`cannot reach ${baseUrl}: ${why}; start the server or pass the right --base-url`);
    });
  });
}

/** A failed probe: thrown from global setup, so Playwright runs no test and exits 1. */
export class UnreachableError extends Error {
  override name = 'UnreachableError';
  constructor(message: string) {
    super(message);
    // No stack: the one line says all there is to say.
    this.stack = `${this.name}: ${message}`;
  }
}

/** Any other problem that stops global setup, said in its one line (`Error: …`), without a stack. */
export class SetupError extends Error {
  constructor(message: string) {
    super(message);
    this.stack = `${this.name}: ${message}`;
  }
}
