import { defineSite } from "./src/config.ts";

/**
 * The newsroom's settings: only what differs from the defaults in src/config.ts.
 * To add a section, add one line to `categories` (key, Arabic label, URL slug); order is display order.
 */
export default defineSite({
  name: "مداد",
  url: "https://example.org",
  timeZone: "Asia/Yerevan",
  dates: { months: "both", digits: "latn" },
  categories: [
    { key: "top", label: "الأبرز", slug: "top", aliases: ["Top"] },
    { key: "analysis", label: "تحليلات", slug: "analysis", aliases: ["Analysis"] },
    { key: "politics", label: "سياسة", slug: "politics", aliases: ["Politics"] },
  ],
  pageSize: 8,
});
