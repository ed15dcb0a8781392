import type { ArticleDate } from "../../src/site/dates.ts";
import type { SiteView } from "../../src/site/site.ts";
import { html, type SafeHtml } from "../html.ts";

/** A date readers read in Arabic and machines read from `datetime`. */
export function time(date: ArticleDate, site: SiteView): SafeHtml {
  return html`<time datetime="${date.iso}">${site.formatDate(date)}</time>`;
}
