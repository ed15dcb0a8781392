import type { SiteView, Teaser } from "../../src/site/site.ts";
import { html, type SafeHtml } from "../html.ts";
import { labels } from "../labels.ts";
import { time } from "./time.ts";

/** An article in a list: headline link, date, and the summary when `withSummary`. */
export function card(
  teaser: Teaser,
  site: SiteView,
  options: { heading: "h2" | "h3"; withSummary: boolean },
): SafeHtml {
  const headline = html`<a href="${teaser.url}">${teaser.title}</a>${teaser.draft && html` <span class="draft">${labels.draft}</span>`}`;
  return html`<li class="card">
${options.heading === "h2" ? html`<h2>${headline}</h2>` : html`<h3>${headline}</h3>`}
<p class="card-meta">${time(teaser.date, site)}</p>
${options.withSummary && teaser.summary && html`<p class="card-summary">${teaser.summary}</p>`}
</li>`;
}

export function cardList(
  teasers: Teaser[],
  site: SiteView,
  options: { heading: "h2" | "h3"; withSummary: boolean },
): SafeHtml {
  return html`<ul class="cards">${teasers.map((teaser) => card(teaser, site, options))}
</ul>`;
}
