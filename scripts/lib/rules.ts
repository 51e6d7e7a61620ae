/**
 * Every diagnostic rule, by stable kebab-case id, with its one-line description.
 * The README lists this table; tests and baselines refer to the ids, so never rename one.
 */
export const RULES = {
  // Reading the docs tree
  'docs-unreadable': 'A file or folder of the docs tree cannot be read (permissions, a symlink loop, not a file).',
  'file-not-text': 'A `.md` file is not UTF-8 text (binary, invalid UTF-8, or too large to be a page).',
  'page-duplicate': 'Two files of one locale are the same page (`<path>.md` and `<path>/index.md`); the second is skipped.',
  'locale-mismatch': "Front-matter `ms.contentlocale` differs from the locale of the folder the page is in.",

  // One page, one locale
  'yaml-syntax': 'The YAML front-matter does not parse.',
  'frontmatter-type': 'A known front-matter key has the wrong type (e.g. `redirect_from` not a list of strings).',
  'frontmatter-unknown-key': 'A front-matter key GitHub docs does not know (`ms.*` keys are allowed).',
  'nesting-too-deep': 'Blockquotes, lists or inline markup nest deeper than a page may (16 containers on a line, 64 levels in all); the page, or what is deeper, is not read.',
  'page-too-complex': 'A page has a shape the Markdown parser takes super-linear time over (paragraphs crowded with emphasis and bracket markers, thousands of nested list lines); it is not read.',
  'unterminated-fence': 'A code fence is never closed, so the rest of the page (or of the list item or blockquote it is in) is swallowed by it; a closing fence left outside its item is named, and the block it opens is not reported again.',
  'json-syntax': 'A ```json block does not parse; the message gives the parser\'s reason.',
  'json-not-strict': 'A ```json block that is not an error example holds comments or `...` placeholders, or is an excerpt (members without their object, an object left open) (a warning: the fence could say `jsonc`).',
  'json-not-response': 'A ```json block is not an error response (no string `error` member); it is not part of the contract.',
  'error-example-fields': 'An error response example lacks `error_description` or `error_uri`, or one is not a string.',
  'duplicate-response': 'The same error code is documented twice on one page of one locale.',
  'error-uri-invalid': 'An `error_uri` is not a relative docs path or URL with a `#fragment`.',
  'liquid-unbalanced': 'A Liquid block tag (`note`, `ifversion`, `raw`, …) is not closed, or is closed without being opened.',
  'liquid-unknown-tag': 'A Liquid tag name that GitHub docs does not use.',
  'liquid-data-malformed': 'A `{% data %}` tag whose reference is not a dotted path such as `variables.product.product_name`.',
  'link-not-absolute': 'An internal link does not start with `/` (relative links break across versions and locales).',

  // Anchors
  'missing-anchor': 'An `error_uri` or link `#fragment` matches no heading of the page it points to (a reference-style link at its definition, which says so when no link uses it).',
  'anchor-wrong-section': "An `error_uri` fragment names a heading, but not the one that documents that error.",
  'anchor-unverifiable': 'An `error_uri` or link points at a page that is not in the docs tree, so its anchor cannot be checked.',

  // Across locales
  'response-disagrees': 'Locales document different bodies for the same error of the same page.',
  'response-missing': 'An error documented in one locale of a page is missing from another locale of it.',
  'frontmatter-disagrees': 'Non-translatable front-matter (`redirect_from`, `versions`, `topics`) differs between locales (a release written with its plan\'s prefix, `ghae: ghae-next`, is the same as `ghae: next`).',
  'sections-misaligned': 'The h2–h4 headings of a translation do not line up with the other locale (count or levels).',
  'json-disagrees': 'Aligned sections carry different JSON blocks.',
  'data-refs-disagree': 'Aligned sections carry different `{% data %}` references.',
  'links-disagree': 'Aligned sections link to different targets.',
  'identifier-missing': 'An identifier (code span or snake_case word) of a section is absent from its translation.',
  'translation-stale': '`ms.openlocfilehash` is not the SHA-1 of the current source file: the translation is out of date.',
  'staleness-unchecked': 'Whether a translation is current cannot be checked: no source locale, no source page, or no `ms.openlocfilehash`.',

  // Baseline of accepted findings
  'baseline-stale': 'An entry of the validate baseline matches no finding any more: the problem was fixed or its message changed.',

  // Recipes
  'recipe-missing': 'A documented error has no request recipe, so no test can trigger it.',
  'recipe-unused': 'A request recipe names an error that no page documents.',
  'recipe-invalid': 'The request recipes file is malformed.',
} as const satisfies Record<string, string>;

/**
 * Rules of findings about the generated files rather than the docs: drift's, which only its
 * SARIF output carries as findings (its text output is the difference itself).
 */
export const GENERATED_RULES = {
  'generated-stale': 'A generated file under `schemas/` or `tests/fixtures/` differs from what the docs produce now, is missing, or is no longer produced.',
} as const satisfies Record<string, string>;

/** A rule id. */
export type RuleId = keyof typeof RULES | keyof typeof GENERATED_RULES;
