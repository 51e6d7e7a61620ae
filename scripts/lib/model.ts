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

/** A response example: a ```json fenced block, a code block showing an error redirect URL, or a row of an error-code table. */
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
  /** `redirect` for a redirect URL whose query holds the members; `table` for a row of an error-code table; absent for JSON. */
  form?: 'redirect' | 'table';
  /** A table row's description: prose about the error, not a value a server returns. */
  description?: string;
  /** Request members the documented answer carries back (`state`), which are not documented values. */
  echoes?: string[];
}

/** A Liquid tag `{% name args %}`. */
export interface LiquidTag {
  name: string;
  args: string;
  line: number;
  column: number;
  section: number | null;
}

/** A Markdown link, a reference definition, or the use of one. */
export interface Link {
  url: string;
  /**
   * Absent for an inline link; `definition` for `[id]: url` (where the target is written);
   * `reference` for `[text][id]` (where the reader sees it), with its definition's url.
   */
  kind?: 'definition' | 'reference';
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

/** A snake_case word written in prose (an identifier a translation must keep). */
export interface ProseWord {
  word: string;
  line: number;
  column: number;
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
  /** First line of the body: the line after the front-matter, or 1. */
  bodyLine: number;
  sections: Section[];
  jsonBlocks: JsonBlock[];
  liquid: LiquidTag[];
  links: Link[];
  inlineCode: InlineCode[];
  /** snake_case words of the prose, from the file's text (code fences, Liquid, link targets, HTML and URLs left out). */
  proseWords: ProseWord[];
  /** Lines of fences that never close. */
  unterminatedFences: number[];
  /** Link syntax the page shows as text, not as a link: in an HTML block, or broken (`[text]](url)`). */
  unrenderedLinks: Array<{ url: string; line: number }>;
  /** Ids HTML elements give the page (`<a name>`, `id="…"`), wherever they are. */
  anchors: string[];
  /** The sections of the page's other variants (other version branches), for their ids; null where the same as `sections`. */
  variantSections: Array<Section[] | null>;
  /** The page's headings come from data the site computes (REST, GraphQL, webhooks): its ids are unknowable. */
  dataDriven: boolean;
}

/** An `"error":` member in a JSON block's text: the block is meant as an error response example. */
export const ERROR_MEMBER = /"error"\s*:/;
