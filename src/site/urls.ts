import type { SiteConfig } from "./config.ts";

type UrlSettings = Pick<SiteConfig, "url" | "pathPrefix">;

/** One page of a listing and its neighbours: page 1 at `base`, page n at `<base>page/n/`. */
export interface Paging<T> {
  number: number;
  pageCount: number;
  url: string;
  items: T[];
  /** The "show more" (إظهار المزيد) link, absent on the last page. */
  nextUrl?: string;
  previousUrl?: string;
}

/** The URL of page `page` of the listing at `base` (`/politics/`, `/tags/armynya/`). */
export function pagedUrl(base: string, page: number): string {
  return page === 1 ? base : `${base}page/${page}/`;
}

/** The pages `list` is shown on, `pageSize` items each; an empty list still has its first page. */
export function paginate<T>(list: T[], pageSize: number, base: string): Paging<T>[] {
  const pageCount = Math.max(1, Math.ceil(list.length / pageSize));
  return Array.from({ length: pageCount }, (_, index) => {
    const number = index + 1;
    return {
      number,
      pageCount,
      url: pagedUrl(base, number),
      items: list.slice(index * pageSize, number * pageSize),
      ...(number < pageCount && { nextUrl: pagedUrl(base, number + 1) }),
      ...(number > 1 && { previousUrl: pagedUrl(base, number - 1) }),
    };
  });
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
