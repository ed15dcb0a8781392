import { imageType } from "../../src/publish/assets.ts";
import { articleStructuredData } from "../../src/publish/structured-data.ts";
import type { ArticleView } from "../../src/site/article-page.ts";
import { authorUrl } from "../../src/site/authors.ts";
import { storyUrl, tagUrl } from "../../src/site/collections.ts";
import { lastModified } from "../../src/site/dates.ts";
import { minutesText, readingMinutes, wordCount } from "../../src/site/reading-time.ts";
import { absoluteUrl } from "../../src/site/urls.ts";
import { html, raw } from "../html.ts";
import { labels } from "../labels.ts";
import { baseLayout, type PageContext } from "../layouts/base.ts";
import { cardList } from "../partials/card.ts";
import { categoryLinks } from "../partials/category-links.ts";
import { leadFigure } from "../partials/figure.ts";
import { time } from "../partials/time.ts";

export function renderArticle(context: PageContext, article: ArticleView): string {
  const { site } = context;
  const { config } = site;
  const byline = [
    article.author &&
      html`<span class="author">${labels.by} <a href="${authorUrl(article.author)}"><bdi>${article.author}</bdi></a></span>`,
    article.source && html`<span class="source">${labels.source}: <bdi>${article.source}</bdi></span>`,
  ].filter(Boolean);
  // What the search index takes from the page (see docs/search.md): the article element, its date to sort by and show,
  // its sections to filter by; not the dates and reading time as words.
  const main = html`<article class="article" aria-labelledby="headline" data-pagefind-body data-pagefind-sort="date:${String(article.date.millis)}" data-pagefind-meta="published:${String(article.date.millis)}">
<header class="article-header">
${categoryLinks(article.categories, { filter: "category" })}
<h1 id="headline">${article.title}${article.draft && html` <span class="draft">${labels.draft}</span>`}</h1>
${article.summary && html`<p class="summary">${article.summary}</p>`}
${byline.length > 0 && html`<p class="byline">${byline}</p>`}
${article.story && html`<p class="story-link"><a href="${storyUrl(article.story)}">${labels.wholeStory}</a></p>`}
<p class="dates" data-pagefind-ignore>${labels.published} <span data-pagefind-meta="date">${time(article.date, site)}</span>${article.updated && html`<span class="updated"> · ${labels.updated} ${time(article.updated, site)}</span>`}</p>
<p class="reading-time" data-pagefind-ignore>${labels.readingTime}: ${minutesText(readingMinutes(wordCount(article.html)), labels.minutes, config.dates.digits)}</p>
</header>
${
  article.corrections.length > 0 &&
  html`<aside class="corrections" aria-labelledby="corrections-heading">
<h2 id="corrections-heading">${labels.correction}</h2>
<ul>${article.corrections.map((correction) => html`<li>${time(correction.date, site)}: ${correction.text}</li>`)}</ul>
</aside>`
}
${article.lead && leadFigure(article.lead)}
<div class="article-body">
${raw(article.html)}
</div>
${
  article.tags.length > 0 &&
  html`<footer class="article-footer"><h2 class="tags-heading">${labels.tags}</h2>
<ul class="tags">${article.tags.map((tag) => html`<li><a href="${tagUrl(tag)}"><bdi>${tag}</bdi></a></li>`)}</ul></footer>`
}
</article>
${
  article.related.length > 0 &&
  html`<aside class="related" aria-labelledby="related-heading">
<h2 id="related-heading">${labels.related}</h2>
${cardList(article.related, site, { heading: "h3", withSummary: false })}
</aside>`
}`;
  const card = article.socialCard;
  return baseLayout(context, {
    title: article.title,
    url: article.url,
    section: article.categories[0]?.key,
    main,
    ...(article.summary && { description: article.summary }),
    social: {
      article: {
        published: article.date,
        modified: lastModified(article),
        tags: article.tags,
        ...(article.categories[0] && { section: article.categories[0].label }),
      },
      ...(card && {
        image: {
          url: absoluteUrl(config, card.url),
          width: card.width,
          height: card.height,
          type: imageType(card.url),
          alt: article.lead?.alt ?? "",
        },
      }),
    },
    structuredData: articleStructuredData(
      config,
      context.logo,
      article,
      article.author ? site.authorProfile(article.author) : undefined,
    ),
  });
}
