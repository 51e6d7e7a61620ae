/**
 * Read stage: finds the pages of a docs tree on disk, in either layout, and decodes them.
 * The only stage besides the writer that touches the disk.
 */
import { createHash } from 'node:crypto';
import { closeSync, constants, openSync, readFileSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { compare, diagnostic, type Diagnostic } from './diagnostics.ts';
import type { SourceFile } from './model.ts';
import type { LocaleData, Reusable, SiteData } from './render.ts';
import type { DefinitionNode } from 'graphql';
import { parse as parseYaml } from 'yaml';
import { UsageError } from './util.ts';

/** The two layouts a docs tree may have. */
export type Layout = 'locale-folders' | 'github-docs';

/** A docs tree as found on disk. */
export interface DocsTree {
  root: string;
  layout: Layout;
  /** Locale codes found, sorted. */
  locales: string[];
  /** The source locale (`en`) when present. */
  sourceLocale: string | null;
  files: SourceFile[];
  diagnostics: Diagnostic[];
  /** The site data pages are rendered with (github/docs layout: `data/`, `translations/<locale>/data/`); absent without. */
  site?: SiteData | null;
}

/**
 * Pages larger than this are not treated as Markdown pages. Far above any real docs page, and
 * low enough to bound memory: remark needs about 300 MB of memory per MiB of Markdown.
 */
export const MAX_PAGE_BYTES = 1024 * 1024;

/** The locale that GitHub's docs write first and translate from. */
export const SOURCE_LOCALE = 'en';

/** Reads every page under `root`, detecting the layout. Throws UsageError only when `root` is unusable. */
export function readDocsTree(root: string): DocsTree {
  let stat;
  try {
    stat = statSync(root);
  } catch {
    throw new UsageError(`docs folder \`${root}\` does not exist; pass --docs=DIR with a folder of <locale>/<path>.md pages or a github/docs checkout`);
  }
  if (!stat.isDirectory()) throw new UsageError(`\`${root}\` is not a folder; pass --docs=DIR with a docs folder`);

  const diagnostics: Diagnostic[] = [];
  const roots: Array<{ locale: string; dir: string; data?: string }> = [];
  const contentDir = path.join(root, 'content');
  const layout: Layout = isDir(contentDir) ? 'github-docs' : 'locale-folders';
  if (layout === 'github-docs') {
    roots.push({ locale: SOURCE_LOCALE, dir: contentDir, data: path.join(root, 'data') });
    const translations = path.join(root, 'translations');
    for (const name of listDirs(translations)) {
      const dir = path.join(translations, name, 'content');
      if (isDir(dir)) roots.push({ locale: name, dir, data: path.join(translations, name, 'data') });
    }
  } else {
    const folders = safeReaddir(root).filter((e) => !e.name.startsWith('.') && (e.isDirectory() || (e.isSymbolicLink() && isDir(path.join(root, e.name)))));
    if (folders.length > 0 && !folders.some((e) => isLocaleCode(e.name))) throw notLocaleFolders(root, folders.map((e) => e.name).sort(compare));
    for (const entry of safeReaddir(root)) {
      if (entry.name.startsWith('.')) continue;
      if (entry.isDirectory() || (entry.isSymbolicLink() && isDir(path.join(root, entry.name)))) {
        if (isLocaleCode(entry.name)) roots.push({ locale: entry.name, dir: path.join(root, entry.name) });
        else {
          diagnostics.push(
            diagnostic({ file: entry.name, line: 1, locale: '' }, 'warning', 'docs-unreadable', `\`${entry.name}/\` is not a locale code (such as \`en\` or \`fr-FR\`), so its pages are skipped. Move them into a locale folder, or the folder out of the docs tree.`),
          );
        }
      } else if (entry.name.endsWith('.md')) {
        diagnostics.push(
          diagnostic({ file: entry.name, line: 1, locale: '' }, 'warning', 'docs-unreadable', `\`${entry.name}\` is not inside a locale folder, so its locale is unknown and it is skipped. Move it to \`<locale>/${entry.name}\`.`),
        );
      }
    }
  }
  if (roots.length === 0) {
    throw new UsageError(`no locale folders in \`${root}\`; expected <locale>/<path>.md (e.g. fr-FR/page.md) or content/<path>.md`);
  }

  const files: SourceFile[] = [];
  const budget = { root, realRoot: realpathSync(root), entries: 0 };
  for (const { locale, dir } of roots) {
    for (const abs of walk(dir, budget, locale, diagnostics)) {
      // The site renders no README of its content folders (github/docs leaves them out of its pages).
      if (layout === 'github-docs' && path.basename(abs).toLowerCase() === 'readme.md') continue;
      const file = toPosix(path.relative(root, abs));
      const rel = toPosix(path.relative(dir, abs)).replace(/\.md$/, '');
      const page = rel === 'index' ? '' : rel.replace(/\/index$/, '');
      const text = decode(abs, file, locale, diagnostics);
      if (text !== null) files.push({ file, locale, page, text, crlfSha1: crlfSha1(text) });
    }
  }
  files.sort((a, b) => compare(a.file, b.file));
  // `x.md` and `x/index.md` are the same page: keep the first by path, report the other.
  const byPage = new Map<string, SourceFile>();
  const unique = files.filter((f) => {
    const key = `${f.locale}\n${f.page}`;
    const first = byPage.get(key);
    if (!first) {
      byPage.set(key, f);
      return true;
    }
    diagnostics.push(
      diagnostic({ file: f.file, line: 1, locale: f.locale }, 'error', 'page-duplicate', `\`${f.file}\` is the same page as \`${first.file}\` (\`/${f.page}\`), so it is skipped. Keep one of the two files.`),
    );
    return false;
  });
  const locales = [...new Set(roots.map((r) => r.locale))].sort(compare);
  return {
    root,
    layout,
    locales,
    sourceLocale: locales.includes(SOURCE_LOCALE) ? SOURCE_LOCALE : null,
    files: unique,
    diagnostics,
    site: layout === 'github-docs' ? readSiteData(root, roots, budget) : null,
  };
}

/** The `data/` folder of each locale: variables, reusables and glossaries, as the site renders pages with them. */
function readSiteData(root: string, roots: ReadonlyArray<{ locale: string; data?: string }>, budget: WalkBudget): SiteData {
  const locales = new Map<string, LocaleData>();
  const digest = createHash('sha256');
  for (const { locale, data } of roots) {
    if (!data || !isDir(data)) continue;
    const reusables = new Map<string, Reusable>();
    const reusableDir = path.join(data, 'reusables');
    // Data files are read the way pages are; a data file that cannot be read is the same as a missing one.
    for (const abs of isDir(reusableDir) ? walk(reusableDir, budget, locale, []) : []) {
      const text = decode(abs, toPosix(path.relative(root, abs)), locale, []);
      const key = toPosix(path.relative(reusableDir, abs)).replace(/\.md$/, '').split('/').join('.');
      if (text === null) continue;
      const file = toPosix(path.relative(root, abs));
      reusables.set(key, { file, text });
      digest.update(`${file}\0${text}\0`);
    }
    const variables = readYamlFolder(path.join(data, 'variables'));
    const glossarySources = new Map<string, Reusable>();
    const glossaries = readYamlFolder(path.join(data, 'glossaries'), (name, abs, text) => glossarySources.set(name, { file: toPosix(path.relative(root, abs)), text }));
    digest.update(`${locale}\0${JSON.stringify(variables)}\0${JSON.stringify(glossaries)}\0`);
    locales.set(locale, { variables, reusables, glossaries, glossarySources });
  }
  const source = roots.find((r) => r.locale === SOURCE_LOCALE)?.data;
  const graphqlIds = source ? readGraphqlIds(path.join(source, 'graphql')) : new Map<string, Set<string>>();
  for (const [page, ids] of graphqlIds) digest.update(`${page}\0${[...ids].join('\n')}\0`);
  return { locales, fallback: SOURCE_LOCALE, digest: digest.digest('hex'), ...(graphqlIds.size > 0 ? { graphqlIds } : {}) };
}

/** Largest schema file read (GitHub's is under 1 MB); a larger one is not a schema the site renders pages from. */
const MAX_SCHEMA_BYTES = 32 * 1024 * 1024;

/** The GraphQL reference page each kind of schema definition is listed on. */
const GRAPHQL_PAGES: Partial<Record<DefinitionNode['kind'], string>> = {
  ObjectTypeDefinition: 'objects',
  InterfaceTypeDefinition: 'interfaces',
  EnumTypeDefinition: 'enums',
  UnionTypeDefinition: 'unions',
  InputObjectTypeDefinition: 'input-objects',
  ScalarTypeDefinition: 'scalars',
};

/**
 * The ids the site gives its GraphQL reference pages, from every schema (`*.graphql`, one per
 * version) under `dir`: a type's lower-cased name on the page of its kind, and each field of
 * `Query` and `Mutation` on the queries and mutations pages. A schema that does not parse is left
 * out, as the site could not render it either.
 */
function readGraphqlIds(dir: string): Map<string, Set<string>> {
  const ids = new Map<string, Set<string>>();
  const add = (page: string, id: string) => {
    const key = `graphql/reference/${page}`;
    ids.set(key, (ids.get(key) ?? new Set<string>()).add(id.toLowerCase()));
  };
  // The schema of each version: `schema.docs.graphql`, and one folder down per version.
  const folders = [dir, ...safeReaddir(dir).filter((e) => e.isDirectory()).map((e) => path.join(dir, e.name))];
  const files = folders.flatMap((f) => safeReaddir(f).filter((e) => e.isFile() && e.name.endsWith('.graphql')).map((e) => path.join(f, e.name)));
  if (files.length === 0) return ids;
  // Loaded only for a tree that has schemas (a CommonJS package: a plain require).
  const { parse: parseGraphql } = createRequire(import.meta.url)('graphql') as typeof import('graphql');
  for (const abs of files) {
    let definitions: readonly DefinitionNode[];
    try {
      if (statSync(abs).size > MAX_SCHEMA_BYTES) continue;
      definitions = parseGraphql(readFileSync(abs, 'utf8'), { noLocation: true }).definitions;
    } catch {
      continue;
    }
    for (const d of definitions) {
      if (d.kind === 'ObjectTypeDefinition' && (d.name.value === 'Query' || d.name.value === 'Mutation')) {
        for (const field of d.fields ?? []) add(d.name.value === 'Query' ? 'queries' : 'mutations', field.name.value);
        continue;
      }
      const page = GRAPHQL_PAGES[d.kind];
      if (page && 'name' in d && d.name) add(page, d.name.value);
    }
  }
  return ids;
}

/** A locale code as docs trees name their folders: a language, then an optional script and region (`en`, `fr-FR`, `zh-Hans-CN`, `es-419`). */
export function isLocaleCode(name: string): boolean {
  return /^[a-z]{2,3}(?:-[A-Z][a-z]{3})?(?:-(?:[A-Za-z]{2}|\d{3}))?$/.test(name);
}

/**
 * Why a folder none of whose folders is a locale code is not a docs tree, and the `--docs` meant:
 * the `content/` folder of a github/docs checkout (English pages, `data/` or `translations/`
 * beside it) or one locale's folder stand for their parent.
 */
function notLocaleFolders(root: string, folders: readonly string[]): UsageError {
  const parent = path.dirname(root);
  const name = path.basename(path.resolve(root));
  const listed = `${folders.slice(0, 3).map((f) => `\`${f}\``).join(', ')}${folders.length > 3 ? ', …' : ''}`;
  // A translation's content folder (`translations/<locale>/content`) stands for the checkout three folders up.
  const translation = isLocaleCode(path.basename(path.resolve(root, '..'))) && path.basename(path.resolve(root, '..', '..')) === 'translations';
  if (name === 'content' && (translation || isDir(path.join(root, '..', 'data')) || isDir(path.join(root, '..', 'translations')))) {
    const checkout = translation ? path.dirname(path.dirname(parent)) : parent;
    return new UsageError(`\`${root}\` is a content folder of a github/docs checkout, not a folder of locale folders; did you mean \`--docs=${checkout}\`? (its English pages are read from content/, each translation from translations/<locale>/content/)`);
  }
  const meant = isLocaleCode(name) ? `; did you mean \`--docs=${parent}\`? (\`${name}\` is one locale's folder)` : '';
  return new UsageError(`no locale folders in \`${root}\`: its folders (${listed}) are not locale codes such as \`en\` or \`fr-FR\`${meant}; expected <locale>/<path>.md (e.g. fr-FR/page.md) or a github/docs checkout (content/<path>.md)`);
}

/** Every `<name>.yml` of a folder, parsed, by name; one that does not parse is left out (the site would not render it either). */
function readYamlFolder(dir: string, onRead?: (name: string, abs: string, text: string) => void): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const entry of safeReaddir(dir)) {
    if (!entry.name.endsWith('.yml')) continue;
    try {
      const abs = path.join(dir, entry.name);
      const text = readFileSync(abs, 'utf8');
      out[entry.name.slice(0, -4)] = parseYaml(text);
      onRead?.(entry.name.slice(0, -4), abs, text);
    } catch {
      // skipped: see above
    }
  }
  return out;
}

/** SHA-1 of a text after converting its line endings to CRLF: what `ms.openlocfilehash` records. */
export function crlfSha1(text: string): string {
  return createHash('sha1').update(text.replace(/\r?\n/g, '\r\n'), 'utf8').digest('hex');
}

function toPosix(p: string): string {
  return p.split(path.sep).join('/');
}

function isDir(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

function listDirs(dir: string): string[] {
  return safeReaddir(dir)
    .filter((e) => !e.name.startsWith('.') && isDir(path.join(dir, e.name)))
    .map((e) => e.name)
    .sort(compare);
}

function safeReaddir(dir: string) {
  try {
    return readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
}

/**
 * Most files and folders a docs tree may hold, and how deep its folders may go: a checkout of
 * github/docs has some 20 000 pages and a dozen levels. A walk that goes past these was pointed at
 * something else (`--docs=/`), and stops instead of reading the whole file system.
 */
export const MAX_TREE_ENTRIES = 200_000;
export const MAX_FOLDER_DEPTH = 64;

/** What every walk of one docs tree shares: where the tree really is, and how many entries were seen. */
interface WalkBudget {
  root: string;
  realRoot: string;
  entries: number;
}

/**
 * All `.md` files under dir, following symlinks that stay inside the docs tree, each folder once
 * (a loop, or a link leading out of the tree, is reported, not followed). Files that are not pages
 * are not looked at beyond their name.
 */
function walk(dir: string, budget: WalkBudget, locale: string, diagnostics: Diagnostic[]): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  const rel = (p: string) => toPosix(path.relative(budget.root, p));
  const inside = (real: string) => real === budget.realRoot || real.startsWith(budget.realRoot.endsWith(path.sep) ? budget.realRoot : budget.realRoot + path.sep);
  const visitDir = (current: string, depth: number) => {
    if (depth > MAX_FOLDER_DEPTH) throw new UsageError(`\`${rel(current)}\` is more than ${MAX_FOLDER_DEPTH} folders deep in \`${budget.root}\`, which is not a docs tree; pass --docs=DIR with a docs folder`);
    let real: string;
    try {
      real = realpathSync(current);
    } catch (error) {
      diagnostics.push(unreadable(rel(current), locale, error, 'a folder'));
      return;
    }
    if (!inside(real)) {
      diagnostics.push(outside(rel(current), locale));
      return;
    }
    if (seen.has(real)) {
      diagnostics.push(
        diagnostic({ file: rel(current), line: 1, locale }, 'warning', 'docs-unreadable', `\`${rel(current)}\` leads back to a folder already read (a symlink loop); it is skipped. Remove the link or point it elsewhere.`),
      );
      return;
    }
    seen.add(real);
    let entries;
    try {
      entries = readdirSync(current, { withFileTypes: true });
    } catch (error) {
      diagnostics.push(unreadable(rel(current), locale, error, 'a folder'));
      return;
    }
    budget.entries += entries.length;
    if (budget.entries > MAX_TREE_ENTRIES) throw new UsageError(`\`${budget.root}\` holds more than ${MAX_TREE_ENTRIES} files and folders, which is not a docs tree; pass --docs=DIR with a docs folder`);
    for (const entry of entries.sort((a, b) => compare(a.name, b.name))) {
      if (entry.name.startsWith('.')) continue;
      const full = path.join(current, entry.name);
      const page = entry.name.endsWith('.md');
      let isDirectory = entry.isDirectory();
      let isFile = entry.isFile();
      if (entry.isSymbolicLink()) {
        try {
          const target = statSync(full);
          isDirectory = target.isDirectory();
          isFile = target.isFile();
          // A page linked from outside the tree is not read: its text would be quoted in findings.
          if (page && !isDirectory && !inside(realpathSync(full))) {
            diagnostics.push(outside(rel(full), locale));
            continue;
          }
        } catch (error) {
          // A dangling link is a problem only where a page was meant to be.
          if (page) diagnostics.push(unreadable(rel(full), locale, error, 'a link'));
          continue;
        }
      }
      if (isDirectory) visitDir(full, depth + 1);
      else if (page) {
        if (isFile) out.push(full);
        else {
          diagnostics.push(
            diagnostic({ file: rel(full), line: 1, locale }, 'warning', 'docs-unreadable', `\`${rel(full)}\` is not a regular file (a pipe, socket or device); it is skipped. Replace it with the page's text.`),
          );
        }
      }
    }
  };
  visitDir(dir, 0);
  return out;
}

function outside(file: string, locale: string): Diagnostic {
  return diagnostic({ file, line: 1, locale }, 'warning', 'docs-unreadable', `\`${file}\` is a symlink leading out of the docs tree; it is skipped. Copy what it points at into the tree, or remove the link.`);
}

function unreadable(file: string, locale: string, error: unknown, what: string): Diagnostic {
  const code = (error as NodeJS.ErrnoException).code ?? 'error';
  const hint =
    code === 'EACCES' ? 'give the reader permission' : code === 'ELOOP' ? 'break the symlink loop' : code === 'ENOENT' ? 'fix or remove the dangling link' : 'check the file system';
  return diagnostic({ file, line: 1, locale }, 'error', 'docs-unreadable', `\`${file}\` (${what}) cannot be read (${code}); ${hint}.`);
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Reads a file as UTF-8 text, or reports why it is not a page. */
function decode(abs: string, file: string, locale: string, diagnostics: Diagnostic[]): string | null {
  const place = { file, line: 1, locale };
  let bytes: Buffer;
  try {
    const size = statSync(abs).size;
    if (size > MAX_PAGE_BYTES) {
      diagnostics.push(
        diagnostic(place, 'error', 'file-not-text', `\`${file}\` is ${(size / 1048576).toFixed(1)} MiB, over the ${MAX_PAGE_BYTES / 1048576} MiB a page may have; it is skipped. Split it or move it out of the docs tree.`),
      );
      return null;
    }
    // Non-blocking, so that a file that only looks regular (`/proc/kmsg`) fails with EAGAIN instead of
    // waiting forever; regular files read as usual.
    const fd = openSync(abs, constants.O_RDONLY | constants.O_NONBLOCK);
    try {
      bytes = readFileSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch (error) {
    diagnostics.push(unreadable(file, locale, error, 'a page'));
    return null;
  }
  if (bytes.includes(0)) {
    diagnostics.push(diagnostic(place, 'error', 'file-not-text', `\`${file}\` holds NUL bytes: it is binary, not a Markdown page. Remove it or rename it away from \`.md\`.`));
    return null;
  }
  try {
    return utf8.decode(bytes);
  } catch {
    const bad = firstInvalidUtf8(bytes);
    const line = bytes.subarray(0, bad).filter((b) => b === 10).length + 1;
    diagnostics.push(
      diagnostic({ ...place, line }, 'error', 'file-not-text', `\`${file}\` is not valid UTF-8 (first bad byte at offset ${bad}); it is skipped. Re-save it as UTF-8.`),
    );
    return null;
  }
}

/** Offset of the first byte that does not belong to a well-formed UTF-8 sequence. */
function firstInvalidUtf8(bytes: Buffer): number {
  for (let i = 0; i < bytes.length; ) {
    const b = bytes[i] ?? 0;
    const size = b < 0x80 ? 1 : b >= 0xc2 && b < 0xe0 ? 2 : b >= 0xe0 && b < 0xf0 ? 3 : b >= 0xf0 && b < 0xf5 ? 4 : 0;
    if (size === 0) return i;
    try {
      utf8.decode(bytes.subarray(i, i + size));
    } catch {
      return i;
    }
    i += size;
  }
  return bytes.length;
}

/** The recipes file as read: its name for messages (relative to the working directory) and its text. */
export interface RecipesInput {
  file: string;
  text: string;
}

/** Reads the recipes file; one that cannot be read is a usage error. */
export function readRecipes(file: string): RecipesInput {
  try {
    return { file: path.relative(process.cwd(), file) || file, text: readFileSync(file, 'utf8') };
  } catch {
    throw new UsageError(`recipes file \`${file}\` cannot be read; pass --recipes=FILE (see the README, "Endpoint profiles")`);
  }
}
