import type { Teaser } from "../../src/site/site.ts";
import { html } from "../html.ts";
import { labels } from "../labels.ts";
import { baseLayout, type PageContext } from "../layouts/base.ts";
import { cardList } from "../partials/card.ts";

/** Served by static hosts for unknown URLs: says so plainly and offers a way on. */
export function renderNotFound(context: PageContext, latest: Teaser[]): string {
  const { site } = context;
  const main = html`<section class="not-found" aria-labelledby="not-found-heading">
<h1 id="not-found-heading">${labels.notFoundTitle}</h1>
<p>${labels.notFoundText}</p>
<p><a href="/">${labels.backHome}</a></p>
</section>
${
  latest.length > 0 &&
  html`<section aria-labelledby="latest-heading">
<h2 id="latest-heading">${labels.latest}</h2>
${cardList(latest.slice(0, 5), site, { heading: "h3", withSummary: false })}
</section>`
}`;
  return baseLayout(context, { title: labels.notFoundTitle, url: "/404.html", main, noindex: true });
}
