import { defaultImageOptions } from "../src/images/pipeline.ts";
import { collectionFeeds, feedTypes, siteFeeds } from "../src/publish/feeds.ts";
import { formatHeaders, headerRules, styleHash } from "../src/publish/headers.ts";
import { newsSitemapUrl, robotsUrl, sitemapEntryCount, sitemapFileUrls } from "../src/publish/sitemaps.ts";
import type { Site } from "../src/site/site.ts";
import { searchIndexUrl, searchPageUrl } from "../src/site/urls.ts";
import type { DeepPartial } from "../src/util/options.ts";
import { mergeOptions } from "../src/util/options.ts";
import type { EleventyConfig } from "./eleventy.ts";
import { defaults as pagesDefaults } from "./pages.ts";

/**
 * `_headers` for Netlify and Cloudflare Pages (and `npm run serve:dist`): caching, feed media types and security
 * headers.
 */
export interface Options {
  /**
   * Site folders whose files are named by their content, cached for a year as `immutable`. Default: the image
   * pipeline's `/img/` and the logo's `/assets/`.
   */
  immutable: string[];
  /**
   * Seconds pages, feeds and sitemaps may be reused before a browser or CDN asks again. Default 60, so a correction
   * reaches readers within a minute.
   */
  maxAge: number;
}

export const defaults: Options = { immutable: [defaultImageOptions.urlPath, pagesDefaults.assetsPath], maxAge: 60 };

export default function headersPlugin(eleventyConfig: EleventyConfig, userOptions: DeepPartial<Options> = {}): void {
  const options = mergeOptions(defaults, userOptions);
  eleventyConfig.addTemplate("headers.11ty.js", {
    data: { eleventyExcludeFromCollections: true, permalink: "/_headers" },
    render: (data: { midad: Site; stylesheet: string }) => {
      const site = data.midad;
      const feeds = [...siteFeeds(site), ...collectionFeeds(site)];
      const sitemaps = sitemapFileUrls(sitemapEntryCount(site));
      const types: Record<string, string> = {
        ...Object.fromEntries(
          feeds.flatMap((feed) => [
            [feed.atomUrl, `${feedTypes.atom}; charset=utf-8`],
            [feed.jsonUrl, `${feedTypes.json}; charset=utf-8`],
          ]),
        ),
        ...Object.fromEntries([...sitemaps, newsSitemapUrl].map((url) => [url, "application/xml; charset=utf-8"])),
        [robotsUrl]: "text/plain; charset=utf-8",
      };
      const pages = [
        "/",
        "/404.html",
        searchPageUrl,
        ...site.categoryPages.map((page) => page.url),
        ...site.collectionPages.map((page) => page.url),
        ...site.articles.map((article) => article.url),
      ];
      return formatHeaders(
        headerRules({
          pathPrefix: site.config.pathPrefix,
          styleHashes: [styleHash(data.stylesheet)],
          immutable: options.immutable,
          // The index's files keep their names from build to build: revalidated like pages.
          urls: [...pages, `${searchIndexUrl}pagefind.js`, ...Object.keys(types)],
          types,
          maxAge: options.maxAge,
          scripted: [searchPageUrl],
        }),
      );
    },
  });
}
