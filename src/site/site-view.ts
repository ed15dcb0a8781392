import { createMarkdown } from "../markdown/index.ts";
import type { AuthorProfile } from "./authors.ts";
import type { SiteConfig } from "./config.ts";
import { type ArticleDate, formatArabicDate, formatNumber } from "./dates.ts";

/** What every page is rendered with of the site: its settings and its dates in Arabic. */
export interface SiteView {
  config: SiteConfig;
  /** The date in Arabic in the site's style; remembered per build, as lists show the same dates on many pages. */
  formatDate(date: ArticleDate): string;
  /** A count in the site's digits. */
  formatCount(count: number): string;
  /** The newsroom's profile of a byline, from `authors.yaml`, if it has one. */
  authorProfile(name: string): AuthorProfile | undefined;
}

/** The article Markdown dialect with the site's date settings. */
export function siteMarkdown(config: SiteConfig) {
  return createMarkdown({ timeZone: config.timeZone, dateStyle: config.dates, defaultTitle: "التسلسل الزمني" });
}

export function createSiteView(config: SiteConfig, authors: Readonly<Record<string, AuthorProfile>> = {}): SiteView {
  const formatted = new Map<string, string>();
  return {
    config,
    authorProfile: (name) => authors[name],
    formatCount(count) {
      return formatNumber(count, config.dates.digits);
    },
    formatDate(date) {
      let text = formatted.get(date.iso);
      if (text === undefined) {
        text = formatArabicDate(date, config.dates);
        formatted.set(date.iso, text);
      }
      return text;
    },
  };
}
