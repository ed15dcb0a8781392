import {
  newsArticles,
  newsSitemapUrl,
  robotsUrl,
  type SitemapFile,
  sitemapEntries,
  sitemapFiles,
} from "../src/publish/sitemaps.ts";
import { buildTimeFrom } from "../src/site/build-time.ts";
import type { Site } from "../src/site/site.ts";
import type { DeepPartial } from "../src/util/options.ts";
import { mergeOptions } from "../src/util/options.ts";
import { renderNewsSitemap, renderRobots, renderSitemap } from "../templates/sitemaps.ts";
import type { EleventyConfig } from "./eleventy.ts";

/**
 * `sitemap.xml` (every page), `news-sitemap.xml` (Google News: the latest articles) and `robots.txt` pointing to
 * both.
 */
export interface Options {
  /**
   * The moment the news sitemap counts back from. Default: `SOURCE_DATE_EPOCH` when set, else when the sitemap is
   * written.
   */
  buildTime: () => Date;
  /** How far back the news sitemap reaches, in hours. Default 48, Google News' window. */
  newsHours: number;
}

export const defaults: Options = { buildTime: () => buildTimeFrom(process.env), newsHours: 48 };

export default function sitemapsPlugin(eleventyConfig: EleventyConfig, userOptions: DeepPartial<Options> = {}): void {
  const options = mergeOptions(defaults, userOptions);
  const add = (
    name: string,
    data: Record<string, unknown>,
    render: (data: { midad: Site; sitemap: SitemapFile }) => string,
  ) =>
    eleventyConfig.addTemplate(`${name}.11ty.js`, { data: { eleventyExcludeFromCollections: true, ...data }, render });

  add(
    "sitemap",
    {
      // Eleventy paginates over data it can name (the categories are never empty); `before` swaps them for the
      // sitemap's files.
      pagination: {
        data: "midad.config.categories",
        size: 1,
        alias: "sitemap",
        before: (_categories: unknown, data: { midad: Site }) => sitemapFiles(sitemapEntries(data.midad)),
      },
      permalink: (data: { sitemap: SitemapFile }) => data.sitemap.url,
    },
    (data) => renderSitemap(data.midad.config, data.sitemap),
  );
  add("news-sitemap", { permalink: newsSitemapUrl }, (data) =>
    renderNewsSitemap(data.midad.config, newsArticles(data.midad.articles, options.buildTime(), options.newsHours)),
  );
  add("robots", { permalink: robotsUrl }, (data) => renderRobots(data.midad.config));
}
