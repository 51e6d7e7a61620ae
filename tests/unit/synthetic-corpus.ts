/**
 * A synthetic docs tree for the tests that need many pages: N pages × L locales of made-up widget error pages,
 * the same for the same options on every machine (fixed-seed generator), with the
 * request recipes of every synthetic error code, so the whole pipeline runs on it. As in a
 * real API's docs, error codes repeat across pages: page i documents `widget_<verb>_<i mod 100>`
 * codes, so the recipes file (one recipe per code, as recipes are keyed) stays the size of a
 * real one however many pages there are.
 */

/** What to generate. */
export interface CorpusOptions {
  pages: number;
  locales: number;
  /** Seed of the generator; the same seed gives the same bytes. */
  seed?: number;
}

/** One page of one locale. */
export interface CorpusFile {
  /** Path relative to the docs root, e.g. `qa-QA/widgets/w0042-errors.md`. */
  file: string;
  text: string;
}

/** A generated corpus, in memory. */
export interface Corpus {
  files: CorpusFile[];
  /** Locale codes; the first is the source locale `en`. */
  locales: string[];
  /** Request recipes (YAML text) with one recipe per synthetic error code. */
  recipes: string;
  /** Number of documented error responses (one per error section of a page): the cases generate makes. */
  documented: number;
  /** Number of distinct error codes: the recipes. */
  codes: number;
  /** Sum of the UTF-8 sizes of every page. */
  bytes: number;
}

/** Default seed: any fixed number will do. */
export const DEFAULT_SEED = 20240611;

const VERBS = ['jam', 'stall', 'leak', 'squeak', 'wobble', 'overheat', 'rattle', 'drift', 'seize', 'fizz'];
const NOUNS = ['sprocket', 'flange', 'gizmo', 'doohickey', 'cog', 'lever', 'valve', 'spindle'];
const WORDS = ['lorem', 'ipsum', 'dolor', 'sit', 'amet', 'widget', 'frobnicate', 'quux', 'baz', 'synthetic', 'placeholder', 'example', 'sample', 'token', 'request', 'answer'];
/** Error codes of one verb: page i documents the code numbered i mod this. */
export const CODES_PER_VERB = 100;

const DATA_REFS = ['variables.product.prodname_widget', 'variables.product.widget_name', 'reusables.widgets.synthetic-note'];

/** Locale codes of a corpus: `en` first, then private-use codes that no real docs use. */
export function corpusLocales(count: number): string[] {
  const out = ['en'];
  for (let i = 0; out.length < count; i++) {
    const a = String.fromCharCode(97 + (i % 26));
    out.push(`q${a}-Q${a.toUpperCase()}`);
  }
  return out.slice(0, Math.max(1, count));
}

/** Page identity of page `i`, e.g. `widgets/w0042-errors`. */
export function pagePath(i: number, pages: number): string {
  return `widgets/w${String(i).padStart(Math.max(4, String(pages - 1).length), '0')}-errors`;
}

/** Mulberry32: a tiny seeded generator; good enough for varied but reproducible text. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface PagePlan {
  path: string;
  /** Error codes, one per error section. */
  errors: string[];
  verbs: string[];
  /** Whether the page has a JSON request example that is not an error response. */
  requestExample: boolean;
  /** Index of a page it links to. */
  seeAlso: number;
  /** Lorem text per section (shared by every locale, prefixed per locale). */
  prose: string[];
  title: string;
}

/** Builds the corpus in memory. */
export function makeCorpus(options: CorpusOptions): Corpus {
  const next = random(options.seed ?? DEFAULT_SEED);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)] as T;
  const words = (n: number) => Array.from({ length: n }, () => pick(WORDS)).join(' ');
  const locales = corpusLocales(options.locales);

  const plans: PagePlan[] = [];
  for (let i = 0; i < options.pages; i++) {
    const sections = 3 + Math.floor(next() * 4); // 3–6 sections: one intro, the rest document an error each
    const verbs = [...VERBS].sort(() => next() - 0.5).slice(0, sections - 1);
    plans.push({
      path: pagePath(i, options.pages),
      errors: verbs.map((v) => `widget_${v}_${i % CODES_PER_VERB}`),
      verbs,
      requestExample: next() < 0.25,
      seeAlso: Math.floor(next() * options.pages),
      prose: Array.from({ length: sections }, () => `${words(18 + Math.floor(next() * 20))}.`),
      title: `Troubleshooting ${pick(NOUNS)} widget ${i} errors`,
    });
  }

  const files: CorpusFile[] = [];
  let bytes = 0;
  for (const locale of locales) {
    for (const plan of plans) {
      const text = pageText(plan, locale, plans, options.pages);
      bytes += Buffer.byteLength(text);
      files.push({ file: `${locale}/${plan.path}.md`, text });
    }
  }
  const documented = plans.reduce((n, p) => n + p.errors.length, 0);
  const codes = [...new Set(plans.flatMap((p) => p.errors))].sort();
  return { files, locales, recipes: recipesText(codes), documented, codes: codes.length, bytes };
}

function pageText(plan: PagePlan, locale: string, plans: readonly PagePlan[], pages: number): string {
  const source = locale === 'en';
  const tr = (s: string) => (source ? s : `(${locale}) ${s}`);
  const other = plans[plan.seeAlso] ?? plan;
  const firstError = other.errors[0] ?? '';
  const out: string[] = [
    '---',
    `title: ${tr(plan.title)}`,
    `intro: '{% data reusables.widgets.synthetic-intro %}'`,
    'redirect_from:',
    `  - /widgets/legacy/${plan.path.split('/').pop()}`,
    'versions:',
    "  fpt: '*'",
    "  ghes: '*'",
    'topics:',
    '  - Synthetic widgets',
    `shortTitle: ${tr('Widget errors')}`,
    ...(source ? [] : [`ms.contentlocale: ${locale}`]),
    '---',
    '{% note %}',
    '',
    tr(`**Note:** a synthetic page for benchmarks; {% data ${DATA_REFS[0]} %} does not exist.`),
    '',
    '{% endnote %}',
    '',
    `## ${tr('About these errors')}`,
    '',
    tr(plan.prose[0] ?? ''),
    '',
    tr(`See also [${other.path}](/${other.path}#${firstError.replace(/_/g, '-')}) and \`${firstError}\`.`),
    '',
  ];
  if (plan.requestExample) {
    out.push('```json', '{', '  "widget": "w0000",', '  "note": "a request body, not an error"', '}', '```', '');
  }
  plan.errors.forEach((error, k) => {
    const verb = plan.verbs[k] ?? '';
    const heading = `Widget ${verb} ${error.split('_').pop() ?? ''}`;
    out.push(
      `## ${tr(heading)}`,
      '',
      tr(`If the widget tends to ${verb}, you receive \`${error}\`. ${plan.prose[k + 1] ?? ''}`),
      '',
      '```json',
      '{',
      `  "error": "${error}",`,
      `  "error_description": "The widget would ${verb}; synthetic description ${k}.",`,
      `  "error_uri": "/${plan.path}#${error.replace(/_/g, '-')}"`,
      '}',
      '```',
      '',
      `{% ifversion ghes %}`,
      tr(`On {% data ${DATA_REFS[1 + (k % 2)]} %}, see [the widget list](/widgets/w${'0'.repeat(Math.max(4, String(pages - 1).length))}-errors).`),
      '{% endif %}',
      '',
    );
  });
  return `${out.join('\n')}\n`;
}

/** One recipe per synthetic error code, against a made-up token endpoint. */
export function recipesText(errors: readonly string[]): string {
  const faults = ['client-credentials', 'redirect-uri', 'code'];
  const lines = ['# Synthetic recipes for the benchmark corpus.', 'endpoint:', '  method: POST', '  path: /widgets/token', 'errors:'];
  errors.forEach((error, i) => {
    lines.push(`  ${error}:`, `    fault: ${faults[i % faults.length]}`, '    form:', '      client_id: "{{client_id}}"', '      code: "{{random}}"');
  });
  return `${lines.join('\n')}\n`;
}
