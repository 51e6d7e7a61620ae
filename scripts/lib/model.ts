/**
 * The page model: what the parser extracts from one Markdown file of one locale.
 * Every later stage (contract, validation, drift) works on this and never on Markdown.
 */

/** A file of the docs tree as read from disk, before parsing. */
export interface SourceFile {
  /** Path relative to the docs root, with `/` separators. */
  file: string;
  /** Locale code (`ru-RU`, `en`) from the layout. */
  locale: string;
  /** The page's identity: its path relative to the locale root, without `.md` (and without `/index`). */
  page: string;
  /** File text, decoded as UTF-8. */
  text: string;
  /** SHA-1 of the text with line endings converted to CRLF, as `ms.openlocfilehash` records it. */
  crlfSha1: string;
}

/** Where an id of a heading comes from. */
export type IdSource =
  | 'explicit' // `{#id}` or `<a name="id">` written in the doc
  | 'slug' // github-slugger over the heading text of this file
  | 'source-position' // the source locale's id at the same h2–h4 position (GitHub's useEnglishHeadings)
  | 'inferred'; // no source locale: taken from the `error_uri` fragment of an example in this section

/** A heading and the content up to the next heading. */
export interface Section {
  /** 0-based position among all headings of the page. */
  index: number;
  depth: number;
  /** Heading text as a reader sees it (Markdown stripped, Liquid kept). */
  heading: string;
  line: number;
  column: number;
  /** github-slugger id of this file's heading text, unique per page. */
  slug: string;
  /** Id written in the doc, if any. */
  explicitId?: string;
  /** First paragraph's text, if any. */
  firstParagraph?: string;
}

/** A ```json fenced block. */
export interface JsonBlock {
  line: number;
  column: number;
  /** Index of the section it is in, or null before the first heading. */
  section: number | null;
  /** The block's text, `{% raw %}` tags removed. */
  raw: string;
  /** Parsed value; absent when the block does not parse. */
  value?: unknown;
  /** The parser's reason when it does not parse. */
  parseError?: { message: string; line: number; column: number };
}

/** A Liquid tag `{% name args %}`. */
export interface LiquidTag {
  name: string;
  args: string;
  line: number;
  column: number;
  section: number | null;
}

/** A Markdown link or definition. */
export interface Link {
  url: string;
  line: number;
  column: number;
  section: number | null;
  /** `file:line` of the reusable it comes from, when it comes from one. */
  reusable?: string;
}

/** An inline code span. */
export interface InlineCode {
  value: string;
  line: number;
  column: number;
  section: number | null;
}

/** Everything the parser extracts from one file. */
export interface PageModel {
  file: string;
  locale: string;
  page: string;
  crlfSha1: string;
  /** Parsed front-matter mapping; null when absent or unparsable. */
  frontMatter: Record<string, unknown> | null;
  /** Line of the opening `---`, or null when there is no front-matter. */
  frontMatterLine: number | null;
  /** Line where each top-level front-matter key is written. */
  frontMatterKeyLines: Record<string, number>;
  sections: Section[];
  jsonBlocks: JsonBlock[];
  liquid: LiquidTag[];
  links: Link[];
  inlineCode: InlineCode[];
  /** Lines of fences that never close. */
  unterminatedFences: number[];
  /** Ids HTML elements give the page (`<a name>`, `id="…"`), wherever they are. */
  anchors: string[];
  /** The sections of the page's other variants (other version branches), for their ids; null where the same as `sections`. */
  variantSections: Array<Section[] | null>;
  /** The page's headings come from data the site computes (REST, GraphQL, webhooks): its ids are unknowable. */
  dataDriven: boolean;
}

/**
 * What the contract stage reads of a page model: generate keeps only this of each page, so
 * that a large tree's models fit in less memory. The checks of `validate` need the whole model.
 */
export type ContractPage = Pick<PageModel, 'file' | 'locale' | 'page' | 'crlfSha1' | 'frontMatter' | 'frontMatterKeyLines' | 'sections' | 'anchors' | 'variantSections' | 'dataDriven'> & {
  jsonBlocks: Array<Pick<JsonBlock, 'line' | 'column' | 'section'> & { value?: unknown }>;
};

/** The front-matter keys the contract stage reads: permalinks, the translation's source hash, its declared locale. */
export const CONTRACT_FRONT_MATTER = ['redirect_from', 'ms.openlocfilehash', 'ms.contentlocale'] as const;

/**
 * The part of a page model the contract stage reads: of the front-matter, the keys it reads
 * (and the line of `ms.contentlocale`); a section's first paragraph only where a JSON example
 * sits (a response's description); a JSON block's value, when it has one. All of it is a fresh
 * copy: the parser's strings are cut from the file's text (front-matter values, pieces of
 * headings), and any one of them would keep the whole text alive.
 */
export function contractPage(model: PageModel): ContractPage {
  const { file, locale, page, crlfSha1, frontMatter, anchors, variantSections, dataDriven } = model;
  const withExample = new Set<number>();
  const jsonBlocks = model.jsonBlocks.map(({ line, column, section, ...rest }) => {
    if (!('value' in rest)) return { line, column, section };
    if (section !== null) withExample.add(section);
    return { line, column, section, value: rest.value };
  });
  const sections = model.sections.map(({ firstParagraph, ...section }) => (firstParagraph !== undefined && withExample.has(section.index) ? { ...section, firstParagraph } : section));
  const picked: ContractPage = {
    file,
    locale,
    page,
    crlfSha1,
    frontMatter: frontMatter && pick(frontMatter, CONTRACT_FRONT_MATTER),
    frontMatterKeyLines: pick(model.frontMatterKeyLines, ['ms.contentlocale']),
    sections,
    jsonBlocks,
    anchors,
    variantSections: variantSections.map((list) => list && list.map(({ firstParagraph: _, ...s }) => s)),
    dataDriven,
  };
  return structuredClone(picked);
}

/** The own properties of `record` named in `keys`. */
function pick<T>(record: Record<string, T>, keys: readonly string[]): Record<string, T> {
  const out: Record<string, T> = {};
  for (const key of keys) if (Object.hasOwn(record, key)) out[key] = record[key] as T;
  return out;
}
