/**
 * The shipped docs and their committed baseline, as `npm run validate` and `npm run generate`
 * see them: the English sources confirm or refute every `error_uri` anchor (none is inferred),
 * every translation's staleness is checked, and the real defects are reported, each accepted
 * with a reason, so that the contract is still built.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { blockingErrors, parseBaseline } from '../../scripts/lib/baseline.ts';
import { validate } from '../../scripts/lib/checks/index.ts';
import { parsePage } from '../../scripts/lib/parse.ts';
import { buildFrom, loadDocs } from '../../scripts/lib/pipeline.ts';
import { readRecipes } from '../../scripts/lib/read.ts';
import { BASELINE_FILE, DOCS_DIR, RECIPES_FILE } from '../../scripts/lib/util.ts';

const loaded = loadDocs(DOCS_DIR, { cache: null }, parsePage);
const build = buildFrom(loaded, readRecipes(RECIPES_FILE));
const baseline = parseBaseline(readFileSync(BASELINE_FILE, 'utf8'), BASELINE_FILE);
const findings = validate(loaded).findings;
const TOKEN_PAGE = 'developers/apps/managing-oauth-apps/troubleshooting-oauth-app-access-token-request-errors';

describe('the shipped docs', () => {
  it('have errors only where the baseline accepts them, so the contract is built', () => {
    assert.ok(build.diagnostics.some((d) => d.severity === 'error'), 'the shipped docs carry real defects');
    assert.deepEqual(blockingErrors(build.diagnostics, baseline), []);
    assert.deepEqual(blockingErrors(findings, baseline), []);
  });

  it('confirm every token-endpoint anchor by the English ids, or report it: none is inferred', () => {
    const token = build.cases.filter((c) => c.page === TOKEN_PAGE);
    assert.deepEqual(
      token.map((c) => [c.error, c.locales, Object.values(c.anchors).map((a) => a.status)]),
      [
        ['bad_verification_code', ['en', 'fr-FR', 'ru-RU'], ['confirmed', 'confirmed', 'confirmed']],
        ['incorrect_client_credentials', ['en', 'fr-FR', 'ru-RU'], ['confirmed', 'confirmed', 'confirmed']],
        // `#redirect-uri-mismatch2` names no heading of the authorization-errors page: reported, and accepted.
        ['redirect_uri_mismatch', ['en', 'fr-FR', 'ru-RU'], ['missing', 'missing', 'missing']],
      ],
    );
    assert.deepEqual(build.cases.flatMap((c) => Object.values(c.anchors).filter((a) => a.status === 'inferred')), []);
  });

  it('report the anchor typo in every locale with the fix, and the stale French translation; no staleness is left unchecked', () => {
    assert.deepEqual(
      findings.filter((f) => f.rule === 'missing-anchor' && f.message.includes('#redirect-uri-mismatch2')).map((f) => f.file),
      ['en', 'fr-FR', 'ru-RU'].map((l) => `${l}/${TOKEN_PAGE}.md`),
    );
    for (const f of findings.filter((f) => f.message.includes('#redirect-uri-mismatch2'))) assert.match(f.message, /did you mean `#redirect-uri-mismatch`\?/);
    assert.deepEqual(
      findings.filter((f) => f.rule === 'translation-stale').map((f) => f.file),
      ['fr-FR/developers/apps/building-oauth-apps/authorizing-oauth-apps.md'],
    );
    assert.deepEqual(findings.filter((f) => f.rule === 'staleness-unchecked'), []);
  });
});
