/**
 * Parity across locales as the site renders pages: link targets compared by the page they lead to
 * and where the reader sees them, a moved section said once, a finding on the file that changed;
 * and the per-page rules that must not fire on what the site renders (octicon headings, Liquid
 * indexes in `{% data %}`). Synthetic trees in the github/docs layout.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { type Finding } from '../../scripts/lib/checks/index.ts';
import { readDocsTree } from '../../scripts/lib/read.ts';
import { makeTree, validateTree } from './helpers.ts';

const SOURCE = 'content/widgets/frobnicate.md';
const TRANSLATION = 'translations/xx-XX/content/widgets/frobnicate.md';

function findings(files: Record<string, string>, rule?: string): Finding[] {
  const all = validateTree(readDocsTree(makeTree(files))).findings;
  return rule ? all.filter((f) => f.rule === rule) : all;
}

const where = (f: Finding) => `${f.file}:${f.line} ${f.rule}`;

const front = (extra = '') => `---\ntitle: Frobnicate\nversions:\n  fpt: '*'\n${extra}---\n`;

/** The `widgets/other` page, reachable by its path and by an old one. */
const OTHER = `---\ntitle: Other\nversions:\n  fpt: '*'\nredirect_from:\n  - /articles/old-widgets\n---\n\n## Gears\n\nText.\n`;

describe('links-disagree: targets as the reader follows them', () => {
  it('a reference definition in another section than its use is the same link, in the section where it is used', () => {
    const en = `${front()}\n## Jam\n\nSee the [gears][g] and \`widget_jammed\`.\n\n## Spin\n\nSpin it.\n\n[g]: /widgets/other#gears\n`;
    const xx = `${front()}\n## Atasco\n\nVer [engranajes][g] y \`widget_jammed\`.\n\n[g]: /widgets/other#gears\n\n## Girar\n\nGirarlo.\n`;
    assert.deepEqual(findings({ [SOURCE]: en, [TRANSLATION]: xx, 'content/widgets/other.md': OTHER }, 'links-disagree').map(where), []);
  });

  it('a reference used two sections away from where the source uses it is reported there', () => {
    const en = `${front()}\n## Jam\n\nSee the [gears][g].\n\n## Spin\n\nSpin it.\n\n## Stop\n\nStop it.\n\n[g]: /widgets/other#gears\n`;
    const xx = `${front()}\n## Atasco\n\nAtasco.\n\n## Girar\n\nGirarlo.\n\n## Parar\n\nVer [engranajes][g].\n\n[g]: /widgets/other#gears\n`;
    assert.deepEqual(findings({ [SOURCE]: en, [TRANSLATION]: xx, 'content/widgets/other.md': OTHER }, 'links-disagree').map(where), [
      `${TRANSLATION}:7 links-disagree`,
      `${TRANSLATION}:17 links-disagree`,
    ]);
  });

  it('a link one section off (a paragraph that ends one section here and starts the next there) is not a disagreement', () => {
    const en = `${front()}\n## Jam\n\nJammed.\n\n## Spin\n\nSee [gears](/widgets/other#gears). Spin it.\n`;
    const xx = `${front()}\n## Atasco\n\nAtascado. Ver [engranajes](/widgets/other#gears).\n\n## Girar\n\nGirarlo.\n`;
    assert.deepEqual(findings({ [SOURCE]: en, [TRANSLATION]: xx, 'content/widgets/other.md': OTHER }, 'links-disagree').map(where), []);
  });

  it('an old path that redirects to the same page is the same target; another page is not', () => {
    const en = `${front()}\n## Jam\n\nSee [gears](/widgets/other#gears).\n`;
    const same = `${front()}\n## Atasco\n\nVer [engranajes](/enterprise/{{ page.version }}/articles/old-widgets/#gears).\n`;
    assert.deepEqual(findings({ [SOURCE]: en, [TRANSLATION]: same, 'content/widgets/other.md': OTHER }, 'links-disagree').map(where), []);
    const other = `${front()}\n## Atasco\n\nVer [engranajes](/widgets/frobnicate#gears).\n`;
    assert.deepEqual(findings({ [SOURCE]: en, [TRANSLATION]: other, 'content/widgets/other.md': OTHER }, 'links-disagree').map(where), [`${TRANSLATION}:9 links-disagree`]);
  });

  it('the site\'s legacy `/admin/guides/…` path is the page it redirects to', () => {
    const admin = `---\ntitle: LDAP\nversions:\n  ghes: '*'\nredirect_from:\n  - /enterprise/admin/user-management/using-widget-ldap\n---\n\n## Sync\n\nText.\n`;
    const en = `${front()}\n## Jam\n\nSee [sync](/admin/authentication/using-widget-ldap#sync).\n`;
    const xx = `${front()}\n## Atasco\n\nVer [sync](/enterprise/{{ page.version }}/admin/guides/user-management/using-widget-ldap/#sync).\n`;
    const files = { [SOURCE]: en, [TRANSLATION]: xx, 'content/admin/authentication/using-widget-ldap.md': admin };
    assert.deepEqual(findings(files, 'links-disagree').map(where), []);
    assert.deepEqual(findings(files, 'anchor-unverifiable').map(where), []);
  });

  it('an HTML link is a link; a bare URL is prose; an external link in the reader\'s language is the same link', () => {
    const en = `${front()}\n## Jam\n\nSee [gears](/widgets/other#gears), [the book](https://book.example.org/en/widgets) and _www.widget.example_.\n`;
    const xx = `${front()}\n## Atasco\n\n<p>Ver <a href="/widgets/other#gears">engranajes</a> y <a href="https://book.example.org/xx/widgets">el libro</a>, _www.artilugio.example_.</p>\n`;
    assert.deepEqual(findings({ [SOURCE]: en, [TRANSLATION]: xx, 'content/widgets/other.md': OTHER }, 'links-disagree').map(where), []);
    const elsewhere = xx.replace('https://book.example.org/xx/widgets', 'https://other.example.org/xx/widgets');
    assert.deepEqual(findings({ [SOURCE]: en, [TRANSLATION]: elsewhere, 'content/widgets/other.md': OTHER }, 'links-disagree').map(where), [`${TRANSLATION}:9 links-disagree`]);
  });

  it('a link the translation carries more often than the source (a sentence written twice) says so, not that the source lacks it', () => {
    const en = `${front()}\n## Jam\n\nSee [gears](/widgets/other#gears).\n`;
    const xx = `${front()}\n## Atasco\n\nVer [engranajes](/widgets/other#gears). Ver [engranajes](/widgets/other#gears).\n`;
    const out = findings({ [SOURCE]: en, [TRANSLATION]: xx, 'content/widgets/other.md': OTHER }, 'links-disagree');
    assert.deepEqual(out.map((f) => `${where(f)}: ${f.message}`), [
      `${TRANSLATION}:9 links-disagree: Link to \`/widgets/other#gears\` is here twice, but once in en's section \`Jam\` (${SOURCE}:9); a line may be repeated here, or the source dropped one since. Carry it as often as en does.`,
    ]);
  });

  it('a link written otherwise in place of the source\'s (a typo) is one finding naming both; with more than one difference, each is said', () => {
    const en = `${front()}\n## Jam\n\nSee [gears](/widgets/other#gears) and [spin](/widgets/spin).\n`;
    const typo = `${front()}\n## Atasco\n\nVer [engranajes](/widgets/other#geras) y [giro](/widgets/spin).\n`;
    const pages = { 'content/widgets/other.md': OTHER, 'content/widgets/spin.md': OTHER };
    assert.deepEqual(findings({ [SOURCE]: en, [TRANSLATION]: typo, ...pages }, 'links-disagree').map((f) => `${where(f)}: ${f.message}`), [
      `${TRANSLATION}:9 links-disagree: Link to \`/widgets/other#geras\` stands where en's section \`Jam\` links to \`/widgets/other#gears\` (${SOURCE}:9); link to the same target as en (the url was mistyped, or changed since).`,
    ]);
    // Written in place of the other link, as a second copy of one the section has anyway: said at the copy in the other's place.
    const twice = `${front()}\n## Atasco\n\nVer [giro](/widgets/other#gears).\n\nVer [engranajes](/widgets/other#gears).\n`;
    const order = `${front()}\n## Jam\n\nSee [spin](/widgets/spin).\n\nSee [gears](/widgets/other#gears).\n`;
    assert.deepEqual(findings({ [SOURCE]: order, [TRANSLATION]: twice, ...pages }, 'links-disagree').map(where), [`${TRANSLATION}:9 links-disagree`]);
    // Two links of the source missing and one added: which replaced which is not known.
    const two = typo.replace('[giro](/widgets/spin)', 'nada');
    assert.deepEqual(findings({ [SOURCE]: en, [TRANSLATION]: two, ...pages }, 'links-disagree').map((f) => f.message.split(' ').slice(0, 4).join(' ')), [
      'Section `Atasco` lacks the',
      'Link to `/widgets/other#geras` is',
    ]);
  });

  it('a link written otherwise in a translated reusable is one finding on that reusable, against the source\'s', () => {
    const page = (title: string) => `${front()}\n## ${title}\n\n{% data reusables.widgets.jam %}\n`;
    const out = findings(
      {
        [SOURCE]: page('Jam'),
        [TRANSLATION]: page('Atasco'),
        'content/widgets/other.md': OTHER,
        'data/reusables/widgets/jam.md': 'Widgets jam.\nSee [gears](/widgets/other#gears).\n',
        'translations/xx-XX/data/reusables/widgets/jam.md': 'Los widgets se atascan.\nVer [engranajes](/widgets/other#spin).\n',
      },
      'links-disagree',
    );
    assert.deepEqual(out.map((f) => `${where(f)}: ${f.message}`), [
      "translations/xx-XX/data/reusables/widgets/jam.md:2 links-disagree: Link to `/widgets/other#spin` stands where en's `data/reusables/widgets/jam.md` links to `/widgets/other#gears` (data/reusables/widgets/jam.md:2); link to the same target as en (the url was mistyped, or changed since).",
    ]);
  });

  it('a link the translation writes as text (inside an HTML block, or with broken brackets) is reported on that line, as markup to fix', () => {
    const en = `${front()}\n## Jam\n\nSee [gears](/widgets/other#gears).\n\n## Spin\n\nSee [spin](/widgets/spin).\n`;
    const xx = `${front()}\n## Atasco\n\n<p>Texto.\nVer [engranajes](/widgets/other#gears).</p>\n\n## Girar\n\nVer [giro]](/widgets/spin).\n`;
    const out = findings({ [SOURCE]: en, [TRANSLATION]: xx, 'content/widgets/other.md': OTHER, 'content/widgets/spin.md': OTHER }, 'links-disagree');
    assert.deepEqual(out.map((f) => `${where(f)}: ${f.message}`), [
      `${TRANSLATION}:10 links-disagree: Link to \`/widgets/other#gears\`, which en has (${SOURCE}:9), is written here but shows as text, not as a link: it is inside an HTML block, or its brackets are broken. Fix the markup.`,
      `${TRANSLATION}:14 links-disagree: Link to \`/widgets/spin\`, which en has (${SOURCE}:13), is written here but shows as text, not as a link: it is inside an HTML block, or its brackets are broken. Fix the markup.`,
    ]);
  });

  it('a page that leaves out a reusable the source includes is told so once (data-refs-disagree), not also for each link in it', () => {
    const en = `${front()}\n## Jam\n\nJammed.\n\n{% data reusables.widgets.jam %}\n`;
    const xx = `${front()}\n## Atasco\n\nAtascado.\n`;
    const files = { [SOURCE]: en, [TRANSLATION]: xx, 'content/widgets/other.md': OTHER, 'data/reusables/widgets/jam.md': 'See [gears](/widgets/other#gears).\n' };
    assert.deepEqual(findings(files, 'data-refs-disagree').map(where), [`${TRANSLATION}:7 data-refs-disagree`]);
    assert.deepEqual(findings(files, 'links-disagree').map(where), []);
  });

  it("a link to the reader's language edition of the source's resource, under its own title, is the same link; on another host it is not", () => {
    const en = `${front()}\n## Jam\n\nSee [jams](https://en.widgetpedia.org/wiki/Widget_jam) and [the book](https://book.example.org/book/en/Widgets-Jamming).\n`;
    const xx = `${front()}\n## Atasco\n\nVer [atascos](https://xx.widgetpedia.org/wiki/Atasco_de_widget) y [el libro](https://book.example.org/book/xx/v2/Atascar-widgets).\n`;
    assert.deepEqual(findings({ [SOURCE]: en, [TRANSLATION]: xx }, 'links-disagree').map(where), []);
    const elsewhere = xx.replace('https://xx.widgetpedia.org/wiki/Atasco_de_widget', 'https://xx.gadgetpedia.org/wiki/Atasco_de_widget');
    assert.deepEqual(findings({ [SOURCE]: en, [TRANSLATION]: elsewhere }, 'links-disagree').map(where), [`${TRANSLATION}:9 links-disagree`]);
  });

  it('links a translated reusable lacks are reported once, on that reusable, not on each page that renders it nor once per link', () => {
    const reusable = 'Widgets jam. See [gears](/widgets/other#gears) and [the other page](/widgets/other).\n';
    const translated = 'Los widgets se atascan.\n';
    const page = (title: string) => `${front()}\n{% data reusables.widgets.jam %}\n\n## ${title}\n\nText.\n`;
    const out = findings(
      {
        'content/widgets/frobnicate.md': page('Jam'),
        'content/widgets/spin.md': page('Spin'),
        'translations/xx-XX/content/widgets/frobnicate.md': page('Atasco'),
        'translations/xx-XX/content/widgets/spin.md': page('Girar'),
        'content/widgets/other.md': OTHER,
        'data/reusables/widgets/jam.md': reusable,
        'translations/xx-XX/data/reusables/widgets/jam.md': translated,
      },
      'links-disagree',
    );
    assert.deepEqual(out.map(where), ['translations/xx-XX/data/reusables/widgets/jam.md:1 links-disagree']);
    // Both links of the line it left out, in one finding.
    assert.match(out[0]?.message ?? '', /^Reusable `translations\/xx-XX\/data\/reusables\/widgets\/jam\.md` lacks the links to `\/widgets\/other#gears` and `\/widgets\/other` that en's data\/reusables\/widgets\/jam\.md:1 has;/);
  });

  it('a translated reusable that writes a link so that it renders as no link (a stray bracket) is what lacks it, though its url is in the text', () => {
    const reusable = 'Widgets jam. See [gears](/widgets/other#gears).\n';
    const page = (title: string) => `${front()}\n## ${title}\n\n{% data reusables.widgets.jam %}\n`;
    const out = findings(
      {
        [SOURCE]: page('Jam'),
        [TRANSLATION]: page('Atasco'),
        'content/widgets/other.md': OTHER,
        'data/reusables/widgets/jam.md': reusable,
        'translations/xx-XX/data/reusables/widgets/jam.md': 'Los widgets se atascan.\nVer [engranajes]](/widgets/other#gears).\n',
      },
      'links-disagree',
    );
    // On the line that writes the url; related: the source's reusable, where the link is.
    assert.deepEqual(out.map(where), ['translations/xx-XX/data/reusables/widgets/jam.md:2 links-disagree']);
    assert.deepEqual(out[0]?.related, [{ file: 'data/reusables/widgets/jam.md', line: 1, locale: 'en' }]);
    assert.match(out[0]?.message ?? '', /^Reusable `translations\/xx-XX\/data\/reusables\/widgets\/jam\.md` lacks the link to `\/widgets\/other#gears`/);
  });
});

/** A page of five sections, each with its own identifiers and link, in the order given. */
function sectioned(order: number[], headings: (n: number) => string, hash?: string): string {
  const body = order
    .map((n) => `## ${headings(n)}\n\nUse \`widget_${n}_a\`, \`widget_${n}_b\`, \`widget_${n}_c\` and [part ${n}](https://widgets.example/part-${n}).\n`)
    .join('\n');
  return `${front(hash ? `ms.openlocfilehash: ${hash}\n` : '')}\n${body}`;
}

const sha1Crlf = (text: string) => createHash('sha1').update(text.replace(/\r?\n/g, '\r\n')).digest('hex');

describe('sections-misaligned: a section moved in the source', () => {
  const en = sectioned([1, 2, 4, 3, 5], (n) => `Step ${n}`);
  const xxText = sectioned([1, 2, 3, 4, 5], (n) => `Paso ${n}`);

  it('is one finding per page saying which sections moved, with no follow-on findings', () => {
    const out = findings({ [SOURCE]: en, [TRANSLATION]: xxText, 'content/widgets/other.md': OTHER }).filter((f) => f.severity === 'error');
    assert.deepEqual(out.map(where), [`${TRANSLATION}:15 sections-misaligned`]);
    assert.match(out[0]?.message ?? '', /`Step 3` is heading 4 there, 3 here \(`Paso 3`\); `Step 4` is heading 3 there, 4 here \(`Paso 4`\)/);
  });

  it('lands on the source when the source changed since the translation was made', () => {
    const older = sectioned([1, 2, 3, 4, 5], (n) => `Step ${n}`);
    const xx = sectioned([1, 2, 3, 4, 5], (n) => `Paso ${n}`, sha1Crlf(older));
    const out = findings({ [SOURCE]: en, [TRANSLATION]: xx, 'content/widgets/other.md': OTHER }).filter((f) => f.severity === 'error');
    assert.deepEqual(out.map(where), [`${SOURCE}:19 sections-misaligned`]);
    assert.deepEqual(out[0]?.related?.map((r) => `${r.file}:${r.line}`), [`${TRANSLATION}:16`]);
  });

  it('is not said of sections that merely share a few words', () => {
    const xx = sectioned([1, 2, 3, 4, 5], (n) => `Paso ${n}`);
    assert.deepEqual(findings({ [SOURCE]: sectioned([1, 2, 3, 4, 5], (n) => `Step ${n}`), [TRANSLATION]: xx, 'content/widgets/other.md': OTHER }).filter((f) => f.severity === 'error').map(where), []);
  });
});

describe('follow-on findings land on the file that changed', () => {
  const en = `${front()}\n## Jam\n\nSee [gears](/widgets/other#gears).\n`;
  const xx = (hash?: string) => `${front(hash ? `ms.openlocfilehash: ${hash}\n` : '')}\n## Atasco\n\nTexto.\n`;

  it('on the translation when it records the current source (or nothing)', () => {
    assert.deepEqual(findings({ [SOURCE]: en, [TRANSLATION]: xx(sha1Crlf(en)), 'content/widgets/other.md': OTHER }, 'links-disagree').map(where), [`${TRANSLATION}:8 links-disagree`]);
  });

  it('on the source when the source changed since the translation was made', () => {
    const out = findings({ [SOURCE]: en, [TRANSLATION]: xx('ab'.repeat(20)), 'content/widgets/other.md': OTHER }, 'links-disagree');
    assert.deepEqual(out.map(where), [`${SOURCE}:9 links-disagree`]);
    assert.match(out[0]?.message ?? '', /^Link to `\/widgets\/other#gears` was added to section `Jam` after the xx-XX translation was made/);
  });
});

describe('per-page rules on what the site renders', () => {
  it('missing-anchor: a heading that starts with an octicon has the id the site gives it, with a leading `-`', () => {
    const page = `${front()}\n## {% octicon "milestone" aria-label="A milestone" %}  Phase 1: Widgets\n\nSee [phase 1](#--phase-1-widgets) and [not this](#phase-1-widgets).\n`;
    assert.deepEqual(findings({ [SOURCE]: page }, 'missing-anchor').map((f) => f.message), [
      'Link anchor `#phase-1-widgets` matches no heading of this page; did you mean `#--phase-1-widgets`?',
    ]);
  });

  it('liquid-data-malformed: a data path with a Liquid index is what the site renders; a path that is not one still trips', () => {
    const page = `${front()}\n{% for term in site.data.glossaries.widgets %}\n### {% data glossaries.widgets[forloop.index0].term %}\n{% endfor %}\n\n{% data widget name %}\n`;
    assert.deepEqual(findings({ [SOURCE]: page, 'data/glossaries/widgets.yml': '- term: Widget\n' }, 'liquid-data-malformed').map(where), [`${SOURCE}:11 liquid-data-malformed`]);
  });
});

describe('anchors of GraphQL reference pages, from the schema in data/graphql', () => {
  const reference = (title: string) => `---\ntitle: ${title}\nversions:\n  fpt: '*'\n---\n\n<!-- this page is pre-rendered by scripts because it's too big to load dynamically -->\n`;
  const files = (links: string) => ({
    [SOURCE]: `${front()}\n## Jam\n\n${links}\n`,
    'content/graphql/reference/objects.md': reference('Objects'),
    'content/graphql/reference/mutations.md': reference('Mutations'),
    'content/graphql/reference/enums.md': reference('Enums'),
    'data/graphql/schema.docs.graphql': 'type Widget {\n  id: ID!\n}\n\ntype Mutation {\n  """Jams a widget."""\n  jamWidget(id: ID!): Widget\n}\n',
    'data/graphql/ghes-9.9/schema.docs-ghes-9.9.graphql': 'enum GadgetState {\n  OPEN\n}\n',
  });

  it('a type or mutation the schema defines is an id of its page; another is a missing anchor, with the nearest id', () => {
    assert.deepEqual(findings(files('See [Widget](/graphql/reference/objects#widget), [jamWidget](/graphql/reference/mutations#jamwidget) and [an enum of a version](/graphql/reference/enums#gadgetstate).')).filter((f) => /anchor/.test(f.rule)).map(where), []);
    const out = findings(files('See [Widgets](/graphql/reference/objects#widgets) and [jam](/graphql/reference/mutations#jamwidget/).')).filter((f) => /anchor/.test(f.rule));
    assert.deepEqual(
      out.map((f) => `${where(f)}: ${f.message}`),
      [
        `${SOURCE}:9 missing-anchor: Link anchor \`#widgets\` matches no heading of \`objects\`; did you mean \`#widget\`? The site builds this page's ids from the GraphQL schema in \`data/graphql/\`.`,
        `${SOURCE}:9 missing-anchor: Link anchor \`#jamwidget/\` matches no heading of \`mutations\`; did you mean \`#jamwidget\`? The site builds this page's ids from the GraphQL schema in \`data/graphql/\`.`,
      ],
    );
  });

  it('without a schema such a page\'s anchors stay unverifiable', () => {
    const without = files('See [Widgets](/graphql/reference/objects#widgets).');
    delete (without as Record<string, string>)['data/graphql/schema.docs.graphql'];
    delete (without as Record<string, string>)['data/graphql/ghes-9.9/schema.docs-ghes-9.9.graphql'];
    assert.deepEqual(findings(without).filter((f) => /anchor/.test(f.rule)).map((f) => f.rule), ['anchor-unverifiable']);
  });
});
