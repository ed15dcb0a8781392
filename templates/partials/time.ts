import type { SiteConfig } from "../../src/config.ts";
import { formatArabicDate, type ArticleDate } from "../../src/dates.ts";
import { html, type SafeHtml } from "../html.ts";

/** A date readers read in Arabic and machines read from `datetime`. */
export function time(date: ArticleDate, config: SiteConfig): SafeHtml {
  return html`<time datetime="${date.iso}">${formatArabicDate(date, config.dates)}</time>`;
}
