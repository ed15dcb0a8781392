import slugify from "@sindresorhus/slugify";
import type { ArticleEntry } from "../articles/article-entry.ts";
import type { Problem } from "../articles/problems.ts";
import type { Teaser } from "./article-page.ts";
import { type AuthorProfile, authorSlug, authorUrl } from "./authors.ts";
import type { SiteConfig } from "./config.ts";
import { type ArticleDate, type DateData, dateData, formatArabicMonth, formatNumber } from "./dates.ts";
import { groupedBy } from "./sections.ts";
import type { StoryProfile } from "./stories.ts";
import { type Paging, pagedUrl, paginate } from "./urls.ts";

/** A link to another collection page, with how many articles it holds. */
export interface CollectionLink {
  url: string;
  label: string;
  count: number;
}

/**
 * One page of a collection other than a category, newest first and paged like category pages: a tag's, an author's
 * or a story's articles (`/tags/<slug>/`, `/authors/<slug>/`, `/stories/<key>/`), a year's (`/2022/`) or a month's
 * (`/2022/01/`), or the index of every tag, author or story (`/tags/`, `/authors/`, `/stories/`).
 */
export interface CollectionPage {
  kind: "tag" | "author" | "story" | "year" | "month" | "tag-index" | "author-index" | "story-index";
  /** The heading: the tag, the year, the month in the site's style (the tag index has none of its own). */
  title: string;
  url: string;
  /** A numbered page's number, counted from the oldest articles; absent on the first page (see `paginate`). */
  number?: number;
  articles: Teaser[];
  /** The "show more" (إظهار المزيد) link, to older articles; absent on the oldest page. */
  nextUrl?: string;
  /** The link to newer articles; absent on the first page. */
  previousUrl?: string;
  /** A month's neighbours that have articles, without the counts the page does not show: those change daily. */
  newer?: Omit<CollectionLink, "count">;
  older?: Omit<CollectionLink, "count">;
  /** A year's months (on its first page); the tag, author and story indexes' entries. */
  links: CollectionLink[];
  /** An author's page: the newsroom's profile of the byline, if it has one. */
  profile?: AuthorProfile;
  /** A story's first page: what it is about, from its newest article. */
  summary?: string;
  /** A story's first page: every timeline event of its articles, oldest first, the same date and text once. */
  chronology?: ChronologyEvent[];
  /** A tag's, an author's or a story's first page: the URLs of the articles its feeds carry, newest first. */
  feed?: string[];
}

/** One event of a story's chronology, as plain data: where it came from, to link to it. */
export interface ChronologyEvent {
  date: DateData;
  /** The event's text as its article wrote it (inline Markdown). */
  text: string;
  url: string;
  title: string;
}

/** A chronology event as a page shows it: its date, its text rendered, and the article it came from. */
export interface StoryEvent {
  date: ArticleDate;
  html: string;
  url: string;
  title: string;
}

/** What a collection page is rendered from: the page, and its chronology ready to show. */
export type CollectionView = CollectionPage & { events: StoryEvent[] };

export function storyUrl(key: string, page?: number): string {
  return pagedUrl(`/stories/${key}/`, page);
}

/** The readable Latin slug of a tag, as article slugs are made: `أرمينيا` is `armynya`. */
export function tagSlug(tag: string): string {
  return slugify(tag.normalize("NFC"));
}

export function tagUrl(tag: string, page?: number): string {
  return pagedUrl(`/tags/${tagSlug(tag)}/`, page);
}

/**
 * Two tags (or bylines) that are not the same words must not share a page: after NFC and case folding they are one,
 * but two that give one slug (`أرمينيا` and `ارمينيا`, written with and without its hamza) are a problem naming both.
 */
export function collectionProblems(articles: ArticleEntry[]): Problem[] {
  return [
    ...sharedSlugs(articles, { field: "tags", noun: "tags", valuesOf: (a) => a.tags, urlOf: tagUrl, slugOf: tagSlug }),
    ...sharedSlugs(articles, {
      field: "author",
      noun: "bylines",
      valuesOf: (a) => (a.author ? [a.author] : []),
      urlOf: authorUrl,
      slugOf: authorSlug,
    }),
  ];
}

interface SlugRule {
  field: "tags" | "author";
  noun: string;
  valuesOf: (article: ArticleEntry) => string[];
  urlOf: (value: string) => string;
  slugOf: (value: string) => string;
}

/** `slugOf`, remembered for one call: an archive repeats a few hundred tags and bylines tens of thousands of times. */
function remembered(slugOf: (value: string) => string): (value: string) => string {
  const known = new Map<string, string>();
  return (value) => {
    let slug = known.get(value);
    if (slug === undefined) {
      slug = slugOf(value);
      known.set(value, slug);
    }
    return slug;
  };
}

function sharedSlugs(articles: ArticleEntry[], rule: SlugRule): Problem[] {
  const slugOf = remembered(rule.slugOf);
  const bySlug = new Map<string, { value: string; file: string }>();
  const problems: Problem[] = [];
  for (const article of articles) {
    const where = {
      file: article.file,
      ...(rule.field === "tags" && article.tagsLine !== undefined && { line: article.tagsLine }),
      field: rule.field,
    };
    for (const value of rule.valuesOf(article)) {
      const slug = slugOf(value);
      if (slug === "") {
        problems.push({
          ...where,
          message: `"${value}" has no letters or digits to make its page's URL from`,
          fix: "write it in words",
        });
        continue;
      }
      const first = bySlug.get(slug);
      if (!first) bySlug.set(slug, { value, file: article.file });
      else if (first.value.normalize("NFC").toLowerCase() !== value.normalize("NFC").toLowerCase()) {
        problems.push({
          ...where,
          message: `the ${rule.noun} "${value}" and "${first.value}" (in ${first.file}) would share the page ${rule.urlOf(value)}`,
          fix: "write both the same way, or make them differ in their letters",
        });
      }
    }
  }
  return problems;
}

/** Tag and author pages and their indexes, and a page for every year and month that has articles, newest first. */
export function buildCollections(
  articles: ArticleEntry[],
  teaserOf: (article: ArticleEntry) => Teaser,
  config: SiteConfig,
  profiles: ReadonlyMap<string, AuthorProfile> = new Map(),
  storyProfiles: ReadonlyMap<string, StoryProfile> = new Map(),
): CollectionPage[] {
  const pages: CollectionPage[] = [];
  const listing = (
    base: Omit<CollectionPage, keyof Paging<unknown> | "articles">,
    url: string,
    list: ArticleEntry[],
    // What changes with the listing's newest articles is on its first page alone: the numbered ones never change.
    first: Partial<Pick<CollectionPage, "feed" | "summary" | "chronology" | "links">> = {},
  ) => {
    for (const { items, ...paging } of paginate(list, config.pageSize, url)) {
      // Assigned, not spread: V8 gives objects spread here a shape each, and an archive has thousands of these pages.
      pages.push(
        Object.assign({}, base, paging.number === undefined ? first : {}, paging, { articles: items.map(teaserOf) }),
      );
    }
  };
  // The URLs of the articles a listing's feeds carry; drafts never go out to machines.
  const feedOf = (list: ArticleEntry[]): { feed?: string[] } => {
    const feed = list
      .filter((article) => !article.draft)
      .slice(0, config.feedSize)
      .map((article) => article.url);
    return feed.length > 0 ? { feed } : {};
  };

  // A tag's page takes the first spelling it was written in; NFC and letter case make one tag.
  const tags = new Map<string, { tag: string; articles: ArticleEntry[] }>();
  const slugOfTag = remembered(tagSlug);
  for (const article of articles) {
    for (const tag of new Set(article.tags.map((t) => t.normalize("NFC")))) {
      const slug = slugOfTag(tag);
      const known = tags.get(slug) ?? { tag, articles: [] };
      // Two spellings of one tag on one article list it once; its articles come one after another.
      if (known.articles.at(-1) !== article) known.articles.push(article);
      tags.set(slug, known);
    }
  }
  const byCount = [...tags.values()].sort((a, b) => b.articles.length - a.articles.length || (a.tag < b.tag ? -1 : 1));
  const tagLinks = byCount.map(({ tag, articles: list }) => ({ url: tagUrl(tag), label: tag, count: list.length }));
  // The index's title is the templates' word for tags.
  pages.push({ kind: "tag-index", title: "", url: "/tags/", articles: [], links: tagLinks });
  for (const { tag, articles: list } of tags.values())
    listing({ kind: "tag", title: tag, links: [] }, tagUrl(tag), list, feedOf(list));

  const bylines = groupedBy(articles, (article) => article.author);
  const authorLinks = [...bylines]
    .sort(([a, first], [b, second]) => second.length - first.length || (a < b ? -1 : 1))
    .map(([name, list]) => ({ url: authorUrl(name), label: name, count: list.length }));
  // The index's title is the templates' word for authors.
  pages.push({
    kind: "author-index",
    title: "",
    url: "/authors/",
    articles: [],
    links: authorLinks,
  });
  for (const [name, list] of bylines) {
    const profile = profiles.get(name);
    listing(
      { kind: "author", title: name, links: [], ...(profile && { profile }) },
      authorUrl(name),
      list,
      feedOf(list),
    );
  }

  const stories = groupedBy(articles, (article) => article.story);
  // A story is named as the newsroom names it in stories.yaml, else after the article that opened it: a name that
  // follows the newest article would change every page of the story with each new one.
  const storyTitle = (key: string) => storyProfiles.get(key)?.title ?? stories.get(key)!.at(-1)!.title;
  const storyLinks = [...stories].map(([key, list]) => ({
    url: storyUrl(key),
    label: storyTitle(key),
    count: list.length,
  }));
  pages.push({
    kind: "story-index",
    title: "",
    url: "/stories/",
    articles: [],
    links: storyLinks,
  });
  for (const [key, list] of stories) {
    const summary = storyProfiles.get(key)?.summary ?? list[0]!.summary;
    listing({ kind: "story", title: storyTitle(key), links: [] }, storyUrl(key), list, {
      ...feedOf(list),
      ...(summary && { summary }),
      chronology: chronologyOf(list),
    });
  }

  const months = new Map<string, ArticleEntry[]>();
  for (const article of articles) {
    const month = article.url.split("/").slice(1, 3).join("/");
    months.set(month, [...(months.get(month) ?? []), article]);
  }
  // Newest first, as the articles are.
  const monthKeys = [...months.keys()];
  const monthLink = (key: string): CollectionLink => {
    const first = months.get(key)![0]!;
    return { url: `/${key}/`, label: formatArabicMonth(first.date, config.dates), count: months.get(key)!.length };
  };
  const neighbour = (key: string) => ({ url: `/${key}/`, label: monthLink(key).label });
  for (const [index, key] of monthKeys.entries()) {
    const list = months.get(key)!;
    const newer = monthKeys[index - 1];
    const older = monthKeys[index + 1];
    listing(
      {
        kind: "month",
        title: monthLink(key).label,
        links: [],
        ...(newer && { newer: neighbour(newer) }),
        ...(older && { older: neighbour(older) }),
      },
      `/${key}/`,
      list,
    );
  }
  const years = [...new Set(monthKeys.map((key) => key.split("/")[0]!))];
  for (const year of years) {
    const list = articles.filter((article) => article.url.startsWith(`/${year}/`));
    const yearMonths = monthKeys.filter((key) => key.startsWith(`${year}/`)).map(monthLink);
    listing({ kind: "year", title: formatNumber(Number(year), config.dates.digits), links: [] }, `/${year}/`, list, {
      links: yearMonths,
    });
  }
  return pages;
}

/**
 * Every timeline event of a story's articles, oldest first; an event two articles both tell (same date, same text)
 * once.
 */
function chronologyOf(articles: ArticleEntry[]): ChronologyEvent[] {
  const seen = new Set<string>();
  const events = articles
    .flatMap((article) => article.events.map((event) => ({ event, article })))
    .sort((a, b) => a.event.date.millis - b.event.date.millis || a.article.date.millis - b.article.date.millis);
  const chronology: ChronologyEvent[] = [];
  for (const { event, article } of events) {
    const key = `${event.date.iso}\n${event.text.normalize("NFC")}`;
    if (seen.has(key)) continue;
    seen.add(key);
    chronology.push({ date: dateData(event.date), text: event.text, url: article.url, title: article.title });
  }
  return chronology;
}
