import { DateTime } from "luxon";
import type { DateStyle, DigitStyle } from "./config.ts";

/** A validated date from an article, kept with the precision the author wrote. */
export interface ArticleDate {
  /** Machine-readable value for `<time datetime>`: `2022-01-08`, or `2022-01-08T14:30+04:00`. */
  iso: string;
  /** True when the author wrote a day without a time. */
  dateOnly: boolean;
  /** The instant, in the newsroom's time zone (the start of the day for date-only values). */
  readonly dateTime: DateTime;
  /** The same instant in milliseconds since 1970: what sorting and scheduling compare. */
  millis: number;
  /**
   * The full instant with its offset (`2022-01-08T14:30:00+04:00`), as feeds, sitemaps and structured data want it
   * even for a date-only article.
   */
  instant: string;
}

/** An ArticleDate as plain data, for caches and worker threads. */
export type DateData = Omit<ArticleDate, "dateTime">;

export function dateData(date: ArticleDate): DateData {
  return { iso: date.iso, dateOnly: date.dateOnly, millis: date.millis, instant: date.instant };
}

/**
 * The date back, in the newsroom's time zone, as `parseArticleDate` made it. Its luxon DateTime is
 * made when first asked for: an archive's listings and sitemaps need only the plain fields, and luxon
 * takes tens of microseconds a date to work out a zone's offset.
 */
export function dateFromData(data: DateData, timeZone: string): ArticleDate {
  return new StoredDate(data, timeZone);
}

/**
 * One class for every date read back, its getter on the prototype: a getter written into each object made each date
 * a shape of its own, and so every `date.millis` of a sort, a listing or a sitemap a slow, uncached lookup (measured:
 * 1.5 µs each over 20,000 articles).
 */
class StoredDate implements ArticleDate {
  iso: string;
  dateOnly: boolean;
  millis: number;
  instant: string;
  readonly #timeZone: string;
  #dateTime: DateTime | undefined;

  constructor(data: DateData, timeZone: string) {
    this.iso = data.iso;
    this.dateOnly = data.dateOnly;
    this.millis = data.millis;
    this.instant = data.instant;
    this.#timeZone = timeZone;
  }

  get dateTime(): DateTime {
    this.#dateTime ??= DateTime.fromMillis(this.millis, { zone: this.#timeZone });
    return this.#dateTime;
  }
}

function withInstant(iso: string, dateTime: DateTime, { dateOnly }: { dateOnly: boolean }): ArticleDate {
  return {
    iso,
    dateOnly,
    dateTime,
    millis: dateTime.toMillis(),
    instant: dateTime.toISO({ suppressMilliseconds: true })!,
  };
}

export const acceptedDateForms = "an ISO 8601 date such as 2022-01-08, 2022-01-08T14:30 or 2022-01-08T14:30+04:00";

const isoShape = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?)(Z|[+-]\d{2}:?\d{2})?)?$/;

/**
 * Parses an author's date string. Dates stay strings until here, so `2022-13-45` is reported
 * instead of rolling over into February 2023 the way YAML timestamp parsing would.
 */
export function parseArticleDate(value: string, timeZone: string): ArticleDate | { error: string } {
  const text = value.trim();
  const shape = isoShape.exec(text);
  if (!shape) return { error: `"${value}" is not ${acceptedDateForms}` };
  const [, day, time, offset] = shape;
  const offsetParts = offset === undefined || offset === "Z" ? undefined : /^[+-](\d{2}):?(\d{2})$/.exec(offset);
  if (offsetParts && (Number(offsetParts[1]) > 14 || Number(offsetParts[2]) > 59)) {
    return { error: `"${value}" has an impossible time zone offset ${offset} (offsets run from -12:00 to +14:00)` };
  }
  const parsed = DateTime.fromISO(text.replace(" ", "T"), { zone: timeZone, setZone: offset !== undefined });
  if (!parsed.isValid) {
    return {
      error: `"${value}" is not a real date (${parsed.invalidExplanation ?? parsed.invalidReason}); write ${acceptedDateForms}`,
    };
  }
  const dateTime = parsed.setZone(timeZone);
  if (time === undefined) return withInstant(day!, dateTime, { dateOnly: true });
  return withInstant(parsed.toISO({ suppressMilliseconds: true, suppressSeconds: parsed.second === 0 })!, dateTime, {
    dateOnly: false,
  });
}

const levantineLocale = "ar-SY";
const egyptianLocale = "ar-EG";

/**
 * "7 كانون الثاني/يناير 2022" (and "، 20:00" when a time was given). Locale, digits and zone are all
 * explicit, so the text never depends on the build machine's settings.
 */
export function formatArabicDate(date: ArticleDate, style: DateStyle): string {
  const local = date.dateTime.reconfigure({ numberingSystem: style.digits });
  const numbers = local.setLocale(egyptianLocale);
  const gregorian = `${numbers.toFormat("d")} ${monthName(local, style)} ${numbers.toFormat("yyyy")}`;
  const text = style.hijri ? `${gregorian}، الموافق ${hijriDate(local)}` : gregorian;
  return date.dateOnly ? text : `${text}، ${numbers.toFormat("HH:mm")}`;
}

/** A whole number in the site's digits (`latn` 2022, `arab` ٢٠٢٢), without grouping, as dates write years. */
export function formatNumber(value: number, digits: DigitStyle): string {
  return numberFormats[digits].format(value);
}

/** Made once: listings format a count or a year many times a page, and a NumberFormat takes longer to make than to use. */
const numberFormats: Readonly<Record<DigitStyle, Intl.NumberFormat>> = {
  latn: new Intl.NumberFormat("ar-u-nu-latn", { useGrouping: false }),
  arab: new Intl.NumberFormat("ar-u-nu-arab", { useGrouping: false }),
};

/** "كانون الثاني/يناير 2022": the month of a date, as a monthly archive's heading. */
export function formatArabicMonth(date: ArticleDate, style: DateStyle): string {
  const local = date.dateTime.reconfigure({ numberingSystem: style.digits });
  return `${monthName(local, style)} ${local.setLocale(egyptianLocale).toFormat("yyyy")}`;
}

function monthName(local: DateTime, style: DateStyle): string {
  const monthIn = (locale: string) => local.setLocale(locale).toFormat("LLLL");
  if (style.months === "levantine") return monthIn(levantineLocale);
  if (style.months === "egyptian") return monthIn(egyptianLocale);
  return `${monthIn(levantineLocale)}/${monthIn(egyptianLocale)}`;
}

/**
 * "5 جمادى الآخرة 1443 هـ": the Umm al-Qura calendar, named explicitly (ICU's plain `islamic` is an arithmetic
 * calendar that disagrees with Umm al-Qura on most days of a year), in the date's own digits and zone.
 */
function hijriDate(local: DateTime): string {
  return local
    .reconfigure({ outputCalendar: "islamic-umalqura" })
    .setLocale("ar")
    .toLocaleString({ day: "numeric", month: "long", year: "numeric" });
}

/**
 * The full instant with its offset (`2022-01-08T14:30:00+04:00`), as feeds, sitemaps and structured data want it even
 * for a date-only article.
 */
export function isoInstant(date: ArticleDate): string {
  return date.instant;
}

/** When an article last changed: the latest of its `date`, its `updated` date and its corrections' dates. */
export function lastModified(article: {
  date: ArticleDate;
  updated?: ArticleDate;
  corrections?: readonly { date: ArticleDate }[];
}): ArticleDate {
  const changes = [
    article.date,
    ...(article.updated ? [article.updated] : []),
    ...(article.corrections ?? []).map((c) => c.date),
  ];
  return changes.reduce((latest, date) => (date.millis > latest.millis ? date : latest));
}
