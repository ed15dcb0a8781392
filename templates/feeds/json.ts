import { type Feed, type FeedContext, rfc3339 } from "../../src/publish/feeds.ts";
import { lastModified } from "../../src/site/dates.ts";
import type { FeedArticle } from "../../src/site/site.ts";
import { absoluteUrl } from "../../src/site/urls.ts";

/**
 * A JSON Feed 1.1 (https://jsonfeed.org/version/1.1) with the same articles as the Atom feed. Each
 * item needs `content_html` or `content_text`; a title-and-summary feed gives the summary as text.
 */
export function renderJsonFeed(feed: Feed, context: FeedContext): string {
  const { config } = context;
  const url = (path: string) => absoluteUrl(config, path);
  const item = (article: FeedArticle) => {
    const content = context.content(article);
    return {
      id: url(article.url),
      url: url(article.url),
      title: article.title,
      ...(article.summary && { summary: article.summary }),
      ...(content === undefined ? { content_text: article.summary ?? article.title } : { content_html: content }),
      ...(article.socialCard && { image: url(article.socialCard.url) }),
      date_published: rfc3339(article.date),
      date_modified: rfc3339(lastModified(article)),
      ...(article.author && { authors: [{ name: article.author }] }),
      ...(article.tags.length > 0 && { tags: article.tags }),
    };
  };
  const document = {
    version: "https://jsonfeed.org/version/1.1",
    title: feed.title,
    description: config.tagline,
    home_page_url: url(feed.pageUrl),
    feed_url: url(feed.jsonUrl),
    icon: url(context.logo.url),
    language: "ar",
    authors: [{ name: config.name, url: url("/") }],
    items: feed.articles.map(item),
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}
