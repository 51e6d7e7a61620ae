import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createNetServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { after, describe, it } from 'node:test';
import type { Case } from '../../scripts/lib/build.ts';
import { negotiationFor } from '../../scripts/suite/check.ts';
import { exchange, type HttpOutcome } from '../../scripts/suite/http.ts';
import { maskOutput } from '../../scripts/suite/mask.ts';
import { send, USER_AGENT } from '../../scripts/suite/send.ts';

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

  it('says what a server sent before going silent: interim responses, or part of its headers', async () => {
    const interim = await serve((_, res) => {
      res.writeContinue();
      res.writeProcessing();
    });
    assert.deepEqual(await post(interim), { ok: false, problem: `the server sent 2 interim responses (100 Continue, 102 Processing) but no final answer within 300 ms${SLOW}` });
    const partial = await listen(createNetServer((socket) => socket.once('data', () => socket.write('HTTP/1.1 200 OK\r\nContent-Type: appl'))));
    assert.deepEqual(await post(partial), { ok: false, problem: `the server sent 35 bytes of a status line and headers, never ending them within 300 ms${SLOW}` });
    const closed = await listen(createNetServer((socket) => socket.once('data', () => socket.end('HTTP/1.1 103 Early Hints\r\nLink: </w.css>\r\n\r\n'))));
    assert.deepEqual(await post(closed), { ok: false, problem: 'the server sent an interim response (103 Early Hints) but no final answer, then closed the connection; expected an answer' });
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

describe('sending a case', () => {
  it('posts the filled recipe form with Accept and User-Agent, shows it masked, and masks its secret values wherever they come back', async () => {
    let seen = '';
    let form = new URLSearchParams();
    const url = await listen(
      createServer((req, res) => {
        seen = `${req.method} ${req.url} ${req.headers['accept']} ${req.headers['content-type']} ${req.headers['user-agent']}`;
        let body = '';
        req.setEncoding('utf8');
        req.on('data', (chunk: string) => (body += chunk));
        req.on('end', () => {
          form = new URLSearchParams(body);
          res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
        });
      }),
    );
    const base = url.replace(/\/token$/, '');
    const kase = { request: { method: 'POST', path: '/widgets/token', form: [['client_id', '{{client_id}}'], ['client_secret', '{{client_secret}}'], ['code', '{{random}}']] } } as unknown as Case;
    const target = { baseUrl: base, clientId: 'app', clientSecret: 'synthetic-secret-0002', callbackUrl: null, suspendedClientId: null, deviceFlowDisabledClientId: null, docsOrigin: 'https://docs.example.invalid', requestTimeout: 2000 };
    const sent = await send(base, target, kase, negotiationFor('application/json'));
    assert.ok(sent.ok);
    assert.equal(seen, `POST /widgets/token application/json application/x-www-form-urlencoded ${USER_AGENT}`);
    assert.equal(sent.shown, `POST ${base}/widgets/token (Accept: application/json) client_id=app&client_secret=***&code=***`);
    assert.equal(sent.tag, 'POST /widgets/token (Accept: application/json)');
    assert.equal(sent.answer.body.toString(), 'ok');
    const code = form.get('code') ?? '';
    assert.match(code, /^[0-9a-f]{20}$/);
    assert.equal(form.get('client_secret'), 'synthetic-secret-0002');
    assert.equal(maskOutput(`the server said: code ${code} is unknown`, []), 'the server said: code *** is unknown');
  });
});
