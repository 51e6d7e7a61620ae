/**
 * Parse stage: one Markdown file → its page model and the diagnostics found on the way.
 * Pure: no disk, no network. unified + remark-parse + remark-frontmatter for Markdown,
 * `yaml` for front-matter, github-slugger for heading ids.
 */
import GithubSlugger from 'github-slugger';
import type { Code, Heading, Html, Nodes, PhrasingContent, Root, RootContent, Table, Yaml } from 'mdast';
import { gfmFootnoteFromMarkdown } from 'mdast-util-gfm-footnote';
import { gfmTableFromMarkdown } from 'mdast-util-gfm-table';
import { gfmFootnote } from 'micromark-extension-gfm-footnote';
import { gfmTable } from 'micromark-extension-gfm-table';
import remarkFrontmatter from 'remark-frontmatter';
import remarkParse from 'remark-parse';
import { unified, type Processor } from 'unified';
import { parseDocument, isMap, isScalar } from 'yaml';
import { diagnostic, type Diagnostic } from './diagnostics.ts';
import { jsonError, jsonLimitError } from './json-error.ts';
import { ERROR_MEMBER, type JsonBlock, type Link, type LiquidTag, type PageModel, type ProseWord, type Section, type SourceFile } from './model.ts';
import { renderPage, type LineOrigin, type SiteData } from './render.ts';
import { dataKind } from './util.ts';

/**
 * The GFM constructs that change what the model reads: tables (error-code tables) and footnotes
 * (a `[^1]: …` line is a footnote, not a link definition). These are two of the extensions
 * remark-gfm bundles; the others (autolink literals, strikethrough, task lists) change nothing
 * the model keeps (a bare URL is prose to every check), and autolink literals alone cost a fifth
 * of the parse time on a real docs tree.
 */
function remarkGfmTablesAndFootnotes(this: Processor) {
  const data = this.data();
  (data.micromarkExtensions ??= []).push(gfmTable(), gfmFootnote());
  (data.fromMarkdownExtensions ??= []).push(gfmTableFromMarkdown(), gfmFootnoteFromMarkdown());
}

const withGfm = unified().use(remarkParse).use(remarkGfmTablesAndFootnotes).use(remarkFrontmatter, ['yaml']);
const withoutGfm = unified().use(remarkParse).use(remarkFrontmatter, ['yaml']);

/**
 * A line that could be a table's delimiter row (`| --- | :-: |`, in blockquotes and list items
 * too): after its blockquote markers and indentation, only pipes, colons, dashes and blanks, with
 * a pipe and a dash. Every table has one, in its own container (never on a list marker's line).
 */
const DELIMITER_ROW = /^[ \t>]*[|:\- \t]*(?:\|[|:\- \t]*-|-[|:\- \t]*\|)[|:\- \t]*$/m;

/**
 * The Markdown tree of `text`. The table extension tries every line of a page, a fifth of the
 * parse time, so a text with no line that could be a delimiter row (no table) and no `[^` (no
 * footnote) is parsed without the two extensions: the tree is the same.
 */
function parseMarkdown(text: string): Root {
  return (text.includes('[^') || DELIMITER_ROW.test(text) ? withGfm : withoutGfm).parse(text) as Root;
}

/** Result of parsing one file. */
export interface ParseResult {
  page: PageModel;
  diagnostics: Diagnostic[];
}

/**
 * Parses one docs file into its page model, as the site renders it with `site`'s data (null: no
 * data, tags that need it render nothing). Positions are the file's. Never throws on bad input.
 */
export function parsePage(source: SourceFile, site: SiteData | null = null): ParseResult {
  const withoutBom = source.text.startsWith('\uFEFF') ? source.text.slice(1) : source.text;
  // Markdown ends a line at a lone CR too, but the YAML and Liquid line counters do not:
  // make it a LF (same length, so offsets hold) so that every position counts lines alike.
  const text = withoutBom.replace(/\r(?!\n)/g, '\n');
  const lines = new LineIndex(text);
  const diagnostics: Diagnostic[] = [];
  const rendered = renderPage(text, source.locale, site);
  const origin = (line: number): LineOrigin => rendered.origins[line - 1] ?? { line };
  const fileLine = (line: number) => origin(line).line;
  /** A rendered line's place in the file; a line from a reusable says so in the message. */
  const at = (line: number, column = 1) => ({ file: source.file, locale: source.locale, line: fileLine(line), column });
  /** The reusable a node starting at this rendered line and column comes from, if any. */
  const reusableAt = (line: number, column: number) => {
    const { reusable, pageFrom } = origin(line);
    return pageFrom !== undefined && column >= pageFrom ? undefined : reusable;
  };
  const inReusable = (line: number) => {
    const from = origin(line).reusable;
    return from ? ` (in ${dataKind(from.file)} \`${from.file}:${from.line}\`)` : '';
  };
  // remark cannot be interrupted once it runs: shapes it takes super-linear time over are found first.
  const tooComplex = complexity(rendered.text);
  if (tooComplex) {
    diagnostics.push(diagnostic(at(tooComplex.line), 'error', tooComplex.rule, tooComplex.message));
    return { page: emptyModel(source), diagnostics };
  }
  const tree = parseMarkdown(rendered.text);

  const page: PageModel = { ...emptyModel(source), dataDriven: rendered.dataDriven };

  const first = tree.children[0];
  if (first?.type === 'yaml') {
    readFrontMatter(first, page, diagnostics, at);
  }

  page.dataDriven = rendered.dataDriven || isGenerated(page.frontMatter, rendered.text);
  // The headings, with the nodes each is among; a node's section is the last heading before it,
  // which in document order is the last heading the walk has met.
  const headings: Heading[] = [];
  const siblings = new Map<Heading, readonly RootContent[]>();
  const sectionAt = (): number | null => (headings.length === 0 ? null : headings.length - 1);

  // A reference-style link is seen where it is used, with the target of its definition (the first
  // of that label, as CommonMark resolves it), wherever on the page that definition is written.
  const definitions = new Map<string, string>();
  const references: Array<Link & { identifier: string }> = [];
  // Rendered lines of the closing fences that a list item or blockquote left outside it.
  const strayFences = new Set<number>();
  const unrendered = (value: string, line: number) => {
    for (const m of value.matchAll(UNRENDERED_LINK)) {
      if (m[1] !== undefined) page.unrenderedLinks.push({ url: m[1], line: fileLine(line + countLines(value, m.index)) });
    }
  };
  let rows: string[] | undefined;
  const renderedLines = () => (rows ??= rendered.text.split('\n'));
  const tooDeep = walk(tree, (node, parent) => {
    if (node.type === 'heading') {
      headings.push(node);
      if (parent && 'children' in parent) siblings.set(node, parent.children as RootContent[]);
    }
    const start = node.position?.start;
    if (!start) return;
    if (node.type === 'code') {
      const marker = openingFence(rendered.text, node);
      const closes = marker === null || fenceCloses(rendered.text, node, marker);
      if (!closes) page.unterminatedFences.push(fileLine(start.line));
      // The block a stray closing fence opens is the same defect as the fence it was meant to close: said once.
      if (!closes && !strayFences.has(start.line)) {
        // Unclosed, a fence runs to the end of the page, or of the list item or blockquote it is in.
        const end = node.position?.end.line ?? start.line;
        const endsPage = rendered.text.slice(node.position?.end.offset ?? 0).trim() === '';
        const where = (o: LineOrigin) => (o.reusable ? `line ${o.reusable.line} of reusable \`${o.reusable.file}\`` : `line ${o.line}`);
        const next = origin(end + 1);
        const stray = endsPage || marker === null ? null : strayFence(renderedLines(), end, marker);
        if (stray !== null) strayFences.add(stray);
        const opens = stray === null ? ': a fence line written after that opens a new code block instead' : `; the fence at ${where(origin(stray))}, meant to close it, opens a new code block instead`;
        const fix = next.reusable ? 'Include the reusable with `{% indented_data_reference %}` so that its lines stay inside the item, or indent the closing fence as the opening one.' : 'Indent the closing fence as the opening one, inside the item.';
        diagnostics.push(
          diagnostic(
            at(start.line),
            'error',
            'unterminated-fence',
            endsPage
              ? `Code fence opened here${inReusable(start.line)} is never closed; it swallows the rest of the page. Close it with a matching fence line (e.g. \`\`\`).`
              : `Code fence opened here${inReusable(start.line)} is not closed inside its list item or blockquote, which ends before ${where(next)}${opens}. ${fix}`,
          ),
        );
      }
      if (isJsonLang(node.lang)) page.jsonBlocks.push(readJson(node, sectionAt(), diagnostics, at, inReusable));
      else {
        const redirect = readRedirect(node, sectionAt());
        if (redirect) page.jsonBlocks.push({ ...redirect, line: fileLine(redirect.line) });
      }
    } else if (node.type === 'table') {
      for (const row of readErrorTable(node, sectionAt())) page.jsonBlocks.push({ ...row, line: fileLine(row.line) });
    } else if (node.type === 'inlineCode') {
      page.inlineCode.push({ value: node.value, line: fileLine(start.line), column: start.column, section: sectionAt() });
    } else if (node.type === 'link' || node.type === 'definition' || node.type === 'linkReference') {
      const from = reusableAt(start.line, start.column);
      const link = { url: node.type === 'linkReference' ? '' : node.url, line: fileLine(start.line), column: start.column, section: sectionAt(), ...(from ? { reusable: `${from.file}:${from.line}` } : {}) };
      if (node.type === 'link') page.links.push(link);
      else if (node.type === 'definition') {
        page.links.push({ ...link, kind: 'definition' });
        if (!definitions.has(node.identifier)) definitions.set(node.identifier, node.url);
      } else references.push({ ...link, kind: 'reference', identifier: node.identifier });
    } else if (node.type === 'text' && node.value.includes('](')) {
      unrendered(node.value, start.line);
    } else if (node.type === 'html') {
      unrendered(node.value, start.line);
      for (const m of node.value.matchAll(HTML_IDS)) if (m[1]) page.anchors.push(m[1]);
      // An HTML `<a href>` is a link the reader follows as any other (translations write some so).
      const from = reusableAt(start.line, start.column);
      for (const m of node.value.matchAll(HTML_HREF)) {
        if (m[1] !== undefined) page.links.push({ url: m[1], line: fileLine(start.line), column: start.column, section: sectionAt(), ...(from ? { reusable: `${from.file}:${from.line}` } : {}) });
      }
    }
  });
  page.sections = readSections(headings, siblings).map((s) => ({ ...s, line: fileLine(s.line) }));
  const main = page.sections.map((s) => s.slug).join('\n');
  page.variantSections = variantSections(rendered.variants, rendered.text, headings).map((sections) => (sections.map((s) => s.slug).join('\n') === main ? null : sections));
  for (const { identifier, ...use } of references) {
    const url = definitions.get(identifier);
    if (url !== undefined) page.links.push({ ...use, url });
  }
  if (tooDeep) {
    diagnostics.push(
      diagnostic(at(tooDeep.line, tooDeep.column), 'error', 'nesting-too-deep', `Blockquotes, lists or inline markup nest more than ${MAX_TREE_DEPTH} levels deep here; what is deeper is not read. Flatten the nesting.`),
    );
  }

  // Liquid is checked as written: tags are found in the file's text, and placed in the rendered sections by line.
  const bodyStart = first?.type === 'yaml' ? (first.position?.end.offset ?? 0) : 0;
  const sectionLines = page.sections.map((s) => s.line);
  page.liquid = scanLiquid(text, bodyStart, lines, (line) => lastAtOrBefore(sectionLines, line));
  const textLines = text.split(/\r\n?|\n/);
  page.bodyLine = bodyStartLine(textLines, page.frontMatterLine);
  page.proseWords = proseWords(textLines, page.bodyLine);
  return { page, diagnostics };
}

/** First line after the front-matter, of the page's `lines`. */
function bodyStartLine(lines: readonly string[], frontMatterLine: number | null): number {
  if (frontMatterLine === null) return 1;
  for (let i = frontMatterLine; i < lines.length; i++) {
    if (/^(?:---|\.\.\.)\s*$/.test(lines[i] ?? '')) return i + 2;
  }
  return 1;
}

/** Index of the last of the ascending `values` that is at most `value`, or null. */
function lastAtOrBefore(values: readonly number[], value: number): number | null {
  let lo = 0;
  let hi = values.length - 1;
  let found: number | null = null;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if ((values[mid] ?? 0) <= value) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

/**
 * Pages the site builds sections of from data or templates it holds elsewhere: marked in their
 * front-matter (`autogenerated`, or a `layout` such as `product-landing`), or saying in a comment
 * that scripts pre-render them (GraphQL reference).
 */
function isGenerated(frontMatter: Record<string, unknown> | null, text: string): boolean {
  if (/<!--[^>]*\bpre-rendered\b/i.test(text)) return true;
  if (!frontMatter) return false;
  return frontMatter['autogenerated'] !== undefined || (typeof frontMatter['layout'] === 'string' && frontMatter['layout'] !== '');
}

const ATX_LINE = /^[ \t]*(?:(?:[-*+]|\d+[.)])[ \t]+|>[ \t]?)*(#{1,6})(?:[ \t]+(.*?))?[ \t]*$/;
const FENCE_LINE = /^[ \t]*(?:(?:[-*+]|\d+[.)])[ \t]+|>[ \t]?)*(`{3,}|~{3,})/;

/** An ATX heading line as `## text`, without its containers' markers and closing `#`s; null for another line. */
function atxKey(line: string): string | null {
  const m = ATX_LINE.exec(line);
  return m?.[1] ? `${m[1]} ${(m[2] ?? '').replace(/[ \t]+#+$/, '')}` : null;
}

/** The ATX heading lines of a variant's text, outside code fences, as `## text`. */
function atxLines(text: string): string[] {
  const found: string[] = [];
  let fence = '';
  for (const line of text.split('\n')) {
    const f = FENCE_LINE.exec(line)?.[1];
    if (f && (fence === '' || (f[0] === fence[0] && f.length >= fence.length))) {
      fence = fence === '' ? f : '';
      continue;
    }
    if (fence !== '') continue;
    const key = atxKey(line);
    if (key !== null) found.push(key);
  }
  return found;
}

/**
 * The headings of the page's other variants (other version branches), one list per variant: their
 * ATX heading lines, outside code fences, as headings. A line the page's own text (`main`) has as a
 * heading is that heading; the others, each distinct line once, are parsed in one parse. Only their
 * ids are used: lines are not mapped.
 */
function variantSections(variants: readonly string[], main: string, mainHeadings: readonly Heading[]): Section[][] {
  if (variants.length === 0) return [];
  const headingOf = new Map<string, Heading>();
  for (const heading of mainHeadings) {
    const offset = heading.position?.start.offset;
    if (offset === undefined) continue;
    const end = main.indexOf('\n', offset);
    const key = atxKey(main.slice(main.lastIndexOf('\n', offset - 1) + 1, end === -1 ? main.length : end));
    if (key !== null && !headingOf.has(key)) headingOf.set(key, heading);
  }
  const lines = variants.map(atxLines);
  const distinct = [...new Set(lines.flat())].filter((line) => !headingOf.has(line));
  if (distinct.length > 0) {
    // Line i of `distinct` is on line 2i + 1 of the text parsed.
    const tree = parseMarkdown(distinct.join('\n\n'));
    for (const node of tree.children) {
      const line = node.position?.start.line;
      const text = line === undefined ? undefined : distinct[(line - 1) / 2];
      if (node.type === 'heading' && text !== undefined) headingOf.set(text, node);
    }
  }
  return lines.map((variant) => {
    const headings = variant.flatMap((line) => headingOf.get(line) ?? []);
    return readSections(headings, null);
  });
}

/** A page model with nothing read into it yet. */
function emptyModel(source: SourceFile): PageModel {
  return {
    file: source.file,
    locale: source.locale,
    page: source.page,
    crlfSha1: source.crlfSha1,
    frontMatter: null,
    frontMatterLine: null,
    frontMatterKeyLines: {},
    bodyLine: 1,
    proseWords: [],
    sections: [],
    jsonBlocks: [],
    liquid: [],
    links: [],
    inlineCode: [],
    unterminatedFences: [],
    unrenderedLinks: [],
    anchors: [],
    variantSections: [],
    dataDriven: false,
  };
}

/**
 * Deepest tree the model is read from. Real pages nest a few levels (a list in a list in a
 * blockquote); a recursive walk of thousands of levels overflows the stack.
 */
export const MAX_TREE_DEPTH = 64;

/**
 * Visits the nodes of a tree in document order without recursion, not going below
 * MAX_TREE_DEPTH. Returns where the first node too deep starts, or null when there is none.
 */
function walk(tree: Root, enter: (node: Nodes, parent: Nodes | null) => void): { line: number; column: number } | null {
  let tooDeep: { line: number; column: number } | null = null;
  const stack: Array<{ node: Nodes; parent: Nodes | null; depth: number }> = [{ node: tree, parent: null, depth: 0 }];
  for (let next = stack.pop(); next; next = stack.pop()) {
    const { node, parent, depth } = next;
    if (depth > MAX_TREE_DEPTH) {
      tooDeep ??= { line: node.position?.start.line ?? 1, column: node.position?.start.column ?? 1 };
      continue;
    }
    enter(node, parent);
    if ('children' in node) for (let i = node.children.length - 1; i >= 0; i--) stack.push({ node: node.children[i] as Nodes, parent: node, depth: depth + 1 });
  }
  return tooDeep;
}

/**
 * Most blockquote and list markers one line may open. remark's time grows faster than the
 * square of this depth (10 000 `- ` on one line take minutes); real pages open a few.
 */
export const MAX_LINE_CONTAINERS = 16;
/**
 * Budget for lines that open a list or blockquote inside another: their number times the sum of
 * their depths. remark's time grows so (2 000 lines of `- - a` take seconds, of 32 `- ` a minute).
 */
export const MAX_NESTED_WORK = 3_000_000;
/**
 * Budget for emphasis and bracket markers (`*`/`_` runs, `[`, `]`): the sum over paragraphs of
 * their count squared. remark matches each closing marker by walking back over the paragraph, so
 * its time grows with that sum (120 KB of `*a_` take minutes); a large real page stays near 10⁵.
 */
export const MAX_INLINE_WORK = 16_000_000;

/**
 * Where a page would make remark take super-linear time, found by one linear pass before parsing
 * (remark cannot be interrupted once it runs): a line opening too many containers, too many
 * nested container lines, or paragraphs too crowded with emphasis and bracket markers.
 * Front-matter and fenced code are not Markdown and are not counted.
 */
export function complexity(text: string): { line: number; rule: 'nesting-too-deep' | 'page-too-complex'; message: string } | null {
  let line = 0;
  let fence: string | null = null;
  let inFrontMatter = /^---[ \t]*(?:\n|$)/.test(text);
  let nestedLines = 0;
  let nestedDepth = 0;
  let markers = 0;
  let paragraphLine = 0;
  let work = 0;
  const endParagraph = () => {
    work += markers * markers;
    markers = 0;
  };
  for (let start = 0; start <= text.length; line++) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    const row = text.slice(start, end);
    start = end + 1;
    if (inFrontMatter) {
      if (line > 0 && /^(?:---|\.\.\.)[ \t]*$/.test(row)) inFrontMatter = false;
      continue;
    }
    const marker = /^[ \t]*(`{3,}|~{3,})/.exec(row)?.[1];
    if (fence !== null) {
      if (marker && marker[0] === fence[0] && marker.length >= fence.length && row.trim() === marker) fence = null;
      continue;
    }
    if (marker) {
      fence = marker;
      endParagraph();
      continue;
    }
    const containers = containerMarkers(row);
    if (containers.count > MAX_LINE_CONTAINERS) {
      return { line: line + 1, rule: 'nesting-too-deep', message: `This line opens ${containers.count} blockquotes and lists, more than the ${MAX_LINE_CONTAINERS} a page may nest; the page is not read. Flatten the nesting.` };
    }
    if (containers.count >= 2 || (containers.count === 1 && containers.indent >= 2)) {
      nestedLines++;
      nestedDepth += containers.count + (containers.indent >= 2 ? 1 : 0);
    }
    if (row.trim() === '') {
      endParagraph();
      continue;
    }
    if (markers === 0) paragraphLine = line + 1;
    for (let i = 0; i < row.length; i++) {
      const c = row.charCodeAt(i); // [ ] * _
      if (c === 91 || c === 93 || ((c === 42 || c === 95) && row.charCodeAt(i - 1) !== c)) markers++;
    }
    if (work + markers * markers > MAX_INLINE_WORK) {
      return { line: 1, rule: 'page-too-complex', message: `The page holds too many emphasis and bracket markers (\`*\`, \`_\`, \`[\`, \`]\`) per paragraph to be parsed in bounded time (the paragraph at line ${paragraphLine} has ${markers}); it is not read. Split long paragraphs, or put such text in a code block.` };
    }
  }
  if (nestedLines * nestedDepth > MAX_NESTED_WORK) {
    return { line: 1, rule: 'page-too-complex', message: `The page has ${nestedLines} lines that open a list or blockquote inside another, too many to be parsed in bounded time at their depth; it is not read. Split the page, or flatten its lists.` };
  }
  return null;
}

/** How many blockquote and list markers open a line, and how far the first is indented. */
function containerMarkers(row: string): { count: number; indent: number } {
  let i = 0;
  while (row[i] === ' ' || row[i] === '\t') i++;
  const indent = i;
  let count = 0;
  for (;;) {
    const c = row[i];
    if (c === '>') i++;
    else if ((c === '-' || c === '*' || c === '+') && spaceOrEnd(row, i + 1)) i += 2;
    else {
      let j = i;
      while (j < row.length && j - i < 9 && (row[j] ?? '') >= '0' && (row[j] ?? '') <= '9') j++;
      if (j === i || (row[j] !== '.' && row[j] !== ')') || !spaceOrEnd(row, j + 1)) break;
      i = j + 2;
    }
    count++;
    while (row[i] === ' ' || row[i] === '\t') i++;
  }
  return { count, indent };
}

/** Whether `row` has a space or tab at `j`, or ends there (what follows a list marker). */
function spaceOrEnd(row: string, j: number): boolean {
  return j >= row.length || row[j] === ' ' || row[j] === '\t';
}

/** True when the language tag of a fence marks JSON. */
function isJsonLang(lang: string | null | undefined): boolean {
  return /^json5?$|^jsonc$/i.test((lang ?? '').trim());
}

type At = (line: number, column?: number) => { file: string; locale: string; line: number; column: number };

function readFrontMatter(node: Yaml, page: PageModel, diagnostics: Diagnostic[], at: At): void {
  const startLine = node.position?.start.line ?? 1;
  page.frontMatterLine = startLine;
  const doc = parseDocument(node.value, { uniqueKeys: true, prettyErrors: false });
  // The YAML text starts on the line after the opening `---`. (yaml's LineCounter is not used:
  // it only knows the lines the parser reached before an error, so it misplaces later errors.)
  const yamlLines = new LineIndex(node.value);
  const fileLine = (offset: number) => startLine + yamlLines.position(offset).line;
  if (doc.errors.length > 0) {
    for (const error of doc.errors) {
      const offset = error.pos[0];
      const column = yamlLines.position(offset).column;
      const reason = (error.message.split('\n')[0] ?? error.message).replace(/ at line \d+, column \d+:?$/, '');
      diagnostics.push(
        diagnostic(at(fileLine(offset), column), 'error', 'yaml-syntax', `Front-matter YAML does not parse: ${reason}. Fix the YAML between the \`---\` lines.`),
      );
    }
    return;
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 100 });
  } catch (error) {
    diagnostics.push(
      diagnostic(at(startLine), 'error', 'yaml-syntax', `Front-matter YAML does not parse: ${(error as Error).message}. Fix the YAML between the \`---\` lines.`),
    );
    return;
  }
  if (value === null || value === undefined) {
    page.frontMatter = {};
    return;
  }
  if (typeof value !== 'object' || Array.isArray(value)) {
    diagnostics.push(
      diagnostic(at(startLine), 'error', 'frontmatter-type', 'Front-matter is not a mapping of keys to values. Write it as `key: value` lines.'),
    );
    return;
  }
  page.frontMatter = value as Record<string, unknown>;
  if (isMap(doc.contents)) {
    for (const item of doc.contents.items) {
      if (isScalar(item.key) && item.key.range) {
        page.frontMatterKeyLines[String(item.key.value)] = fileLine(item.key.range[0]);
      }
    }
  }
}

/** Text of phrasing content as a reader sees it: HTML tags dropped, code spans kept; nothing below MAX_TREE_DEPTH. */
function textOf(nodes: readonly (PhrasingContent | RootContent)[], depth = 0): string {
  let out = '';
  for (const node of nodes) {
    if (node.type === 'text' || node.type === 'inlineCode') out += node.value;
    else if (node.type === 'break') out += ' ';
    else if ('children' in node && depth < MAX_TREE_DEPTH) out += textOf(node.children as PhrasingContent[], depth + 1);
  }
  return out;
}

/** Markdown link syntax, `](url)`, where the page shows it as text. */
const UNRENDERED_LINK = /\]\(\s*<?([^\s()<>]+)/g;

/** Line breaks in `text` before `end`. */
function countLines(text: string, end: number): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < end; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

const EXPLICIT_ID = /\s*\{#([^\s{}]+)\}\s*$/;
const HTML_ANCHOR = /<a\s[^>]*?\b(?:name|id)\s*=\s*["']([^"']+)["']/i;
/** The target of an HTML link. */
const HTML_HREF = /<a\s[^>]*?\bhref\s*=\s*["']([^"']*)["']/gi;
/** Ids an HTML element gives the page: `<a name>`, and `id` on any element. */
const HTML_IDS = /<[a-z][\w-]*\s[^>]*?\b(?:id|name)\s*=\s*["']([^"'\s]+)["']/gi;

/** The sections of a page: every heading at any depth of nesting (list items, blockquotes), in document order. */
function readSections(headings: readonly Heading[], siblings: ReadonlyMap<Heading, readonly RootContent[]> | null): Section[] {
  const slugger = new GithubSlugger();
  const sections: Section[] = [];
  for (const node of headings) {
    const children = siblings?.get(node) ?? headings;
    const i = children.indexOf(node);
    const start = node.position?.start ?? { line: 1, column: 1 };
    let heading = textOf(node.children).replace(/\s+/g, ' ').trim();
    let explicitId: string | undefined;
    let explicitWins = false;
    const braces = EXPLICIT_ID.exec(heading);
    if (braces?.[1]) {
      explicitId = braces[1];
      explicitWins = true;
      heading = heading.slice(0, braces.index).trim();
    } else {
      const inner = node.children.find((c): c is Html => c.type === 'html' && HTML_ANCHOR.test(c.value));
      const before = precedingAnchor(children[i - 1], start.line);
      const match = HTML_ANCHOR.exec(inner?.value ?? before ?? '');
      if (match?.[1]) explicitId = match[1];
    }
    // Liquid left in a heading (a page whose Liquid did not render) has no known output: slug without it.
    // A heading that starts with an HTML element (an octicon's SVG) keeps the spaces after it: the site slugs its text content.
    const lead = node.children[0]?.type === 'html' ? (/^\s*/.exec(textOf(node.children.slice(1)))?.[0] ?? '') : '';
    const slugText = lead + replaceSpans(replaceSpans(heading, '{%', '%}', () => ''), '{{', '}}', () => '').replace(/\s+/g, ' ').trim();
    const slug = explicitWins && explicitId ? explicitId : slugger.slug(slugText);
    const current: Section = {
      index: sections.length,
      depth: node.depth,
      heading,
      line: start.line,
      column: start.column,
      slug,
      ...(explicitId ? { explicitId } : {}),
    };
    for (const next of children.slice(i + 1)) {
      if (next.type === 'heading') break;
      if (next.type !== 'paragraph') continue;
      const paragraph = textOf(next.children).replace(/\s+/g, ' ').trim();
      if (paragraph && !/^(<[^>]*>\s*)+$/.test(paragraph)) {
        current.firstParagraph = paragraph;
        break;
      }
    }
    sections.push(current);
  }
  return sections;
}

/** An `<a name>` written on the line(s) just before a heading. */
function precedingAnchor(node: RootContent | undefined, headingLine: number): string | undefined {
  if (!node || (node.position?.end.line ?? 0) < headingLine - 1) return undefined;
  if (node.type === 'html') return node.value;
  if (node.type === 'paragraph' && node.children.every((c) => c.type === 'html' || (c.type === 'text' && !c.value.trim()))) {
    return node.children.map((c) => ('value' in c ? c.value : '')).join('');
  }
  return undefined;
}

/** The fence a code node opens with; null for indented code, which starts at its indentation (even when its first line looks like a fence). */
function openingFence(text: string, node: Code): string | null {
  const from = node.position?.start.offset ?? 0;
  return /^(`{3,}|~{3,})/.exec(text.slice(from, from + 64))?.[1] ?? null;
}

/**
 * The rendered line (1-based) of the fence meant to close a block opened with `marker`, which its
 * list item or blockquote ended before line `end + 1`: the next line fenced with its character,
 * when that line is a bare fence at least as long (a closing fence, not the opening of another
 * block). Else null.
 */
function strayFence(lines: readonly string[], end: number, marker: string): number | null {
  for (let i = end; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const fence = FENCE_LINE.exec(line);
    if (!fence?.[1] || fence[1][0] !== marker[0]) continue;
    return fence[1].length >= marker.length && line.slice(fence[0].length).trim() === '' ? i + 1 : null;
  }
  return null;
}

/** Whether a fenced code node, opened with `marker`, is closed by a fence line of its kind. */
function fenceCloses(text: string, node: Code, marker: string): boolean {
  const start = node.position?.start.offset ?? 0;
  const end = node.position?.end.offset ?? start;
  const rows = text.slice(start, end).split(/\r?\n/);
  if (rows.length < 2) return false;
  const last = (rows[rows.length - 1] ?? '').trim();
  return last.length >= marker.length && [...last].every((c) => c === marker[0]);
}

/**
 * Whether JSON text is an excerpt that parses once completed: members without their braces
 * (`"actions": [ … ]`), or an object or array left open at the end (`{ "name": "x",`).
 */
function isJsonExcerpt(raw: string): boolean {
  const text = raw.trim().replace(/,$/, '');
  // Within the same limits as any JSON block.
  const parses = (candidate: string) => {
    try {
      JSON.parse(candidate);
      return jsonLimitError(candidate) === null;
    } catch {
      return false;
    }
  };
  if (text.startsWith('"') && parses(`{${text}}`)) return true;
  // The brackets left open, outside strings, closed in order.
  const open: string[] = [];
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{' || c === '[') open.push(c === '{' ? '}' : ']');
    else if ((c === '}' || c === ']') && open.pop() !== c) return false;
  }
  return open.length > 0 && !inString && parses(text + open.reverse().join(''));
}

/** A comment (`//`, `/*`, `#`) or an elision (`...`, `…`) standing where JSON holds a value or member. */
const LOOSE_JSON = /^\s*(?:\/\/|\/\*|#)|(?:^|[\s,[{:])(?:\.\.\.|…)(?=[\s,\]}]|$)/m;

const RAW_TAG = /\{%-?\s*(?:end)?raw\s*-?%\}/g;

function readJson(node: Code, section: number | null, diagnostics: Diagnostic[], at: At, inReusable: (line: number) => string): JsonBlock {
  const start = node.position?.start ?? { line: 1, column: 1 };
  // `{% raw %}` only tells Liquid to leave the text alone; blank it out, keeping offsets.
  const raw = node.value.replace(/\r\n?/g, '\n').replace(RAW_TAG, (m) => ' '.repeat(m.length));
  const block: JsonBlock = { line: at(start.line).line, column: start.column, section, raw };
  // Content starts on the line after the opening fence.
  const contentLine = start.line + 1;
  let value: unknown;
  let failure: { reason: string; offset: number } | null;
  try {
    value = JSON.parse(raw);
    failure = jsonLimitError(raw);
  } catch (error) {
    failure = jsonError(raw, error as Error);
  }
  if (failure === null) block.value = value;
  else {
    const { reason, offset } = failure;
    const before = raw.slice(0, offset).split('\n');
    const line = contentLine + before.length - 1;
    const column = (before[before.length - 1]?.length ?? 0) + 1;
    const fileLine = at(line).line;
    block.parseError = { message: reason, line: fileLine, column };
    const where = `\`\`\`json block at line ${block.line}${inReusable(start.line)} does not parse: ${reason} (line ${fileLine}, column ${column})`;
    // An illustration with comments or `...` elisions, or an excerpt of a larger document, is a
    // common, readable choice; an error example must parse.
    const commented = LOOSE_JSON.test(raw);
    const loose = !ERROR_MEMBER.test(raw) && (commented || isJsonExcerpt(raw));
    if (loose && /^json[c5]$/i.test((node.lang ?? '').trim())) {
      // `jsonc`/`json5` say so already.
    } else if (loose) {
      const what = commented ? 'it holds comments or `...` placeholders' : 'it is an excerpt (members without their object, or an object left open)';
      diagnostics.push(diagnostic(at(line, column), 'warning', 'json-not-strict', `${where}: ${what}. Mark the fence \`jsonc\` or \`text\`, or write strict JSON.`));
    } else {
      diagnostics.push(diagnostic(at(line, column), 'error', 'json-syntax', `${where}. Fix the JSON, or mark the fence as another language if it is not JSON.`));
    }
  }
  return block;
}

/**
 * A code block (fenced or indented) that shows a redirect to a callback with an error query
 * (`http://…/callback?error=…&error_description=…&error_uri=…&state=…`, possibly split over
 * lines): a documented response of an endpoint that answers errors by redirecting. Its value is
 * the query's members, decoded as a browser decodes them (`+` is a space, `%23` is `#`);
 * `state` is not a documented value but the request's, echoed, so it is recorded as echoed.
 * Any other code block is not a response example: null.
 */
function readRedirect(node: Code, section: number | null): JsonBlock | null {
  const joined = node.value.split(/\r?\n/).map((line) => line.trim()).join('');
  const match = /^https?:\/\/[^\s?#]+\?([^\s#]*error=[^\s#]*)$/.exec(joined);
  if (!match) return null;
  const value: Record<string, string> = {};
  for (const [name, member] of new URLSearchParams(match[1])) if (!(name in value)) value[name] = member;
  if (typeof value['error'] !== 'string' || value['error'] === '') return null;
  const echoes = 'state' in value ? ['state'] : [];
  delete value['state'];
  const start = node.position?.start ?? { line: 1, column: 1 };
  return { line: start.line, column: start.column, section, raw: node.value, value, form: 'redirect', echoes };
}

/** An error code as error tables write it: a code span of a lower-case snake_case word (`authorization_pending`). */
const ERROR_CODE = /^[a-z][a-z0-9]*(?:_[a-z0-9]+)+$/;

/**
 * The rows of an error-code table, each a documented response: the table has a column whose every
 * body cell is a lone code span of a snake_case code, and one column of prose; no other column
 * is code spans only (that is a table of parameters, with their types). Recognised by its cells,
 * not its header, so a translated header changes nothing. The row's members are its `error`; the
 * prose describes it and is not a value a server must return.
 */
function readErrorTable(node: Table, section: number | null): JsonBlock[] {
  const rows = node.children.slice(1);
  const width = node.children[0]?.children.length ?? 0;
  if (rows.length < 2 || width < 2) return [];
  const codeOf = (cell: Table['children'][number]['children'][number] | undefined): string | null => {
    const parts = (cell?.children ?? []).filter((c) => !(c.type === 'text' && c.value.trim() === ''));
    const only = parts[0];
    return parts.length === 1 && only?.type === 'inlineCode' && ERROR_CODE.test(only.value) ? only.value : null;
  };
  const codeOnly = (column: number) => rows.every((row) => {
    const parts = (row.children[column]?.children ?? []).filter((c) => !(c.type === 'text' && c.value.trim() === ''));
    return parts.length > 0 && parts.every((c) => c.type === 'inlineCode');
  });
  const codeColumns = Array.from({ length: width }, (_, i) => i).filter(codeOnly);
  const column = codeColumns[0];
  if (column === undefined || codeColumns.length > 1 || !rows.every((row) => codeOf(row.children[column]) !== null)) return [];
  const prose = Array.from({ length: width }, (_, i) => i).find((i) => i !== column && rows.some((row) => textOf(row.children[i]?.children ?? []).trim() !== ''));
  if (prose === undefined) return [];
  return rows.map((row) => {
    const cell = row.children[column];
    const start = cell?.position?.start ?? row.position?.start ?? { line: 1, column: 1 };
    const description = textOf(row.children[prose]?.children ?? []).replace(/\s+/g, ' ').trim();
    return { line: start.line, column: start.column, section, raw: '', value: { error: codeOf(cell) ?? '' }, form: 'table', description };
  });
}

/** Finds Liquid tags everywhere after the front-matter, honouring `{% raw %}` regions. */
function scanLiquid(text: string, from: number, lines: LineIndex, sectionAt: (line: number) => number | null): LiquidTag[] {
  const tags: LiquidTag[] = [];
  const head = /^\{%-?\s*([A-Za-z_][\w-]*)/;
  let inRaw = false;
  // A tag runs from `{%` to the first `%}` after it. Found with indexOf rather than a lazy regex,
  // which would scan to the end of the text from every `{%` of a page that never closes them.
  for (let open = text.indexOf('{%', from); open !== -1; ) {
    const close = text.indexOf('%}', open + 2);
    if (close === -1) break;
    const tag = text.slice(open, close + 2);
    const m = head.exec(tag);
    if (!m) {
      open = text.indexOf('{%', open + 2);
      continue;
    }
    open = text.indexOf('{%', close + 2);
    const name = m[1] ?? '';
    if (inRaw && name !== 'endraw') continue;
    if (name === 'raw') inRaw = true;
    if (name === 'endraw') inRaw = false;
    const { line, column } = lines.position(close + 2 - tag.length);
    tags.push({ name, args: tag.slice(m[0].length, -2).replace(/-$/, '').trim(), line, column, section: sectionAt(line) });
  }
  return tags;
}

/**
 * `text` with each span from `open` to the first `close` after it replaced: what `replace` with a
 * lazy regex such as /<[^>]*>/ does, in linear time where the regex would take quadratic time
 * over many `open` and no `close`.
 */
export function replaceSpans(text: string, open: string, close: string, by: (span: string) => string): string {
  let out = '';
  let done = 0;
  for (let start = text.indexOf(open); start !== -1; ) {
    const end = text.indexOf(close, start + open.length);
    if (end === -1) break;
    out += text.slice(done, start) + by(text.slice(start, end + close.length));
    done = end + close.length;
    start = text.indexOf(open, done);
  }
  return out + text.slice(done);
}

/** Maps offsets of a text to 1-based line and column. */
export class LineIndex {
  private readonly starts: number[] = [0];
  constructor(text: string) {
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) this.starts.push(i + 1);
  }
  /** Line and column of an offset. */
  position(offset: number): { line: number; column: number } {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.starts[mid] ?? 0) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - (this.starts[lo] ?? 0) + 1 };
  }
}

const SNAKE_WORD = /(?<![\p{L}\p{N}_])[A-Za-z][A-Za-z0-9]*(?:_[A-Za-z0-9]+)+(?![\p{L}\p{N}_])/gu;

/** A span as spaces of its length (offsets kept). */
function blank(span: string): string {
  return ' '.repeat(span.length);
}

/** snake_case words of the prose of the page's `lines` (code fences, Liquid, link targets, HTML and URLs left out). */
function proseWords(lines: readonly string[], fromLine: number): ProseWord[] {
  const out: ProseWord[] = [];
  let fence: string | null = null;
  for (let i = fromLine - 1; i < lines.length; i++) {
    const raw = lines[i] ?? '';
    const marker = /^\s*(`{3,}|~{3,})/.exec(raw)?.[1];
    if (fence !== null) {
      if (marker && marker[0] === fence[0] && marker.length >= fence.length && raw.trim() === marker) fence = null;
      continue;
    }
    if (marker) {
      fence = marker;
      continue;
    }
    // Most lines hold no snake_case word at all.
    if (!raw.includes('_')) continue;
    // Spans are blanked with replaceSpans, not lazy regexes, which take quadratic time on a line of
    // many `{%` or `<` and no closing one.
    let prose = replaceSpans(replaceSpans(raw, '{%', '%}', blank), '{{', '}}', blank);
    prose = replaceSpans(prose.replace(/^\s*\[[^\]]+\]:\s*\S+/, blank), '](', ')', blank);
    prose = replaceSpans(prose, '<', '>', blank)
      .replace(/https?:\/\/\S+/g, blank)
      .replace(/\\_/g, '_');
    for (const m of prose.matchAll(SNAKE_WORD)) {
      out.push({ line: i + 1, column: (m.index ?? 0) + 1, word: m[0] });
    }
  }
  return out;
}
