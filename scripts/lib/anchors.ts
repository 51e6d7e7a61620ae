/**
 * Heading ids as a reader's browser sees them on GitHub's docs site.
 * The source locale keeps its own ids. A translation's h2–h4 headings get the source
 * locale's ids by position (the site's useEnglishHeadings step); explicit `<a name>`
 * anchors survive. Without a source locale, ids may be inferred from examples.
 */
import type { PageModel, IdSource, Section } from './model.ts';

/** One id a section answers to, and where it comes from. */
export interface SectionId {
  id: string;
  source: IdSource;
}

/** The ids of every section of a page (index = section index). */
export type PageIds = SectionId[][];

/** Whether GitHub's site replaces the ids of this heading level in translations. */
export function takesSourceId(section: Section): boolean {
  return section.depth >= 2 && section.depth <= 4;
}

/** Ids of each section of `page`, given the same page in the source locale (null when absent or when `page` is it). */
export function browserIds(page: Pick<PageModel, 'sections'>, source: Pick<PageModel, 'sections'> | null): PageIds {
  const sourceAligned = source ? source.sections.filter(takesSourceId) : [];
  let position = 0;
  return page.sections.map((section) => {
    const ids: SectionId[] = [];
    const add = (id: string, from: IdSource) => {
      if (!ids.some((x) => x.id === id)) ids.push({ id, source: from });
    };
    const explicitWins = section.explicitId !== undefined && section.explicitId === section.slug;
    if (source && takesSourceId(section)) {
      const match = sourceAligned[position++];
      if (match) add(match.slug, match.explicitId === match.slug ? 'explicit' : 'source-position');
      else add(section.slug, explicitWins ? 'explicit' : 'slug');
    } else {
      add(section.slug, explicitWins ? 'explicit' : 'slug');
    }
    if (section.explicitId !== undefined) add(section.explicitId, 'explicit');
    return ids;
  });
}

/**
 * Ids the page answers to besides its sections': HTML ids anywhere on it, and the ids of its
 * other variants (version branches), a translation's variant taking the source's same variant's ids.
 */
export function otherIds(page: Pick<PageModel, 'anchors' | 'variantSections' | 'sections'>, source: Pick<PageModel, 'variantSections' | 'sections'> | null): string[] {
  const ids = new Set(page.anchors);
  const sourceVariant = (k: number): Section[] => {
    if (!source) return [];
    // A source with fewer variants renders its last one for every later variant.
    const list = source.variantSections;
    return k < list.length ? (list[k] ?? source.sections) : (list[list.length - 1] ?? source.sections);
  };
  page.variantSections.forEach((sections, k) => {
    if (!sections) return;
    for (const list of browserIds({ sections }, source ? { sections: sourceVariant(k) } : null)) for (const { id } of list) ids.add(id);
  });
  return [...ids].sort();
}

/** Indexes of the sections that answer to `fragment`. */
export function sectionsFor(ids: PageIds, fragment: string): number[] {
  const out: number[] = [];
  ids.forEach((list, index) => {
    if (list.some((x) => x.id === fragment)) out.push(index);
  });
  return out;
}

/** The id closest to `wanted` by edit distance, for "did you mean". */
export function nearestId(ids: PageIds, wanted: string): string | null {
  let best: string | null = null;
  let bestDistance = Infinity;
  for (const list of ids) {
    for (const { id } of list) {
      const d = editDistance(id, wanted);
      if (d < bestDistance) {
        best = id;
        bestDistance = d;
      }
    }
  }
  return best !== null && bestDistance <= Math.max(3, Math.floor(wanted.length / 2)) ? best : null;
}

/** Levenshtein distance. */
export function editDistance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = prev[0] ?? 0;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = prev[j] ?? 0;
      prev[j] = Math.min(up + 1, (prev[j - 1] ?? 0) + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = up;
    }
  }
  return prev[b.length] ?? 0;
}
