import type { SiteConfig } from "./config.ts";

type UrlSettings = Pick<SiteConfig, "url" | "pathPrefix">;

/** One page of a listing and its neighbours: the first page at `base`, numbered page k at `<base>page/k/`. */
export interface Paging<T> {
  /** A numbered page's number, counted from the oldest articles; absent on the first page. */
  number?: number;
  url: string;
  /** Newest first. */
  items: T[];
  /** The "show more" (إظهار المزيد) link, to older articles; absent on the oldest page. */
  nextUrl?: string;
  /** The link to newer articles (الأحدث); absent on the first page. */
  previousUrl?: string;
}

/** The URL of a listing's first page, `base` (`/politics/`, `/tags/armynya/`), or of its numbered page `page`. */
export function pagedUrl(base: string, page?: number): string {
  return page === undefined ? base : `${base}page/${page}/`;
}

/**
 * The pages `list` (newest first) is shown on, numbered from its oldest item so that a full page never changes:
 * numbered page k (`<base>page/k/`) holds the k-th `pageSize` items counted from the oldest, and the first page
 * (`base`) the newest rest, `pageSize` to `2·pageSize - 1` of them (all of a shorter list; an empty list has it too).
 * Why: a new article changes only the first page of its listings (which hands its oldest `pageSize` on as a new
 * numbered page once it holds `2·pageSize`), so a deploy uploads a handful of pages and CDN copies stay valid.
 * The pages come in reading order: the first, then the numbered ones from the newest.
 */
export function paginate<T>(list: T[], pageSize: number, base: string): Paging<T>[] {
  const count = Math.max(0, Math.floor(list.length / pageSize) - 1);
  const first: Paging<T> = {
    url: base,
    items: list.slice(0, list.length - count * pageSize),
    ...(count > 0 && { nextUrl: pagedUrl(base, count) }),
  };
  const numbered = Array.from({ length: count }, (_, index): Paging<T> => {
    const number = count - index;
    // The list is newest first: the oldest-first chunk k ends (k-1) pages before its end.
    const end = list.length - (number - 1) * pageSize;
    return {
      number,
      url: pagedUrl(base, number),
      items: list.slice(end - pageSize, end),
      ...(number > 1 && { nextUrl: pagedUrl(base, number - 1) }),
      // The one link that changes once this page stops being the newest numbered one.
      previousUrl: number < count ? pagedUrl(base, number + 1) : base,
    };
  });
  return [first, ...numbered];
}

/**
 * The path a reader's browser asks for: a site-relative URL (`/politics/`) under the path prefix
 * (`/news/politics/`). Pages get the prefix from Eleventy's HTML base plugin; this is for the rest.
 */
export function prefixedPath(config: Pick<SiteConfig, "pathPrefix">, url: string): string {
  return config.pathPrefix + url.replace(/^\//, "");
}

/**
 * The absolute URL of a site-relative one. Every URL that leaves the site (feeds, sitemaps, canonical links,
 * structured data) is made here, from the site config alone.
 */
export function absoluteUrl(config: UrlSettings, url: string): string {
  return config.url + prefixedPath(config, url);
}

/** The search page, linked from every page's header. */
export const searchPageUrl = "/search/";
/** The search index's folder, which the search page's script loads. */
export const searchIndexUrl = "/pagefind/";
/** The same folder in the output, as the search index is written there and a build keeps it for the next. */
export const searchIndexFolder = searchIndexUrl.slice(1, -1);
