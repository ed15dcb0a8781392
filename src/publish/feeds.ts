import { dateToRfc3339 } from "@11ty/eleventy-plugin-rss";
import type { Category, SiteConfig } from "../site/config.ts";
import { type ArticleDate, lastModified } from "../site/dates.ts";
import { categoryUrl } from "../site/sections.ts";
import type { FeedArticle, Site } from "../site/site.ts";
import type { Asset } from "./assets.ts";

/** One feed: the newest articles of the whole site or of one category, offered as Atom and as JSON Feed. */
export interface Feed {
  title: string;
  /** Site-relative URL of the page the feed follows: the home page or the category's first page. */
  pageUrl: string;
  atomUrl: string;
  jsonUrl: string;
  /** Newest first, at most `feedSize`; drafts never go out to machines. */
  articles: FeedArticle[];
}

/** What rendering a feed needs besides its articles. */
export interface FeedContext {
  config: SiteConfig;
  /** The feed's icon. */
  logo: Asset;
  /** When the build is for: the `updated` time of a feed with no articles. */
  buildTime: Date;
  /**
   * An article's lead photo and body with every URL absolute, as the feed carries them; undefined for
   * title-and-summary feeds.
   */
  content: (article: FeedArticle) => string | undefined;
}

/** When the feed last changed: its most recently updated article's time, or the build's when it has none. */
export function feedUpdated(feed: Feed, buildTime: Date): Date {
  const times = feed.articles.map((article) => lastModified(article).millis);
  return times.length > 0 ? new Date(Math.max(...times)) : buildTime;
}

/** The media types feeds are linked and served with. */
/** A date as both feed formats write it (RFC 3339). */
export function rfc3339(date: ArticleDate): string {
  return dateToRfc3339(date.dateTime.toJSDate());
}

export const feedTypes = { atom: "application/atom+xml", json: "application/feed+json" } as const;

/** Where a feed lives: next to the page it follows (`/feed.xml`, `/politics/feed.json`). */
export function feedUrls(category?: Category): { atom: string; json: string } {
  const folder = category ? categoryUrl(category) : "/";
  return { atom: `${folder}feed.xml`, json: `${folder}feed.json` };
}

/** A feed's title, as readers and `<link rel="alternate">` show it: `سياسة | مداد`, or the site's name. */
export function feedTitle(config: Pick<SiteConfig, "name">, category?: Category): string {
  return category ? `${category.label} | ${config.name}` : config.name;
}

/**
 * The newest published articles of the whole site, then of each category in the site's order: what each feed carries.
 */
function feedLists<A extends Pick<FeedArticle, "draft" | "categories">>(
  articles: A[],
  config: SiteConfig,
): { category?: Category; articles: A[] }[] {
  const newest = (category?: Category) => {
    const found: A[] = [];
    // Newest first, so the walk stops once the feed is full: an archive's older articles are never looked at.
    for (const article of articles) {
      if (found.length === config.feedSize) break;
      if (!article.draft && (!category || article.categories.some((c) => c.key === category.key))) found.push(article);
    }
    return { ...(category && { category }), articles: found };
  };
  return [newest(), ...config.categories.map(newest)];
}

/** Every article some feed carries, once: the ones a build renders in full for the feeds. */
export function feedArticles<A extends Pick<FeedArticle, "draft" | "categories">>(
  articles: A[],
  config: SiteConfig,
): A[] {
  return [...new Set(feedLists(articles, config).flatMap((list) => list.articles))];
}

/**
 * The feeds of tags, authors and stories, next to their pages (`/tags/armynya/feed.xml`): titles and summaries only,
 * so an archive's hundreds of them stay small and no extra body is rendered for them.
 */
export function collectionFeeds(site: Pick<Site, "config" | "articles" | "collectionPages">): Feed[] {
  const byUrl = new Map(site.articles.map((article) => [article.url, article]));
  return site.collectionPages.flatMap((page) =>
    page.feed
      ? [{ ...collectionFeed(page, site.config), articles: page.feed.map((url) => ({ ...byUrl.get(url)!, html: "" })) }]
      : [],
  );
}

/** A collection's feed: its title and where it lives, beside the collection's page. */
export function collectionFeed(page: { title: string; url: string }, config: Pick<SiteConfig, "name">) {
  return {
    title: `${page.title} | ${config.name}`,
    pageUrl: page.url,
    atomUrl: `${page.url}feed.xml`,
    jsonUrl: `${page.url}feed.json`,
  };
}

/** The site's feed first, then one per category in the site's order. */
export function siteFeeds(site: Pick<Site, "config" | "articles" | "feedPages">): Feed[] {
  const { config } = site;
  return feedLists(site.articles, config).map(({ category, articles }) => {
    const urls = feedUrls(category);
    return {
      title: feedTitle(config, category),
      pageUrl: category ? categoryUrl(category) : "/",
      atomUrl: urls.atom,
      jsonUrl: urls.json,
      articles: articles.map((article) => site.feedPages.get(article.url)!),
    };
  });
}
