import type { ArticleEntry } from "../articles/article-entry.ts";
import type { Teaser } from "./article-page.ts";
import type { Category, SiteConfig } from "./config.ts";
import { pagedUrl, paginate } from "./urls.ts";

/** One page of a category listing, paged as `paginate` says: the first is `/<slug>/`, page k is `/<slug>/page/k/`. */
export interface CategoryPage {
  category: Category;
  /** A numbered page's number, counted from the oldest articles; absent on the first page. */
  number?: number;
  url: string;
  articles: Teaser[];
  /** The "show more" (إظهار المزيد) link, to older articles; absent on the oldest page. */
  nextUrl?: string;
  /** The link to newer articles; absent on the first page. */
  previousUrl?: string;
}

export interface HomeSection {
  category: Category;
  url: string;
  articles: Teaser[];
}

export interface Sections {
  categoryPages: CategoryPage[];
  home: { lead: Teaser[]; sections: HomeSection[] };
}

/** A category's first page, or its numbered page `page`. */
export function categoryUrl(category: Category, page?: number): string {
  return pagedUrl(`/${category.slug}/`, page);
}

export function teaserOf(article: ArticleEntry): Teaser {
  const { url, title, summary, date, categories, draft } = article;
  return { url, title, date, categories, draft, ...(summary && { summary }) };
}

/** The articles by a field's value, in their order; those without one are in no group. */
export function groupedBy(articles: ArticleEntry[], fieldOf: (article: ArticleEntry) => string | undefined) {
  const groups = new Map<string, ArticleEntry[]>();
  for (const article of articles) {
    const value = fieldOf(article);
    if (!value) continue;
    const group = groups.get(value);
    if (group) group.push(article);
    else groups.set(value, [article]);
  }
  return groups;
}

/**
 * Category pages, the home page and related articles, from articles sorted newest first.
 * Also fills each article's `related`: same story first, then the same categories, nearest in time.
 */
export function buildSections(articles: ArticleEntry[], config: SiteConfig): Sections {
  const teasers = new Map(articles.map((article) => [article, teaserOf(article)]));
  const byCategory = new Map(
    config.categories.map((category) => [category.key, articles.filter((a) => a.categories.includes(category))]),
  );
  const byStory = groupedBy(articles, (article) => article.story);

  const categoryPages: CategoryPage[] = [];
  for (const category of config.categories) {
    for (const { items, ...paging } of paginate(
      byCategory.get(category.key)!,
      config.pageSize,
      categoryUrl(category),
    )) {
      categoryPages.push({ category, ...paging, articles: items.map((a) => teasers.get(a)!) });
    }
  }

  const lead = (byCategory.get(config.homeLeadCategory) ?? []).slice(0, config.homeLeadCount);
  const sections = config.categories.map((category) => ({
    category,
    url: categoryUrl(category),
    articles: byCategory
      .get(category.key)!
      .filter((a) => !lead.includes(a))
      .slice(0, config.homePerCategory)
      .map((a) => teasers.get(a)!),
  }));

  for (const article of articles) {
    const chosen = new Set<ArticleEntry>([article]);
    const take = (candidates: ArticleEntry[]) => {
      for (const candidate of candidates) {
        if (chosen.size > config.relatedCount) return;
        chosen.add(candidate);
      }
    };
    take(nearestInTime(article, byStory.get(article.story ?? "") ?? [], config.relatedCount + 1));
    const sameCategory = article.categories.flatMap((c) =>
      nearestInTime(article, byCategory.get(c.key)!, config.relatedCount + 1),
    );
    take(sameCategory.sort((a, b) => timeApart(a, article) - timeApart(b, article)));
    chosen.delete(article);
    article.related = [...chosen].map((a) => teasers.get(a)!);
  }
  return { categoryPages, home: { lead: lead.map((a) => teasers.get(a)!), sections } };
}

/**
 * Up to `count` articles of `list` (sorted newest first) closest in time to `article`, nearest first.
 * Walks outwards from the article's place, so it costs O(count), not O(list), per article.
 */
function nearestInTime(article: ArticleEntry, list: ArticleEntry[], count: number): ArticleEntry[] {
  const time = article.date.millis;
  const distance = (a: ArticleEntry) => timeApart(a, article);
  let low = 0;
  let high = list.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (list[middle]!.date.millis > time) low = middle + 1;
    else high = middle;
  }
  const result: ArticleEntry[] = [];
  let newer = low - 1;
  let older = low;
  while (result.length < count && (newer >= 0 || older < list.length)) {
    const pickNewer = older >= list.length || (newer >= 0 && distance(list[newer]!) <= distance(list[older]!));
    result.push(list[pickNewer ? newer-- : older++]!);
  }
  return result.sort((a, b) => distance(a) - distance(b));
}

function timeApart(a: ArticleEntry, b: ArticleEntry): number {
  return Math.abs(a.date.millis - b.date.millis);
}
