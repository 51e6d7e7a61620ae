/**
 * The servers of the HTTP figures: the bare floor (node:http answering one fixed body after
 * reading the request) and, run as a child process, either it or the embedded mock, so that
 * the load generator never shares an event loop with the server it measures.
 *
 *   tsx scripts/bench/serve.ts mock   (secret from BENCH_SECRET)
 *   tsx scripts/bench/serve.ts bare   (body and content type from BENCH_BODY, BENCH_TYPE)
 * print one line, the server's URL, and stop when their stdin closes.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** A running server. */
export interface Served {
  url: string;
  stop(): Promise<void>;
}

/** A bare node:http server on 127.0.0.1, port 0: reads each request, answers 200 with `body`. */
export async function startBare(body = '{}', contentType = 'application/json'): Promise<Served> {
  const length = Buffer.byteLength(body);
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': contentType, 'content-length': length, 'cache-control': 'no-store' });
      res.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** Starts the embedded mock of the committed cases for the test app, with the given secret. */
async function startMock(secret: string): Promise<Served> {
  const { createMock, TEST_APP } = await import('../mock/server.ts');
  const { loadCases } = await import('../lib/cases.ts');
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
  const { cases } = loadCases(path.join(root, 'tests/fixtures/cases.json'));
  return createMock({ cases, clientId: TEST_APP.clientId, clientSecret: secret, callbackUrl: TEST_APP.callbackUrl });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const kind = process.argv[2];
  const served =
    kind === 'mock'
      ? await startMock(process.env['BENCH_SECRET'] ?? '')
      : await startBare(process.env['BENCH_BODY'] ?? '{}', process.env['BENCH_TYPE'] ?? 'application/json');
  process.stdout.write(`${served.url}\n`);
  process.stdin.resume();
  process.stdin.on('end', () => void served.stop().then(() => process.exit(0)));
}
