import { HtmlBasePlugin } from "@11ty/eleventy";
import articles, { type Options as ArticlesOptions } from "./plugins/articles.ts";
import type { EleventyConfig } from "./plugins/eleventy.ts";
import feeds from "./plugins/feeds.ts";
import headers from "./plugins/headers.ts";
import minify from "./plugins/minify.ts";
import pages, { type Options as PagesOptions } from "./plugins/pages.ts";
import precompress from "./plugins/precompress.ts";
import sitemaps from "./plugins/sitemaps.ts";
import { resolveSiteConfig } from "./src/config.ts";
import type { DeepPartial } from "./src/options.ts";
import site from "./site.config.ts";

/**
 * A build's options: the articles plugin's, and the pages plugin's as `pages`. The articles'
 * `buildTime` (default: `SOURCE_DATE_EPOCH`, else now) is the moment feeds and sitemaps are for too.
 */
export type MidadOptions = DeepPartial<ArticlesOptions> & { pages?: DeepPartial<PagesOptions> };

/** midad as one Eleventy configuration: it only composes plugins, all behaviour lives in plugins/ and src/. */
export function midad(options: MidadOptions = {}) {
  const { buildTime } = options;
  return function configure(eleventyConfig: EleventyConfig) {
    // Resolved here, not when the module loads, so a bad site.config.ts value is reported as the build's failure.
    const { pathPrefix } = resolveSiteConfig(options.site);
    const { pages: pagesOptions, ...articlesOptions } = options;
    eleventyConfig.addPlugin(articles, articlesOptions);
    eleventyConfig.addPlugin(pages, { ...(options.root && { root: options.root }), ...pagesOptions });
    // Puts the path prefix into every URL of the pages' HTML (href, src, srcset); feeds and sitemaps add it themselves.
    // Given explicitly: Eleventy's programmatic API (tests, benchmark) ignores the `pathPrefix` returned below.
    eleventyConfig.addPlugin(HtmlBasePlugin, { baseHref: pathPrefix });
    eleventyConfig.addPlugin(feeds, { ...(buildTime && { buildTime }) });
    eleventyConfig.addPlugin(sitemaps, { ...(buildTime && { buildTime }) });
    eleventyConfig.addPlugin(headers);
    // Transforms run in the order they are added: pages are minified once their URLs are final.
    eleventyConfig.addPlugin(minify, { ...(options.root && { root: options.root }) });
    eleventyConfig.addPlugin(precompress, { ...(options.root && { root: options.root }) });
    return {
      dir: { input: "templates", output: "_site" },
      templateFormats: ["11ty.js"],
      // For the command line, so that `npm start` serves the site under the prefix too.
      pathPrefix,
    };
  };
}

// The dev server (`npm start`) previews drafts and, rather than stop, shows article problems in its pages.
const previewing = process.env.ELEVENTY_RUN_MODE === "serve";
export default midad({ site, includeDrafts: previewing, keepGoing: previewing });
