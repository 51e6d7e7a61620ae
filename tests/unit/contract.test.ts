import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { formatText } from '../../scripts/lib/diagnostics.ts';
import { pipelineOf, widgetPage } from './helpers.ts';

const PAGE = 'widgets/frobnicate-errors';
const only = (rule: string, result: ReturnType<typeof pipelineOf>) => formatText(result.diagnostics.filter((d) => d.rule === rule));

describe('contract: merging locales', () => {
  it('merges one response per (page, error) with provenance in every locale', () => {
    const result = pipelineOf({
      [`de-DE/${PAGE}.md`]: widgetPage({ sections: [['Widget klemmt', 'widget_jammed', 'widget-jammed'], ['Widget fehlt', 'widget_missing', 'widget-missing']] }),
      [`fr-FR/${PAGE}.md`]: widgetPage({ sections: [['Widget coincé', 'widget_jammed', 'widget-jammed'], ['Widget absent', 'widget_missing', 'widget-missing']] }),
    });
    assert.equal(formatText(result.diagnostics), '');
    assert.deepEqual(
      result.contract.responses.map((r) => [r.page, r.error, r.provenance.map((p) => `${p.locale}:${p.line}:${p.section?.heading}`)]),
      [
        [PAGE, 'widget_jammed', ['de-DE:14:Widget klemmt', 'fr-FR:14:Widget coincé']],
        [PAGE, 'widget_missing', ['de-DE:26:Widget fehlt', 'fr-FR:26:Widget absent']],
      ],
    );
  });

  it('reports the one locale of three that disagrees, naming both places', () => {
    const result = pipelineOf({
      [`de-DE/${PAGE}.md`]: widgetPage({}),
      [`fr-FR/${PAGE}.md`]: widgetPage({}),
      [`ja-JP/${PAGE}.md`]: widgetPage({ description: (e) => (e === 'widget_jammed' ? 'The widget is stuck.' : `The ${e.replace(/_/g, ' ')} happened.`) }),
    });
    assert.equal(
      only('response-disagrees', result),
      `ja-JP/${PAGE}.md:14:1: error \`widget_jammed\` example differs from de-DE (de-DE/${PAGE}.md:14): \`error_description\` is "The widget is stuck." here, "The widget jammed happened." there. Make the example match the other locale; JSON examples are not translated. (response-disagrees)`,
    );
  });

  it('reports an error documented in one locale but missing from another', () => {
    const result = pipelineOf({
      [`de-DE/${PAGE}.md`]: widgetPage({}),
      [`fr-FR/${PAGE}.md`]: widgetPage({ sections: [['Widget coincé', 'widget_jammed', 'widget-jammed']] }),
    });
    assert.equal(
      only('response-missing', result),
      `fr-FR/${PAGE}.md:1:1: error \`widget_missing\` is documented in de-DE (de-DE/${PAGE}.md:26) but not in this fr-FR page; add its example. (response-missing)`,
    );
  });

  it('reports the same error twice on one page', () => {
    const result = pipelineOf({
      [`de-DE/${PAGE}.md`]: widgetPage({ sections: [['Widget jammed', 'widget_jammed', 'widget-jammed'], ['Jammed again', 'widget_jammed', 'widget-jammed']] }),
    });
    assert.equal(
      only('duplicate-response', result),
      `de-DE/${PAGE}.md:26:1: error \`widget_jammed\` is documented twice on this page (first at line 14); keep one example per error. (duplicate-response)`,
    );
  });
});

describe('contract: classifying JSON blocks', () => {
  it('warns about a JSON block that is not an error response, naming its section', () => {
    const page = widgetPage({ sections: [['Widget jammed', 'widget_jammed', 'widget-jammed']] }) + '\n```json\n{"add_widgets": ["blue"]}\n```\n';
    const result = pipelineOf({ [`de-DE/${PAGE}.md`]: page });
    assert.equal(
      only('json-not-response', result),
      `de-DE/${PAGE}.md:22:1: warning JSON example under \`Widget jammed\` is not an error response (no string \`error\` member), so it is not part of the contract. Remove it if it does not belong on this page, or mark the fence as another language. (json-not-response)`,
    );
    assert.equal(result.contract.responses.length, 1);
  });

  it('requires error_description and error_uri on an error example', () => {
    const result = pipelineOf({ [`de-DE/${PAGE}.md`]: '## Widget jammed\n\n```json\n{"error": "widget_jammed", "error_description": 7}\n```\n' });
    assert.equal(
      only('error-example-fields', result),
      `de-DE/${PAGE}.md:3:1: error \`widget_jammed\` example under \`Widget jammed\` lacks string \`error_description\` and \`error_uri\`; an error response documents \`error\`, \`error_description\` and \`error_uri\`. (error-example-fields)`,
    );
  });

  it('rejects an error_uri without a fragment or that is not a docs path', () => {
    const block = (uri: string) => `\`\`\`json\n{"error": "widget_jammed", "error_description": "d", "error_uri": "${uri}"}\n\`\`\`\n`;
    const result = pipelineOf({ [`de-DE/${PAGE}.md`]: `## A\n\n${block('/widgets/frobnicate-errors')}\n## B\n\n${block('widgets#b')}` });
    assert.equal(
      only('error-uri-invalid', result),
      [
        `de-DE/${PAGE}.md:3:1: error \`error_uri\` \`/widgets/frobnicate-errors\` of \`widget_jammed\` is not a docs path with a \`#fragment\`; write it as \`/<page path>#<heading id>\`. (error-uri-invalid)`,
        `de-DE/${PAGE}.md:9:1: error \`error_uri\` \`widgets#b\` of \`widget_jammed\` is not a docs path with a \`#fragment\`; write it as \`/<page path>#<heading id>\`. (error-uri-invalid)`,
      ].join('\n'),
    );
  });

  it('yields no response and no diagnostic for a page without JSON', () => {
    const result = pipelineOf({ [`de-DE/widgets/overview.md`]: '---\ntitle: Widgets\n---\n## About widgets\n\nProse only.\n' }, 'faults: {}\nendpoints: {}\n');
    assert.deepEqual(result.diagnostics, []);
    assert.deepEqual(result.contract.responses, []);
    assert.equal(result.contract.pages.length, 1);
  });
});

describe('contract: anchors', () => {
  it('without a source locale, infers the id of the section holding a self-pointing example', () => {
    const result = pipelineOf({
      [`de-DE/${PAGE}.md`]: widgetPage({ sections: [['Widget klemmt', 'widget_jammed', 'widget-jammed'], ['Widget fehlt', 'widget_missing', 'widget-missing']] }),
    });
    const check = result.contract.responses[0]?.anchors[0];
    assert.equal(check?.status, 'inferred');
    assert.equal(check?.section?.heading, 'Widget klemmt');
    assert.equal(check?.section?.idSource, 'inferred');
    assert.equal(check?.detail, 'no source locale: `#widget-jammed` is taken to be the id of `Widget klemmt`, the section holding the example');
  });

  it('confirms an anchor that is the heading’s own slug', () => {
    const result = pipelineOf({ [`de-DE/${PAGE}.md`]: widgetPage({}) });
    assert.deepEqual(
      result.contract.responses.map((r) => [r.error, r.anchors[0]?.status, r.anchors[0]?.section?.idSource]),
      [
        ['widget_jammed', 'confirmed', 'slug'],
        ['widget_missing', 'confirmed', 'slug'],
      ],
    );
  });

  it('gives translations the source locale’s ids by h2–h4 position (useEnglishHeadings)', () => {
    const source = widgetPage({});
    const translated = widgetPage({ sections: [['Widget klemmt', 'widget_jammed', 'widget-jammed'], ['Widget fehlt', 'widget_missing', 'widget-missing']] });
    const result = pipelineOf({ [`en/${PAGE}.md`]: source, [`de-DE/${PAGE}.md`]: translated });
    assert.equal(result.contract.sourceLocale, 'en');
    assert.equal(formatText(result.diagnostics), '');
    const jammed = result.contract.responses.find((r) => r.error === 'widget_jammed');
    assert.deepEqual(
      jammed?.anchors.map((a) => [a.locale, a.status, a.section?.heading, a.section?.idSource]),
      [
        ['en', 'confirmed', 'Widget jammed', 'slug'],
        ['de-DE', 'confirmed', 'Widget klemmt', 'source-position'],
      ],
    );
    // The translation's own slug is not an id the reader's browser sees.
    const de = result.contract.pages[0]?.locales['de-DE'];
    assert.deepEqual(de?.sections[0]?.ids, [{ id: 'widget-jammed', source: 'source-position' }]);
  });

  it('with a source locale, a translation whose sections moved points the anchor at the wrong section', () => {
    const source = widgetPage({});
    // Same examples, sections swapped: by position, `widget-jammed` is now the section about widget_missing.
    const translated = widgetPage({ sections: [['Widget fehlt', 'widget_missing', 'widget-missing'], ['Widget klemmt', 'widget_jammed', 'widget-jammed']] });
    const result = pipelineOf({ [`en/${PAGE}.md`]: source, [`de-DE/${PAGE}.md`]: translated });
    assert.equal(
      only('anchor-wrong-section', result),
      [
        `de-DE/${PAGE}.md:14:1: error \`error_uri\` anchor \`#widget-missing\` names \`Widget klemmt\` (de-DE/${PAGE}.md:22), but \`widget_missing\` is documented under \`Widget fehlt\` (de-DE/${PAGE}.md:10); point the anchor at that heading. (anchor-wrong-section)`,
        `de-DE/${PAGE}.md:26:1: error \`error_uri\` anchor \`#widget-jammed\` names \`Widget fehlt\` (de-DE/${PAGE}.md:10), but \`widget_jammed\` is documented under \`Widget klemmt\` (de-DE/${PAGE}.md:22); point the anchor at that heading. (anchor-wrong-section)`,
      ].join('\n'),
    );
  });

  it('reports an anchor that matches no heading, with the nearest id', () => {
    const result = pipelineOf({ [`en/${PAGE}.md`]: widgetPage({ sections: [['Widget jammed', 'widget_jammed', 'widget-jammed2']] }) });
    assert.equal(
      only('missing-anchor', result),
      `en/${PAGE}.md:14:1: error \`error_uri\` anchor \`#widget-jammed2\` matches no heading of \`frobnicate-errors\`; did you mean \`#widget-jammed\`? (missing-anchor)`,
    );
  });

  it('follows an error_uri to another page of the tree through its redirect_from, language and version segments', () => {
    const target = '---\ntitle: Gadgets\nredirect_from:\n  - /old/gadget-errors\n---\n## Gadget jammed\n\nA gadget jams.\n';
    const block = (uri: string) => `## Widget jammed\n\n\`\`\`json\n{"error": "widget_jammed", "error_description": "d", "error_uri": "${uri}"}\n\`\`\`\n`;
    for (const uri of ['/old/gadget-errors/#gadget-jammed', '/ja/enterprise-server@3.9/old/gadget-errors#gadget-jammed', '/gadgets/errors#gadget-jammed']) {
      const result = pipelineOf({ 'en/gadgets/errors.md': target, [`en/${PAGE}.md`]: block(uri) });
      const check = result.contract.responses[0]?.anchors[0];
      // The gadget page has no widget_jammed example: the heading exists, but nothing confirms it documents this error.
      assert.equal(check?.status, 'heading-only', uri);
      assert.equal(check?.targetPage, 'gadgets/errors', uri);
    }
    const missing = pipelineOf({ 'en/gadgets/errors.md': target, [`en/${PAGE}.md`]: block('/old/gadget-errors#gadget-jamed') });
    assert.equal(
      only('missing-anchor', missing),
      `en/${PAGE}.md:3:1: error \`error_uri\` anchor \`#gadget-jamed\` matches no heading of \`errors\`; did you mean \`#gadget-jammed\`? (missing-anchor)`,
    );
  });

  it('warns, and does not fail, when the error_uri page is not in the tree', () => {
    const result = pipelineOf({ [`en/${PAGE}.md`]: '## Widget jammed\n\n```json\n{"error": "widget_jammed", "error_description": "d", "error_uri": "/elsewhere/gadgets#jam"}\n```\n' });
    assert.equal(
      formatText(result.diagnostics.filter((d) => d.rule !== 'recipe-missing' && d.rule !== 'recipe-unused')),
      `en/${PAGE}.md:3:1: warning \`error_uri\` of \`widget_jammed\` points at \`/elsewhere/gadgets\`, a page that is not in the docs tree, so anchor \`#jam\` cannot be checked. Add that page to the docs to check it. (anchor-unverifiable)`,
    );
    assert.equal(result.contract.responses[0]?.anchors[0]?.status, 'unverifiable');
  });
});

describe('contract: translation freshness', () => {
  it('records whether ms.openlocfilehash is the SHA-1 of the CRLF form of the source file', () => {
    const source = widgetPage({});
    // Computed here independently: CRLF line endings, then SHA-1 of the UTF-8 bytes.
    const hash = createHash('sha1').update(Buffer.from(source.split('\n').join('\r\n'), 'utf8')).digest('hex');
    const translation = (h: string) => widgetPage({ extraFrontMatter: `ms.openlocfilehash: ${h}\nms.contentlocale: de-DE\n` });
    const current = pipelineOf({ [`en/${PAGE}.md`]: source, [`de-DE/${PAGE}.md`]: translation(hash) });
    assert.deepEqual(current.contract.pages[0]?.locales['de-DE'], { ...current.contract.pages[0]?.locales['de-DE'], openLocFileHash: hash, current: true });

    const stale = pipelineOf({ [`en/${PAGE}.md`]: source, [`de-DE/${PAGE}.md`]: translation('0123456789abcdef0123456789abcdef01234567') });
    assert.equal(stale.contract.pages[0]?.locales['de-DE']?.current, false);

    const noSource = pipelineOf({ [`de-DE/${PAGE}.md`]: translation(hash) });
    assert.equal(noSource.contract.pages[0]?.locales['de-DE']?.current, null);
  });

  it('warns when ms.contentlocale disagrees with the folder', () => {
    const result = pipelineOf({ [`de-DE/${PAGE}.md`]: widgetPage({ extraFrontMatter: 'ms.contentlocale: fr-FR\n' }) });
    assert.equal(
      only('locale-mismatch', result),
      `de-DE/${PAGE}.md:7:1: warning \`ms.contentlocale\` is \`fr-FR\` but the page is in the \`de-DE\` folder; move the file to \`fr-FR/\` or fix the key. (locale-mismatch)`,
    );
  });
});
