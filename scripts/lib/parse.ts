/**
 * Parse stage: one Markdown file → its page model and the diagnostics found on the way.
 * Pure: no disk, no network. unified + remark-parse + remark-frontmatter for Markdown,
 * `yaml` for front-matter, github-slugger for heading ids.
 */
import GithubSlugger from 'github-slugger';
import type { Code, Heading, Html, Nodes, PhrasingContent, Root, RootContent, Yaml } from 'mdast';
import remarkFrontmatter from 'remark-frontmatter';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import { visit } from 'unist-util-visit';
import { parseDocument, isMap, isScalar } from 'yaml';
import { diagnostic, type Diagnostic } from './diagnostics.ts';
import { jsonError, jsonLimitError } from './json-error.ts';
import type { JsonBlock, LiquidTag, PageModel, Section, SourceFile } from './model.ts';

const processor = unified().use(remarkParse).use(remarkFrontmatter, ['yaml']);

/** Result of parsing one file. */
export interface ParseResult {
  page: PageModel;
  diagnostics: Diagnostic[];
}

/** Parses one docs file into its page model. Never throws on bad input. */
export function parsePage(source: SourceFile): ParseResult {
  const withoutBom = source.text.startsWith('\uFEFF') ? source.text.slice(1) : source.text;
  // Markdown ends a line at a lone CR too, but the YAML and Liquid line counters do not:
  // make it a LF (same length, so offsets hold) so that every position counts lines alike.
  const text = withoutBom.replace(/\r(?!\n)/g, '\n');
  const lines = new LineIndex(text);
  const diagnostics: Diagnostic[] = [];
  const at = (line: number, column = 1) => ({ file: source.file, locale: source.locale, line, column });
  const tree = processor.parse(text) as Root;

  const page: PageModel = {
    file: source.file,
    locale: source.locale,
    page: source.page,
    crlfSha1: source.crlfSha1,
    frontMatter: null,
    frontMatterLine: null,
    frontMatterKeyLines: {},
    sections: [],
    jsonBlocks: [],
    liquid: [],
    links: [],
    inlineCode: [],
    unterminatedFences: [],
  };

  const first = tree.children[0];
  if (first?.type === 'yaml') {
    readFrontMatter(first, page, diagnostics, at);
  }

  page.sections = readSections(tree.children);
  const headingOffsets = tree.children
    .filter((n): n is Heading => n.type === 'heading')
    .map((n) => n.position?.start.offset ?? 0);
  const sectionAt = (offset: number): number | null => {
    let lo = 0;
    let hi = headingOffsets.length - 1;
    let found: number | null = null;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if ((headingOffsets[mid] ?? 0) <= offset) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found;
  };

  const codeRanges: Array<[number, number]> = [];
  visit(tree, (node: Nodes) => {
    const start = node.position?.start;
    if (!start) return;
    const offset = start.offset ?? 0;
    if (node.type === 'code') {
      codeRanges.push([offset, node.position?.end.offset ?? offset]);
      if (!fenceCloses(text, node)) page.unterminatedFences.push(start.line);
      if (isJsonLang(node.lang)) page.jsonBlocks.push(readJson(node, sectionAt(offset), diagnostics, at));
      else {
        const redirect = readRedirect(node, sectionAt(offset));
        if (redirect) page.jsonBlocks.push(redirect);
      }
    } else if (node.type === 'inlineCode') {
      codeRanges.push([offset, node.position?.end.offset ?? offset]);
      page.inlineCode.push({ value: node.value, line: start.line, column: start.column, section: sectionAt(offset) });
    } else if (node.type === 'link' || node.type === 'definition') {
      page.links.push({ url: node.url, line: start.line, column: start.column, section: sectionAt(offset) });
    }
  });
  for (const line of page.unterminatedFences) {
    diagnostics.push(
      diagnostic(at(line), 'error', 'unterminated-fence', 'Code fence opened here is never closed; it swallows the rest of the page. Close it with a matching fence line (e.g. ```).'),
    );
  }

  const bodyStart = first?.type === 'yaml' ? (first.position?.end.offset ?? 0) : 0;
  page.liquid = scanLiquid(text, bodyStart, lines, sectionAt, codeRanges);
  return { page, diagnostics };
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

/** Text of phrasing content as a reader sees it: HTML tags dropped, code spans kept. */
function textOf(nodes: readonly (PhrasingContent | RootContent)[]): string {
  let out = '';
  for (const node of nodes) {
    if (node.type === 'text' || node.type === 'inlineCode') out += node.value;
    else if (node.type === 'break') out += ' ';
    else if ('children' in node) out += textOf(node.children as PhrasingContent[]);
  }
  return out;
}

const EXPLICIT_ID = /\s*\{#([^\s{}]+)\}\s*$/;
const HTML_ANCHOR = /<a\s[^>]*?\b(?:name|id)\s*=\s*["']([^"']+)["']/i;
const LIQUID_IN_TEXT = /\{%-?[\s\S]*?-?%\}|\{\{-?[\s\S]*?-?\}\}/g;

function readSections(children: readonly RootContent[]): Section[] {
  const slugger = new GithubSlugger();
  const sections: Section[] = [];
  let current: Section | undefined;
  children.forEach((node, i) => {
    if (node.type === 'heading') {
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
      // The rendered heading has Liquid replaced by its output, which we cannot know: slug without it.
      const slugText = heading.replace(LIQUID_IN_TEXT, '').replace(/\s+/g, ' ').trim();
      const slug = explicitWins && explicitId ? explicitId : slugger.slug(slugText);
      current = {
        index: sections.length,
        depth: node.depth,
        heading,
        line: start.line,
        column: start.column,
        slug,
        ...(explicitId ? { explicitId } : {}),
      };
      sections.push(current);
    } else if (node.type === 'paragraph' && current && current.firstParagraph === undefined) {
      const paragraph = textOf(node.children).replace(/\s+/g, ' ').trim();
      if (paragraph && !/^(<[^>]*>\s*)+$/.test(paragraph)) current.firstParagraph = paragraph;
    }
  });
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

/** Whether a fenced code node is closed by a fence line of its own kind. */
function fenceCloses(text: string, node: Code): boolean {
  const start = node.position?.start.offset ?? 0;
  const end = node.position?.end.offset ?? start;
  const slice = text.slice(start, end);
  const open = /^[ \t]*(`{3,}|~{3,})/.exec(slice);
  if (!open?.[1]) return true; // indented code: no fence to close
  const marker = open[1];
  const rows = slice.split(/\r?\n/);
  if (rows.length < 2) return false;
  const last = (rows[rows.length - 1] ?? '').trim();
  return last.length >= marker.length && [...last].every((c) => c === marker[0]);
}

const RAW_TAG = /\{%-?\s*(?:end)?raw\s*-?%\}/g;

function readJson(node: Code, section: number | null, diagnostics: Diagnostic[], at: At): JsonBlock {
  const start = node.position?.start ?? { line: 1, column: 1 };
  // `{% raw %}` only tells Liquid to leave the text alone; blank it out, keeping offsets.
  const raw = node.value.replace(/\r\n?/g, '\n').replace(RAW_TAG, (m) => ' '.repeat(m.length));
  const block: JsonBlock = { line: start.line, column: start.column, section, raw };
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
    block.parseError = { message: reason, line, column };
    diagnostics.push(
      diagnostic(at(line, column), 'error', 'json-syntax', `\`\`\`json block at line ${start.line} does not parse: ${reason} (line ${line}, column ${column}). Fix the JSON, or mark the fence as another language if it is not JSON.`),
    );
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

/** Finds Liquid tags everywhere after the front-matter, honouring `{% raw %}` regions. */
function scanLiquid(
  text: string,
  from: number,
  lines: LineIndex,
  sectionAt: (offset: number) => number | null,
  codeRanges: Array<[number, number]>,
): LiquidTag[] {
  const tags: LiquidTag[] = [];
  const pattern = /\{%-?\s*([A-Za-z_][\w-]*)([\s\S]*?)-?%\}/g;
  pattern.lastIndex = from;
  let inRaw = false;
  // Code ranges come in document order and do not overlap: binary search the last one starting before.
  const inCode = (offset: number) => {
    let lo = 0;
    let hi = codeRanges.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const [start, end] = codeRanges[mid] ?? [0, 0];
      if (offset < start) hi = mid - 1;
      else if (offset >= end) lo = mid + 1;
      else return true;
    }
    return false;
  };
  for (let m = pattern.exec(text); m; m = pattern.exec(text)) {
    const name = m[1] ?? '';
    if (inRaw && name !== 'endraw') continue;
    if (name === 'raw') inRaw = true;
    if (name === 'endraw') inRaw = false;
    const { line, column } = lines.position(m.index);
    tags.push({ name, args: (m[2] ?? '').trim(), line, column, section: sectionAt(m.index), inCode: inCode(m.index) });
  }
  return tags;
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
