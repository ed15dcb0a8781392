import { convertHtmlToAbsoluteUrls, rssPlugin } from "@11ty/eleventy-plugin-rss";
import type { Asset } from "../src/publish/assets.ts";
import { type Feed, type FeedContext, siteFeeds } from "../src/publish/feeds.ts";
import { buildTimeFrom } from "../src/site/build-time.ts";
import type { FeedArticle, Site } from "../src/site/site.ts";
import { absoluteUrl } from "../src/site/urls.ts";
import type { DeepPartial } from "../src/util/options.ts";
import { mergeOptions } from "../src/util/options.ts";
import { renderAtomFeed } from "../templates/feeds/atom.ts";
import { renderJsonFeed } from "../templates/feeds/json.ts";
import { leadFigure } from "../templates/partials/figure.ts";
import type { EleventyConfig } from "./eleventy.ts";

/**
 * An Atom feed and a JSON Feed for the whole site (`/feed.xml`, `/feed.json`) and for each category
 * (`/politics/feed.xml`, …), with @11ty/eleventy-plugin-rss's helpers. Its stock virtual feed template
 * cannot be used: it reads an Eleventy collection (articles are data here, not templates) and has
 * no per-entry published time, updated time or image.
 */
export interface Options {
  /**
   * Carry each article's lead photo and body in the feeds, every URL made absolute. Default true; false gives titles
   * and summaries only, so readers come to the site for the rest.
   */
  fullText: boolean;
  /**
   * The moment of the build, the `updated` time of a feed with no articles. Default: `SOURCE_DATE_EPOCH` when set,
   * else when the feed is written.
   */
  buildTime: () => Date;
}

export const defaults: Options = { fullText: true, buildTime: () => buildTimeFrom(process.env) };

interface FeedData {
  midad: Site;
  logo: Asset;
  feed: Feed;
}

/** Returns the HTML itself, not a promise, when the base is `/`. */
type TransformWithHtmlBase = (html: string, baseHref: string, pageUrl: string) => string | Promise<string>;

export default function feedsPlugin(eleventyConfig: EleventyConfig, userOptions: DeepPartial<Options> = {}): void {
  const options = mergeOptions(defaults, userOptions);
  // The feed helpers, and with them Eleventy's HTML base plugin (already added with the path prefix by .eleventy.ts).
  eleventyConfig.addPlugin(rssPlugin);
  // An article sits in the site's feed and its categories', in two formats: its absolute HTML is made once per build.
  const absoluteHtml = new WeakMap<FeedArticle, Promise<string>>();
  const contentOf = (article: FeedArticle, site: Site): Promise<string> => {
    let content = absoluteHtml.get(article);
    if (content === undefined) {
      const withPrefix = eleventyConfig.getFilter("transformWithHtmlBase") as TransformWithHtmlBase;
      const lead = article.lead ? leadFigure(article.lead).value : "";
      // First the path prefix, as the page itself gets it (`/img/a.jpeg` → `/news/img/a.jpeg`), then the origin.
      content = Promise.resolve(withPrefix(lead + article.html, site.config.pathPrefix, article.url)).then((html) =>
        convertHtmlToAbsoluteUrls(html, absoluteUrl(site.config, article.url)),
      );
      absoluteHtml.set(article, content);
    }
    return content;
  };

  const addFeed = (format: "atom" | "json", render: (feed: Feed, context: FeedContext) => string) =>
    eleventyConfig.addTemplate(`feed-${format}.11ty.js`, {
      data: {
        eleventyExcludeFromCollections: true,
        // Eleventy paginates over data it can name (the categories are never empty); `before` swaps them for the feeds.
        pagination: {
          data: "midad.config.categories",
          size: 1,
          alias: "feed",
          before: (_categories: unknown, data: FeedData) => siteFeeds(data.midad),
        },
        permalink: (data: FeedData) => (format === "atom" ? data.feed.atomUrl : data.feed.jsonUrl),
      },
      render: async (data: FeedData) => {
        const { feed, midad: site } = data;
        const contents = new Map(
          options.fullText
            ? await Promise.all(
                feed.articles.map(async (article) => [article, await contentOf(article, site)] as const),
              )
            : [],
        );
        return render(feed, {
          config: site.config,
          logo: data.logo,
          buildTime: options.buildTime(),
          content: (article) => contents.get(article),
        });
      },
    });
  addFeed("atom", renderAtomFeed);
  addFeed("json", renderJsonFeed);
}
