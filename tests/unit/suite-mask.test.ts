import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { describeRequest, maskForm, maskMembers, maskOutput, maskSecrets, rememberSentSecrets } from '../../scripts/suite/mask.ts';
import { fillOf } from '../../scripts/suite/send.ts';

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

  it('masks secret members by name in JSON, XML, form, query and cookie text, and token-shaped strings anywhere', () => {
    const token = `gho_${'Ab1'.repeat(12)}`;
    assert.equal(
      maskMembers(`{"access_token": "${token}", "code":"c\\"0de", "error":"bad_verification_code", "refresh_token": 12}`),
      '{"access_token": "***", "code":"***", "error":"bad_verification_code", "refresh_token": "***"}',
    );
    assert.equal(maskMembers('<OAuth><code>c0de</code><error>bad_verification_code</error></OAuth>'), '<OAuth><code>***</code><error>bad_verification_code</error></OAuth>');
    assert.equal(maskMembers('https://app.invalid/cb?state=s&code=c0de#x'), 'https://app.invalid/cb?state=s&code=***#x');
    assert.equal(maskMembers('code=c0de&error_uri=%2Fx%23bad-verification-code'), 'code=***&error_uri=%2Fx%23bad-verification-code');
    assert.equal(maskMembers('Set-Cookie: session=1; access_token=t0k'), 'Set-Cookie: session=1; access_token=***');
    assert.equal(maskMembers(`welcome ${token}!`), 'welcome ***!');
    assert.equal(maskMembers('github_pat_11ABCDEFG0123456789_abcdefghijklmnop'), '***');
  });

  it('masks every value sent in a secret field wherever it comes back, and nothing sent in other fields', () => {
    rememberSentSecrets([['client_id', 'app-id-0001'], ['code', 'c0de1234feed'], ['client_secret', '']]);
    assert.equal(maskOutput('echo: c0de1234feed app-id-0001 secret-x', ['secret-x']), 'echo: *** app-id-0001 ***');
  });

  it('describes a request in one line without the secret, even in a field that is not secret by name', () => {
    const shown = describeRequest({ method: 'POST', url: 'http://127.0.0.1:1/token', accept: 'application/json', form: [['client_id', 'app'], ['note', `echo ${SECRET}`]] }, [SECRET]);
    assert.equal(shown, 'POST http://127.0.0.1:1/token (Accept: application/json) client_id=app&note=echo%20***');
    assert.equal(describeRequest({ method: 'GET', url: 'http://127.0.0.1:1/x', accept: '', form: [] }, []), 'GET http://127.0.0.1:1/x (no Accept preference)');
  });
});

describe('requests', () => {
  it('fills only the settings given, and a fresh random value each time', () => {
    const fill = fillOf({ baseUrl: null, clientId: 'app', clientSecret: null, callbackUrl: null, suspendedClientId: null, docsOrigin: 'https://docs.github.com', requestTimeout: 1 });
    assert.deepEqual(Object.keys(fill).sort(), ['clientId', 'random']);
    assert.notEqual(fill.random(), fill.random());
    assert.match(fill.random(), /^[0-9a-f]{20}$/);
  });
});
