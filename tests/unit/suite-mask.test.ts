import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { describeRequest, EDGE_MIN, MASK, maskedExcerpt, maskForm, maskMembers, maskOutput, maskSecrets, rememberSecrets, rememberSentSecrets } from '../../scripts/suite/mask.ts';
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
    const fill = fillOf({ baseUrl: null, clientId: 'app', clientSecret: null, callbackUrl: null, suspendedClientId: null, deviceFlowDisabledClientId: null, docsOrigin: 'https://docs.github.com', requestTimeout: 1 });
    assert.deepEqual(Object.keys(fill).sort(), ['clientId', 'random']);
    assert.notEqual(fill.random(), fill.random());
    assert.match(fill.random(), /^[0-9a-f]{20}$/);
  });
});

/** Characters that each encoding writes differently, and some that none does. */
const SPECIAL = ['"', '\\', '<', '>', '&', "'", '%', '+', ' ', '/', '\n', 'é', '😀', 'ß', 'a', 'Z', '0', '-'];
/** Secrets made of those characters and of any others. */
const secrets = (minLength: number) => fc.string({ unit: fc.oneof(fc.constantFrom(...SPECIAL), fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 })), minLength, maxLength: 30 });
/** Text around a secret in output. */
const around = fc.string({ unit: 'grapheme', maxLength: 20 });

/** XML escaping as an XML writer does it. */
const xmlEscape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
/** Percent-encoding with lower-case hex digits, as some servers write it. */
const lowerPercent = (s: string) => encodeURIComponent(s).replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase());

/** Every encoding output may hold a secret in, each by the standard library or as its writers do it. */
const ENCODINGS: ReadonlyArray<readonly [string, (s: string) => string]> = [
  ['as written', (s) => s],
  ['JSON-escaped', (s) => JSON.stringify(s).slice(1, -1)],
  ['JSON-escaped twice', (s) => JSON.stringify(JSON.stringify(s)).slice(1, -1)],
  ['JSON-escaped to ASCII', (s) => JSON.stringify(s).slice(1, -1).replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)],
  ['XML-escaped', xmlEscape],
  ['XML-escaped, then JSON-escaped', (s) => JSON.stringify(xmlEscape(s)).slice(1, -1)],
  ['JSON-escaped, then XML-escaped', (s) => xmlEscape(JSON.stringify(s).slice(1, -1))],
  ['JSON-escaped, then percent-encoded', (s) => encodeURIComponent(JSON.stringify(s).slice(1, -1))],
  ['percent-encoded, then JSON-escaped', (s) => JSON.stringify(lowerPercent(s)).slice(1, -1)],
  ['percent-encoded, upper case', encodeURIComponent],
  ['percent-encoded, lower case', lowerPercent],
  ['form-encoded', (s) => new URLSearchParams({ s }).toString().slice(2)],
];

describe('masking every encoding', () => {
  for (const [name, encode] of ENCODINGS) {
    it(`masks a secret ${name}, whatever it holds and wherever it stands`, () => {
      fc.assert(
        fc.property(secrets(1), around, around, (secret, before, after) => {
          const encoded = encode(secret);
          // A secret of stars only is the mask itself.
          fc.pre(!/^\**$/.test(encoded));
          const masked = maskOutput(`${before}${encoded}${after}`, [secret]);
          // The mask's own stars next to the text around it may spell a secret that holds stars
          // (`*a` in `***a`): look for the secret with each mask taken out.
          const unmasked = masked.split(MASK).join('\u0000');
          assert.ok(!unmasked.includes(encoded), `${JSON.stringify(encoded)} left in ${JSON.stringify(masked)}`);
          assert.ok(masked.includes(MASK));
        }),
        { numRuns: 300 },
      );
    });
  }

  it('masks a secret base64-encoded at any offset inside a longer base64 text, standard or URL alphabet', () => {
    fc.assert(
      fc.property(secrets(8), fc.uint8Array({ maxLength: 7 }), fc.uint8Array({ maxLength: 7 }), fc.boolean(), (secret, before, after, url) => {
        const bytes = Buffer.from(secret, 'utf8');
        const text = Buffer.concat([before, bytes, after]).toString(url ? 'base64url' : 'base64');
        const masked = maskOutput(`Authorization: Basic ${text}`, [secret]);
        // What is left of the base64 around the mask, decoded at each offset, holds no more than a few bytes of the secret.
        for (const part of masked.slice('Authorization: Basic '.length).split(MASK)) {
          for (let offset = 0; offset < 4; offset++) {
            const decoded = Buffer.from(part.slice(offset), url ? 'base64url' : 'base64');
            assert.ok(!decoded.includes(bytes.subarray(2, bytes.length - 2)), `base64 ${JSON.stringify(part)} holds most of the secret`);
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('leaves text holding no form of the secret as it is', () => {
    fc.assert(
      fc.property(secrets(1), fc.string({ unit: fc.constantFrom('b', 'c', 'x', ' ', '.'), maxLength: 60 }), (secret, text) => {
        fc.pre(!['b', 'c', 'x', '.', ' '].some((c) => secret.includes(c)));
        assert.equal(maskOutput(text, [secret]), text);
      }),
    );
  });

  it('masks, in an excerpt, first and then cuts, and masks a prefix of a secret left at the cut', () => {
    fc.assert(
      fc.property(secrets(EDGE_MIN + 1), fc.nat({ max: 40 }), fc.integer({ min: 1, max: 30 }), (secret, lead, max) => {
        const text = `${'.'.repeat(lead)}${JSON.stringify(secret)}${'.'.repeat(5)}`;
        const shown = maskedExcerpt(text, max, [secret]);
        const encoded = JSON.stringify(secret).slice(1, -1);
        // Of the secret, at most EDGE_MIN - 1 characters as written may show at the cut; none at all anywhere else.
        const visible = shown.replace(/…$/, '').slice(lead + 1);
        if (!visible.startsWith(MASK)) assert.ok([...visible].length < EDGE_MIN || !encoded.startsWith(visible), `${JSON.stringify(shown)} shows a prefix of the secret`);
        assert.ok(!shown.includes(encoded));
      }),
      { numRuns: 500 },
    );
  });

  it('masks the client secret and remembered values in one pass: the given ones, the sent ones, secret members and tokens', () => {
    rememberSecrets(['widget-known-"1"']);
    assert.equal(maskOutput('{"error":"widget_jammed","note":"widget-known-\\"1\\" and widget-passed-\\\\2","code":"x"}', ['widget-passed-\\2']), '{"error":"widget_jammed","note":"*** and ***","code":"***"}');
  });
});
