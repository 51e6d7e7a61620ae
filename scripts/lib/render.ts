/**
 * Render stage: a page's Markdown as docs.github.com renders it, before anything is taken from it.
 * Pure: page text + site data → rendered Markdown, with a map from each rendered line back to the
 * line of the file (and of the reusable, when the line comes from one). Liquid is rendered by
 * liquidjs with GitHub's tags registered; `ifversion` (and `if`/`unless`) render one branch per
 * variant, so that the ids of every version branch can be collected from the variants.
 */
import { Liquid, Tag, type Context, type Emitter, type Parser, type TagToken, type Template, type TopLevelToken } from 'liquidjs';
import { isMap, isScalar, isSeq, parseDocument } from 'yaml';

/** A reusable of the site data: `data/reusables/<path>.md`. */
export interface Reusable {
  /** Path relative to the docs root, for messages. */
  file: string;
  text: string;
}

/** The site data of one locale, as the reader read it from its `data/` folder. */
export interface LocaleData {
  /** `data/variables/<name>.yml`, parsed, by name. */
  variables: Record<string, unknown>;
  /** `data/reusables/<a>/<b>.md` by dotted path (`a.b`). */
  reusables: ReadonlyMap<string, Reusable>;
  /** `data/glossaries/<name>.yml`, parsed, by name: the data pages loop over (`site.data.glossaries`). */
  glossaries: Record<string, unknown>;
  /** The same files as written, by name: where each entry's text is, for positions inside it. */
  glossarySources?: ReadonlyMap<string, Reusable>;
}

/** The site data of a docs tree: each locale's, and the locale whose data fills what a locale lacks. */
export interface SiteData {
  locales: ReadonlyMap<string, LocaleData>;
  fallback: string;
  /**
   * The ids of the GraphQL reference pages, by page (`graphql/reference/objects`), which the site
   * builds from the schema in `data/graphql/` rather than from headings; absent without a schema.
   */
  graphqlIds?: ReadonlyMap<string, ReadonlySet<string>>;
  /** A digest of every data file read: rendered pages depend on it as on their own text. */
  digest: string;
}

/** Where a rendered line comes from: the line of the page file, and the reusable's line when inside one. */
export interface LineOrigin {
  line: number;
  reusable?: { file: string; line: number };
  /** The column of the rendered line from which on the text is the page's again: the reusable ended there. */
  pageFrom?: number;
}

/** A page as the site renders it. */
export interface Rendered {
  /** The rendered Markdown of the first variant (front-matter kept as written). */
  text: string;
  /** Origin of each line of `text` (index 0 is line 1). */
  origins: LineOrigin[];
  /**
   * The other variants' rendered Markdown (without front-matter): variant k renders branch k of
   * every conditional (its last branch when it has fewer), so every version branch is in one of them.
   */
  variants: string[];
  /** The page loops over or includes site data the tree does not hold (REST operations, GraphQL, webhooks…). */
  dataDriven: boolean;
  /** liquidjs's reason when the page's Liquid could not be rendered; `text` is then the page as written. */
  failure?: string;
}

/** Variants rendered at most: enough for `ifversion` chains of the site's versions, bounded for speed. */
const MAX_VARIANTS = 4;
/** Nesting of data references at most (a reusable that includes itself stops here). */
const MAX_DEPTH = 10;

// Line markers: \u0001<file id>:<line>\u0002 before a line, \u0001><file id>\u0002 … \u0001<\u0002 around a reusable.
const OPEN = '\u0001';
const CLOSE = '\u0002';

/** What a render call carries to the tags: the variant, the locale's data, what was seen. */
interface RenderState {
  variant: number;
  /** Most branches of any conditional rendered that can change a heading: how many variants there are. */
  branches: number;
  /** Rendering data written on a heading line: any branch in it changes that heading. */
  inHeading: boolean;
  depth: number;
  root: DataRoot;
  /** File names by marker id (0 is the page). */
  files: string[];
}

/** A locale's data, with the fallback locale's filling the gaps, as one tree the tags and loops read. */
interface DataRoot {
  variables: Record<string, unknown>;
  reusables: Record<string, unknown>;
  glossaries: Record<string, unknown>;
  glossarySources: ReadonlyMap<string, Reusable>;
}

const STATE = '__docsContractRender';

function stateOf(ctx: Context): RenderState {
  return (ctx.environments as Record<string, unknown>)[STATE] as RenderState;
}

/**
 * `ifversion`, `if`, `unless`: the branch of the current variant, conditions not evaluated (every
 * version counts). Variants exist for the ids of other branches' headings, so a conditional counts
 * towards them only when it can change a heading: a later branch holds a heading line or data (a
 * reusable may hold one), or the conditional is written on a heading line.
 */
class BranchTag extends Tag {
  private readonly branches: Template[][] = [];
  private readonly headed: boolean;
  constructor(token: TagToken, remain: TopLevelToken[], liquid: Liquid, parser: Parser) {
    super(token, remain, liquid);
    let current: Template[] = [];
    let hasElse = false;
    let later = -1;
    let headed = false;
    this.branches.push(current);
    const end = token.name === 'unless' ? 'endunless' : 'endif';
    const next = (at: TagToken) => {
      if (later === -1) later = at.begin;
      this.branches.push((current = []));
    };
    parser
      .parseStream(remain)
      .on('tag:elsif', next)
      .on('tag:else', (at: TagToken) => {
        hasElse = true;
        next(at);
      })
      .on(`tag:${end}`, function (this: { stop(): void }, at: TagToken) {
        if (later !== -1) headed = canHoldHeading(at.input.slice(later, at.begin));
        this.stop();
      })
      .on('template', (t: Template) => current.push(t))
      .on('end', () => {
        throw new Error(`tag ${token.getText()} not closed`);
      })
      .start();
    // Without an `else`, some version renders nothing here.
    if (!hasElse) this.branches.push([]);
    this.headed = headed;
  }
  *render(ctx: Context, emitter: Emitter): Generator<unknown, void, unknown> {
    const state = stateOf(ctx);
    if (this.headed || state.inHeading || onHeadingLine(emitter)) state.branches = Math.max(state.branches, this.branches.length);
    const chosen = this.branches[Math.min(state.variant, this.branches.length - 1)] ?? [];
    yield this.liquid.renderer.renderTemplates(chosen, ctx, emitter);
  }
}

/** Callouts, tool and platform switches, prompts: the site wraps their content in HTML; the content is what counts. */
class ContentTag extends Tag {
  private readonly templates: Template[] = [];
  constructor(token: TagToken, remain: TopLevelToken[], liquid: Liquid, parser: Parser) {
    super(token, remain, liquid);
    parser
      .parseStream(remain)
      .on(`tag:end${token.name}`, function (this: { stop(): void }) {
        this.stop();
      })
      .on('template', (t: Template) => this.templates.push(t))
      .on('end', () => {
        throw new Error(`tag ${token.getText()} not closed`);
      })
      .start();
  }
  *render(ctx: Context, emitter: Emitter): Generator<unknown, void, unknown> {
    yield this.liquid.renderer.renderTemplates(this.templates, ctx, emitter);
  }
}

/** Tags that render no text a check reads: includes of the site's templates. */
class SilentTag extends Tag {
  render(): void {}
}

/**
 * `{% octicon %}`: an SVG, which has no text but is an element: a heading that starts with one keeps
 * the spaces after it in its text, and so in its id (`## {% octicon "x" %} Phase` is `#-phase`).
 */
class OcticonTag extends Tag {
  render(_ctx: Context, emitter: Emitter): void {
    // No longer than the shortest tag (`{%octicon%}`), so that columns after it stay inside the file's line.
    emitter.write('<svg></svg>');
  }
}

/** `link`, `link_in_list`, `homepage_link_with_intro`…: a link to the page named (its title is the target's; the path stands in). */
class LinkTag extends Tag {
  private readonly href: string;
  private readonly inList: boolean;
  constructor(token: TagToken, remain: TopLevelToken[], liquid: Liquid) {
    super(token, remain, liquid);
    this.href = token.args.trim().split(/\s+/)[0] ?? '';
    this.inList = token.name === 'link_in_list';
  }
  render(_ctx: Context, emitter: Emitter): void {
    if (this.href === '' || this.href.includes('{')) return;
    emitter.write(`${this.inList ? '- ' : ''}[${this.href}](${this.href})`);
  }
}

/** `{% data path %}`: a variable's value or a reusable's Markdown, rendered in place. */
class DataTag extends Tag {
  private readonly path: string;
  constructor(token: TagToken, remain: TopLevelToken[], liquid: Liquid) {
    super(token, remain, liquid);
    this.path = token.args.trim();
  }
  *render(ctx: Context, emitter: Emitter): Generator<unknown, void, unknown> {
    const value = resolve(this.liquid, ctx, this.path);
    // Data the tree does not hold (this repository's own layout has none) stays as written: the
    // text keeps saying what it refers to, and slugs leave Liquid out, as they always have.
    if (value === undefined) emitter.write(this.token.getText());
    else yield renderData(this.liquid, ctx, emitter, glossaryEntry(this.liquid, ctx, this.path, value) ?? value, 0);
  }
}

/** `{% indented_data_reference reusables.x spaces=N %}`: the reusable, each line indented by N spaces. */
class IndentedDataTag extends Tag {
  private readonly path: string;
  private readonly spaces: number;
  constructor(token: TagToken, remain: TopLevelToken[], liquid: Liquid) {
    super(token, remain, liquid);
    const [path = '', ...rest] = token.args.trim().split(/\s+/);
    this.path = path;
    const spaces = /^spaces=(\d+)$/.exec(rest.join(' '));
    this.spaces = spaces?.[1] ? Number(spaces[1]) : 0;
  }
  *render(ctx: Context, emitter: Emitter): Generator<unknown, void, unknown> {
    const value = resolve(this.liquid, ctx, this.path);
    if (value === undefined) emitter.write(this.token.getText());
    else yield renderData(this.liquid, ctx, emitter, value, this.spaces);
  }
}

/** The value a data path names in the locale's data (`glossaries.external[forloop.index0].term` is an expression). */
function resolve(liquid: Liquid, ctx: Context, path: string): unknown {
  const state = stateOf(ctx);
  if (/^[\w-]+(?:\.[\w-]+)+$/.test(path)) {
    let value: unknown = state.root;
    for (const key of path.split('.')) {
      if (value === null || typeof value !== 'object' || !Object.hasOwn(value, key)) return undefined;
      value = (value as Record<string, unknown>)[key];
    }
    return value;
  }
  try {
    return liquid.evalValueSync(`site.data.${path}`, ctx);
  } catch {
    return undefined;
  }
}

const parsedTexts = new Map<string, Template[]>();

/** Writes a data value: a reusable between markers (its lines marked), a string rendered as Liquid, nothing when missing. */
function* renderData(liquid: Liquid, ctx: Context, emitter: Emitter, value: unknown, indent: number): Generator<unknown, void, unknown> {
  const state = stateOf(ctx);
  if (value === undefined || value === null || typeof value === 'object' && !isReusable(value)) return;
  if (state.depth >= MAX_DEPTH) return;
  const reusable = isReusable(value) ? value : null;
  let id = 0;
  let source = String(value);
  if (reusable) {
    id = state.files.indexOf(reusable.file);
    if (id === -1) id = state.files.push(reusable.file) - 1;
    source = reusable.marked(id);
  }
  let rendered: string;
  if (source.includes('{')) {
    state.depth++;
    try {
      let templates = parsedTexts.get(source);
      if (!templates) {
        templates = liquid.parse(source);
        parsedTexts.set(source, templates);
      }
      const inHeading = state.inHeading;
      state.inHeading ||= onHeadingLine(emitter);
      try {
        rendered = (yield liquid.renderer.renderTemplates(templates, ctx)) as string;
      } finally {
        state.inHeading = inHeading;
      }
    } catch {
      // A reusable whose Liquid does not render is shown as written, as the text around it is.
      rendered = source;
    } finally {
      state.depth--;
    }
  } else rendered = source;
  if (indent > 0) rendered = rendered.replace(/^/gm, ' '.repeat(indent));
  emitter.write(reusable ? `${OPEN}>${id}${CLOSE}${rendered}${OPEN}<${CLOSE}` : rendered);
}

function isReusable(value: unknown): value is ReusableEntry {
  return value instanceof ReusableEntry;
}

/** A reusable in the data tree (or a glossary entry's text): a class, so that a lookup tells it from a folder of reusables. */
class ReusableEntry implements Reusable {
  /** Its text marked for each id a page gave it: the same few ids recur on every page. */
  private readonly byId = new Map<number, string>();

  constructor(
    readonly file: string,
    readonly text: string,
    /** The file line its first line is on. */
    private readonly firstLine = 1,
  ) {}

  /** Its text without trailing blank lines, each line marked as line n of file `id`. */
  marked(id: number): string {
    let text = this.byId.get(id);
    if (text === undefined) this.byId.set(id, (text = mark(this.text.trimEnd(), id, this.firstLine)));
    return text;
  }
}

/** A glossary entry's field the loops of glossary pages name (`glossaries.external[forloop.index0].description`). */
const GLOSSARY_FIELD = /^glossaries\.([\w-]+)\[forloop\.index0\]\.([\w-]+)$/;
const glossaryEntries = new Map<string, ReusableEntry>();
const glossaryLines = new WeakMap<Reusable, Map<string, number>>();

/**
 * A glossary entry's text as an entry of its file, so that what is found in it is placed on its
 * line of `data/glossaries/<name>.yml` (the locale's own, else the fallback's); undefined for any
 * other data, or where the line is not known.
 */
function glossaryEntry(liquid: Liquid, ctx: Context, path: string, value: unknown): ReusableEntry | undefined {
  const m = GLOSSARY_FIELD.exec(path);
  const source = m?.[1] === undefined ? undefined : stateOf(ctx).root.glossarySources.get(m[1]);
  if (!m || !source || typeof value !== 'string') return undefined;
  let index: unknown;
  try {
    index = liquid.evalValueSync('forloop.index0', ctx);
  } catch {
    return undefined;
  }
  const line = linesOf(source).get(`${String(index)}.${m[2]}`);
  if (line === undefined) return undefined;
  const key = `${source.file}\0${line}\0${value}`;
  let entry = glossaryEntries.get(key);
  if (!entry) glossaryEntries.set(key, (entry = new ReusableEntry(source.file, value, line)));
  return entry;
}

/** The line each field of each entry of a glossary file starts on (`<index>.<field>`): a block scalar's text starts on the line after its indicator. */
function linesOf(source: Reusable): Map<string, number> {
  let lines = glossaryLines.get(source);
  if (lines) return lines;
  lines = new Map();
  glossaryLines.set(source, lines);
  const contents = parseDocument(source.text).contents;
  if (!isSeq(contents)) return lines;
  // Offsets come in document order: lines are counted once, forward.
  let line = 1;
  let at = 0;
  const lineAt = (offset: number) => {
    for (; at < offset; at++) if (source.text.charCodeAt(at) === 10) line++;
    return line;
  };
  contents.items.forEach((item, index) => {
    if (!isMap(item)) return;
    for (const pair of item.items) {
      if (!isScalar(pair.key) || !isScalar(pair.value) || !pair.value.range) continue;
      const block = pair.value.type === 'BLOCK_LITERAL' || pair.value.type === 'BLOCK_FOLDED';
      lines.set(`${index}.${String(pair.key.value)}`, lineAt(pair.value.range[0]) + (block ? 1 : 0));
    }
  });
  return lines;
}

const CONTENT_TAGS = [
  ...['note', 'tip', 'warning', 'danger', 'important', 'caution', 'prompt', 'rowheaders'],
  ...['mac', 'windows', 'linux', 'agents', 'api', 'azure_data_studio', 'bash', 'cli', 'codespaces', 'curl', 'desktop', 'eclipse', 'importer_cli', 'javascript', 'jetbrains', 'jetbrains_beta', 'mobile', 'skillsets', 'vimneovim', 'powershell', 'visualstudio', 'vscode', 'webui', 'windowsterminal', 'xcode'],
];

const engine = new Liquid({ strictFilters: false, strictVariables: false, lenientIf: true, ownPropertyOnly: true });
for (const name of ['ifversion', 'if', 'unless']) engine.registerTag(name, BranchTag);
for (const name of CONTENT_TAGS) engine.registerTag(name, ContentTag);
for (const name of ['include', 'render', 'layout']) engine.registerTag(name, SilentTag);
engine.registerTag('octicon', OcticonTag);
for (const name of ['link', 'link_in_list', 'link_with_intro', 'homepage_link_with_intro', 'link_as_article_card']) engine.registerTag(name, LinkTag);
engine.registerTag('data', DataTag);
engine.registerTag('indented_data_reference', IndentedDataTag);

const FRONT_MATTER = /^---[ \t]*\r?\n(?:[\s\S]*?\r?\n)?---[ \t]*(?:\r?\n|$)/;

/**
 * Renders a page's text in `locale` with the site data (null: none, as in this repository's own
 * layout, where data tags render nothing). Never throws on bad input: a page whose Liquid does not
 * parse comes back as written, with the reason.
 */
export function renderPage(text: string, locale: string, site: SiteData | null): Rendered {
  const clean = text.includes(OPEN) || text.includes(CLOSE) ? text.split(OPEN).join('\uFFFD').split(CLOSE).join('\uFFFD') : text;
  const front = FRONT_MATTER.exec(clean)?.[0] ?? '';
  const body = clean.slice(front.length);
  const frontLines = front === '' ? 0 : front.split('\n').length - 1;
  const asWritten = (failure?: string): Rendered => ({
    text: clean,
    origins: Array.from({ length: clean.split('\n').length }, (_, i) => ({ line: i + 1 })),
    variants: [],
    dataDriven: isDataDriven(body),
    ...(failure ? { failure } : {}),
  });
  if (!body.includes('{')) return asWritten();
  let templates: Template[];
  try {
    templates = engine.parse(mark(body, 0, frontLines + 1));
  } catch (error) {
    return asWritten(reason(error));
  }
  const state: RenderState = { variant: 0, branches: 1, inHeading: false, depth: 0, root: dataRoot(site, locale), files: [''] };
  const scope = { [STATE]: state, site: { data: state.root } };
  const outputs: string[] = [];
  for (let variant = 0; variant < Math.min(state.branches, MAX_VARIANTS); variant++) {
    state.variant = variant;
    try {
      outputs.push(String(engine.renderSync(templates, scope)));
    } catch (error) {
      if (variant === 0) return asWritten(reason(error));
      break;
    }
  }
  const first = unmark(outputs[0] ?? '', state.files, frontLines + 1);
  const frontOrigins = Array.from({ length: frontLines }, (_, i) => ({ line: i + 1 }));
  const variants = outputs.slice(1).map(withoutMarkers);
  return { text: front + first.text, origins: [...frontOrigins, ...first.origins], variants, dataDriven: isDataDriven(body) };
}

function reason(error: unknown): string {
  return ((error as Error).message ?? String(error)).split('\n')[0] ?? 'unknown error';
}

/** Whether a page's body loops over or includes data the site computes (REST, GraphQL, webhooks), not data the tree holds. */
function isDataDriven(body: string): boolean {
  for (const m of body.matchAll(/\{%-?\s*(?:for\s+\w+\s+in\s+([\w.[\]]+)|include\s+([\w-]+))/g)) {
    if (m[1] !== undefined && !m[1].startsWith('site.data.')) return true;
    if (m[2] !== undefined && m[2] !== 'tool-switcher') return true;
  }
  return false;
}

const roots = new WeakMap<SiteData, Map<string, DataRoot>>();
const EMPTY_ROOT: DataRoot = { variables: {}, reusables: {}, glossaries: {}, glossarySources: new Map() };

/** The data tree of a locale: its own data over the fallback locale's, as the site looks data up. */
function dataRoot(site: SiteData | null, locale: string): DataRoot {
  if (!site) return EMPTY_ROOT;
  let byLocale = roots.get(site);
  if (!byLocale) roots.set(site, (byLocale = new Map()));
  let root = byLocale.get(locale);
  if (!root) {
    const layers = [site.locales.get(site.fallback), locale === site.fallback ? undefined : site.locales.get(locale)].filter((l): l is LocaleData => l !== undefined);
    const reusables: Record<string, unknown> = {};
    for (const layer of layers) {
      for (const [key, r] of layer.reusables) setPath(reusables, key.split('.'), new ReusableEntry(r.file, r.text));
    }
    root = {
      variables: layers.reduce<Record<string, unknown>>((acc, l) => overlay(acc, l.variables) as Record<string, unknown>, {}),
      reusables,
      glossaries: layers.reduce<Record<string, unknown>>((acc, l) => ({ ...acc, ...l.glossaries }), {}),
      glossarySources: new Map(layers.flatMap((l) => [...(l.glossarySources ?? [])])),
    };
    byLocale.set(locale, root);
  }
  return root;
}

/** `over` laid on `under`: mappings merged key by key, anything else replaced. */
function overlay(under: unknown, over: unknown): unknown {
  if (!isPlainObject(under) || !isPlainObject(over)) return over === undefined || over === null ? under : over;
  const out: Record<string, unknown> = { ...under };
  for (const [key, value] of Object.entries(over)) out[key] = overlay(under[key], value);
  return out;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && !(value instanceof ReusableEntry);
}

function setPath(tree: Record<string, unknown>, keys: string[], value: unknown): void {
  let node = tree;
  keys.forEach((key, i) => {
    if (i === keys.length - 1) node[key] = value;
    else {
      const next = node[key];
      node = isPlainObject(next) ? next : (node[key] = {});
    }
  });
}

/**
 * Marks each line of `text` with its file id and line, after its indentation, so that the
 * rendered output can be mapped back. Lines that start inside a Liquid tag, are blank, or start
 * with a whitespace-trimming tag (`{%-`) are left unmarked: a marker would stop the trimming.
 */
function mark(text: string, id: number, firstLine: number): string {
  let inTag = false;
  return text
    .split('\n')
    .map((line, i) => {
      const startsInTag = inTag;
      for (const m of line.matchAll(/\{[%{]|[%}]\}/g)) inTag = m[0][0] === '{';
      if (startsInTag) return line;
      const indent = /^[ \t]*/.exec(line)?.[0] ?? '';
      const rest = line.slice(indent.length);
      if (rest === '' || rest === '\r' || /^\{[%{]-/.test(rest)) return line;
      return `${indent}${OPEN}${id}:${firstLine + i}${CLOSE}${rest}`;
    })
    .join('\n');
}

/** A line that starts a heading, in a list item or blockquote too. */
const HEADING_START = /^[ \t]*(?:(?:[-*+]|\d+[.)])[ \t]+|>[ \t]?)*#/m;

/** Whether Liquid text can hold a heading line: one written in it (tags left out), or data, which can be a reusable holding one. */
function canHoldHeading(text: string): boolean {
  return /\{%-?\s*(?:data|indented_data_reference)\s/.test(text) || HEADING_START.test(withoutMarkers(text).replace(/\{%[\s\S]*?%\}/g, ''));
}

/** Whether what the emitter has written so far ends on a heading line. */
function onHeadingLine(emitter: Emitter): boolean {
  const buffer = (emitter as { buffer?: unknown }).buffer;
  if (typeof buffer !== 'string') return false;
  const line = buffer.slice(buffer.lastIndexOf('\n') + 1);
  return HEADING_START.test(line.includes(OPEN) ? withoutMarkers(line) : line);
}

/** Rendered text without its markers, for a variant, whose lines need no origin. */
function withoutMarkers(out: string): string {
  return out.replace(MARKER, '');
}

const MARKER = new RegExp(`${OPEN}[^${CLOSE}]*(?:${CLOSE}|$)`, 'g');

/** Removes the markers of rendered text, giving each line its origin. */
function unmark(out: string, files: readonly string[], firstLine: number): { text: string; origins: LineOrigin[] } {
  const stack: Array<{ id: number; line: number }> = [{ id: 0, line: firstLine }];
  const origins: LineOrigin[] = [];
  const parts: string[] = [];
  let pending = true;
  // Length of the unmarked text so far, and where in it the current line starts.
  let length = 0;
  let lineStart = 0;
  const record = () => {
    const top = stack[stack.length - 1] ?? { id: 0, line: firstLine };
    const page = stack[0]?.line ?? firstLine;
    origins.push(stack.length > 1 ? { line: page, reusable: { file: files[top.id] ?? '', line: top.line } } : { line: page });
    pending = false;
  };
  let pos = 0;
  for (;;) {
    const next = out.indexOf(OPEN, pos);
    const end = next === -1 ? out.length : next;
    // A line is recorded at its first character other than a space or tab, or at its end.
    for (let i = pos; i < end; ) {
      if (!pending) {
        const newline = out.indexOf('\n', i);
        if (newline === -1 || newline >= end) break;
        i = newline;
      }
      const c = out.charCodeAt(i++);
      if (c === 10) {
        if (pending) record();
        const top = stack[stack.length - 1];
        if (top) top.line++;
        pending = true;
        lineStart = length + (i - pos);
      } else if (c !== 32 && c !== 9) record();
    }
    parts.push(out.slice(pos, end));
    length += end - pos;
    if (next === -1) break;
    const close = out.indexOf(CLOSE, next);
    const marker = out.slice(next + 1, close === -1 ? out.length : close);
    pos = close === -1 ? out.length : close + 1;
    if (marker === '<') {
      if (stack.length > 1) stack.pop();
      // A reusable that ends inside a line it began: the rest of the line is the page's.
      const last = origins[origins.length - 1];
      if (stack.length === 1 && !pending && last?.reusable && last.pageFrom === undefined) last.pageFrom = length - lineStart + 1;
    } else if (marker.startsWith('>')) stack.push({ id: Number(marker.slice(1)), line: 1 });
    else {
      const [id, line] = marker.split(':').map(Number);
      const top = stack[stack.length - 1];
      if (top && top.id === id && line !== undefined) top.line = line;
    }
  }
  if (pending) record();
  return { text: parts.join(''), origins };
}
