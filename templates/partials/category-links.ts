import type { Category } from "../../src/site/config.ts";
import { categoryUrl } from "../../src/site/sections.ts";
import { html, type SafeHtml } from "../html.ts";
import { labels } from "../labels.ts";

/**
 * The article's sections as links to their pages, like the seed's "Top تحليلات سياسة" header; with `filter`, each is
 * also a value of that search filter, and not words of the page's text (they would open every excerpt).
 */
export function categoryLinks(categories: Category[], search: { filter?: string } = {}): SafeHtml {
  return html`<ul class="article-categories" aria-label="${labels.sectionsNav}"${search.filter && html` data-pagefind-ignore`}>${categories.map(
    (category) => html`
<li><a href="${categoryUrl(category)}"${search.filter && html` data-pagefind-filter="${search.filter}"`}>${category.label}</a></li>`,
  )}
</ul>`;
}
