import { dateToRfc3339 } from "@11ty/eleventy-plugin-rss";
import { imageType } from "../../src/publish/assets.ts";
import { type Feed, type FeedContext, feedTypes, feedUpdated, rfc3339 } from "../../src/publish/feeds.ts";
import { lastModified } from "../../src/site/dates.ts";
import type { FeedArticle } from "../../src/site/site.ts";
import { absoluteUrl } from "../../src/site/urls.ts";
import { html as xml } from "../html.ts";
import { xmlDocument } from "../xml.ts";

/**
 * An Atom feed (RFC 4287) in Arabic (`xml:lang="ar"`): absolute URLs, published and updated times,
 * categories, the summary, the full text as escaped HTML, and the social card as a Media RSS image,
 * which feed readers show as the entry's picture.
 */
export function renderAtomFeed(feed: Feed, context: FeedContext): string {
  const { config } = context;
  const url = (path: string) => absoluteUrl(config, path);
  const entry = (article: FeedArticle) => {
    const content = context.content(article);
    const card = article.socialCard;
    return xml`
<entry>
<id>${url(article.url)}</id>
<title>${article.title}</title>
<link rel="alternate" type="text/html" href="${url(article.url)}"/>
<published>${rfc3339(article.date)}</published>
<updated>${rfc3339(lastModified(article))}</updated>
${article.author && xml`<author><name>${article.author}</name></author>`}
${article.categories.map((category) => xml`<category term="${category.key}" label="${category.label}"/>`)}
${article.summary && xml`<summary>${article.summary}</summary>`}
${content !== undefined && xml`<content type="html">${content}</content>`}
${card && xml`<media:content url="${url(card.url)}" medium="image" type="${imageType(card.url)}" width="${card.width}" height="${card.height}"/>`}
</entry>`;
  };
  return xmlDocument(xml`<feed xmlns="http://www.w3.org/2005/Atom" xmlns:media="http://search.yahoo.com/mrss/" xml:lang="ar">
<id>${url(feed.atomUrl)}</id>
<title>${feed.title}</title>
<subtitle>${config.tagline}</subtitle>
<link rel="self" type="${feedTypes.atom}" href="${url(feed.atomUrl)}"/>
<link rel="alternate" type="text/html" href="${url(feed.pageUrl)}"/>
<updated>${dateToRfc3339(feedUpdated(feed, context.buildTime))}</updated>
<author><name>${config.name}</name><uri>${url("/")}</uri></author>
<icon>${url(context.logo.url)}</icon>${feed.articles.map(entry)}
</feed>`);
}
