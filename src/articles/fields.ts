import { codepointName, hasBidiControl, unbalancedBidi, visible } from "./bidi.ts";

// Reading front matter values: the checks every text field shares, each problem reported, never thrown.

/** Records a problem with one field; validation goes on, so every problem of an article is listed together. */
export type Report = (field: string, message: string, fix?: string) => void;

/** A value as messages quote it; invisible characters are spelled out (`<U+202E>`), so the author can find them. */
export function describe(value: unknown): string {
  if (value === null) return "nothing";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a group of fields";
  return JSON.stringify(typeof value === "string" ? visible(value) : value);
}

/**
 * The first direction control in an identifier, named: `U+202E RIGHT-TO-LEFT OVERRIDE, an invisible character that
 * can disguise text`.
 */
export function controlIn(text: string): string {
  const char = [...text].find((c) => hasBidiControl(c))!;
  return `${codepointName(char)}, an invisible character that can disguise text`;
}

/** Free text may hold direction controls in balanced pairs; an unbalanced one would spill into the page around it. */
export function balanced(field: string, text: string, report: Report): boolean {
  const issue = unbalancedBidi(text);
  if (issue !== undefined) {
    report(
      field,
      `${describe(text)} has an unbalanced direction control: ${issue}`,
      "delete the invisible character (retype the text, or find it with an editor that shows control characters); mixed Arabic and Latin text needs no controls",
    );
  }
  return issue === undefined;
}

/** A list of text (or a single text), each entry NFC-normalised, trimmed and checked, without duplicates. */
export function stringList(value: unknown, field: string, report: Report): string[] {
  if (value === undefined || value === null) return [];
  const items = Array.isArray(value) ? value : [value];
  const result: string[] = [];
  for (const item of items) {
    if (typeof item !== "string" && typeof item !== "number") {
      report(field, `every entry of "${field}" must be text, got ${describe(item)}`, `write ${field}: [first, second]`);
      continue;
    }
    const clean = String(item).normalize("NFC").trim();
    if (clean !== "" && !result.includes(clean) && balanced(field, clean, report)) result.push(clean);
  }
  return result;
}
