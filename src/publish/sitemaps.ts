import type { ArticleEntry } from "../articles/article-entry.ts";
import { type ArticleDate, lastModified } from "../site/dates.ts";
import type { Sections } from "../site/sections.ts";

/** One page in `sitemap.xml`: its site-relative URL and when it last changed, where known. */
export interface SitemapEntry {
  url: string;
  lastModified?: ArticleDate;
}

/** One file of the sitemap: a list of pages, or (for a site over the per-file limit) an index of such lists. */
export type SitemapFile =
  | { url: string; kind: "urlset"; entries: SitemapEntry[] }
  | { url: string; kind: "index"; parts: string[] };

/** Where the sitemap (or its index), the Google News sitemap and robots.txt are published. */
export const sitemapUrl = "/sitemap.xml";
export const newsSitemapUrl = "/news-sitemap.xml";
export const robotsUrl = "/robots.txt";

/** The sitemaps protocol's limit of URLs per file. */
export const sitemapLimit = 50_000;
/** Google News reads at most this many articles from one news sitemap. */
export const newsSitemapLimit = 1000;

/**
 * The home page, every category page, tag page and monthly or yearly archive, and every published article. A page's
 * last change is its
 * newest article's (its `updated`, else its `date`); an empty category page has none.
 */
export function sitemapEntries(site: {
  articles: ArticleEntry[];
  categoryPages: Sections["categoryPages"];
  collectionPages: { url: string; articles: { url: string }[] }[];
}): SitemapEntry[] {
  const published = site.articles.filter((article) => !article.draft);
  // Once per article: a listing page's date is its newest article's, and an article is listed on many pages.
  const changedAt = new Map(published.map((article) => [article.url, lastModified(article)]));
  // A loop, not arrays made and reduced: it runs for every article of every listing page.
  const entry = (url: string, articles: { url: string }[]): SitemapEntry => {
    let latest: ArticleDate | undefined;
    for (const article of articles) {
      const date = changedAt.get(article.url);
      if (date && (!latest || date.millis > latest.millis)) latest = date;
    }
    return latest ? { url, lastModified: latest } : { url };
  };
  return [
    entry("/", published),
    ...site.categoryPages.map((page) => entry(page.url, page.articles)),
    ...site.collectionPages.map((page) => entry(page.url, page.articles)),
    ...published.map((article) => entry(article.url, [article])),
  ];
}

/** The URLs of the sitemap's files for `count` pages, as `sitemapFiles` names them. */
export function sitemapFileUrls(count: number, limit = sitemapLimit): string[] {
  if (count <= limit) return [sitemapUrl];
  return [sitemapUrl, ...Array.from({ length: Math.ceil(count / limit) }, (_, index) => `/sitemap-${index + 1}.xml`)];
}

/** How many pages `sitemapEntries` lists, without listing them. */
export function sitemapEntryCount(site: Parameters<typeof sitemapEntries>[0]): number {
  const published = site.articles.filter((article) => !article.draft).length;
  return 1 + site.categoryPages.length + site.collectionPages.length + published;
}

/** `sitemap.xml` alone, or, past `limit` URLs, `sitemap.xml` as an index of `sitemap-1.xml`, `sitemap-2.xml`, … */
export function sitemapFiles(entries: SitemapEntry[], limit = sitemapLimit): SitemapFile[] {
  const [index, ...parts] = sitemapFileUrls(entries.length, limit);
  if (parts.length === 0) return [{ url: index!, kind: "urlset", entries }];
  return [
    { url: index!, kind: "index", parts },
    ...parts.map(
      (url, part): SitemapFile => ({
        url,
        kind: "urlset",
        entries: entries.slice(part * limit, (part + 1) * limit),
      }),
    ),
  ];
}

/**
 * The articles for Google News: published in the `hours` before the build time (none from its future), newest first,
 * at most 1,000.
 */
export function newsArticles<A extends Pick<ArticleEntry, "draft" | "date">>(
  articles: A[],
  buildTime: Date,
  hours: number,
): A[] {
  const end = buildTime.getTime();
  const start = end - hours * 3_600_000;
  return articles
    .filter((article) => !article.draft && article.date.millis > start && article.date.millis <= end)
    .sort((a, b) => b.date.millis - a.date.millis)
    .slice(0, newsSitemapLimit);
}
