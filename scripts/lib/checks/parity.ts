/**
 * Parity across locales of one page: non-translatable front-matter, the h2–h4 outline, and what
 * each aligned section carries (JSON blocks, `{% data %}` references, link targets, identifiers).
 *
 * With a source locale every translation is compared with it: what it lacks and what it adds.
 * Without one, locales are compared with each other: the outline and front-matter most locales
 * share is the reference, and a section lacking what another locale's section has is reported,
 * naming the locales that have it.
 */
import { takesSourceId } from '../anchors.ts';
import { describeDifference } from '../contract.ts';
import { compare, where, type Place, type Related } from '../diagnostics.ts';
import { normalizeDocsPath } from '../error-uri.ts';
import type { PageModel, Section } from '../model.ts';
import type { Reusable } from '../render.ts';
import type { RuleId } from '../rules.ts';
import { canonicalJson } from '../stable-json.ts';
import { dataKind, isRecord } from '../util.ts';
import { finding, listOf, type Finding } from './types.ts';

/** What the parity checks need besides the models. */
export interface ParityOptions {
  sourceLocale: string | null;
  /** The page a docs path leads to (through its permalinks and `redirect_from`), so that two paths to one page are one target. */
  pageOf?: (path: string) => string | undefined;
  /** The same reusable in another locale (`data/reusables/a.md` → `translations/xx-XX/data/reusables/a.md`), or null when that locale has none of its own. */
  reusableTwin?: (file: string, locale: string) => Reusable | null;
}

/** Front-matter keys that translations must not change. */
export const NON_TRANSLATABLE = ['redirect_from', 'versions', 'topics'] as const;

/** Checks every page that exists in more than one locale. */
export function checkParity(models: readonly PageModel[], options: ParityOptions): Finding[] {
  const out: Finding[] = [];
  const byPage = new Map<string, PageModel[]>();
  for (const m of models) byPage.set(m.page, [...(byPage.get(m.page) ?? []), m]);
  for (const group of byPage.values()) {
    if (group.length < 2) continue;
    const sorted = [...group].sort((a, b) => (a.locale === options.sourceLocale ? -1 : b.locale === options.sourceLocale ? 1 : compare(a.locale, b.locale)));
    out.push(...frontMatterParity(sorted, options.sourceLocale));
    const positions = new Map(sorted.map((m) => [m, positionsOf(m, options.pageOf)]));
    const orders = new Map<PageModel, number[]>();
    const aligned = outlineParity(sorted, options.sourceLocale, out, positions, orders);
    out.push(...contentParity(aligned, options, positions, orders));
  }
  // A reusable is rendered by many pages: what is found in it is said once.
  const seen = new Set<string>();
  return out.filter((f) => {
    const key = `${f.file}\u0000${f.line}\u0000${f.column}\u0000${f.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Models whose key differs from the reference, with the reference models. */
interface Deviation {
  model: PageModel;
  reference: PageModel[];
}

/**
 * The reference among models keyed by some value: the source locale's when present, else the
 * value most locales share (ties go to the earliest locale). `items` are sorted source first.
 */
function deviations(items: ReadonlyArray<{ model: PageModel; key: string }>, sourceLocale: string | null): Deviation[] {
  const source = items.find((i) => i.model.locale === sourceLocale);
  if (source) return items.filter((i) => i.key !== source.key).map((i) => ({ model: i.model, reference: [source.model] }));
  const groups = new Map<string, PageModel[]>();
  for (const i of items) groups.set(i.key, [...(groups.get(i.key) ?? []), i.model]);
  let best: PageModel[] = [];
  for (const g of groups.values()) if (g.length > best.length) best = g;
  const bestKey = items.find((i) => i.model === best[0])?.key;
  return items.filter((i) => i.key !== bestKey).map((i) => ({ model: i.model, reference: best }));
}

const names = (models: readonly PageModel[]) => listOf(models.map((m) => m.locale));
const has = (models: readonly PageModel[]) => (models.length === 1 ? 'has' : 'have');

function frontMatterParity(group: readonly PageModel[], sourceLocale: string | null): Finding[] {
  const out: Finding[] = [];
  const withFrontMatter = group.filter((m) => m.frontMatter !== null);
  for (const key of NON_TRANSLATABLE) {
    const valueOf = (m: PageModel) => normalizeFrontMatter(key, m.frontMatter?.[key]);
    const items = withFrontMatter.map((model) => ({ model, key: canonicalJson(valueOf(model) ?? null) }));
    for (const { model, reference } of deviations(items, sourceLocale)) {
      const ref = reference[0];
      if (!ref) continue;
      const lineOf = (m: PageModel) => m.frontMatterKeyLines[key] ?? m.frontMatterLine ?? 1;
      const detail = frontMatterDifference(valueOf(ref), valueOf(model), key);
      const fix = sourceLocale && ref.locale === sourceLocale ? `copy it from ${sourceLocale}` : 'make the locales agree';
      out.push(
        finding(
          { file: model.file, line: lineOf(model), locale: model.locale },
          'error',
          'frontmatter-disagrees',
          `Front-matter \`${key}\` differs from ${names(reference)} (${where({ file: ref.file, line: lineOf(ref), locale: ref.locale })}): ${detail}. It is not translated, so it must be the same in every locale; ${fix}.`,
          reference.map((m) => ({ file: m.file, line: lineOf(m), locale: m.locale })),
        ),
      );
    }
  }
  return out;
}

/**
 * A front-matter value in comparable form: lists sorted (redirects without a trailing slash);
 * in `versions`, a release named with its plan's prefix is that release (`ghae: ghae-next` is
 * `ghae: next`, as `{% ifversion ghae-next %}` names it: GitHub's docs write both).
 */
function normalizeFrontMatter(key: string, value: unknown): unknown {
  if (value === undefined || value === null) return undefined;
  if (key === 'versions') {
    if (!isRecord(value)) return value;
    return Object.fromEntries(Object.entries(value).map(([plan, release]) => [plan, typeof release === 'string' && release.startsWith(`${plan}-`) ? release.slice(plan.length + 1) : release]));
  }
  const list = typeof value === 'string' ? [value] : Array.isArray(value) ? value : [value];
  const items = list.map((v) => (typeof v === 'string' && key === 'redirect_from' ? v.replace(/(.)\/+$/, '$1') : v));
  return [...new Set(items.map((v) => (typeof v === 'string' ? v : JSON.stringify(v))))].sort(compare);
}

function frontMatterDifference(ref: unknown, mine: unknown, key: string): string {
  if (mine === undefined) return `\`${key}\` is missing here`;
  if (ref === undefined) return `\`${key}\` is set here but not there`;
  if (Array.isArray(ref) && Array.isArray(mine)) {
    const missing = ref.filter((v) => !mine.includes(v)).map((v) => `lacks \`${String(v)}\``);
    const extra = mine.filter((v) => !ref.includes(v)).map((v) => `has \`${String(v)}\` in addition`);
    return [...missing, ...extra].join(', ');
  }
  if (isRecord(ref) && isRecord(mine)) return describeDifference(ref, mine);
  return `it is ${JSON.stringify(mine)} here, ${JSON.stringify(ref)} there`;
}

/** The h2–h4 headings of a page: what lines up by position across locales. */
function outline(model: PageModel): Section[] {
  return model.sections.filter(takesSourceId);
}

/**
 * Reports headings that do not line up, and returns the models whose outline has the reference's
 * number of headings (section content can be compared only between those), reference first.
 */
function outlineParity(group: readonly PageModel[], sourceLocale: string | null, out: Finding[], positions: ReadonlyMap<PageModel, Position[]>, orders: Map<PageModel, number[]>): PageModel[] {
  const items = group.map((model) => ({ model, key: outline(model).map((s) => s.depth).join(',') }));
  const devs = deviations(items, sourceLocale);
  const reference = devs[0]?.reference[0] ?? group[0];
  if (!reference) return [];
  const refOutline = outline(reference);
  const excluded = new Set<PageModel>();
  // With a source locale, a translation whose sections carry the source's in another order is one finding.
  if (reference.locale === sourceLocale) {
    for (const model of group) {
      if (model === reference || outline(model).length !== refOutline.length) continue;
      const order = reorder(positions.get(model) ?? [], positions.get(reference) ?? []);
      if (!order) continue;
      orders.set(model, order);
      out.push(movedFinding(model, reference, order));
    }
  }
  for (const { model, reference: refs } of devs) {
    const mine = outline(model);
    const related = refs.map((m) => ({ file: m.file, line: outline(m)[0]?.line ?? 1, locale: m.locale }));
    const describe = (s: Section | undefined) => (s ? `\`${s.heading}\` (h${s.depth})` : 'absent');
    if (mine.length !== refOutline.length) {
      excluded.add(model);
      let i = 0;
      while (i < Math.min(mine.length, refOutline.length) && mine[i]?.depth === refOutline[i]?.depth) i++;
      const line = mine[i]?.line ?? mine[mine.length - 1]?.line ?? 1;
      out.push(
        finding(
          { file: model.file, line, locale: model.locale },
          'error',
          'sections-misaligned',
          `This page has ${mine.length} h2–h4 headings and ${names(refs)} ${has(refs)} ${refOutline.length} (${reference.file}); heading ${i + 1} is ${describe(mine[i])} here but ${describe(refOutline[i])} there. Translate every heading and keep its level, so that sections and anchors line up by position.`,
          related,
        ),
      );
      continue;
    }
    const order = orders.get(model);
    mine.forEach((section, i) => {
      // Positions count the text before the first heading as 0.
      const theirs = refOutline[order ? (order[i + 1] ?? i + 1) - 1 : i];
      if (!theirs || theirs.depth === section.depth) return;
      out.push(
        finding(
          { file: model.file, line: section.line, column: section.column, locale: model.locale },
          'error',
          'sections-misaligned',
          `Heading \`${section.heading}\` is an h${section.depth} here, but heading ${i + 1} of ${names(refs)} is an h${theirs.depth} (\`${theirs.heading}\`, ${reference.file}:${theirs.line}); keep the heading levels of ${names(refs)}, so that sections and anchors line up by position.`,
          related,
        ),
      );
    });
  }
  return [reference, ...group.filter((m) => m !== reference && !excluded.has(m))];
}

/**
 * The source position each position of a translation carries the content of, when the source's
 * sections were moved: every section whose content (links, data references, JSON, identifiers)
 * mostly matches another position's, and clearly better than its own, maps there. Null when no
 * section moved, or the matches are not clear enough to say so.
 */
/** Fewest distinct things (links, references, identifiers…) a section must carry for a move of it to be recognised. */
const MIN_MOVED_ITEMS = 3;

function reorder(mine: readonly Position[], theirs: readonly Position[]): number[] | null {
  if (mine.length !== theirs.length || mine.length < 3) return null;
  const signature = (pos: Position | undefined) => new Set(pos ? (['json', 'data', 'links', 'identifiers'] as const).flatMap((k) => pos.items[k].map((i) => `${k}:${i.key}`)) : []);
  const a = mine.map(signature);
  const b = theirs.map(signature);
  const score = (x: Set<string> | undefined, y: Set<string> | undefined): number => {
    if (!x || !y || x.size === 0 || y.size === 0) return 0;
    let common = 0;
    for (const k of x) if (y.has(k)) common++;
    return common / (x.size + y.size - common);
  };
  const order = mine.map((_, p) => p);
  const taken = new Set<number>();
  let moved = false;
  for (let p = 1; p < mine.length; p++) {
    let best = p;
    let bestScore = score(a[p], b[p]);
    for (let q = 1; q < theirs.length; q++) {
      const sc = score(a[p], b[q]);
      if (sc > bestScore) [best, bestScore] = [q, sc];
    }
    if (best === p) continue;
    // A move is said only on a clear match: enough content, most of it shared, far better than the
    // section's own position, and this section the best match of the one it moved to.
    const mutual = a.every((x, r) => r === p || score(x, b[best]) < bestScore);
    if ((a[p]?.size ?? 0) < MIN_MOVED_ITEMS || bestScore < 0.5 || score(a[p], b[p]) > bestScore / 2 || !mutual || taken.has(best)) return null;
    order[p] = best;
    taken.add(best);
    moved = true;
  }
  if (!moved) return null;
  // Sections that did not clearly match keep their own position, unless a moved one took it: then the free ones in order.
  const used = new Set(order.slice(1));
  const free = theirs.map((_, q) => q).filter((q) => q > 0 && !used.has(q));
  for (let p = 1; p < order.length; p++) if (order[p] === p && taken.has(p)) order[p] = free.shift() ?? p;
  return order;
}

/** The one finding of a translation whose source's sections moved: which, from where to where. */
function movedFinding(model: PageModel, source: PageModel, order: readonly number[]): Finding {
  const mine = outline(model);
  const theirs = outline(source);
  const moves: string[] = [];
  order.forEach((q, p) => {
    if (p === 0 || q === p) return;
    moves.push(`\`${theirs[q - 1]?.heading ?? ''}\` is heading ${q} there, ${p} here (\`${mine[p - 1]?.heading ?? ''}\`)`);
  });
  const first = order.findIndex((q, p) => q !== p);
  const hash = model.frontMatter?.['ms.openlocfilehash'];
  const stale = typeof hash === 'string' && hash.toLowerCase() !== source.crlfSha1;
  const here = { file: model.file, line: mine[first - 1]?.line ?? 1, locale: model.locale };
  const there = { file: source.file, line: theirs[(order[first] ?? first) - 1]?.line ?? 1, locale: source.locale };
  const message = `The sections of ${source.locale}'s ${source.file} were moved since the ${model.locale} translation ${model.file} was made: ${moves.join('; ')}. Sections line up by position (a translation's headings take ${source.locale}'s ids by position), so put the translation's sections in ${source.locale}'s order.`;
  // The finding is on the file that changed: the source when the translation records an older source.
  return stale ? finding(there, 'error', 'sections-misaligned', message, [here]) : finding(here, 'error', 'sections-misaligned', message, [there]);
}

/** One occurrence of something a section carries. */
interface Item {
  /** What is compared: equal keys are the same thing. */
  key: string;
  /** How a message shows it. */
  shown: string;
  line: number;
  column: number;
  /** For error examples: their code (a missing one is the contract's `response-missing`). */
  error?: string;
  /** For links: the url as written. */
  url?: string;
  /** For links: the reusable file the link is written in, when it comes from one. */
  reusable?: { file: string; line: number; url: string };
}

/** What one aligned section (position 0: the text before the first h2–h4 heading) carries. */
interface Position {
  /** `section \`Heading\``, or `text before the first heading` (no article: messages add one). */
  label: string;
  line: number;
  items: Record<Kind, Item[]>;
}

type Kind = 'json' | 'data' | 'links' | 'identifiers';

const KIND_RULE: Record<Kind, RuleId> = { json: 'json-disagrees', data: 'data-refs-disagree', links: 'links-disagree', identifiers: 'identifier-missing' };

function contentParity(aligned: readonly PageModel[], options: ParityOptions, positions: ReadonlyMap<PageModel, Position[]>, orders: ReadonlyMap<PageModel, number[]>): Finding[] {
  const out: Finding[] = [];
  if (aligned.length < 2) return out;
  const errorsOf = new Map(aligned.map((m) => [m, new Set(m.jsonBlocks.map((b) => errorCode(b.value)).filter((e): e is string => e !== null))]));
  const source = aligned.find((m) => m.locale === options.sourceLocale);
  const kinds: Kind[] = ['json', 'data', 'links', 'identifiers'];

  for (const model of aligned) {
    if (model === source) continue;
    const mine = positions.get(model) ?? [];
    // The source's position each of this translation's positions is compared with (its sections may have moved).
    const order = orders.get(model);
    const at = (witness: PageModel, p: number) => (witness === source && order ? (order[p] ?? p) : p);
    const hash = model.frontMatter?.['ms.openlocfilehash'];
    const stale = source !== undefined && typeof hash === 'string' && hash.toLowerCase() !== source.crlfSha1;
    // Without the hash, whether the source changed since the translation was made is unknown: the fix may be either side's.
    const since = source !== undefined && typeof hash !== 'string' ? source.locale : null;
    const witnesses = source ? [source] : aligned.filter((m) => m !== model);
    const shifted = source ? shiftedItems(mine, positions.get(source) ?? [], at.bind(null, source)) : new Set<string>();
    mine.forEach((position, p) => {
      for (const kind of kinds) {
        const counts = countKeys(position.items[kind]);
        // What the witnesses' section has more of than this one.
        const lacking = new Map<string, Array<{ model: PageModel; item: Item }>>();
        for (const witness of witnesses) {
          const theirs = positions.get(witness)?.[at(witness, p)]?.items[kind] ?? [];
          const theirCounts = countKeys(theirs);
          for (const [key, n] of theirCounts) {
            if (n <= (counts.get(key) ?? 0) || shifted.has(`${p}:${kind}:${key}`)) continue;
            const item = theirs.find((i) => i.key === key);
            if (!item) continue;
            if (item.error !== undefined && !(errorsOf.get(model)?.has(item.error) ?? false)) continue;
            lacking.set(key, [...(lacking.get(key) ?? []), { model: witness, item }]);
          }
        }
        const theirPosition = source ? positions.get(source)?.[at(source, p)] : undefined;
        const theirCounts = countKeys(theirPosition?.items[kind] ?? []);
        // What this section carries more often than the source's: each copy after the source's number of them.
        const added = source ? beyond(position.items[kind], theirCounts) : [];
        const localized = kind === 'links' && source ? localizedLinks(lacking, added, model.locale) : null;
        const extra = added.filter((item) => !shifted.has(`${p}:${kind}:${item.key}`) && !localized?.extra.has(item));
        const replaced = kind === 'links' && source && !stale ? replacedLink(lacking, extra, position.items.links, localized, (file) => options.reusableTwin?.(file, model.locale)?.file, position.line - (theirPosition?.line ?? position.line)) : null;
        const label = p === 0 ? `The ${position.label}` : capitalize(position.label);
        const here = { file: model.file, line: position.line, locale: model.locale };
        // What this section lacks from the same places of the same witnesses (a sentence the translation dropped) is one finding.
        const dropped = new Map<string, { at: Place; shown: string[]; related: Related[]; say: (shown: readonly string[]) => string }>();
        const drop = (key: string, at: Place, shown: string, related: Related[], say: (shown: readonly string[]) => string) => {
          const group = dropped.get(key);
          if (group) group.shown.push(shown);
          else dropped.set(key, { at, shown: [shown], related, say });
        };
        const end = mine[p + 1]?.line ?? Infinity;
        const asText = (key: string) => model.unrenderedLinks.find((u) => u.line >= position.line && u.line < end && linkKey(u.url, options.pageOf) === key)?.line;
        for (const [key, list] of lacking) {
          const first = list[0];
          if (!first || localized?.lacking.has(key) || replaced?.theirs === first.item) continue;
          // A link of a reusable the source includes and this page does not: the missing `{% data %}` reference is the finding (data-refs-disagree).
          const from = first.item.reusable?.file;
          if (kind === 'links' && from && includes(first.model, from) && !includes(model, from) && !model.links.some((l) => l.reusable?.startsWith(`${options.reusableTwin?.(from, model.locale)?.file ?? from}:`))) continue;
          const refs = list.map((l) => l.model);
          const related = list.map((l) => ({ file: l.model.file, line: l.item.line, locale: l.model.locale }));
          const twin = kind === 'links' ? changedTwin(first.item, model, options) : null;
          if (twin) {
            // The page renders its own translation of the reusable, and that lacks the link: the reusable is what to fix.
            const from = `${first.item.reusable?.file ?? ''}:${first.item.reusable?.line ?? 1}`;
            const say = (shown: readonly string[]) => `${capitalize(dataKind(twin.file))} \`${twin.file}\` lacks ${shown.length > 1 ? 'the links' : 'the link'} to ${listOf(shown)} that ${names(refs)}'s ${from} ${has(refs)}; keep every link target when translating.`;
            // On the line that writes the url, when the copy has it (in Markdown that makes no link).
            const url = first.item.reusable?.url ?? '';
            const line = url === '' ? 1 : twin.text.split('\n').findIndex((l) => l.includes(url)) + 1 || 1;
            const original = first.item.reusable ? [{ file: first.item.reusable.file, line: first.item.reusable.line, locale: first.model.locale }] : related;
            drop(`${twin.file}\u0000${from}`, { file: twin.file, line, locale: model.locale }, first.item.shown, original, say);
          } else if (stale && source && kind !== 'identifiers') {
            // The source changed since this translation was made: the finding is on what changed.
            out.push(finding({ file: source.file, line: first.item.line, column: first.item.column, locale: source.locale }, 'error', KIND_RULE[kind], `${kind === 'links' ? `Link to ${first.item.shown}` : capitalize(first.item.shown)} was added to ${p === 0 ? 'the text before the first heading' : (positions.get(source)?.[at(source, p)]?.label ?? position.label)} after the ${model.locale} translation was made (${model.file}:${position.line} lacks it; its \`ms.openlocfilehash\` is not this file's hash); update the translation.`, [here]));
          } else if (kind === 'links' && !first.item.reusable && asText(key) !== undefined) {
            // The translation writes the link in this section, but in markup that shows it as text: the markup is what to fix.
            out.push(finding({ file: model.file, line: asText(key) ?? position.line, locale: model.locale }, 'error', 'links-disagree', `Link to ${first.item.shown}, which ${names(refs)} ${has(refs)} (${first.model.file}:${first.item.line}), is written here but shows as text, not as a link: it is inside an HTML block, or its brackets are broken. Fix the markup.`, related));
          } else {
            const who = `${names(refs)} ${has(refs)} (${first.model.file}:${first.item.line})`;
            drop(`${who}\u0000${related.map((r) => `${r.file}:${r.line}`).join('\u0000')}`, here, first.item.shown, related, (shown) => lacksMessage(kind, label, shown, who, since));
          }
        }
        for (const { at, shown, related, say } of dropped.values()) out.push(finding(at, kind === 'identifiers' ? 'warning' : 'error', KIND_RULE[kind], say(shown), related));
        // With a source locale, what this section adds is reported too (identifiers excepted: prose may add them).
        if (!source || kind === 'identifiers') continue;
        for (const item of extra) {
          if (item.error !== undefined && !(errorsOf.get(source)?.has(item.error) ?? false)) continue;
          // Where the source has it, when it does (fewer times); else its section.
          const sourceLine = theirPosition?.items[kind].find((i) => i.key === item.key)?.line ?? theirPosition?.line ?? 1;
          const sourcePlace = { file: source.file, line: sourceLine, locale: source.locale };
          const twin = kind === 'links' ? changedTwin(item, source, options) : null;
          if (replaced?.mine === item) {
            // In a translated reusable: said on it, against the source's reusable.
            const theirs = replaced.theirs.reusable ?? { file: source.file, line: replaced.theirs.line };
            const copy = replaced.copy;
            const ours = copy.reusable ?? { file: model.file, line: copy.line };
            const there = copy.reusable ? `\`${theirs.file}\`` : `${theirPosition?.label ?? 'section'}`;
            out.push(finding({ file: ours.file, line: ours.line, ...(copy.reusable ? {} : { column: copy.column }), locale: model.locale }, 'error', 'links-disagree', `Link to ${item.shown} stands where ${source.locale}'s ${there} links to ${replaced.theirs.shown} (${theirs.file}:${theirs.line}); link to the same target as ${source.locale} (the url was mistyped, or changed since).`, [{ file: theirs.file, line: theirs.line, locale: source.locale }]));
          } else if (twin && item.reusable) {
            out.push(finding({ file: item.reusable.file, line: item.reusable.line, locale: model.locale }, 'error', 'links-disagree', `Link to ${item.shown} is not in ${source.locale}'s \`${twin.file}\`, which this ${dataKind(twin.file)} translates; link to the same targets as ${source.locale}.`, [{ file: twin.file, line: 1, locale: source.locale }]));
          } else if (stale) {
            out.push(finding(sourcePlace, 'error', KIND_RULE[kind], `${capitalize(theirPosition?.label ?? 'section')} no longer has ${item.shown}, which the ${model.locale} translation made before this file changed still has (${model.file}:${item.line}; its \`ms.openlocfilehash\` is not this file's hash); update the translation.`, [{ file: model.file, line: item.line, locale: model.locale }]));
          } else {
            out.push(
              finding(
                { file: model.file, line: item.line, column: item.column, locale: model.locale },
                'error',
                KIND_RULE[kind],
                extraMessage(kind, item.shown, source.locale, `${theirPosition?.label ?? 'section'} (${source.file}:${sourceLine})`, theirCounts.get(item.key) ?? 0, counts.get(item.key) ?? 1),
                [sourcePlace],
              ),
            );
          }
        }
      }
    });
  }
  return out;
}

/** Lines between a heading and the paragraph next to it (a blank line, and a line of slack). */
const NEXT_TO_HEADING = 3;

/**
 * What a translation carries one section off from where the source has it (`position:kind:key`,
 * both places): a paragraph next to the heading between the two sections, which ends a section in
 * one locale and starts the next in the other.
 * The reader sees it, next to where it belongs; it is not a disagreement.
 */
function shiftedItems(mine: readonly Position[], theirs: readonly Position[], sourceAt: (p: number) => number): Set<string> {
  const out = new Set<string>();
  const surplus = (p: number, kind: Kind): Map<string, number> => {
    const diff = countKeys(mine[p]?.items[kind] ?? []);
    for (const [key, n] of countKeys(theirs[sourceAt(p)]?.items[kind] ?? [])) diff.set(key, (diff.get(key) ?? 0) - n);
    return diff;
  };
  for (const kind of ['json', 'data', 'links'] as const) {
    const diffs = mine.map((_, p) => surplus(p, kind));
    diffs.forEach((diff, p) => {
      for (const [key, n] of diff) {
        if (n >= 0) continue;
        for (const q of [p - 1, p + 1]) {
          if ((diffs[q]?.get(key) ?? 0) <= 0) continue;
          // Only next to the heading between the two: the paragraph just before it or just after it.
          const heading = mine[Math.max(p, q)]?.line ?? 0;
          if (!(mine[q]?.items[kind] ?? []).some((i) => i.key === key && Math.abs(i.line - heading) <= NEXT_TO_HEADING)) continue;
          out.add(`${p}:${kind}:${key}`).add(`${q}:${kind}:${key}`);
          break;
        }
      }
    });
  }
  return out;
}

/**
 * The other locale's own copy of the reusable a link item comes from, when that copy does not
 * carry the link: then the difference is in the reusable, not in the page that renders it.
 * Null when the item is not from a reusable, the locale has no copy of its own, or the copy has it.
 */
function changedTwin(item: Item, other: PageModel, options: ParityOptions): Reusable | null {
  const from = item.reusable;
  if (!from || !options.reusableTwin) return null;
  const twin = options.reusableTwin(from.file, other.locale);
  if (!twin || twin.file === from.file) return null;
  // Where the other page renders its copy, the links that render from it say: a url written in
  // broken Markdown (`[text]](url)`, inside an HTML block) is in the text but is no link.
  const rendered = other.links.filter((l) => l.reusable?.startsWith(`${twin.file}:`));
  if (rendered.length > 0 || includes(other, twin.file)) {
    return rendered.some((l) => linkKey(l.url, options.pageOf) === item.key) ? null : twin;
  }
  // The url as written may hold Liquid the page renders: its last segment and fragment also count.
  const tail = from.url.split('/').filter(Boolean).pop() ?? from.url;
  return twin.text.includes(from.url) || twin.text.includes(tail) ? null : twin;
}

/** Whether a page includes a reusable itself (`{% data reusables.a.b %}` for `…/data/reusables/a/b.md`), not through another. */
function includes(model: PageModel, file: string): boolean {
  const dataPath = /(?:^|\/)data\/(reusables\/.+)\.md$/.exec(file)?.[1]?.replaceAll('/', '.');
  return dataPath !== undefined && model.liquid.some((t) => (t.name === 'data' || t.name === 'indented_data_reference') && t.args.trim().split(/\s+/)[0] === dataPath);
}

/** What a section lacks; `since` names the source when the translation records no hash of it (it may predate the source's text). */
function lacksMessage(kind: Kind, label: string, shown: readonly string[], who: string, since: string | null): string {
  const all = listOf(shown);
  const many = shown.length > 1;
  const or = since === null ? '' : `, or update the translation if ${since} added ${many ? 'them' : 'it'} after it was made`;
  switch (kind) {
    case 'json':
      return `${label} lacks ${all} that ${who}; JSON examples are not translated, so every locale carries the same ones${or}.`;
    case 'data':
      return `${label} lacks ${all}, which ${who}; keep every \`{% data %}\` reference when translating${or}.`;
    case 'links':
      return `${label} lacks ${many ? 'the links' : 'the link'} to ${all} that ${who}; keep every link target when translating${or}.`;
    case 'identifiers':
      return `${label} does not mention ${all}, which ${who}; identifiers are not translated, so keep ${many ? 'them' : 'it'} as written${or}.`;
  }
}

/** What a section adds; `theirs` and `mine` count the item in the source's section and this one. */
function extraMessage(kind: Exclude<Kind, 'identifiers'>, shown: string, source: string, there: string, theirs: number, mine: number): string {
  // The source has it too, fewer times: a sentence written twice, or one the source since dropped.
  if (theirs > 0) {
    const times = (n: number) => (n === 1 ? 'once' : n === 2 ? 'twice' : `${n} times`);
    const what = kind === 'links' ? `Link to ${shown}` : capitalize(shown);
    return `${what} is here ${times(mine)}, but ${times(theirs)} in ${source}'s ${there}; a line may be repeated here, or the source dropped one since. Carry it as often as ${source} does.`;
  }
  switch (kind) {
    case 'json':
      return `${capitalize(shown)} is not in ${source}'s ${there}; remove it, or add it to the ${source} page first.`;
    case 'data':
      return `${capitalize(shown)} is not in ${source}'s ${there}; use the same references as ${source}.`;
    case 'links':
      return `Link to ${shown} is not in ${source}'s ${there}; link to the same targets as ${source}.`;
  }
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function countKeys(items: readonly Item[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const i of items) counts.set(i.key, (counts.get(i.key) ?? 0) + 1);
  return counts;
}

/** The error code of a response example, or null. */
function errorCode(value: unknown): string | null {
  return isRecord(value) && typeof value['error'] === 'string' ? value['error'] : null;
}

/** What each aligned section of a page carries; sub-headings (h5, h6) fold into their h2–h4. */
function positionsOf(model: PageModel, pageOf: ParityOptions['pageOf']): Position[] {
  const heads = outline(model);
  const positions: Position[] = [
    { label: 'text before the first heading', line: model.bodyLine, items: { json: [], data: [], links: [], identifiers: [] } },
    ...heads.map((s) => ({ label: `section \`${s.heading}\``, line: s.line, items: { json: [], data: [], links: [], identifiers: [] } })),
  ];
  const positionOfSection = (index: number | null): number => {
    if (index === null) return 0;
    let p = 0;
    heads.forEach((h, i) => {
      if (h.index <= index) p = i + 1;
    });
    return p;
  };
  const positionOfLine = (line: number): number => {
    let p = 0;
    heads.forEach((h, i) => {
      if (h.line <= line) p = i + 1;
    });
    return p;
  };
  const add = (p: number, kind: Kind, item: Item) => positions[p]?.items[kind].push(item);

  for (const block of model.jsonBlocks) {
    const error = errorCode(block.value);
    const canonical = 'value' in block ? canonicalJson(block.value) : block.raw.replace(/\s+/g, ' ').trim();
    const item: Item =
      error !== null
        ? { key: `error:${error}`, shown: `the \`${error}\` example`, line: block.line, column: block.column, error }
        : { key: `json:${canonical}`, shown: `the JSON block \`${abbreviate(canonical)}\``, line: block.line, column: block.column };
    add(positionOfSection(block.section), 'json', item);
  }
  for (const tag of model.liquid) {
    if (tag.name !== 'data') continue;
    add(positionOfSection(tag.section), 'data', { key: tag.args, shown: `\`{% data ${tag.args} %}\``, line: tag.line, column: tag.column });
  }
  for (const link of model.links) {
    // A definition is not seen, its uses are, in the sections they are in.
    if (link.kind === 'definition') continue;
    const from = link.reusable ? /^(.*):(\d+)$/.exec(link.reusable) : null;
    add(positionOfSection(link.section), 'links', {
      key: linkKey(link.url, pageOf),
      shown: `\`${link.url}\``,
      url: link.url,
      line: link.line,
      column: link.column,
      ...(from?.[1] ? { reusable: { file: from[1], line: Number(from[2]), url: link.url } } : {}),
    });
  }
  const identifiers = new Map<number, Map<string, Item>>();
  const addIdentifier = (p: number, id: string, line: number, column: number) => {
    const seen = identifiers.get(p) ?? new Map<string, Item>();
    identifiers.set(p, seen);
    if (!seen.has(id)) seen.set(id, { key: id, shown: `\`${id}\``, line, column });
  };
  for (const code of model.inlineCode) {
    const value = code.value.trim();
    // A code span with letters beyond ASCII is translated prose, not an identifier.
    if (value && /^[\x20-\x7e]+$/.test(value)) addIdentifier(positionOfSection(code.section), value, code.line, code.column);
  }
  for (const { line, word, column } of model.proseWords) addIdentifier(positionOfLine(line), word, line, column);
  for (const [p, seen] of identifiers) for (const item of seen.values()) add(p, 'identifiers', item);
  return positions;
}

/**
 * A link target in comparable form: a docs path as the page it leads to (the site follows
 * `redirect_from`), else normalised like a permalink; the fragment kept. A version the site fills
 * in (`/enterprise/{{ page.version }}/…`) renders empty here: the empty segment is dropped.
 */
function linkKey(url: string, pageOf: ParityOptions['pageOf']): string {
  if (!url.startsWith('/') || url.startsWith('//')) return externalKey(url);
  const hash = url.indexOf('#');
  const pathPart = (hash === -1 ? url : url.slice(0, hash)).replace(/\?.*$/, '').replace(/\/{2,}/g, '/');
  const page = pageOf?.(pathPart);
  return `${page === undefined ? normalizeDocsPath(pathPart) : `page:${page}`}${hash === -1 ? '' : url.slice(hash)}`;
}

/**
 * An http(s) link in parts: its host without `www.` or a language subdomain, the language it
 * names in its subdomain or path (`ja` for `ja.wikipedia.org/…` or `git-scm.com/book/ja/…`), its
 * path segments other than language ones, and its query and fragment. Null for any other url.
 */
function externalParts(url: string): { host: string; language: string | null; segments: string[]; rest: string } | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return null;
  const hostname = parsed.hostname.toLowerCase();
  const sub = /^(www|[a-z]{2}(?:-[a-z]{2,4})?)\.(?=[^.]+\.[^.]+$)/.exec(hostname)?.[1];
  const segments = parsed.pathname.split('/').filter((s) => s !== '');
  const named = sub !== undefined && sub !== 'www' ? sub : segments.find((s) => LANGUAGE.test(s));
  return {
    host: sub === undefined ? hostname : hostname.slice(sub.length + 1),
    language: named?.slice(0, 2).toLowerCase() ?? null,
    segments: segments.filter((s) => !LANGUAGE.test(s)),
    rest: `${parsed.search}${parsed.hash}`,
  };
}

/**
 * An external link in comparable form: a translation may link the same resource in its reader's
 * language (`ja.wikipedia.org`, `git-scm.com/book/ja/…`, `aws.amazon.com/jp/…`), so a language
 * subdomain or path segment counts as any; scheme and a trailing slash do not count.
 */
function externalKey(url: string): string {
  const parts = externalParts(url);
  return parts ? `//${parts.host}/${parts.segments.join('/')}${parts.rest}` : url;
}

/** The items after the source's number of each: what a section carries more often than the source's. */
function beyond(items: readonly Item[], theirCounts: ReadonlyMap<string, number>): Item[] {
  const seen = new Map<string, number>();
  return items.filter((item) => {
    const n = (seen.get(item.key) ?? 0) + 1;
    seen.set(item.key, n);
    return n > (theirCounts.get(item.key) ?? 0);
  });
}

/** A path segment or subdomain that names a language or locale (`en`, `ja`, `pt-br`, `zh_CN`, `en-US`). */
const LANGUAGE = /^[a-z]{2}(?:[-_][a-z]{2,4})?$/i;

/**
 * The links of a translated section that point at its reader's language edition of a resource the
 * source links in another language (`ja.wikipedia.org/wiki/最小権限の原則` for
 * `en.wikipedia.org/wiki/Principle_of_least_privilege`, `git-scm.com/book/ja/v2/…` for
 * `git-scm.com/book/en/…`): the same link, localized. Each pairs a link the section lacks with
 * one it adds on the same host; neither is reported.
 */
function localizedLinks(lacking: ReadonlyMap<string, ReadonlyArray<{ item: Item }>>, extra: readonly Item[], locale: string): { lacking: Set<string>; extra: Set<Item> } {
  const out = { lacking: new Set<string>(), extra: new Set<Item>() };
  const language = locale.slice(0, 2).toLowerCase();
  const added = extra.filter((item) => externalParts(item.url ?? '')?.language === language);
  for (const [key, list] of lacking) {
    const theirs = externalParts(list[0]?.item.url ?? '');
    if (!theirs || theirs.language === language) continue;
    const match = added.find((item) => !out.extra.has(item) && externalParts(item.url ?? '')?.host === theirs.host);
    if (!match) continue;
    out.lacking.add(key);
    out.extra.add(match);
  }
  return out;
}

/**
 * A section that lacks one link of the source's and adds one of its own, not a localized edition:
 * the same link written otherwise (a typo, Liquid that rendered otherwise, an older url), said
 * once as such rather than as one missing and one extra link. Both are the page's own, or both
 * are in one reusable (the added one in the translation of the other's: `twinOf`). `mine` is the
 * copy counted as added (of `extra`, what the section adds); `copy`, the one of its copies among
 * the section's `items` written nearest to where the source's link is (`shift`: this section's
 * first line less the source's), is where the finding goes.
 */
function replacedLink(
  lacking: ReadonlyMap<string, ReadonlyArray<{ item: Item }>>,
  extra: readonly Item[],
  items: readonly Item[],
  localized: { lacking: Set<string> } | null,
  twinOf: (file: string) => string | undefined,
  shift: number,
): { theirs: Item; mine: Item; copy: Item } | null {
  const missing = [...lacking].filter(([key]) => !localized?.lacking.has(key));
  const [only] = missing;
  const theirs = only?.[1][0]?.item;
  const [item] = extra;
  if (missing.length !== 1 || extra.length !== 1 || !theirs || !item || (only?.[1].length ?? 0) !== 1 || items.some((i) => i.key === theirs.key)) return null;
  const sameText = theirs.reusable ? item.reusable !== undefined && twinOf(theirs.reusable.file) === item.reusable.file : item.reusable === undefined;
  if (!sameText) return null;
  const distance = (i: Item) => Math.abs(i.line - shift - theirs.line);
  const copy = items.filter((i) => i.key === item.key && i.reusable?.file === item.reusable?.file).reduce((a, b) => (distance(b) < distance(a) ? b : a), item);
  return { theirs, mine: item, copy };
}

function abbreviate(s: string): string {
  return s.length <= 60 ? s : `${s.slice(0, 59)}…`;
}
