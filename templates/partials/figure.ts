import type { LeadImage } from "../../src/site/site.ts";
import { html, raw, type SafeHtml } from "../html.ts";
import { labels } from "../labels.ts";

/**
 * The lead photo with its caption and credit. The credit is isolated with <bdi> so a Latin name
 * such as "SpaceX / Public domain" keeps its order inside the Arabic caption.
 */
export function leadFigure(lead: LeadImage): SafeHtml {
  const caption =
    lead.caption || lead.credit
      ? html`<figcaption>${lead.caption && html`<span class="caption">${lead.caption}</span>`}${lead.credit && html` <small class="credit">${labels.photoCredit}: <bdi>${lead.credit}</bdi></small>`}</figcaption>`
      : undefined;
  return html`<figure class="lead-figure">
${raw(lead.html)}
${caption}
</figure>`;
}
