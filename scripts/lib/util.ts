/**
 * Small helpers every part of the project shares, defined once: the repository root and the
 * default paths in it, the usage error, record and regular-expression helpers.
 */
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (where package.json is). */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Default docs folder, relative to the repository. */
export const DOCS_DIR = 'docs';

/** Default endpoint profiles file, relative to the repository. */
export const RECIPES_FILE = 'tests/profiles.yaml';

/** Where generated cases are written, relative to the repository. */
export const CASES_FILE = 'tests/fixtures/cases.json';

/** The committed baseline of accepted findings, relative to the repository. */
export const BASELINE_FILE = 'tests/docs-baseline.yaml';

/** Where every command that parses keeps its cache unless told otherwise, relative to the working directory. */
export const DEFAULT_CACHE_DIR = 'node_modules/.cache/docs-contract';

/** How a command prints its findings. */
export type Format = 'text' | 'json' | 'github' | 'sarif';

/** The formats every reporting command accepts. */
export const FORMATS: readonly Format[] = ['text', 'json', 'github', 'sarif'];

/** A mistake in how a command was called or what it was pointed at: reported in one line, exit code 2, never a stack. */
export class UsageError extends Error {}

/** Whether a value is a plain JSON object (not null, not an array). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Whether a value is a list of strings. */
export function isStrings(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((v) => typeof v === 'string');
}

/** A string with every regular-expression metacharacter escaped, to match it literally. */
export function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * `mkdir -p`, one level at a time. Node's own `mkdirSync(dir, { recursive: true })` never returns
 * for some paths (under `/proc`, where mkdir answers ENOENT for a parent that exists); this throws
 * the first error instead.
 */
export function makeDirs(dir: string): void {
  const missing: string[] = [];
  for (let at = path.resolve(dir); !existsSync(at); at = path.dirname(at)) {
    missing.push(at);
    if (path.dirname(at) === at) break;
  }
  for (const level of missing.reverse()) mkdirSync(level);
}

/** What a data file a page renders text from is, for messages: a glossary (`data/glossaries/*.yml`) or a reusable. */
export function dataKind(file: string): 'glossary' | 'reusable' {
  return /(?:^|\/)data\/glossaries\//.test(file) ? 'glossary' : 'reusable';
}
