import type { CategoryPage } from "../../src/site/sections.ts";
import { html } from "../html.ts";
import { labels } from "../labels.ts";
import { baseLayout, type PageContext } from "../layouts/base.ts";
import { cardList } from "../partials/card.ts";
import { pagedHeading, pager } from "../partials/pager.ts";

/** A page of a category, newest first, ending in a plain "show more" link to older articles. */
export function renderCategoryPage(context: PageContext, page: CategoryPage): string {
  const { site } = context;
  const { config } = site;
  const { category } = page;
  const heading = pagedHeading(category.label, page);
  const main = html`<section class="category" aria-labelledby="category-heading">
<h1 id="category-heading">${heading}</h1>
${page.articles.length > 0 ? cardList(page.articles, site, { heading: "h2", withSummary: true }) : html`<p>${labels.noArticles}</p>`}
${pager(page)}
</section>`;
  return baseLayout(context, {
    title: heading,
    url: page.url,
    section: category.key,
    main,
    description: `${category.label} | ${config.name}`,
  });
}
