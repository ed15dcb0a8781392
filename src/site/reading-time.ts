import type { DigitStyle } from "./config.ts";
import { formatNumber } from "./dates.ts";

/**
 * Words a minute an adult reads Arabic silently: 138, as the IReST study measured it (Trauzettel-Klosinski, Dietz
 * and the IReST group, "Standardized Assessment of Reading Performance", 2012: 138 ± 20 words a minute for Arabic).
 */
export const arabicWordsPerMinute = 138;

/** The words of a rendered body: runs of letters or digits between spaces, tags and punctuation left out. */
export function wordCount(html: string): number {
  const text = html.replace(/<[^>]*>/g, " ").replace(/&[#\w]+;/g, " ");
  return text.split(/\s+/).filter((word) => /[\p{L}\p{N}]/u.test(word)).length;
}

/** Whole minutes to read `words`, at least one. */
export function readingMinutes(words: number, wordsPerMinute = arabicWordsPerMinute): number {
  return Math.max(1, Math.round(words / wordsPerMinute));
}

/** The forms of "minute" an Arabic number takes, by its plural category (CLDR's, through `Intl.PluralRules("ar")`). */
export type MinuteForms = Record<Intl.LDMLPluralRule, (count: string) => string>;

/** One for every page: a PluralRules takes longer to make than to ask (tens of microseconds). */
const arabicPlurals = new Intl.PluralRules("ar");

/** "دقيقتان", "5 دقائق", "11 دقيقة": the number in the site's digits, with the form its plural category asks for. */
export function minutesText(minutes: number, forms: MinuteForms, digits: DigitStyle): string {
  const category = arabicPlurals.select(minutes);
  return forms[category](formatNumber(minutes, digits));
}
