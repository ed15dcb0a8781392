import type { Paging } from "../../src/site/urls.ts";
import { html, type SafeHtml } from "../html.ts";
import { labels } from "../labels.ts";

/**
 * A listing page's heading and title: its name, then "الصفحة k" on numbered page k. Never "k of n": the count grows
 * with the listing, and a numbered page must never change (see `paginate`).
 */
export function pagedHeading(name: string, page: Pick<Paging<unknown>, "number">): string {
  return page.number === undefined ? name : `${name}: ${labels.pageNumber(page.number)}`;
}

/** The plain links to older ("show more") and newer articles of a paged listing, if it has other pages. */
export function pager(page: Omit<Paging<unknown>, "items">): SafeHtml | false {
  if (!page.nextUrl && !page.previousUrl) return false;
  const name = page.number === undefined ? labels.otherPages : labels.pageNumber(page.number);
  return html`<nav class="pager" aria-label="${name}">
${page.nextUrl && html`<a class="show-more" rel="next" href="${page.nextUrl}">${labels.showMore}</a>`}
${page.previousUrl && html`<a class="newer" rel="prev" href="${page.previousUrl}">${labels.newer}</a>`}
</nav>`;
}
