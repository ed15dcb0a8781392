import { IANAZone } from "luxon";
import { FixableError } from "../build/failure.ts";
import { type DeepPartial, mergeOptions } from "../util/options.ts";
import { defaultHost, type HostLimits, type HostName, hostNames, isHostName } from "./hosts.ts";

/** One section of the site. Adding a category is adding one of these to `site.config.ts`. */
export interface Category {
  /** Stable identifier used in front matter and code, e.g. `politics`. */
  key: string;
  /** Arabic label shown to readers and accepted in front matter, e.g. `سياسة`. */
  label: string;
  /** URL segment of the category page, e.g. `politics` → `/politics/`. */
  slug: string;
  /** Other names accepted in front matter (the seed's header writes `Top`). */
  aliases?: string[];
}

/** How month names are written: both Levantine and Egyptian ("كانون الثاني/يناير"), or one of them. */
export type MonthStyle = "both" | "levantine" | "egyptian";

/** How dates read: which month names, which digits, and whether the Hijri date follows. */
export interface DateStyle {
  months: MonthStyle;
  digits: DigitStyle;
  hijri: boolean;
}
/** `latn`: 0-9 (the seed's style); `arab`: Eastern Arabic digits ٠-٩. */
export type DigitStyle = "latn" | "arab";

export interface SiteConfig {
  /** Name of the outlet, shown in the header and page titles. Default `مداد`. */
  name: string;
  /** One line under the name. Default: a short Arabic tagline. */
  tagline: string;
  /**
   * Absolute origin the site is served from, without trailing slash. Every absolute URL (feeds, sitemaps, canonical
   * links, structured data) starts with it. Default `https://example.org`.
   */
  url: string;
  /**
   * Folder of the origin the site lives in, such as `/news/` on GitHub Pages; every link, asset and absolute URL
   * carries it. Default `/`.
   */
  pathPrefix: string;
  /**
   * Newsroom time zone (IANA): dates written without an offset are read in it, and all dates display in it. Default
   * `Asia/Yerevan`.
   */
  timeZone: string;
  /**
   * Date display. Default: both month names, Western digits, as in the seed, and no Hijri date. `hijri: true` adds the
   * Umm al-Qura date after the Gregorian one ("، الموافق 5 جمادى الآخرة 1443 هـ").
   */
  dates: DateStyle;
  /** Sections, in display order. Default: top, analysis, politics. */
  categories: Category[];
  /** Articles per category page before the "show more" link. Default 10. */
  pageSize: number;
  /** Key of the category whose newest articles lead the home page. Default `top`. */
  homeLeadCategory: string;
  /** Articles in the home page's lead block. Default 5. */
  homeLeadCount: number;
  /** Latest articles listed per category on the home page. Default 4. */
  homePerCategory: number;
  /** Related articles under an article. Default 4. */
  relatedCount: number;
  /** Newest articles in each feed (the site's and each category's). Default 20. */
  feedSize: number;
  /**
   * Where the site is published: `cloudflare-pages` (the default), `netlify`, `github-pages`, `nginx` or `caddy`. It
   * decides what the output holds (`_headers`, the security policy in the pages, `.br`/`.gz` siblings) and the limits
   * every build checks it against; `npm run build -- --host NAME` overrides it for one build (docs/hosts.md).
   */
  host: HostName;
  /** The host's limits where your plan's differ from the published ones, such as `{ files: 100000 }`. Default none. */
  hostLimits: Partial<HostLimits>;
}

export const defaults: SiteConfig = {
  name: "مداد",
  tagline: "أخبار وتحليلات من القوقاز وآسيا الوسطى",
  url: "https://example.org",
  pathPrefix: "/",
  timeZone: "Asia/Yerevan",
  dates: { months: "both", digits: "latn", hijri: false },
  categories: [
    { key: "top", label: "الأبرز", slug: "top", aliases: ["Top"] },
    { key: "analysis", label: "تحليلات", slug: "analysis", aliases: ["Analysis"] },
    { key: "politics", label: "سياسة", slug: "politics", aliases: ["Politics"] },
  ],
  pageSize: 10,
  homeLeadCategory: "top",
  homeLeadCount: 5,
  homePerCategory: 4,
  relatedCount: 4,
  feedSize: 20,
  host: defaultHost,
  hostLimits: {},
};

/** Typed helper for `site.config.ts`: only the fields that differ from the defaults. */
export function defineSite(config: DeepPartial<SiteConfig>): DeepPartial<SiteConfig> {
  return config;
}

export function resolveSiteConfig(...overrides: (DeepPartial<SiteConfig> | undefined)[]): SiteConfig {
  const config = mergeOptions(defaults, ...overrides);
  checkSiteConfig(config);
  return config;
}

/** URL slugs and keys (category slugs, article slugs, story keys): lowercase Latin letters, digits, single hyphens. */
export const slugPattern = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** The categories an author may use, for messages: "top (الأبرز), analysis (تحليلات), …". */
export function describeCategories(config: SiteConfig): string {
  return config.categories.map((c) => `${c.key} (${c.label})`).join(", ");
}

/** A broken site config stops the build at once, naming each offending value. */
function checkSiteConfig(config: SiteConfig): void {
  const problems: string[] = [];
  const seen = new Map<string, string>();
  for (const category of config.categories) {
    if (!slugPattern.test(category.slug)) {
      problems.push(
        `category "${category.key}": slug "${category.slug}" must be lowercase Latin letters, digits and hyphens`,
      );
    }
    for (const name of categoryNames(category)) {
      const owner = seen.get(name);
      if (owner !== undefined && owner !== category.key) {
        problems.push(`categories "${owner}" and "${category.key}" both answer to "${name}"`);
      }
      seen.set(name, category.key);
    }
  }
  if (!config.categories.some((c) => c.key === config.homeLeadCategory))
    problems.push(`homeLeadCategory "${config.homeLeadCategory}" is not a category key`);
  if (!IANAZone.isValidZone(config.timeZone))
    problems.push(`timeZone must be an IANA zone such as Asia/Yerevan, got "${config.timeZone}"`);
  if (!Number.isInteger(config.pageSize) || config.pageSize < 1)
    problems.push(`pageSize must be a positive integer, got ${config.pageSize}`);
  if (!/^https?:\/\/[^/]+$/.test(config.url))
    problems.push(`url must be an origin like https://example.org (no trailing slash), got "${config.url}"`);
  if (!/^\/(?:[A-Za-z0-9._~-]+\/)*$/.test(config.pathPrefix))
    problems.push(
      `pathPrefix must start and end with "/" and name URL-safe folders, like "/" or "/news/", got "${config.pathPrefix}"`,
    );
  if (!Number.isInteger(config.feedSize) || config.feedSize < 1)
    problems.push(`feedSize must be a positive integer, got ${config.feedSize}`);
  if (!["both", "levantine", "egyptian"].includes(config.dates.months))
    problems.push(`dates.months must be both, levantine or egyptian, got "${config.dates.months}"`);
  if (!["latn", "arab"].includes(config.dates.digits))
    problems.push(`dates.digits must be latn or arab, got "${config.dates.digits}"`);
  if (typeof config.dates.hijri !== "boolean")
    problems.push(`dates.hijri must be true or false, got ${JSON.stringify(config.dates.hijri)}`);
  if (!isHostName(config.host))
    problems.push(`host must be one of ${hostNames.join(", ")}, got ${JSON.stringify(config.host)}`);
  for (const [name, value] of Object.entries(config.hostLimits)) {
    if (!["files", "bytes", "fileBytes"].includes(name))
      problems.push(`hostLimits has no field "${name}": it takes files, bytes and fileBytes`);
    else if (!(typeof value === "number" && value > 0))
      problems.push(`hostLimits.${name} must be a positive number, got ${JSON.stringify(value)}`);
  }
  if (problems.length > 0)
    throw new FixableError(`site.config.ts is invalid; correct these values in it:\n  - ${problems.join("\n  - ")}`);
}

/** The names an author may write for a category, normalised for lookup. */
export function categoryNames(category: Category): string[] {
  return [category.key, category.label, category.slug, ...(category.aliases ?? [])].map(normaliseName);
}

function normaliseName(name: string): string {
  return name.normalize("NFC").trim().toLowerCase();
}

/** Finds the category an author meant by `name`, or undefined. */
export function findCategory(config: SiteConfig, name: string): Category | undefined {
  const wanted = normaliseName(name);
  return config.categories.find((category) => categoryNames(category).includes(wanted));
}
