/**
 * The mock as an HTTP server: unknown paths, wrong methods, body limits, bodies of every
 * content type, Accept negotiation, and clients too slow to finish a request.
 */
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { describe, test } from 'node:test';
import { CONTENT_TYPES, escapeXml, negotiate } from '../../scripts/mock/negotiate.ts';
import type { Mock } from '../../scripts/mock/server.ts';
import { APP, caseOf, COMMITTED, exchangeFields, issueCode, parseForm, post, random, reply, SECRET, withMock } from './mock-support.ts';

const credentialsFault = JSON.stringify(caseOf(COMMITTED, 'client-credentials').expected);
const codeFault = JSON.stringify(caseOf(COMMITTED, 'code').expected);

/** Sends raw bytes and collects what the server sends back until it closes the connection. */
function raw(mock: Mock, chunks: string[]): Promise<string> {
  const { hostname, port } = new URL(mock.url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => {
      for (const chunk of chunks) socket.write(chunk);
    });
    let received = '';
    socket.setEncoding('utf8');
    socket.on('data', (data: string) => (received += data));
    socket.on('close', () => resolve(received));
    socket.on('error', reject);
  });
}

describe('paths and methods', () => {
  test('another path → 404 naming the endpoints served', async () => {
    await withMock({}, async (mock) => {
      for (const path of ['/nope', '/login/oauth/access_token/extra', '/login/oauth/access_token.json']) {
        const got = await reply(await fetch(`${mock.url}${path}?client_secret=${SECRET}`));
        assert.equal(got.status, 404);
        assert.equal(got.contentType, 'text/plain; charset=utf-8');
        assert.equal(got.text, `no such endpoint: \`GET ${path}\`; this mock serves \`POST /login/oauth/access_token\` and \`GET /login/oauth/authorize\` and \`POST /login/device/code\` and \`POST /_docs-contract/device/approve\` and \`POST /_docs-contract/device/deny\` and \`POST /_docs-contract/device/expire\`\n`);
      }
    });
  });

  test('a wrong method → 405 with Allow', async () => {
    await withMock({}, async (mock) => {
      const get = await reply(await fetch(`${mock.url}/login/oauth/access_token`));
      assert.deepEqual([get.status, get.headers.get('allow'), get.text], [405, 'POST', '`/login/oauth/access_token` takes `POST`, not `GET`\n']);
      const put = await reply(await fetch(`${mock.url}/login/oauth/authorize`, { method: 'PUT', body: 'x' }));
      assert.deepEqual([put.status, put.headers.get('allow'), put.text], [405, 'GET', '`/login/oauth/authorize` takes `GET`, not `PUT`\n']);
      // HEAD would issue a code without anyone seeing it.
      const head = await fetch(`${mock.url}/login/oauth/authorize?client_id=${APP.clientId}`, { method: 'HEAD', redirect: 'manual' });
      assert.deepEqual([head.status, head.headers.get('location')], [405, null]);
    });
  });
});

describe('body limit', () => {
  test('a 2 MB body → 413 over the default 1 MiB limit, and the mock goes on serving', async () => {
    await withMock({}, async (mock) => {
      const got = await post(mock, [...exchangeFields(random()), ['padding', 'x'.repeat(2 * 1024 * 1024)]]);
      assert.equal(got.status, 413);
      assert.equal(got.text, 'the request body is larger than 1048576 bytes; send the fields of a token request only\n');
      assert.equal(JSON.parse((await post(mock, exchangeFields(await issueCode(mock)))).text).token_type, 'bearer');
    });
  });

  test('a body of exactly the limit is read; one byte more → 413', async () => {
    await withMock({ bodyLimitBytes: 300 }, async (mock) => {
      const fields = exchangeFields(random());
      const base = new URLSearchParams(fields).toString().length + '&padding='.length;
      const exact = await post(mock, [...fields, ['padding', 'x'.repeat(300 - base)]]);
      assert.equal(exact.text, codeFault);
      const over = await post(mock, [...fields, ['padding', 'x'.repeat(301 - base)]]);
      assert.equal(over.status, 413);
    });
  });

  test('a declared Content-Length far over the limit → 413 at once, and the connection closes', async () => {
    await withMock({}, async (mock) => {
      const got = await raw(mock, ['POST /login/oauth/access_token HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 50000000000\r\n\r\nclient_id=']);
      assert.match(got, /^HTTP\/1\.1 413 Payload Too Large\r\n/);
      assert.match(got, /\r\nconnection: close\r\n/i);
      assert.ok(got.endsWith('\r\n\r\nthe request body is larger than 1048576 bytes; send the fields of a token request only\n'));
    });
  });
});

describe('bodies of every content type', () => {
  test('a form body with a charset parameter is read', async () => {
    await withMock({}, async (mock) => {
      const code = await issueCode(mock);
      const got = await reply(await fetch(`${mock.url}/login/oauth/access_token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded; charset=UTF-8', accept: 'application/json' },
        body: new URLSearchParams(exchangeFields(code)).toString(),
      }));
      assert.equal(JSON.parse(got.text).token_type, 'bearer');
    });
  });

  test('a JSON body with a `+json` type is read', async () => {
    await withMock({}, async (mock) => {
      const got = await reply(await fetch(`${mock.url}/login/oauth/access_token`, {
        method: 'POST',
        headers: { 'content-type': 'application/vnd.widget+json', accept: 'application/json' },
        body: JSON.stringify(Object.fromEntries(exchangeFields(await issueCode(mock)))),
      }));
      assert.equal(JSON.parse(got.text).token_type, 'bearer');
    });
  });

  for (const contentType of ['text/plain', 'multipart/form-data; boundary=x', 'application/octet-stream', null]) {
    test(`a ${contentType ?? 'untyped'} body is ignored: only the query string counts`, async () => {
      await withMock({}, async (mock) => {
        const body = new URLSearchParams(exchangeFields(await issueCode(mock))).toString();
        const send = (query: string) =>
          fetch(`${mock.url}/login/oauth/access_token${query}`, {
            method: 'POST',
            headers: { accept: 'application/json', ...(contentType ? { 'content-type': contentType } : {}) },
            body: contentType === null ? new Blob([body]) : body,
          }).then(reply);
        assert.equal((await send('')).text, credentialsFault);
        const query = `?${new URLSearchParams([['client_id', APP.clientId], ['client_secret', SECRET]]).toString()}`;
        assert.equal((await send(query)).text, codeFault);
      });
    });
  }

  test('invalid JSON or a JSON non-object → 400 saying so, without quoting the body', async () => {
    await withMock({}, async (mock) => {
      const send = (body: string) =>
        fetch(`${mock.url}/login/oauth/access_token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body }).then(reply);
      const broken = await send(`{"client_secret": "${SECRET}"`);
      assert.equal(broken.status, 400);
      assert.equal(broken.text, 'the body is not valid JSON (`Content-Type` says JSON); send a JSON object or a form-urlencoded body\n');
      const list = await send(`["${SECRET}"]`);
      assert.equal(list.status, 400);
      assert.equal(list.text, 'the JSON body is not an object; send the fields as a JSON object, e.g. `{"client_id": "…"}`\n');
    });
  });

  test('JSON members that are not text or numbers are left out', async () => {
    await withMock({}, async (mock) => {
      const got = await reply(await fetch(`${mock.url}/login/oauth/access_token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ client_id: APP.clientId, client_secret: [SECRET], code: random() }),
      }));
      assert.equal(got.text, credentialsFault);
    });
  });
});

describe('Accept negotiation', () => {
  const table: Array<[string | undefined, 'json' | 'xml' | 'form']> = [
    [undefined, 'form'],
    ['', 'form'],
    ['*/*', 'form'],
    ['text/html', 'form'],
    ['application/json', 'json'],
    ['Application/JSON; charset=utf-8', 'json'],
    ['application/xml', 'xml'],
    ['text/xml', 'xml'],
    ['application/json, */*', 'json'],
    ['application/xml;q=0.5, application/json', 'json'],
    ['application/json;q=0.4, application/xml;q=0.9', 'xml'],
    ['application/xml, application/json', 'xml'],
    ['application/json;q=0', 'form'],
    ['application/x-www-form-urlencoded', 'form'],
    ['text/*', 'form'],
    ['application/json;q=0.5, */*', 'json'],
    ['application/json;q=0.001, application/xml;q=0', 'json'],
    ['application/xml;q=0.9;profile="a,b", application/json;q=0.8', 'xml'],
    // A malformed quality drops the range (the hand-written parser read it as q=1).
    ['application/json;q=abc', 'form'],
  ];
  for (const [accept, format] of table) {
    test(`${accept === undefined ? 'no Accept' : `Accept: ${JSON.stringify(accept)}`} → ${format}`, () => {
      assert.equal(negotiate(accept), format);
    });
  }

  test('the server answers in the negotiated format with its content type', async () => {
    await withMock({}, async (mock) => {
      const fields = exchangeFields(random());
      const xml = await post(mock, fields, { accept: 'application/json;q=0.4, application/xml;q=0.9' });
      assert.equal(xml.contentType, CONTENT_TYPES.xml);
      const form = await post(mock, fields, { accept: '*/*' });
      assert.equal(form.contentType, CONTENT_TYPES.form);
      assert.deepEqual(parseForm(form.text), caseOf(COMMITTED, 'code').expected);
    });
  });

  test('XML text is escaped, and characters XML cannot hold are replaced', () => {
    assert.equal(escapeXml(`a&b<c>d"e'f\u0000g`), 'a&amp;b&lt;c&gt;d&quot;e&apos;f\uFFFDg');
  });
});

describe('slow clients', () => {
  test('headers that never end → the connection is answered 408 and closed', { timeout: 10_000 }, async () => {
    await withMock({ requestTimeoutMs: 300 }, async (mock) => {
      const got = await raw(mock, ['POST /login/oauth/access_token HTTP/1.1\r\nHost: x\r\n']);
      assert.match(got, /^HTTP\/1\.1 408 Request Timeout\r\n/);
    });
  });

  test('a body that stops coming → the connection is closed, and the mock goes on serving', { timeout: 10_000 }, async () => {
    const lines: string[] = [];
    await withMock({ requestTimeoutMs: 300, log: (line) => lines.push(line) }, async (mock) => {
      await raw(mock, ['POST /login/oauth/access_token HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\nclient_id=']);
      assert.equal(JSON.parse((await post(mock, exchangeFields(await issueCode(mock)))).text).token_type, 'bearer');
    });
    assert.equal(lines[0], 'POST /login/oauth/access_token → client went away');
  });
});
