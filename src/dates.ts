import { DateTime } from "luxon";
import type { DigitStyle, MonthStyle } from "./config.ts";

/** A validated date from an article, kept with the precision the author wrote. */
export interface ArticleDate {
  /** Machine-readable value for `<time datetime>`: `2022-01-08`, or `2022-01-08T14:30+04:00`. */
  iso: string;
  /** True when the author wrote a day without a time. */
  dateOnly: boolean;
  /** The instant, in the newsroom's time zone (the start of the day for date-only values). */
  dateTime: DateTime;
}

/** An ArticleDate as plain data, for caches and worker threads. */
export interface DateData {
  iso: string;
  dateOnly: boolean;
  /** The instant, in milliseconds since 1970. */
  millis: number;
}

export function dateData(date: ArticleDate): DateData {
  return { iso: date.iso, dateOnly: date.dateOnly, millis: date.dateTime.toMillis() };
}

/** The date back, in the newsroom's time zone, as `parseArticleDate` made it (a fraction of its cost). */
export function dateFromData(data: DateData, timeZone: string): ArticleDate {
  return { iso: data.iso, dateOnly: data.dateOnly, dateTime: DateTime.fromMillis(data.millis, { zone: timeZone }) };
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
    return { error: `"${value}" is not a real date (${parsed.invalidExplanation ?? parsed.invalidReason}); write ${acceptedDateForms}` };
  }
  const dateTime = parsed.setZone(timeZone);
  if (time === undefined) return { iso: day!, dateOnly: true, dateTime };
  const iso = parsed.toISO({ suppressMilliseconds: true, suppressSeconds: parsed.second === 0 })!;
  return { iso, dateOnly: false, dateTime };
}

export interface DateStyle {
  months: MonthStyle;
  digits: DigitStyle;
}

const levantineLocale = "ar-SY";
const egyptianLocale = "ar-EG";

/**
 * "7 كانون الثاني/يناير 2022" (and "، 20:00" when a time was given). Locale, digits and zone are all
 * explicit, so the text never depends on the build machine's settings.
 */
export function formatArabicDate(date: ArticleDate, style: DateStyle): string {
  const local = date.dateTime.reconfigure({ numberingSystem: style.digits });
  const monthIn = (locale: string) => local.setLocale(locale).toFormat("LLLL");
  const month =
    style.months === "levantine" ? monthIn(levantineLocale)
    : style.months === "egyptian" ? monthIn(egyptianLocale)
    : `${monthIn(levantineLocale)}/${monthIn(egyptianLocale)}`;
  const numbers = local.setLocale(egyptianLocale);
  const text = `${numbers.toFormat("d")} ${month} ${numbers.toFormat("yyyy")}`;
  return date.dateOnly ? text : `${text}، ${numbers.toFormat("HH:mm")}`;
}

/** The full instant with its offset (`2022-01-08T14:30:00+04:00`), as feeds, sitemaps and structured data want it even for a date-only article. */
export function isoInstant(date: ArticleDate): string {
  return date.dateTime.toISO({ suppressMilliseconds: true })!;
}

/** When an article last changed: its `updated` date, else its `date`. */
export function lastModified(article: { date: ArticleDate; updated?: ArticleDate }): ArticleDate {
  return article.updated ?? article.date;
}
