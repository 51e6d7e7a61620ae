import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { describeRequest, maskForm, maskSecrets } from '../../scripts/suite/mask.ts';
import { fillOf, transportProblem } from '../../scripts/suite/send.ts';

const SECRET = 's3cr3t/+&=';

describe('masking', () => {
  it('replaces the secret as written and URL-encoded, everywhere', () => {
    const text = `a ${SECRET} b ${encodeURIComponent(SECRET)} c ${new URLSearchParams({ s: SECRET }).toString().slice(2)}`;
    assert.equal(maskSecrets(text, [SECRET]), 'a *** b *** c ***');
  });

  it('masks the longer of two overlapping secrets whole, and ignores empty ones', () => {
    assert.equal(maskSecrets('abc-123 and abc', ['abc', 'abc-123', '', null, undefined]), '*** and ***');
    assert.equal(maskSecrets('nothing here', []), 'nothing here');
  });

  it('masks secret form fields by name, whatever they hold', () => {
    assert.equal(maskForm([['client_id', 'app 1'], ['client_secret', 'x'], ['code', 'c0de'], ['redirect_uri', 'https://a.invalid/cb?x=1']]), 'client_id=app%201&client_secret=***&code=***&redirect_uri=https%3A%2F%2Fa.invalid%2Fcb%3Fx%3D1');
  });

  it('describes a request in one line without the secret, even in a field that is not secret by name', () => {
    const shown = describeRequest({ method: 'POST', url: 'http://127.0.0.1:1/token', accept: 'application/json', form: [['client_id', 'app'], ['note', `echo ${SECRET}`]] }, [SECRET]);
    assert.equal(shown, 'POST http://127.0.0.1:1/token (Accept: application/json) client_id=app&note=echo%20***');
    assert.equal(describeRequest({ method: 'GET', url: 'http://127.0.0.1:1/x', accept: '', form: [] }, []), 'GET http://127.0.0.1:1/x (no Accept preference)');
  });
});

describe('requests', () => {
  it('fills only the settings given, and a fresh random value each time', () => {
    const fill = fillOf({ baseUrl: null, clientId: 'app', clientSecret: null, callbackUrl: null, docsOrigin: 'https://docs.github.com', requestTimeout: 1 });
    assert.deepEqual(Object.keys(fill).sort(), ['clientId', 'random']);
    assert.notEqual(fill.random(), fill.random());
    assert.match(fill.random(), /^[0-9a-f]{20}$/);
  });

  it('says in one line why there was no answer', () => {
    const pw = (first: string) => new Error(`apiRequestContext.fetch: ${first}\nCall log:\n  - → POST http://127.0.0.1:1/token`);
    assert.equal(transportProblem(pw('Timeout 400ms exceeded.'), 400), 'no answer within 400 ms (raise it with --request-timeout=MS)');
    assert.equal(transportProblem(pw('connect ECONNREFUSED 127.0.0.1:1'), 400), 'connection refused: is the server running at --base-url?');
    assert.equal(transportProblem(pw('socket hang up'), 400), 'the server closed the connection without an answer');
    assert.equal(transportProblem(pw('getaddrinfo ENOTFOUND forge.invalid'), 400), 'host not found: check --base-url');
    assert.equal(transportProblem(pw('Request context disposed.'), 400), 'no answer: Request context disposed.');
  });
});
