/**
 * Staleness of translations: `ms.openlocfilehash` records the SHA-1 of the CRLF form of the
 * source file a translation was made from; when it is not the current source's, the translation
 * is out of date. Without a source locale this cannot be known, and is said once.
 */
import { compare } from '../diagnostics.ts';
import type { PageModel } from '../model.ts';
import { finding, type Finding } from './types.ts';

const HASH_KEY = 'ms.openlocfilehash';

/** Checks every translation's `ms.openlocfilehash` against its source page. */
export function checkStaleness(models: readonly PageModel[], sourceLocale: string | null): Finding[] {
  const out: Finding[] = [];
  const hashed = models.filter((m) => typeof m.frontMatter?.[HASH_KEY] === 'string');
  const placeOf = (m: PageModel) => ({ file: m.file, line: m.frontMatterKeyLines[HASH_KEY] ?? m.frontMatterLine ?? 1, locale: m.locale });

  if (sourceLocale === null) {
    const first = [...hashed].sort((a, b) => compare(a.file, b.file))[0];
    if (first) {
      out.push(
        finding(
          placeOf(first),
          'warning',
          'staleness-unchecked',
          `There is no source locale in the docs tree, so whether the translations are current cannot be checked (\`${HASH_KEY}\` is the SHA-1 of the source file each was translated from). Add the source pages (\`content/…\` in the github/docs layout, or an \`en/\` folder) to check it.`,
          [...new Map(hashed.filter((m) => m.locale !== first.locale).map((m) => [m.locale, placeOf(m)])).values()],
        ),
      );
    }
    return out;
  }

  const sources = new Map(models.filter((m) => m.locale === sourceLocale).map((m) => [m.page, m]));
  // Translations without the key are said once per locale: whole trees may lack it.
  const unhashed = new Map<string, Array<{ model: PageModel; source: PageModel }>>();
  for (const model of [...models].sort((a, b) => compare(a.file, b.file))) {
    if (model.locale === sourceLocale || model.frontMatter === null) continue;
    const source = sources.get(model.page);
    const hash = model.frontMatter[HASH_KEY];
    if (!source) {
      out.push(
        finding(placeOf(model), 'warning', 'staleness-unchecked', `This page has no ${sourceLocale} source (\`${model.page}\`), so whether this translation is current cannot be checked; add the source page, or remove the translation if the page was deleted.`),
      );
    } else if (typeof hash !== 'string') {
      unhashed.set(model.locale, [...(unhashed.get(model.locale) ?? []), { model, source }]);
    } else if (hash.toLowerCase() !== source.crlfSha1) {
      out.push(
        finding(placeOf(model), 'warning', 'translation-stale', `This translation is out of date: \`${HASH_KEY}\` is \`${hash}\`, but the ${sourceLocale} source ${source.file} now hashes to \`${source.crlfSha1}\` (SHA-1 of its CRLF form). Update the translation from the source, then set \`${HASH_KEY}: ${source.crlfSha1}\`.`, [{ file: source.file, line: 1, locale: sourceLocale }]),
      );
    }
  }
  for (const [locale, list] of unhashed) {
    const [first, ...rest] = list;
    if (!first) continue;
    const others = rest.length === 0 ? '' : rest.length === 1 ? ` (nor does 1 other ${locale} page)` : ` (nor do ${rest.length} other ${locale} pages)`;
    out.push(
      finding(placeOf(first.model), 'warning', 'staleness-unchecked', `This translation has no \`${HASH_KEY}\`${others}, so whether it is current cannot be checked; record the SHA-1 of the CRLF form of the ${sourceLocale} source it was translated from (the current ${first.source.file} is \`${first.source.crlfSha1}\`).`, [{ file: first.source.file, line: 1, locale: sourceLocale }]),
    );
  }
  return out;
}
