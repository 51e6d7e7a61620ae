import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createNetServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { after, describe, it } from 'node:test';
import { exchange, type HttpOutcome } from '../../scripts/suite/http.ts';

const open: Array<{ server: Server; sockets: Set<Socket> }> = [];
after(async () => {
  for (const { server, sockets } of open) {
    for (const s of sockets) s.destroy();
    await new Promise((resolve) => server.close(resolve));
  }
});

/** Starts a server on 127.0.0.1:0 that is stopped after the tests; resolves to its URL. */
async function listen(server: Server): Promise<string> {
  const sockets = new Set<Socket>();
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  open.push({ server, sockets });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/token`;
}

/** An HTTP server answering every request (its body read first) with `answer`. */
function serve(answer: (req: IncomingMessage, res: ServerResponse) => void): Promise<string> {
  return listen(
    createServer((req, res) => {
      req.resume();
      req.on('end', () => answer(req, res));
    }),
  );
}

const post = (url: string, limits = { timeoutMs: 300, maxBodyBytes: 1000 }): Promise<HttpOutcome> =>
  exchange({ method: 'POST', url, headers: { accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded' }, body: 'client_id=app' }, limits);

const SLOW = '; expected the whole answer within --request-timeout (raise it with --request-timeout=MS if the server is only slow)';

describe('one bounded exchange', () => {
  it('returns the whole answer: status, lower-case headers, body bytes; asks for no compression and sends the form', async () => {
    let seen = '';
    const url = await serve((req, res) => {
      seen = `${req.method} ${req.headers['accept-encoding']} ${req.headers['content-length']}`;
      res.setHeader('X-Twice', ['a', 'b']);
      res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"ok":1}');
    });
    const outcome = await post(url);
    assert.ok(outcome.ok);
    assert.equal(outcome.status, 200);
    assert.equal(outcome.headers['content-type'], 'application/json');
    assert.equal(outcome.headers['x-twice'], 'a, b');
    assert.equal(outcome.body.toString(), '{"ok":1}');
    assert.equal(seen, 'POST identity 13');
  });

  it('names a refused connection', async () => {
    const url = await serve(() => {});
    const { server } = open.at(-1) ?? assert.fail('no server');
    await new Promise((resolve) => server.close(resolve));
    assert.deepEqual(await post(url), { ok: false, problem: 'connection refused; expected a server listening at --base-url' });
  });

  it('gives up on a server that accepts the connection and says nothing', async () => {
    const url = await listen(createNetServer(() => {}));
    assert.deepEqual(await post(url), { ok: false, problem: `the server accepted the connection but sent nothing within 300 ms${SLOW}` });
  });

  it('gives up on headers followed by silence, and on a body dripping in', async () => {
    const silent = await serve((_, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '40' });
      res.flushHeaders();
    });
    assert.deepEqual(await post(silent), { ok: false, problem: `the server sent status 200 and headers but no body within 300 ms${SLOW}` });
    const dripping = await serve((_, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('[');
    });
    assert.deepEqual(await post(dripping), { ok: false, problem: `the server sent status 200 and 1 body byte (no Content-Length) within 300 ms${SLOW}` });
  });

  it('names a connection reset or closed mid-body, with how much came', async () => {
    const reset = await serve((_, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '40' });
      res.write('{"error":"x"');
      setImmediate(() => res.socket?.resetAndDestroy());
    });
    assert.deepEqual(await post(reset), { ok: false, problem: 'the server sent status 200, then broke off the connection after 12 of 40 body bytes; expected the whole answer' });
    const closed = await serve((_, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '40' });
      res.write('{"error"', () => res.socket?.end());
    });
    assert.deepEqual(await post(closed), { ok: false, problem: 'the server sent status 200, then broke off the connection after 8 of 40 body bytes; expected the whole answer' });
  });

  it('names a connection closed before any answer', async () => {
    const url = await listen(createNetServer((socket) => socket.once('data', () => socket.destroy())));
    assert.deepEqual(await post(url), { ok: false, problem: 'the server closed the connection without an answer; expected an answer' });
  });

  it('stops reading at the body limit, declared or not, and says so', async () => {
    let streamed = 0;
    const endless = await serve((_, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      const chunk = Buffer.alloc(256, 0x20);
      const more = () => {
        while (!res.destroyed && streamed < 10_000_000) {
          streamed += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', more);
        }
      };
      res.on('error', () => {});
      more();
    });
    assert.deepEqual(await post(endless), {
      ok: false,
      problem: 'the body is over 1000 bytes (no Content-Length), so it was not read further; expected a documented answer, which is far smaller',
    });
    const declared = await serve((_, res) => res.writeHead(200, { 'content-length': '52428800' }).end());
    assert.deepEqual(await post(declared), {
      ok: false,
      problem: 'the body is over 1000 bytes (Content-Length: 52428800), so it was not read further; expected a documented answer, which is far smaller',
    });
  });

  it('returns a redirect as it is, following nothing', async () => {
    let elsewhere = 0;
    const other = await serve(() => elsewhere++);
    const url = await serve((_, res) => res.writeHead(307, { location: other }).end());
    const outcome = await post(url);
    assert.ok(outcome.ok);
    assert.equal(outcome.status, 307);
    assert.equal(outcome.headers['location'], other);
    assert.equal(elsewhere, 0);
  });
});
