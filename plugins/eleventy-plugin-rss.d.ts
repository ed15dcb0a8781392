// @11ty/eleventy-plugin-rss ships no type declarations; this covers the parts midad uses.
declare module "@11ty/eleventy-plugin-rss" {
  /** Registers the feed filters, and with them Eleventy's HTML base plugin, whose transform makes URLs absolute. */
  export function rssPlugin(
    eleventyConfig: import("./eleventy.ts").EleventyConfig,
    options?: Record<string, unknown>,
  ): void;
  /** An RFC 3339 timestamp in UTC without milliseconds, as Atom and JSON Feed want it. */
  export function dateToRfc3339(date: Date): string;
  /** Resolves every URL in the HTML (href, src, srcset, …) against `base`, as feed content needs. */
  export function convertHtmlToAbsoluteUrls(
    html: string,
    base: string,
    processOptions?: Record<string, unknown>,
  ): Promise<string>;
}
