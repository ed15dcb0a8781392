import { categoryUrl } from "../../src/site/sections.ts";
import type { Site } from "../../src/site/site.ts";
import { html } from "../html.ts";
import { labels } from "../labels.ts";
import { baseLayout, type PageContext } from "../layouts/base.ts";

export interface SearchPage {
  url: string;
  /** The search script's URL (content-hashed), the one script any page of the site loads. */
  scriptUrl: string;
  /** Where the Pagefind index is, with the path prefix: the script loads it from there. */
  indexUrl: string;
  /** Shards of the index a search covers at first, and adds each time the reader asks for older articles. */
  shardsPerStep: number;
}

/**
 * The search page: a form the script (templates/scripts/search.js) brings to life. Without
 * JavaScript the form stays hidden and the page says so, offering what works without it: the
 * sections, the tags, the authors and the yearly archives. The labels the script shows are given
 * here, as data attributes, so every Arabic string stays in labels.ts.
 */
export function renderSearch(context: PageContext, site: Site, page: SearchPage): string {
  const { config } = site;
  // A year's first page: its listing runs on over further pages.
  const years = site.collectionPages.filter(
    (collection) => collection.kind === "year" && collection.number === undefined,
  );
  const text = labels.search;
  const main = html`<section class="search" aria-labelledby="search-heading">
<h1 id="search-heading">${text.heading}</h1>
<form class="search-form" role="search" action="${page.url}" method="get" hidden
 data-index="${page.indexUrl}" data-base="${config.pathPrefix}" data-step="${String(page.shardsPerStep)}" data-digits="${config.dates.digits}"
 data-label-none="${text.none}" data-label-failed="${text.failed}" data-label-searching="${text.searching}" data-label-within="${text.within}" data-label-older="${text.older}"
 data-label-one="${text.results.one}" data-label-two="${text.results.two}" data-label-few="${text.results.few}" data-label-many="${text.results.many}" data-label-other="${text.results.other}">
<p class="search-field"><label for="search-query">${text.label}</label>
<input id="search-query" name="q" type="search" dir="auto" autocomplete="off" enterkeyhint="search" required></p>
<p class="search-options"><label for="search-category">${text.category}</label>
<select id="search-category" name="category">
<option value="">${text.allCategories}</option>${config.categories.map(
    (category) => html`
<option value="${category.label}">${category.label}</option>`,
  )}
</select>
<label for="search-sort">${text.sort}</label>
<select id="search-sort" name="sort">
<option value="">${text.best}</option>
<option value="newest">${text.newest}</option>
</select></p>
<p><button type="submit">${text.submit}</button></p>
</form>
<p class="search-status" role="status" aria-live="polite"></p>
<ol class="search-results"></ol>
<p class="search-more" hidden><button type="button">${labels.showMore}</button></p>
<p class="search-older" hidden><button type="button"></button></p>
<div class="search-fallback">
<p>${text.needsScript}</p>
<h2>${text.browse}</h2>
<ul class="browse">${config.categories.map(
    (category) => html`
<li><a href="${categoryUrl(category)}">${category.label}</a></li>`,
  )}
<li><a href="/tags/">${labels.tags}</a></li>
<li><a href="/authors/">${labels.authors}</a></li>
<li><a href="/stories/">${labels.stories}</a></li>${years.map(
    (year) => html`
<li><a href="${year.url}">${labels.archive} ${year.title}</a></li>`,
  )}
</ul>
</div>
</section>
<script type="module" src="${page.scriptUrl}"></script>`;
  return baseLayout(context, { title: text.heading, url: page.url, main, noindex: true });
}
