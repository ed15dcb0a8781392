import type { SiteConfig } from "./config.ts";

type UrlSettings = Pick<SiteConfig, "url" | "pathPrefix">;

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
