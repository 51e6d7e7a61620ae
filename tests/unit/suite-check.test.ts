import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Case } from '../../scripts/lib/build.ts';
import { rememberSecrets } from '../../scripts/suite/mask.ts';
import {
  acceptedAnchor,
  anchorVerdict,
  checkErrorUriAs,
  checkContentType,
  checkErrorUri,
  checkSameAs,
  checkStatus,
  checkValues,
  decodeUtf8,
  negotiationFor,
  negotiationsOf,
  parseBody,
  parseFlatXml,
} from '../../scripts/suite/check.ts';

const DOCUMENTED: Case['errorUri'] = { path: '/widgets/frobnicate-errors/', fragment: 'widget-jammed', targetPage: 'widgets/frobnicate-errors', permalinks: ['/widgets/frobnicate-errors'] };
const ORIGIN = 'https://docs.example.invalid';
const EXPECTED = { error: 'widget_jammed', error_description: 'The widget is jammed.', error_uri: '/widgets/frobnicate-errors/#widget-jammed' };

describe('error_uri check', () => {
  it('accepts the documented value, relative or absolute on the docs origin, with tolerated variations', () => {
    for (const value of [
      '/widgets/frobnicate-errors/#widget-jammed',
      '/widgets/frobnicate-errors#widget-jammed',
      `${ORIGIN}/widgets/frobnicate-errors/#widget-jammed`,
      `${ORIGIN}/fr/widgets/frobnicate-errors#widget-jammed`,
      `${ORIGIN}/en/enterprise-server@3.9/widgets/frobnicate-errors/#widget-jammed`,
    ]) {
      assert.deepEqual(checkErrorUri(value, DOCUMENTED, ORIGIN), [], value);
    }
  });

  it('fails another host, naming it and the allowed origin', () => {
    assert.deepEqual(checkErrorUri('https://evil.invalid/widgets/frobnicate-errors/#widget-jammed', DOCUMENTED, ORIGIN), [
      '`error_uri` "https://evil.invalid/widgets/frobnicate-errors/#widget-jammed" is on `https://evil.invalid`; an absolute `error_uri` must be on `https://docs.example.invalid` (--docs-origin)',
    ]);
  });

  it('fails another path and another fragment, each on its own line', () => {
    assert.deepEqual(checkErrorUri('/widgets/other-errors/#widget-jamed', DOCUMENTED, ORIGIN), [
      '`error_uri` path `/widgets/other-errors/` is not the documented `/widgets/frobnicate-errors/` (a trailing slash, language and version segments are tolerated)',
      '`error_uri` fragment `#widget-jamed` is not the documented `#widget-jammed`',
    ]);
  });

  it('compares the fragment exactly: case and a missing fragment count', () => {
    assert.deepEqual(checkErrorUri('/widgets/frobnicate-errors/#Widget-Jammed', DOCUMENTED, ORIGIN), ['`error_uri` fragment `#Widget-Jammed` is not the documented `#widget-jammed`']);
    assert.deepEqual(checkErrorUri('/widgets/frobnicate-errors/', DOCUMENTED, ORIGIN), ['`error_uri` fragment `#` is not the documented `#widget-jammed`']);
  });

  it('fails a missing, non-string or unparseable value', () => {
    assert.deepEqual(checkErrorUri(undefined, DOCUMENTED, ORIGIN), ['`error_uri` is missing; documented: "/widgets/frobnicate-errors/#widget-jammed"']);
    assert.deepEqual(checkErrorUri(7, DOCUMENTED, ORIGIN), ['`error_uri` is 7, not a string; documented: "/widgets/frobnicate-errors/#widget-jammed"']);
    assert.deepEqual(checkErrorUri('//evil.invalid/widgets/frobnicate-errors/#widget-jammed', DOCUMENTED, ORIGIN), [
      '`error_uri` "//evil.invalid/widgets/frobnicate-errors/#widget-jammed" is neither a path starting with `/` nor an absolute http(s) URL; documented: "/widgets/frobnicate-errors/#widget-jammed"',
    ]);
  });
});

describe('status, content type and body', () => {
  it('passes the recipe status and names a redirect (with its target), a server error, or another status', () => {
    assert.equal(checkStatus(200, 200, undefined), null);
    assert.equal(checkStatus(200, 302, 'https://elsewhere.invalid/x'), 'status is 302, a redirect to `https://elsewhere.invalid/x` (not followed); this documented error is answered with 200 (status in tests/profiles.yaml)');
    assert.equal(checkStatus(200, 503, undefined), 'status is 503, a server error; this documented error is answered with 200 (status in tests/profiles.yaml)');
    assert.equal(checkStatus(200, 400, undefined), 'status is 400; this documented error is answered with 200 (status in tests/profiles.yaml)');
  });

  it('names a redirect back to the URL asked (a loop) and one to another origin', () => {
    const asked = 'http://127.0.0.1:4010/widgets/token';
    assert.equal(checkStatus(200, 307, '/widgets/token', asked), 'status is 307, a redirect to `/widgets/token`, the URL just asked (a loop; not followed); this documented error is answered with 200 (status in tests/profiles.yaml)');
    assert.equal(
      checkStatus(200, 307, 'http://127.0.0.1:4011/widgets/token', asked),
      'status is 307, a redirect to `http://127.0.0.1:4011/widgets/token`, another origin (not followed: nothing was sent there); this documented error is answered with 200 (status in tests/profiles.yaml)',
    );
    assert.equal(checkStatus(200, 302, '/login', asked), 'status is 302, a redirect to `/login` (not followed); this documented error is answered with 200 (status in tests/profiles.yaml)');
    assert.equal(checkStatus(200, 302, 'http://[bad', asked), 'status is 302, a redirect to `http://[bad` (not followed); this documented error is answered with 200 (status in tests/profiles.yaml)');
    assert.equal(checkStatus(200, 302, '', asked), 'status is 302, a redirect to `(no Location)` (not followed); this documented error is answered with 200 (status in tests/profiles.yaml)');
  });

  it('negotiates JSON, XML and no preference, once each', () => {
    assert.deepEqual(negotiationsOf('application/json').map((n) => [n.accept, n.format]), [
      ['application/json', 'json'],
      ['application/xml', 'xml'],
      ['', 'form'],
    ]);
    assert.deepEqual(negotiationsOf('application/xml').map((n) => n.format), ['xml', 'form']);
  });

  it('checks the media type, ignoring parameters and case', () => {
    assert.equal(checkContentType(negotiationFor('application/json'), 'Application/JSON; charset=utf-8'), null);
    assert.equal(checkContentType(negotiationFor('application/xml'), 'text/xml'), null);
    assert.equal(
      checkContentType(negotiationFor('application/xml'), 'application/json; charset=utf-8'),
      'Content-Type is `application/json; charset=utf-8` for Accept: application/xml; expected `application/xml` or `text/xml`',
    );
    assert.equal(checkContentType(negotiationFor('*/*'), undefined), 'Content-Type is `(none)` for Accept: */* (no preference); expected `application/x-www-form-urlencoded`');
    assert.equal(checkContentType(negotiationFor(''), 'application/json'), 'Content-Type is `application/json` for no Accept header; expected `application/x-www-form-urlencoded`');
  });

  it('names an HTML page by its title', () => {
    const page = Buffer.from('<!DOCTYPE html><html><head><title>\n  Sign in &middot; Example &amp; Co\n</title></head><body><form></form></body></html>');
    assert.equal(
      checkContentType(negotiationFor('application/json'), 'text/html; charset=utf-8', page),
      'Content-Type is `text/html; charset=utf-8`, an HTML page titled "Sign in &middot; Example & Co" for Accept: application/json; expected `application/json`',
    );
    assert.equal(checkContentType(negotiationFor('application/json'), 'text/html', Buffer.from('<p>no title</p>')), 'Content-Type is `text/html`, an HTML page for Accept: application/json; expected `application/json`');
  });

  it('parses JSON, GitHub-style XML and form bodies', () => {
    assert.deepEqual(parseBody('json', JSON.stringify(EXPECTED)), { ok: true, body: EXPECTED });
    const xml = '<?xml version="1.0" encoding="UTF-8"?>\n<OAuth><error>widget_jammed</error><error_description>A &lt;b&gt; &amp; &#233;&#x301;</error_description><empty/></OAuth>';
    // Members live in objects without a prototype (see suite-own-members.test.ts): compared as plain ones.
    assert.deepEqual({ ...parseFlatXml(xml) }, { error: 'widget_jammed', error_description: 'A <b> & é\u0301', empty: '' });
    const form = parseBody('form', 'error=widget_jammed&error_uri=%2Fw%23x&error=second');
    assert.deepEqual(form.ok && { ...form.body }, { error: 'widget_jammed', error_uri: '/w#x' });
  });

  it('says why a body does not parse, with an excerpt', () => {
    assert.deepEqual(parseBody('json', '{"error": '), { ok: false, problem: 'body is not JSON (Unexpected end of JSON input): "{\\"error\\": "' });
    assert.deepEqual(parseBody('json', '["widget_jammed"]'), { ok: false, problem: 'body is JSON but an array, not an object: "[\\"widget_jammed\\"]"; expected an object of the documented members' });
    assert.deepEqual(parseBody('json', 'null'), { ok: false, problem: 'body is JSON but null, not an object: "null"; expected an object of the documented members' });
    assert.deepEqual(parseBody('json', '"x"'), { ok: false, problem: 'body is JSON but a string, not an object: "\\"x\\""; expected an object of the documented members' });
    assert.deepEqual(parseBody('xml', '<OAuth><error>x</OAuth>'), { ok: false, problem: 'body is not XML with one root element of simple members: "<OAuth><error>x</OAuth>"' });
    assert.deepEqual(parseBody('form', ''), { ok: false, problem: 'body is not form-urlencoded: ""' });
    const long = parseBody('json', `<html>${'x'.repeat(200)}`);
    assert.equal(long.ok ? '' : long.problem, `body is not JSON (an unexpected character): "<html>${'x'.repeat(114)}…"`);
    assert.deepEqual(parseBody('json', '[1 2]'), { ok: false, problem: 'body is not JSON (Expected \',\' or \']\' after array element in JSON at position 3): "[1 2]"' });
  });

  it('never shows the piece of the body that the JSON parser quotes', () => {
    // V8 quotes the body's first characters in its message; here they are a secret.
    const secret = 'widget-secret-"q"-0123';
    rememberSecrets([secret]);
    const parsed = parseBody('json', `${secret} is not JSON`);
    assert.equal(parsed.ok ? '' : parsed.problem, 'body is not JSON (an unexpected character): "*** is not JSON"');
  });

  it('masks a secret before cutting the excerpt, and a prefix of one left at the cut', () => {
    const secret = 'widget-secret-9876543210';
    rememberSecrets([secret]);
    // The secret straddles the 120-character cut: all but its last character would fit.
    const json = parseBody('json', `<${'x'.repeat(120 - secret.length)}${secret}>`);
    assert.equal(json.ok ? '' : json.problem, `body is not JSON (an unexpected character): "<${'x'.repeat(120 - secret.length)}***>"`);
    // Only a prefix of the secret is in the body, cut off at 120: still masked.
    const prefix = parseBody('json', `<${'x'.repeat(110)}${secret.slice(0, 15)}`);
    assert.equal(prefix.ok ? '' : prefix.problem, `body is not JSON (an unexpected character): "<${'x'.repeat(110)}***…"`);
    const title = checkContentType(negotiationFor('application/json'), 'text/html', Buffer.from(`<title>${'T'.repeat(80 - secret.length + 1)}${secret.replace('-', '&#45;')}</title>`));
    assert.equal(title, `Content-Type is \`text/html\`, an HTML page titled "${'T'.repeat(80 - secret.length + 1)}***" for Accept: application/json; expected \`application/json\``);
  });

  it('masks secret members and tokens in an excerpt before escaping it', () => {
    const token = `gho_${'0aZ'.repeat(12)}`;
    assert.deepEqual(parseBody('json', `[{"access_token":"${token}","code":"c0de"}]`), {
      ok: false,
      problem: 'body is JSON but an array, not an object: "[{\\"access_token\\":\\"***\\",\\"code\\":\\"***\\"}]"; expected an object of the documented members',
    });
  });

  it('decodes strict UTF-8, naming the first byte that is not', () => {
    assert.deepEqual(decodeUtf8(Buffer.from('{"é":"✓"}')), { ok: true, text: '{"é":"✓"}' });
    const bad = Buffer.concat([Buffer.from('{"error":"x'), Buffer.from([0xff]), Buffer.from('"}')]);
    assert.deepEqual(decodeUtf8(bad), { ok: false, problem: 'the body is not UTF-8: byte 0xff at offset 11 cannot be decoded; expected UTF-8 text' });
    // A sequence cut short is named at the byte that breaks it.
    assert.deepEqual(decodeUtf8(Buffer.from([0x61, 0xc3, 0x28])), { ok: false, problem: 'the body is not UTF-8: byte 0x28 at offset 2 cannot be decoded; expected UTF-8 text' });
    assert.deepEqual(decodeUtf8(Buffer.from([0x61, 0xe2, 0x9c])), { ok: false, problem: 'the body is not UTF-8: byte 0x9c at offset 2 cannot be decoded; expected UTF-8 text' });
  });
});

describe('documented values and other formats', () => {
  it('reports each member that differs or is missing, with both values; `error_uri` is left to its own check', () => {
    assert.deepEqual(checkValues(EXPECTED, { ...EXPECTED, error_uri: 'elsewhere' }), []);
    assert.deepEqual(checkValues(EXPECTED, { error: ['widget_jammed'], error_uri: EXPECTED.error_uri }), [
      '`error` is ["widget_jammed"]; documented: "widget_jammed"',
      '`error_description` is missing; documented: "The widget is jammed."',
    ]);
  });

  it('requires the XML or form answer to carry the JSON answer\'s members', () => {
    assert.deepEqual(checkSameAs(Object.keys(EXPECTED), EXPECTED, { ...EXPECTED }, 'XML'), []);
    assert.deepEqual(checkSameAs(Object.keys(EXPECTED), EXPECTED, { error: 'widget_jammed', error_description: 'Jammed.' }, 'FORM'), [
      '`error_description` is "Jammed." in the FORM answer; the JSON answer has "The widget is jammed."',
      '`error_uri` is missing from the FORM answer; the JSON answer has "/widgets/frobnicate-errors/#widget-jammed"',
    ]);
  });
});

describe('anchor verdict', () => {
  const section = { file: 'xx-XX/widgets/frobnicate-errors.md', line: 12, heading: 'Widget jammed', idSource: 'slug' as const };
  const kase = (status: Case['anchors'][string]['status'], detail: string) => ({
    error: 'widget_jammed',
    errorUri: DOCUMENTED,
    anchors: { 'xx-XX': { status, targetPage: 'widgets/frobnicate-errors', section, detail } },
  });

  it('passes a confirmed anchor silently', () => {
    assert.deepEqual(anchorVerdict(kase('confirmed', 'fine'), 'xx-XX'), { ok: true, note: null });
  });

  it('passes what the docs cannot confirm, with a note saying so', () => {
    for (const status of ['inferred', 'heading-only', 'unverifiable'] as const) {
      assert.deepEqual(anchorVerdict(kase(status, 'the reason'), 'xx-XX'), {
        ok: true,
        note: `anchor \`#widget-jammed\` not confirmed (${status}): the reason (xx-XX/widgets/frobnicate-errors.md:12)`,
      });
    }
    assert.deepEqual(anchorVerdict(kase('confirmed', 'fine'), 'yy-YY'), { ok: true, note: 'anchor `#widget-jammed` not checked: `widget_jammed` has no anchor check for yy-YY' });
  });

  it('fails an anchor that leads nowhere or to another section, pointing at the docs', () => {
    assert.deepEqual(anchorVerdict(kase('wrong-section', '`#widget-jammed` names another section'), 'xx-XX'), {
      ok: false,
      problem:
        'the documented anchor `#widget-jammed` does not lead to the section documenting `widget_jammed` (wrong-section): `#widget-jammed` names another section (xx-XX/widgets/frobnicate-errors.md:12); fix the docs (see `npm run validate`)',
    });
    assert.equal(anchorVerdict(kase('missing', 'no heading'), 'xx-XX').ok, false);
  });

  it('passes an anchor finding the docs baseline accepts, with a note giving its reason', () => {
    assert.deepEqual(anchorVerdict(kase('missing', 'no heading'), 'xx-XX', '', 'the widget docs are published so'), {
      ok: true,
      note: 'anchor `#widget-jammed` does not lead to the section documenting `widget_jammed` (missing): no heading (xx-XX/widgets/frobnicate-errors.md:12); accepted by the docs baseline: the widget docs are published so',
    });
  });

  it('finds the baseline reason of an anchor finding at the documented example only', () => {
    const accepted = [
      { finding: { rule: 'json-syntax', file: 'xx-XX/widgets.md', line: 7 }, entry: { reason: 'not an anchor' } },
      { finding: { rule: 'missing-anchor', file: 'xx-XX/widgets.md', line: 9 }, entry: { reason: 'elsewhere' } },
      { finding: { rule: 'anchor-wrong-section', file: 'xx-XX/widgets.md', line: 7 }, entry: { reason: 'this one' } },
    ];
    assert.equal(acceptedAnchor(accepted, { file: 'xx-XX/widgets.md', line: 7 }), 'this one');
    assert.equal(acceptedAnchor(accepted, { file: 'yy-YY/widgets.md', line: 7 }), null);
    assert.equal(acceptedAnchor(accepted.slice(0, 2), { file: 'xx-XX/widgets.md', line: 7 }), null);
  });

  it('prefixes the docs folder to the file it names, when given', () => {
    assert.deepEqual(anchorVerdict(kase('inferred', 'why'), 'xx-XX', 'docs'), { ok: true, note: 'anchor `#widget-jammed` not confirmed (inferred): why (docs/xx-XX/widgets/frobnicate-errors.md:12)' });
  });
});

describe('error_uri as the profile expects it: documented, GitHub\'s, or either', () => {
  const documented = { path: '/widgets/old-errors/', fragment: 'widget-jammed', targetPage: null, permalinks: [] };
  const github = { errorUri: 'https://docs.widgets.invalid/widgets/errors/#widget-jammed', sources: ['https://widgets.invalid/issues/1'] };
  const ORIGIN = 'https://docs.widgets.invalid';

  it('either: the documented value passes silently, GitHub\'s passes with a note naming the sources', () => {
    assert.deepEqual(checkErrorUriAs('/widgets/old-errors/#widget-jammed', { github, expectErrorUri: 'either' }, documented, ORIGIN), { problems: [], note: null });
    assert.deepEqual(checkErrorUriAs(github.errorUri, { github, expectErrorUri: 'either' }, documented, ORIGIN), {
      problems: [],
      note: '`error_uri` "https://docs.widgets.invalid/widgets/errors/#widget-jammed" is what GitHub answers (https://widgets.invalid/issues/1), not the documented "/widgets/old-errors/#widget-jammed"',
    });
  });

  it('either: a value that is neither fails, naming both', () => {
    assert.deepEqual(checkErrorUriAs('/widgets/errors/#widget-jammed-x', { github, expectErrorUri: 'either' }, documented, ORIGIN).problems, [
      '`error_uri` path `/widgets/errors/` is not the documented `/widgets/old-errors/` (a trailing slash, language and version segments are tolerated)',
      '`error_uri` fragment `#widget-jammed-x` is not the documented `#widget-jammed`',
      'nor is it what GitHub answers, "https://docs.widgets.invalid/widgets/errors/#widget-jammed" (https://widgets.invalid/issues/1)',
    ]);
  });

  it('documented or github alone accept only that value', () => {
    assert.equal(checkErrorUriAs(github.errorUri, { github, expectErrorUri: 'documented' }, documented, ORIGIN).problems.length, 1);
    assert.deepEqual(checkErrorUriAs(github.errorUri, { github, expectErrorUri: 'github' }, documented, ORIGIN), { problems: [], note: null });
    assert.equal(checkErrorUriAs('/widgets/old-errors/#widget-jammed', { github, expectErrorUri: 'github' }, documented, ORIGIN).problems.length, 1);
  });
});
