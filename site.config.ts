import { defineSite } from "./src/site/config.ts";

/**
 * The newsroom's settings: only what differs from the defaults in src/site/config.ts.
 * The sections are top (الأبرز), analysis (تحليلات) and politics (سياسة), from src/site/config.ts. To add one,
 * add one line, keeping those three (list order is display order):
 *   categories: [...defaults.categories, { key: "economy", label: "اقتصاد", slug: "economy" }],
 * with `import { defaults } from "./src/site/config.ts"`.
 */
export default defineSite({
  name: "مداد",
  // The origin every absolute URL (feeds, sitemaps, canonical links, structured data) starts with.
  url: "https://example.org",
  // "/" at the root of the origin; "/news/" to publish under https://example.org/news/ (GitHub Pages, say).
  pathPrefix: "/",
  timeZone: "Asia/Yerevan",
  dates: { months: "both", digits: "latn" },
  pageSize: 8,
});
