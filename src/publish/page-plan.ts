import { noPhotos, teaserData, toRecord } from "../articles/article-entry.ts";
import type { Site, Teaser } from "../site/site.ts";
import { contentKey } from "./content-cache.ts";
import { collectionFeeds } from "./feeds.ts";
import { codeFingerprint } from "./fingerprint.ts";
import type { PageJob, RenderSettings } from "./page-render.ts";

/** A job before its key is put in, kind by kind. */
type Unkeyed<T> = T extends unknown ? Omit<T, "key"> : never;
type Unplanned = Omit<PlannedPage, "job"> & { job: () => Unkeyed<PageJob> };

/** A page to write: where, under which key, and how to make its job should the cache not have it. */
export interface PlannedPage {
  key: string;
  /**
   * An article page's: a hash of what the search index takes from it (the article element, made of the article's
   * bytes and photos), without the related articles beside it, so a teaser's change leaves the index alone.
   */
  indexKey?: string;
  url: string;
  /** The output file, relative to the output folder: `<url>index.html`, or a feed beside its page. */
  file: string;
  job: () => PageJob;
}

/**
 * Every article page and category page, each with its key: a hash of everything the finished page
 * is made of (midad's code, the settings, the article's exact bytes, its photos' outputs, and what it
 * shows of the articles it lists: their teasers, by hash). Equal keys mean
 * equal pages, so a page whose key is in the cache is linked, not rendered; anything that differs
 * gives another key, and a page that is not there is rendered. Jobs are made only for those. The article pages are
 * planned at once, the listings and feeds when asked for: an edited article's page can be written first.
 */
export function planPages(
  site: Site,
  settings: RenderSettings,
): { articles: PlannedPage[]; others: () => PlannedPage[] } {
  const salt = contentKey(codeFingerprint(), JSON.stringify(settings));
  const teaserOf = new Map(site.articles.map((entry) => [entry.url, entry.teaserHash]));
  const teasers = (listed: Teaser[]) => listed.map((teaser) => teaserOf.get(teaser.url)!);
  const articles = site.articles.map((entry) => ({
    url: entry.url,
    indexKey: contentKey(salt, "search", entry.url, entry.sourceHash, JSON.stringify(entry.photos ?? noPhotos)),
    key: contentKey(
      salt,
      "article",
      entry.url,
      entry.sourceHash,
      JSON.stringify(entry.photos ?? noPhotos),
      ...teasers(entry.related),
    ),
    job: () => ({
      kind: "article" as const,
      url: entry.url,
      entry: toRecord(entry),
      photos: entry.photos ?? noPhotos,
      related: entry.related.map(teaserData),
    }),
  }));
  const listings = () => [
    ...site.categoryPages.map(({ category, articles, ...paging }) => ({
      url: paging.url,
      // Its URL, number and links, not the listing's length: of a numbered page's, only its last "newer" link moves.
      key: contentKey(salt, "category", category.key, JSON.stringify(paging), ...teasers(articles)),
      job: () => ({
        kind: "category" as const,
        url: paging.url,
        category: category.key,
        paging,
        articles: articles.map(teaserData),
      }),
    })),
    ...site.collectionPages.map(({ articles, ...page }) => {
      // Whether the page has feeds shows on it (their links); which articles they carry does not.
      const { feed, ...shown } = page;
      return {
        url: page.url,
        key: contentKey(salt, "collection", page.url, JSON.stringify(shown), feed ? "feeds" : "", ...teasers(articles)),
        job: () => ({ kind: "collection" as const, url: page.url, page, articles: articles.map(teaserData) }),
      };
    }),
  ];
  const inFolder = (pages: Omit<Unplanned, "file">[]) =>
    pages.map((page): Unplanned => ({ ...page, file: `${page.url.slice(1)}index.html` }));
  const feeds = (): Unplanned[] =>
    collectionFeeds(site).flatMap((feed) =>
      (["atom", "json"] as const).map((format) => {
        const file = (format === "atom" ? feed.atomUrl : feed.jsonUrl).slice(1);
        // An entry's source hash stands for everything a feed shows of it.
        const key = contentKey(salt, "feed", file, feed.title, ...feed.articles.map((entry) => entry.sourceHash));
        const { articles, ...rest } = feed;
        return {
          url: feed.pageUrl,
          file,
          key,
          job: () => ({
            kind: "feed" as const,
            url: feed.pageUrl,
            key,
            format,
            feed: rest,
            entries: articles.map(toRecord),
          }),
        };
      }),
    );
  const keyed = (pages: Unplanned[]): PlannedPage[] =>
    pages.map(({ job, ...page }) => ({ ...page, job: () => ({ ...job(), key: page.key }) as PageJob }));
  return { articles: keyed(inFolder(articles)), others: () => keyed([...inFolder(listings()), ...feeds()]) };
}
