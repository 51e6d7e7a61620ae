/** Shared helpers of the unit tests: temp docs trees and one-call pipeline runs. */
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after } from 'node:test';
import { validate, type Validation } from '../../scripts/lib/checks/index.ts';
import { parsePage } from '../../scripts/lib/parse.ts';
import { buildFrom, loadTree, type Built, type Loaded } from '../../scripts/lib/pipeline.ts';
import { crlfSha1, readDocsTree, type DocsTree, type RecipesInput } from '../../scripts/lib/read.ts';

/** Every stage of the pipeline over one tree: what was loaded (also whole, as `loaded`), and what was built from it; `diagnostics` are every stage's. */
export type PipelineResult = Loaded & { loaded: Loaded; build: Built };

/** Runs the pipeline's one path over a tree that has been read, with no cache; `diagnostics` are every stage's. */
export function runPipeline(tree: DocsTree, recipes: RecipesInput): PipelineResult {
  const loaded = loadTree(tree, { cache: null }, parsePage);
  const build = buildFrom(loaded, recipes);
  return { ...loaded, loaded, build, diagnostics: build.diagnostics };
}

/** The docs checks over a tree that has been read, with no cache: what the tests of the checks call. */
export function validateTree(tree: DocsTree): Validation {
  return validate(loadTree(tree, { cache: null }, parsePage));
}

/** The repository's own profiles, for pipelines over synthetic docs that reuse its error codes. */
export const REPO_RECIPES = readFileSync('tests/profiles.yaml', 'utf8');

/** The faults of the synthetic widget profiles, as a profiles file defines them. */
export const WIDGET_FAULTS = `faults:
  wrong-widget-secret:
    kind: credential
    fields: {client_id: client_id, client_secret: client_secret}
  unissued-widget-code:
    kind: unknown-value
    field: code
    known: issued-code
`;

/** Profiles for the synthetic `widget_*` errors used throughout the tests: one endpoint, any page. */
export const WIDGET_RECIPES = `${WIDGET_FAULTS}endpoints:
  widgets:
    method: POST
    path: /widgets/token
    errors:
      widget_jammed:
        fault: wrong-widget-secret
        form:
          client_id: "{{client_id}}"
          client_secret: "wrong-{{random}}"
      widget_missing:
        fault: unissued-widget-code
        form:
          client_id: "{{client_id}}"
          client_secret: "{{client_secret}}"
          code: "{{random}}"
          redirect_uri: "{{callback_url?}}"
`;

/** Writes files (path → text or bytes) into a fresh temp folder, removed after the test file. */
export function makeTree(files: Record<string, string | Uint8Array>): string {
  const root = mkdtempSync(path.join(tmpdir(), 'docs-contract-test-'));
  after(() => rmSync(root, { recursive: true, force: true }));
  for (const [rel, content] of Object.entries(files)) {
    const abs = path.join(root, rel);
    mkdirSync(path.dirname(abs), { recursive: true });
    writeFileSync(abs, content);
  }
  return root;
}

/** Reads and runs the whole pipeline over files given inline. */
export function pipelineOf(files: Record<string, string | Uint8Array>, recipes = WIDGET_RECIPES): PipelineResult {
  const root = makeTree(files);
  return runPipeline(readDocsTree(root), { file: 'recipes.yaml', text: recipes });
}

/** Parses one page given inline. */
export function parseOne(text: string, file = 'en/widgets/frobnicate-errors.md') {
  return parsePage({ file, locale: file.split('/')[0] ?? 'en', page: 'widgets/frobnicate-errors', text, crlfSha1: crlfSha1(text) });
}

/** A synthetic error-documentation page. `sections` are [heading, error code, anchor] triples. */
export function widgetPage(options: {
  locale?: string;
  title?: string;
  sections?: Array<[string, string, string]>;
  description?: (error: string) => string;
  extraFrontMatter?: string;
  page?: string;
}): string {
  const page = options.page ?? 'widgets/frobnicate-errors';
  const sections = options.sections ?? [
    ['Widget jammed', 'widget_jammed', 'widget-jammed'],
    ['Widget missing', 'widget_missing', 'widget-missing'],
  ];
  const description = options.description ?? ((e: string) => `The ${e.replace(/_/g, ' ')} happened.`);
  const body = sections
    .map(
      ([heading, error, anchor]) => `## ${heading}

Synthetic prose about ${error}.

\`\`\`json
{
  "error": "${error}",
  "error_description": "${description(error)}",
  "error_uri": "/${page}#${anchor}"
}
\`\`\`
`,
    )
    .join('\n');
  return `---
title: ${options.title ?? 'Frobnicate widget errors'}
redirect_from:
  - /widgets/old-frobnicate-errors
versions:
  fpt: '*'
${options.extraFrontMatter ?? ''}---
Synthetic page for tests.

${body}`;
}

/** A page with one warning (a JSON block that is not an error response) and no error. */
export const WARNING_PAGE = `---
title: Frobnicate widget errors
versions:
  fpt: '*'
---
## Widget jammed

\`\`\`json
{"error": "widget_jammed", "error_description": "The widget is jammed.", "error_uri": "/widgets/frobnicate-errors#widget-jammed"}
\`\`\`

\`\`\`json
{"add_widgets": ["one"]}
\`\`\`
`;

/**
 * Text output as a command run from here prints it for the docs in `root`: the docs file a line
 * starts with (`<locale>/….md:L:C: `) named from the working folder; other lines as they are.
 */
export function fromCwd(root: string, text: string): string {
  const prefix = path.relative(process.cwd(), root).split(path.sep).join('/');
  return text
    .split('\n')
    .map((line) => (/^[^\s:]+\.md:\d+:\d+: /.test(line) ? `${prefix}/${line}` : line))
    .join('\n');
}
