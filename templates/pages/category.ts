import type { CategoryPage } from "../../src/site/sections.ts";
import { html } from "../html.ts";
import { labels } from "../labels.ts";
import { baseLayout, type PageContext } from "../layouts/base.ts";
import { cardList } from "../partials/card.ts";

/** A page of a category, newest first, ending in a plain "show more" link to the next page. */
export function renderCategoryPage(context: PageContext, page: CategoryPage): string {
  const { site } = context;
  const { config } = site;
  const { category } = page;
  const heading =
    page.number === 1 ? category.label : `${category.label}: ${labels.pageOf(page.number, page.pageCount)}`;
  const main = html`<section class="category" aria-labelledby="category-heading">
<h1 id="category-heading">${heading}</h1>
${page.articles.length > 0 ? cardList(page.articles, site, { heading: "h2", withSummary: true }) : html`<p>${labels.noArticles}</p>`}
${
  (page.nextUrl || page.previousUrl) &&
  html`<nav class="pager" aria-label="${labels.pageOf(page.number, page.pageCount)}">
${page.nextUrl && html`<a class="show-more" rel="next" href="${page.nextUrl}">${labels.showMore}</a>`}
${page.previousUrl && html`<a class="newer" rel="prev" href="${page.previousUrl}">${labels.newer}</a>`}
</nav>`
}
</section>`;
  return baseLayout(context, {
    title: heading,
    url: page.url,
    section: category.key,
    main,
    description: `${category.label} | ${config.name}`,
  });
}
