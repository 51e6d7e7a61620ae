/**
 * The page as the site renders it: Liquid rendered with the site data of a synthetic tree in the
 * github/docs layout (variables, reusables, version branches), positions mapped back to the file.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readDocsTree } from '../../scripts/lib/read.ts';
import { renderPage, type SiteData } from '../../scripts/lib/render.ts';
import { makeTree, validateTree } from './helpers.ts';

const FRONT = "---\ntitle: Synthetic\nversions:\n  fpt: '*'\n---\n";

/** Findings of validate over a github/docs layout tree given inline, as `rule file:line` plus the message. */
function findingsOf(files: Record<string, string>): Array<{ rule: string; at: string; message: string }> {
  const { findings } = validateTree(readDocsTree(makeTree(files)));
  return findings.map((f) => ({ rule: f.rule, at: `${f.file}:${f.line}`, message: f.message }));
}

const DATA = {
  'data/variables/widget.yml': "name: Sprocket {% ifversion ghes %}Server{% else %}Cloud{% endif %}\nplain: Gizmo\n",
  'translations/xx-XX/data/variables/widget.yml': 'plain: Gizmo-xx\n',
  'data/reusables/widgets/jam-steps.md': 'First step.\n\n## Clearing a jam\n\n```json\n{"broken": }\n```\n',
};

describe('render: Liquid with the site data', () => {
  it('slugs a heading with a variable from the rendered text, the locale falling back to en', () => {
    const site: SiteData = {
      fallback: 'en',
      digest: '',
      locales: new Map([
        ['en', { variables: { widget: { plain: 'Gizmo', other: 'Doohickey' } }, reusables: new Map(), glossaries: {} }],
        ['xx-XX', { variables: { widget: { plain: 'Gizmo-xx' } }, reusables: new Map(), glossaries: {} }],
      ]),
    };
    const text = `${FRONT}## About {% data variables.widget.plain %} and {% data variables.widget.other %}\n`;
    assert.equal(renderPage(text, 'xx-XX', site).text.split('\n')[5], '## About Gizmo-xx and Doohickey');
    assert.equal(renderPage(text, 'en', site).text.split('\n')[5], '## About Gizmo and Doohickey');
  });

  it('keeps a data tag whose data is missing as written, and renders a page without data unchanged', () => {
    const text = `${FRONT}## About {% data variables.widget.none %} jams\n`;
    assert.equal(renderPage(text, 'en', null).text, text);
  });

  it('gives back the page as written, with the reason, when its Liquid does not parse', () => {
    const text = `${FRONT}{% ifversion fpt %}\n## Open\n`;
    const rendered = renderPage(text, 'en', null);
    assert.equal(rendered.text, text);
    assert.match(rendered.failure ?? '', /not closed/);
  });

  it('maps rendered lines to the file, and to the reusable inside one', () => {
    const site: SiteData = {
      fallback: 'en',
      digest: '',
      locales: new Map([['en', { variables: {}, reusables: new Map([['w.two', { file: 'data/reusables/w/two.md', text: 'one\ntwo\n' }]]), glossaries: {} }]]),
    };
    const text = `${FRONT}{% ifversion fpt %}\ndropped\n{% endif %}\nafter\n{% data reusables.w.two %}\nlast\n`;
    const rendered = renderPage(text, 'en', site);
    const at = (content: string) => rendered.origins[rendered.text.split('\n').indexOf(content)];
    assert.deepEqual(at('after'), { line: 9 });
    // The reusable ends at the end of its last line: from column 4 on, that line is the page's.
    assert.deepEqual(at('two'), { line: 10, reusable: { file: 'data/reusables/w/two.md', line: 2 }, pageFrom: 4 });
    assert.deepEqual(at('last'), { line: 11 });
  });
});

describe('render: ids and anchors of the rendered page', () => {
  it('finds headings built from variables and reusables, in every version branch', () => {
    const found = findingsOf({
      ...DATA,
      'content/widgets/index.md': `${FRONT}## Using {% data variables.widget.plain %}\n\n{% ifversion fpt %}\n### Cloud only\n{% else %}\n### Server only\n{% endif %}\n\n{% data reusables.widgets.jam-steps %}\n\n## {% data variables.widget.name %} limits\n`,
      'content/widgets/links.md': `${FRONT}See [a](/widgets#using-gizmo), [b](/widgets#cloud-only), [c](/widgets#server-only), [d](/widgets#clearing-a-jam), [e](/widgets#sprocket-cloud-limits), [f](/widgets#sprocket-server-limits), [g](/widgets#using-sprocket).\n`,
    });
    const anchors = found.filter((f) => f.rule === 'missing-anchor');
    assert.deepEqual(anchors.map((f) => f.at), ['content/widgets/links.md:6']);
    assert.match(anchors[0]?.message ?? '', /`#using-sprocket`/);
  });

  it('renders the other version branches wherever one can change a heading, and only there', () => {
    const missing = (page: string, link: string) =>
      findingsOf({ ...DATA, 'content/widgets/index.md': `${FRONT}${page}`, 'content/widgets/links.md': `${FRONT}See [a](/widgets#${link}).\n` })
        .filter((f) => f.rule === 'missing-anchor')
        .map((f) => /`(#[^`]*)`/.exec(f.message)?.[1]);
    // A variable whose value branches, on a heading line.
    assert.deepEqual(missing('## {% data variables.widget.name %} limits\n', 'sprocket-cloud-limits'), []);
    // A conditional written on a heading line (its version without the branch).
    assert.deepEqual(missing('## Setup {% ifversion ghes %}on Server{% endif %}\n', 'setup'), []);
    // A reusable in a later branch, holding a heading.
    assert.deepEqual(missing('{% ifversion fpt %}\nCloud.\n{% else %}\n{% data reusables.widgets.jam-steps %}\n{% endif %}\n', 'clearing-a-jam'), []);
    assert.deepEqual(missing('## Setup {% ifversion ghes %}on Server{% endif %}\n', 'setup-on-cloud'), ['#setup-on-cloud']);
    // Conditionals that change no heading render one variant: the page's.
    const plain = `${FRONT}## Setup\n\nUse {% ifversion ghes %}Server{% else %}Cloud{% endif %}.\n\n{% ifversion fpt %}\nSee [the guide](/guide#setup).\n{% endif %}\n`;
    assert.deepEqual(renderPage(plain, 'en', null).variants, []);
    assert.equal(renderPage(`${plain}{% ifversion fpt %}\n{% else %}\n### Server\n{% endif %}\n`, 'en', null).variants.length, 1);
  });

  it('gives a heading line written twice in one version branch its second id there too', () => {
    const found = findingsOf({
      'content/widgets/index.md': `${FRONT}## Setup\n\n{% ifversion fpt %}\nCloud.\n{% else %}\n## Setup\n\n## Server only\n{% endif %}\n`,
      'content/widgets/links.md': `${FRONT}See [a](/widgets#setup-1), [b](/widgets#server-only), [c](/widgets#setup-2).\n`,
    });
    assert.deepEqual(
      found.filter((f) => f.rule === 'missing-anchor').map((f) => /`(#[^`]*)`/.exec(f.message)?.[1]),
      ['#setup-2'],
    );
  });

  it("reads a version branch's heading that the page also has as the page's heading, reference links resolved", () => {
    const found = findingsOf({
      'content/widgets/index.md': `${FRONT}## Intro\n\n## Read [the guide][g]\n\n{% ifversion fpt %}\nCloud.\n{% else %}\n> ## Read [the guide][g]\n{% endif %}\n\n[g]: /widgets/links\n`,
      'content/widgets/links.md': `${FRONT}See [a](/widgets#read-the-guide-1), [b](/widgets#intro-1).\n`,
    });
    assert.deepEqual(
      found.filter((f) => f.rule === 'missing-anchor').map((f) => /`(#[^`]*)`/.exec(f.message)?.[1]),
      ['#intro-1'],
    );
  });

  it('places a problem inside a reusable at the tag in the file, naming the reusable', () => {
    const found = findingsOf({ ...DATA, 'content/widgets/index.md': `${FRONT}Intro.\n\n{% data reusables.widgets.jam-steps %}\n` });
    const json = found.filter((f) => f.rule === 'json-syntax');
    assert.deepEqual(json.map((f) => f.at), ['content/widgets/index.md:8']);
    assert.match(json[0]?.message ?? '', /in reusable `data\/reusables\/widgets\/jam-steps\.md:5`/);
  });

  it('names the reusable of a link inside one, not of a link after it on the same line', () => {
    const found = findingsOf({
      'data/reusables/widgets/lead.md': 'Lead text.\n',
      'data/reusables/widgets/linked.md': 'Lead with [a link](/widgets#gone-inside).\n',
      'content/widgets/index.md': `${FRONT}{% data reusables.widgets.lead %} Then [a link](/widgets#gone-after).\n\n{% data reusables.widgets.linked %} Then text.\n`,
    });
    const missing = found.filter((f) => f.rule === 'missing-anchor');
    assert.deepEqual(missing.map((f) => [f.at, /`(#[^`]*)`/.exec(f.message)?.[1], /reusable `([^`]*)`/.exec(f.message)?.[1] ?? null]), [
      ['content/widgets/index.md:6', '#gone-after', null],
      ['content/widgets/index.md:8', '#gone-inside', 'data/reusables/widgets/linked.md:1'],
    ]);
  });

  it('says where a reusable included in a list item leaves the item, ending its fence', () => {
    const found = findingsOf({
      'data/reusables/widgets/cmd.md': '```shell\n$ crank the widget\n```\n',
      'content/widgets/index.md': `${FRONT}1. Crank it:\n   {% data reusables.widgets.cmd %}\n`,
    });
    assert.deepEqual(
      found.filter((f) => f.rule === 'unterminated-fence').map((f) => [f.at, /ends before ([^;:]*)[;:]/.exec(f.message)?.[1] ?? /swallows the rest of the page/.exec(f.message)?.[0], /the fence at (.*), meant to close it/.exec(f.message)?.[1], /indented_data_reference/.test(f.message)]),
      // The closing fence, left outside the item, opens a block that runs to the end: the same defect, said once.
      [['content/widgets/index.md:7', 'line 2 of reusable `data/reusables/widgets/cmd.md`', 'line 3 of reusable `data/reusables/widgets/cmd.md`', true]],
    );
  });

  it('takes ids from nested headings, HTML ids anywhere and {#id}', () => {
    const found = findingsOf({
      'content/widgets/index.md': `${FRONT}1. Step\n\n   ### Nested step\n\n> ## Quoted\n\n<div id="html-box">x</div>\n\nText <a name="inline-anchor"></a> here.\n\n## Custom {#custom-id}\n`,
      'content/widgets/links.md': `${FRONT}[a](/widgets#nested-step) [b](/widgets#quoted) [c](/widgets#html-box) [d](/widgets#inline-anchor) [e](/widgets#custom-id) [f](/widgets#nowhere)\n`,
    });
    assert.deepEqual(
      found.filter((f) => f.rule === 'missing-anchor').map((f) => f.message),
      ['Link anchor `#nowhere` matches no heading of `widgets`; add the heading or fix the anchor.'],
    );
  });

  it('a link into a page whose headings come from site data is unverifiable, not missing', () => {
    const found = findingsOf({
      'content/widgets/reference.md': `${FRONT}{% for op in currentWidgetOperations %}\n## {{ op.title }}\n{% endfor %}\n`,
      'content/widgets/links.md': `${FRONT}See [op](/widgets/reference#frobnicate-a-widget).\n`,
    });
    assert.deepEqual(
      found.filter((f) => f.rule === 'missing-anchor' || f.rule === 'anchor-unverifiable').map((f) => [f.rule, f.at]),
      [['anchor-unverifiable', 'content/widgets/links.md:6']],
    );
  });

  it('a link into a page with a layout or pre-rendered by scripts is checked against its own headings, else unverifiable', () => {
    const found = findingsOf({
      'content/widgets/index.md': "---\ntitle: Widgets\nlayout: product-landing\nversions:\n  fpt: '*'\n---\n## Written here\n",
      'content/widgets/reference.md': `${FRONT}## About widgets\n\n<!-- this page is pre-rendered by scripts -->\n`,
      'content/widgets/links.md': `${FRONT}[a](/widgets#written-here) [b](/widgets#all-docs) [c](/widgets/reference#sprocket)\n`,
    });
    assert.deepEqual(
      found.filter((f) => f.rule === 'missing-anchor' || f.rule === 'anchor-unverifiable').map((f) => [f.rule, /^Link `([^`]*)`/.exec(f.message)?.[1]]),
      [
        ['anchor-unverifiable', '/widgets#all-docs'],
        ['anchor-unverifiable', '/widgets/reference#sprocket'],
      ],
    );
  });

  it('resolves ids of a page that loops over glossary data the tree holds', () => {
    const found = findingsOf({
      'data/glossaries/external.yml': '- term: Sprocket\n- term: Gear wheel\n',
      'content/widgets/glossary.md': `${FRONT}{% for term in site.data.glossaries.external %}\n### {% data glossaries.external[forloop.index0].term %}\n{% endfor %}\n`,
      'content/widgets/links.md': `${FRONT}[a](/widgets/glossary#gear-wheel) [b](/widgets/glossary#cog)\n`,
    });
    const anchors = found.filter((f) => f.rule === 'missing-anchor' || f.rule === 'anchor-unverifiable');
    assert.deepEqual(anchors.map((f) => [f.rule, f.at]), [['missing-anchor', 'content/widgets/links.md:6']]);
    assert.match(anchors[0]?.message ?? '', /`#cog`/);
  });

  it("places what is found in a glossary entry's text on its line of the locale's glossary file", () => {
    const page = `${FRONT}{% for term in site.data.glossaries.external %}\n### {% data glossaries.external[forloop.index0].term %}\n{% data glossaries.external[forloop.index0].description %}\n{% endfor %}\n`;
    const found = findingsOf({
      'data/glossaries/external.yml': '- term: Sprocket\n  description: A toothed wheel. See [gears](/widgets/glossary#gear-wheel).\n- term: Gear wheel\n  description: |-\n    A wheel with teeth.\n    See [sprockets](/widgets/glossary#sprokcet).\n',
      'translations/xx-XX/data/glossaries/external.yml': '- term: Sprocket\n  description: Una rueda dentada. Ver [engranajes]（/widgets/glossary#gear-wheel）.\n- term: Gear wheel\n  description: |-\n    Una rueda con dientes.\n    Ver [piñones](/widgets/glossary#sprokcet).\n',
      'content/widgets/glossary.md': page,
      'translations/xx-XX/content/widgets/glossary.md': page,
    });
    const at = (rule: string) => found.filter((f) => f.rule === rule).map((f) => `${f.at} ${f.message.split(';')[0]}`);
    // The broken anchor is in the second entry's block text, which starts on line 5 of each file.
    assert.deepEqual(at('missing-anchor'), [
      'content/widgets/glossary.md:8 Link anchor `#sprokcet` matches no heading of `glossary`',
      'translations/xx-XX/content/widgets/glossary.md:8 Link anchor `#sprokcet` matches no heading of `glossary`',
    ]);
    assert.match(found.find((f) => f.rule === 'missing-anchor')?.message ?? '', /in glossary `data\/glossaries\/external\.yml:6`/);
    // The translation's first entry writes its link with full-width parentheses: no link. Said on that entry's line.
    assert.deepEqual(at('links-disagree'), ["translations/xx-XX/data/glossaries/external.yml:2 Glossary `translations/xx-XX/data/glossaries/external.yml` lacks the link to `/widgets/glossary#gear-wheel` that en's data/glossaries/external.yml:2 has"]);
  });

  it('does not check a README of the content folder as a page, and resolves legacy version paths', () => {
    const found = findingsOf({
      'content/README.md': `# Readme\n\n[x](/nowhere#gone)\n`,
      'content/widgets/index.md': `${FRONT}## Jammed\n`,
      'content/widgets/links.md': `${FRONT}[a](/enterprise/2.22/user/widgets#jammed) [b](/enterprise-server@3.1/widgets#jammed) [c](/free-pro-team@latest/widgets#jammed) [d](/ja/enterprise/widgets#jammed) [e](/enterprise/widgets#stuck)\n`,
    });
    assert.deepEqual(found.filter((f) => f.rule === 'missing-anchor' || f.rule === 'anchor-unverifiable').map((f) => [f.rule, f.at]), [['missing-anchor', 'content/widgets/links.md:6']]);
    assert.ok(!found.some((f) => f.at.startsWith('content/README.md')));
  });
});
