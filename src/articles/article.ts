import slugify from "@sindresorhus/slugify";
import { type Category, describeCategories, findCategory, type SiteConfig, slugPattern } from "../site/config.ts";
import { type ArticleDate, parseArticleDate } from "../site/dates.ts";
import { hasBidiControl } from "./bidi.ts";
import { balanced, controlIn, describe, type Report, stringList } from "./fields.ts";
import type { FrontMatter } from "./front-matter.ts";
import type { Checked, Problem } from "./problems.ts";

/** The lead photo as the author described it; `src` is relative to the article file. */
export interface ArticleImage {
  src: string;
  alt: string;
  caption?: string;
  credit?: string;
  /** File line of `image.src`, for problems the image pipeline finds later. */
  line?: number;
}

/** A correction the newsroom made after publishing, shown on the page and in its structured data. */
export interface Correction {
  date: ArticleDate;
  text: string;
}

/** A validated article: every field has its final type, ready to render. */
export interface Article {
  /** Source path relative to the project root, for messages. */
  file: string;
  slug: string;
  title: string;
  date: ArticleDate;
  updated?: ArticleDate;
  /** Oldest first; the latest is the article's modified time. */
  corrections: Correction[];
  /** In site order, without duplicates. */
  categories: Category[];
  summary?: string;
  author?: string;
  source?: string;
  tags: string[];
  /** File line of `tags`, for the problems only the whole site shows (two tags that would share a page). */
  tagsLine?: number;
  draft: boolean;
  story?: string;
  image?: ArticleImage;
  /** Markdown body and the file line it starts on. */
  body: string;
  bodyLine: number;
}

const textFields = ["title", "summary", "author", "source"] as const;
const knownFields = new Set([
  ...textFields,
  "date",
  "updated",
  "corrections",
  "categories",
  "tags",
  "draft",
  "slug",
  "story",
  "image",
]);
const imageFields = new Set(["src", "alt", "caption", "credit"]);
/** Keys that steer Eleventy's output; articles are data, so these are never honoured. */
const eleventyKeys = new Set([
  "permalink",
  "layout",
  "eleventyComputed",
  "templateEngineOverride",
  "eleventyExcludeFromCollections",
  "eleventyImport",
  "eleventyNavigation",
  "eleventyDataSchema",
  "eleventyAllowMissingExtension",
  "pagination",
  "dynamicPermalink",
  "permalinkBypassOutputDir",
  "collections",
  "page",
  "eleventy",
  "pkg",
]);

/** Checks one article's front matter, collecting every problem rather than stopping at the first. */
export function validateArticle(file: string, fm: FrontMatter, config: SiteConfig): Checked<Article> {
  const problems: Problem[] = [];
  // A missing field is reported at the front matter's opening line, where it belongs.
  const report = (field: string, message: string, fix?: string) =>
    problems.push({ file, line: fm.lineOf(field) ?? 1, field, message, ...(fix === undefined ? {} : { fix }) });
  const data = fm.data;

  for (const key of Object.keys(data)) {
    if (hasBidiControl(key)) {
      report(
        key,
        `the field name ${describe(key)} contains ${controlIn(key)}`,
        "retype the field name; it must be plain Latin letters",
      );
    } else if (eleventyKeys.has(key)) {
      report(
        key,
        `"${key}" is not allowed: the site decides where and how articles are published`,
        `remove the "${key}" line (to choose the URL, use "slug")`,
      );
    } else if (!knownFields.has(key)) {
      report(key, `unknown field "${key}"`, `use only ${[...knownFields].join(", ")}`);
    }
  }

  const text = (field: string, value: unknown, { required }: { required: boolean }): string | undefined => {
    if (value === undefined || value === null) {
      if (required) report(field, `"${field}" is missing`, `add a line \`${field}: …\``);
      return undefined;
    }
    if (typeof value !== "string" && typeof value !== "number") {
      report(field, `"${field}" must be text, got ${describe(value)}`);
      return undefined;
    }
    const clean = String(value).normalize("NFC").trim();
    if (clean === "" && required) report(field, `"${field}" is empty`, `write the ${field} after \`${field}:\``);
    return clean === "" || !balanced(field, clean, report) ? undefined : clean;
  };
  const date = (field: string, value: unknown, { required }: { required: boolean }): ArticleDate | undefined => {
    if (value === undefined || value === null) {
      if (required)
        report(field, `"${field}" is missing`, "add a line `date: 2022-01-08` (or with a time: 2022-01-08T14:30)");
      return undefined;
    }
    if (typeof value !== "string") {
      report(field, `"${field}" must be a date written as text, got ${describe(value)}`);
      return undefined;
    }
    const parsed = parseArticleDate(value, config.timeZone);
    if ("error" in parsed) {
      report(field, parsed.error);
      return undefined;
    }
    return parsed;
  };

  const title = text("title", data.title, { required: true });
  const summary = text("summary", data.summary, { required: false });
  const author = text("author", data.author, { required: false });
  const source = text("source", data.source, { required: false });
  const published = date("date", data.date, { required: true });
  const updated = date("updated", data.updated, { required: false });
  if (published && updated && updated.millis < published.millis) {
    report(
      "updated",
      `"updated" (${updated.iso}) is earlier than "date" (${published.iso})`,
      "an update comes after publication: fix either date",
    );
  }

  const corrections = resolveCorrections(data.corrections, published, { text, date, report });
  const categories = resolveCategories(data.categories, config, report);
  const tags = stringList(data.tags, "tags", report);

  if (data.draft !== undefined && typeof data.draft !== "boolean") {
    report("draft", `"draft" must be true or false, got ${describe(data.draft)}`);
  }

  const slug = resolveSlug(file, data.slug, report);
  let story: string | undefined;
  if (data.story !== undefined) {
    story = typeof data.story === "string" ? data.story.normalize("NFC").trim() : undefined;
    if (story !== undefined && hasBidiControl(story)) {
      report(
        "story",
        `"story" contains ${controlIn(story)}: ${describe(story)}`,
        "retype the key: lowercase Latin letters, digits and hyphens, e.g. story: kazakhstan-unrest-2022",
      );
      story = undefined;
    } else if (story === undefined || !slugPattern.test(story)) {
      report(
        "story",
        `"story" must be a key of lowercase Latin letters, digits and hyphens, got ${describe(data.story)}`,
        "for example: story: kazakhstan-unrest-2022",
      );
      story = undefined;
    }
  }
  const image = resolveImage(data.image, report);

  if (problems.length > 0 || !title || !published || !slug) return { problems };
  return {
    problems,
    value: {
      file,
      slug,
      title,
      date: published,
      categories,
      tags,
      ...(fm.lineOf("tags") !== undefined && { tagsLine: fm.lineOf("tags") }),
      corrections,
      draft: data.draft === true,
      body: fm.body,
      bodyLine: fm.bodyLine,
      ...(updated && { updated }),
      ...(summary && { summary }),
      ...(author && { author }),
      ...(source && { source }),
      ...(story && { story }),
      ...(image && { image: { ...image, line: fm.lineOf("image.src") } }),
    },
  };
}

function resolveCategories(value: unknown, config: SiteConfig, report: Report): Category[] {
  const accepted = describeCategories(config);
  // An entry already reported (not text, an unbalanced control) does not also make the list "missing".
  let reported = 0;
  const names = stringList(value, "categories", (...problem) => {
    reported++;
    report(...problem);
  });
  if (names.length === 0 && reported === 0) {
    report(
      "categories",
      '"categories" is missing or empty: every article belongs to at least one category',
      `add categories: [${config.categories[0]?.label ?? "…"}]; accepted: ${accepted}`,
    );
    return [];
  }
  const found = new Set<Category>();
  for (const name of names) {
    const category = findCategory(config, name);
    if (category) found.add(category);
    else report("categories", `unknown category "${name}"`, `use one of: ${accepted}`);
  }
  return config.categories.filter((category) => found.has(category));
}

function resolveSlug(file: string, value: unknown, report: Report): string | undefined {
  if (value !== undefined) {
    if (typeof value === "string" && slugPattern.test(value)) return value;
    if (typeof value === "string" && hasBidiControl(value)) {
      report(
        "slug",
        `"slug" contains ${controlIn(value)}: ${describe(value)}`,
        "retype the slug: lowercase Latin letters, digits and single hyphens",
      );
      return undefined;
    }
    report(
      "slug",
      `"slug" must be lowercase Latin letters, digits and single hyphens, got ${describe(value)}`,
      "for example: slug: csto-peacekeepers-kazakhstan",
    );
    return undefined;
  }
  const name = file.replace(/^.*\//, "").replace(/\.md$/i, "");
  if (hasBidiControl(name)) {
    report(
      "slug",
      `the file name ${describe(name)} contains ${controlIn(name)}`,
      "rename the file without it, or add a line `slug: …`",
    );
    return undefined;
  }
  const slug = slugify(name.normalize("NFC"));
  if (slug === "")
    report(
      "slug",
      `no URL can be made from the file name "${name}"`,
      "rename the file with Latin letters or add a line `slug: …`",
    );
  return slug === "" ? undefined : slug;
}

function resolveImage(value: unknown, report: Report): ArticleImage | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "object" || Array.isArray(value)) {
    report(
      "image",
      `"image" must be a group of fields (src, alt, caption, credit), got ${describe(value)}`,
      "write image: on its own line, then indented src: and alt: lines",
    );
    return undefined;
  }
  const fields = value as Record<string, unknown>;
  for (const key of Object.keys(fields)) {
    if (!imageFields.has(key))
      report(`image.${key}`, `unknown field ${describe(`image.${key}`)}`, "use only src, alt, caption, credit");
  }
  const src = fields.src;
  if (typeof src !== "string" || src.trim() === "") {
    report(
      "image.src",
      '"image.src" is missing',
      "give the photo's file name next to the article, e.g. src: ./photo.jpg",
    );
  }
  if (typeof fields.alt !== "string") {
    report(
      "image.alt",
      `"image.alt" is required and must be text${fields.alt === undefined ? "" : `, got ${describe(fields.alt)}`}`,
      'describe the photo for readers who cannot see it (alt: "" only for a purely decorative image)',
    );
  }
  const optional = (key: "caption" | "credit") => {
    const raw = fields[key];
    if (raw === undefined || raw === null) return undefined;
    if (typeof raw === "string" || typeof raw === "number") {
      const clean = String(raw).normalize("NFC").trim();
      return clean !== "" && balanced(`image.${key}`, clean, report) ? clean : undefined;
    }
    report(`image.${key}`, `"image.${key}" must be text, got ${describe(raw)}`);
    return undefined;
  };
  const caption = optional("caption");
  const credit = optional("credit");
  const alt = typeof fields.alt === "string" ? fields.alt.normalize("NFC").trim() : undefined;
  if (typeof src !== "string" || src.trim() === "" || alt === undefined || !balanced("image.alt", alt, report))
    return undefined;
  return { src: src.trim(), alt, ...(caption && { caption }), ...(credit && { credit }) };
}

/** How `validateArticle` reads a text or a date, and reports a problem, for the fields of a correction. */
interface FieldReaders {
  text: (field: string, value: unknown, options: { required: boolean }) => string | undefined;
  date: (field: string, value: unknown, options: { required: boolean }) => ArticleDate | undefined;
  report: Report;
}

/** `corrections:` is a list of `{ date, text }`, each dated like `date` and not before it; oldest first. */
function resolveCorrections(value: unknown, published: ArticleDate | undefined, read: FieldReaders): Correction[] {
  if (value === undefined || value === null) return [];
  const shape = "write each as `- date: 2022-01-09T10:00` with `text: …` under it";
  if (!Array.isArray(value)) {
    read.report("corrections", `"corrections" must be a list, got ${describe(value)}`, shape);
    return [];
  }
  const corrections: Correction[] = [];
  for (const [index, item] of value.entries()) {
    const field = `corrections[${index + 1}]`;
    if (typeof item !== "object" || item === null || Array.isArray(item)) {
      read.report("corrections", `${field} must be a date and a text, got ${describe(item)}`, shape);
      continue;
    }
    const fields = item as Record<string, unknown>;
    for (const key of Object.keys(fields)) {
      if (key !== "date" && key !== "text") {
        read.report(
          `${field}.${key}`,
          `${field} has an unknown field "${key}"`,
          "a correction has only a date and a text",
        );
      }
    }
    for (const key of ["date", "text"].filter((name) => fields[name] === undefined || fields[name] === null)) {
      read.report(field, `${field} has no ${key}`, `add \`${key}: …\` under it, indented like its \`- date:\``);
    }
    const date = read.date(`${field}.date`, fields.date, { required: false });
    const text = read.text(`${field}.text`, fields.text, { required: false });
    if (date && published && date.millis < published.millis) {
      read.report(
        `${field}.date`,
        `${field}.date (${date.iso}) is earlier than "date" (${published.iso})`,
        "a correction comes after publication: fix its date",
      );
    } else if (date && text) {
      corrections.push({ date, text });
    }
  }
  return corrections.sort((a, b) => a.date.millis - b.date.millis);
}
