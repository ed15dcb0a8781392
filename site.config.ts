import { defineSite } from "./src/config.ts";

/**
 * The newsroom's settings: only what differs from the defaults in src/config.ts.
 * The sections are top (الأبرز), analysis (تحليلات) and politics (سياسة), from src/config.ts. To add one,
 * add one line, keeping those three (list order is display order):
 *   categories: [...defaults.categories, { key: "economy", label: "اقتصاد", slug: "economy" }],
 * with `import { defaults } from "./src/config.ts"`.
 */
export default defineSite({
  name: "مداد",
  url: "https://example.org",
  timeZone: "Asia/Yerevan",
  dates: { months: "both", digits: "latn" },
  pageSize: 8,
});
