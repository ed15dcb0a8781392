import type { PageTemplates } from "../src/publish/page-render.ts";
import { renderAtomFeed } from "../templates/feeds/atom.ts";
import { renderJsonFeed } from "../templates/feeds/json.ts";
import { renderArticle } from "../templates/pages/article.ts";
import { renderCategoryPage } from "../templates/pages/category.ts";
import { renderCollectionPage } from "../templates/pages/collection.ts";

/**
 * What the page writer renders pages with: midad's templates, and the path prefix put into every
 * URL exactly as Eleventy's HTML base plugin puts it into the pages Eleventy renders (its own URL rule,
 * through the same posthtml URL walker). Used in the build's thread and by plugins/page-worker.ts.
 */
export const pageTemplates: PageTemplates = {
  article: renderArticle,
  category: renderCategoryPage,
  collection: renderCollectionPage,
  feed: (format, feed, context) => (format === "atom" ? renderAtomFeed(feed, context) : renderJsonFeed(feed, context)),
  async withPathPrefix(html, pageUrl, pathPrefix) {
    // Loaded only for a site under a prefix: Eleventy's whole package would slow every worker thread's start.
    const [{ HtmlBasePlugin }, { default: posthtml }, { default: urls }] = await Promise.all([
      import("@11ty/eleventy"),
      import("posthtml"),
      import("@11ty/posthtml-urls"),
    ]);
    // Eleventy's URL rule for its HTML base plugin, which its package exports untyped.
    const { applyBaseToUrl } = HtmlBasePlugin as unknown as {
      applyBaseToUrl: (url: string, base: string, options: object) => string;
    };
    const eachURL = (url: string, attribute: string, tag: string) =>
      applyBaseToUrl(url.trim(), pathPrefix, { pathPrefix: "/", pageUrl, htmlContext: { attribute, tag } });
    return (await posthtml([urls({ eachURL })]).process(html)).html;
  },
};
