import { HtmlBasePlugin } from "@11ty/eleventy";
import articles, { type Options as ArticlesOptions, defaults as articlesDefaults } from "./plugins/articles.ts";
import type { EleventyConfig } from "./plugins/eleventy.ts";
import feeds, { type Options as FeedsOptions } from "./plugins/feeds.ts";
import headers, { type Options as HeadersOptions } from "./plugins/headers.ts";
import minify, { type Options as MinifyOptions, defaults as minifyDefaults } from "./plugins/minify.ts";
import pages, { type Options as PagesOptions, defaults as pagesDefaults } from "./plugins/pages.ts";
import precompress, {
  type Options as PrecompressOptions,
  defaults as precompressDefaults,
} from "./plugins/precompress.ts";
import search, { type Options as SearchOptions } from "./plugins/search.ts";
import sitemaps, { type Options as SitemapsOptions } from "./plugins/sitemaps.ts";
import site from "./site.config.ts";
import { resolveSiteConfig } from "./src/site/config.ts";
import { hostProfile } from "./src/site/hosts.ts";
import { type DeepPartial, mergeOptions } from "./src/util/options.ts";

/**
 * A build's options: the articles plugin's at the top (the site settings, the articles folder,
 * drafts, images…), and each other plugin's under its name, as Lume's `mod.ts` takes them. What
 * several plugins need is given once: `root` and `buildTime` at the top, the whitespace the minifier
 * keeps under `minify`, the compression settings under `precompress`, and midad passes each on.
 */
export type MidadOptions = DeepPartial<ArticlesOptions> & {
  pages?: DeepPartial<Omit<PagesOptions, "root" | "keepWhitespace" | "compression" | "precompress">>;
  feeds?: DeepPartial<Omit<FeedsOptions, "buildTime">>;
  sitemaps?: DeepPartial<Omit<SitemapsOptions, "buildTime">>;
  headers?: DeepPartial<HeadersOptions>;
  minify?: DeepPartial<Omit<MinifyOptions, "root">>;
  precompress?: DeepPartial<Omit<PrecompressOptions, "root">>;
  search?: DeepPartial<Omit<SearchOptions, "root" | "compression" | "precompress">>;
};

/** midad as one Eleventy configuration: it only composes plugins, all behaviour lives in plugins/ and src/. */
export function midad(options: MidadOptions = {}) {
  const {
    pages: pagesOptions,
    feeds: feedsOptions,
    sitemaps: sitemapsOptions,
    headers: headersOptions,
    minify: minifyOptions,
    precompress: precompressOptions,
    search: searchOptions,
    ...articlesOptions
  } = options;
  const root = options.root ?? articlesDefaults.root;
  const minifySettings = mergeOptions(minifyDefaults, minifyOptions ?? {});
  const compression = mergeOptions(precompressDefaults, precompressOptions ?? {});
  return function configure(eleventyConfig: EleventyConfig) {
    // Resolved here, not when the module loads, so a bad site.config.ts value is reported as the build's failure.
    const { pathPrefix, host: hostName, hostLimits } = resolveSiteConfig(options.site);
    // The host decides what the output holds: `_headers` where it is read, siblings where they are served.
    const host = hostProfile(hostName, hostLimits);
    // One moment per build for scheduling, feeds and sitemaps, read as each build (or watch-mode rebuild) starts.
    const readBuildTime = options.buildTime ?? articlesDefaults.buildTime;
    let moment = readBuildTime();
    eleventyConfig.on("eleventy.before", () => {
      moment = readBuildTime();
    });
    const buildTime = () => moment;
    eleventyConfig.addPlugin(articles, { ...articlesOptions, root, buildTime });
    eleventyConfig.addPlugin(pages, {
      ...pagesOptions,
      root,
      keepWhitespace: minifySettings.keepWhitespace,
      compression: { brotliQuality: compression.brotliQuality, gzipLevel: compression.gzipLevel },
      precompress: host.precompressed,
    });
    // Puts the path prefix into every URL of the pages' HTML (href, src, srcset); feeds and sitemaps add it themselves.
    // Given explicitly: Eleventy's programmatic API (tests, benchmark) ignores the `pathPrefix` returned below.
    eleventyConfig.addPlugin(HtmlBasePlugin, { baseHref: pathPrefix });
    eleventyConfig.addPlugin(feeds, { ...feedsOptions, buildTime });
    eleventyConfig.addPlugin(sitemaps, { ...sitemapsOptions, buildTime });
    eleventyConfig.addPlugin(search, {
      ...searchOptions,
      root,
      compression: { brotliQuality: compression.brotliQuality, gzipLevel: compression.gzipLevel },
      precompress: host.precompressed,
    });
    // Content-hashed folders follow the image and logo folders wherever they are set.
    const immutable = [
      options.images?.urlPath ?? articlesDefaults.images.urlPath,
      options.pages?.assetsPath ?? pagesDefaults.assetsPath,
    ];
    if (host.headersFile) eleventyConfig.addPlugin(headers, { immutable, ...headersOptions });
    // Transforms run in the order they are added: pages are minified once their URLs are final.
    eleventyConfig.addPlugin(minify, { ...minifyOptions, root });
    if (host.precompressed) eleventyConfig.addPlugin(precompress, { ...precompressOptions, root });
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
