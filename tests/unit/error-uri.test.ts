import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { matchesPermalink, normalizeDocsPath, parseErrorUri } from '../../scripts/lib/error-uri.ts';
import { fillForm } from '../../scripts/lib/recipes.ts';

describe('error_uri', () => {
  it('splits relative and absolute values', () => {
    assert.deepEqual(parseErrorUri('/widgets/frobnicate-errors/#widget-jammed'), { origin: null, path: '/widgets/frobnicate-errors/', fragment: 'widget-jammed' });
    assert.deepEqual(parseErrorUri('https://docs.example.invalid/widgets/x?y=1#z'), { origin: 'https://docs.example.invalid', path: '/widgets/x', fragment: 'z' });
    assert.deepEqual(parseErrorUri('/widgets/x#%D0%BA'), { origin: null, path: '/widgets/x', fragment: 'к' });
    assert.equal(parseErrorUri('widgets/x#z'), null);
    assert.equal(parseErrorUri('//evil.invalid/x#z'), null);
    assert.equal(parseErrorUri('javascript:alert(1)'), null);
  });

  it('matches permalinks ignoring a trailing slash, a language and a version segment', () => {
    assert.equal(normalizeDocsPath('/ru/enterprise-server@3.6/Widgets/x/'), '/widgets/x');
    assert.equal(normalizeDocsPath('/'), '/');
    const links = ['/widgets/x', '/old/widgets/x'];
    for (const p of ['/widgets/x', '/widgets/x/', '/fr/widgets/x', '/enterprise-cloud@latest/old/widgets/x/', '/pt-br/widgets/x']) {
      assert.ok(matchesPermalink(p, links), p);
    }
    for (const p of ['/widgets/y', '/widgets/x/y', '/apps/widgets/x', '/widgets']) {
      assert.ok(!matchesPermalink(p, links), p);
    }
  });
});

describe('recipes: filling a form', () => {
  const form: Array<[string, string]> = [
    ['client_id', '{{client_id}}'],
    ['client_secret', 'wrong-{{random}}'],
    ['redirect_uri', '{{callback_url?}}'],
  ];
  it('fills settings and random values, and leaves out optional fields that were not given', () => {
    let n = 0;
    const random = () => `r${++n}`;
    assert.deepEqual(fillForm(form, { clientId: 'id-1', random }), [
      ['client_id', 'id-1'],
      ['client_secret', 'wrong-r1'],
    ]);
    assert.deepEqual(fillForm(form, { clientId: 'id-1', callbackUrl: 'http://localhost:9/cb', random }), [
      ['client_id', 'id-1'],
      ['client_secret', 'wrong-r2'],
      ['redirect_uri', 'http://localhost:9/cb'],
    ]);
  });
});
